package io.sixgate.core.pipeline;

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
    private int dropReasonBase = -1;

    /**
     * @param name        stable kebab-case name, used for linking and in counter labels.
     * @param dropReasons every reason this stage may drop with, usually {@code MyReason.values()}.
     */
    protected Stage(final String name, final DropReason[] dropReasons)
    {
        this.name = name;
        this.dropReasons = dropReasons.clone();
        for (int i = 0; i < this.dropReasons.length; i++)
        {
            if (this.dropReasons[i].ordinal() != i)
            {
                throw new IllegalArgumentException(
                    "stage " + name + ": drop reasons must be given in ordinal order (Enum.values())");
            }
        }
    }

    public final String name()
    {
        return name;
    }

    /**
     * @return the reasons this stage may drop with, in ordinal order.
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
     * The verdict and the counter in one call (Jool's {@code return drop(state, REASON)}).
     *
     * @param reason one of this stage's {@link #dropReasons()}.
     * @return a drop verdict carrying the reason's pipeline-wide id.
     */
    protected final int drop(final DropReason reason)
    {
        return Verdict.drop(dropReasonBase + reason.ordinal());
    }
}
