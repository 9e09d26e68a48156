package io.sixgate.core.pipeline;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One node of the packet graph (VPP's "node"): it looks at a frame and returns a
 * {@link Verdict}. One instance per worker, so a stage may keep state without locks.
 *
 * <p>Life cycle: the stage is constructed, added to a {@link Pipeline.Builder}, given its
 * drop-reason base when the pipeline is built, then {@link #link(Pipeline)} is called once
 * so it can resolve the ids of its next stages by name. After that only {@link #process(int)}
 * runs, on the worker thread, and must not allocate or throw.
 */
public abstract class Stage
{
    private final String name;
    private final DropReason[] dropReasons;
    private final Class<?>[] reasonGroupClasses;
    private final int[] reasonGroupOffsets;
    private int dropReasonBase = -1;

    /**
     * @param name         stable kebab-case name, used for linking and in counter labels.
     * @param reasonGroups every reason this stage may drop with, one array per enum, usually
     *                     {@code MyReason.values()}; a stage may add its own reasons to a
     *                     validator's, so several enums are allowed.
     */
    protected Stage(final String name, final DropReason[]... reasonGroups)
    {
        this.name = name;
        this.reasonGroupClasses = new Class<?>[reasonGroups.length];
        this.reasonGroupOffsets = new int[reasonGroups.length];
        final List<DropReason> all = new ArrayList<>();
        final Set<String> labels = new HashSet<>();
        for (int g = 0; g < reasonGroups.length; g++)
        {
            final DropReason[] group = reasonGroups[g];
            reasonGroupOffsets[g] = all.size();
            reasonGroupClasses[g] = group.length == 0 ? Void.class : group[0].getClass();
            for (int i = 0; i < group.length; i++)
            {
                if (group[i].ordinal() != i || group[i].getClass() != reasonGroupClasses[g])
                {
                    throw new IllegalArgumentException(
                        "stage " + name + ": each reason group must be one enum's values() in ordinal order");
                }
                if (!labels.add(group[i].label()))
                {
                    throw new IllegalArgumentException(
                        "stage " + name + ": drop reason label '" + group[i].label() + "' used twice");
                }
                all.add(group[i]);
            }
        }
        this.dropReasons = all.toArray(new DropReason[0]);
    }

    public final String name()
    {
        return name;
    }

    /**
     * @return the reasons this stage may drop with, group after group, each in ordinal order.
     */
    public final DropReason[] dropReasons()
    {
        return dropReasons.clone();
    }

    final void assignDropReasonBase(final int base)
    {
        if (dropReasonBase != -1)
        {
            throw new IllegalStateException("stage " + name + " is already part of a pipeline");
        }
        dropReasonBase = base;
    }

    /**
     * Resolves next-stage ids; called once after every stage of the pipeline is known.
     *
     * @param pipeline the pipeline this stage belongs to.
     */
    public void link(final Pipeline pipeline)
    {
    }

    /**
     * Processes one frame on the worker thread.
     *
     * @param frame handle of the frame in the pipeline's {@link io.sixgate.core.frame.FramePool}.
     * @return the {@link Verdict}.
     */
    public abstract int process(int frame);

    /**
     * Lets a stage act on the passing of time when no packet comes: release what it holds, send
     * what timed out (RFC 6146 §3.5.2.2's held SYNs). Runs on the worker thread, between frames;
     * frames it creates go to {@link Pipeline#emit(int, int)}. Must not allocate or throw.
     *
     * @param nowNs the worker's clock, in the same nanoseconds as {@code FramePool.timestampNs}.
     * @return work done, 0 when there was nothing to do (for an {@code IdleStrategy}).
     */
    public int onTick(final long nowNs)
    {
        return 0;
    }

    /**
     * The verdict and the counter in one call (Jool's {@code return drop(state, REASON)}).
     *
     * @param reason one of this stage's {@link #dropReasons()}.
     * @return a drop verdict carrying the reason's pipeline-wide id.
     */
    protected final int drop(final DropReason reason)
    {
        // Groups are one to three enums: a reference compare per group, no map, no allocation.
        final Class<?> reasonClass = reason.getClass();
        for (int g = 0; g < reasonGroupClasses.length; g++)
        {
            if (reasonGroupClasses[g] == reasonClass)
            {
                return Verdict.drop(dropReasonBase + reasonGroupOffsets[g] + reason.ordinal());
            }
        }
        // A reason the stage did not declare is a bug; the pipeline counts it as bad-verdict.
        return Verdict.drop(Verdict.MAX_VALUE);
    }
}
