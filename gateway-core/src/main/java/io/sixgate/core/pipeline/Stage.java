package io.sixgate.core.pipeline;

import io.sixgate.core.counters.PipelineCounters;

/**
 * One node of the packet graph (VPP's "node"): it looks at a frame and returns a
 * {@link Verdict}. One instance per worker, so a stage may keep state without locks.
 *
 * <p>Life cycle: the stage is constructed, added to a {@link Pipeline.Builder}, given its
 * drop-reason and event bases when the pipeline is built, then {@link #link(Pipeline)} is called
 * once so it can resolve the ids of its next stages by name. After that only {@link #process(int)}
 * and {@link #onTick(long)} run, on the worker thread, and must not allocate or throw.
 */
public abstract class Stage
{
    private static final StageEvent[][] NO_EVENTS = new StageEvent[0][];

    private final String name;
    private final LabelGroups<DropReason> reasons;
    private final LabelGroups<StageEvent> events;
    private int dropReasonBase = -1;
    private int eventBase = -1;
    private PipelineCounters counters;

    /**
     * @param name         stable kebab-case name, used for linking and in counter labels.
     * @param reasonGroups every reason this stage may drop with, one array per enum, usually
     *                     {@code MyReason.values()}; a stage may add its own reasons to a
     *                     validator's, so several enums are allowed.
     */
    protected Stage(final String name, final DropReason[]... reasonGroups)
    {
        this(name, NO_EVENTS, reasonGroups);
    }

    /**
     * @param name         stable kebab-case name, used for linking and in counter labels.
     * @param eventGroups  every {@link StageEvent} this stage counts, one array per enum.
     * @param reasonGroups every reason this stage may drop with, one array per enum.
     */
    protected Stage(final String name, final StageEvent[][] eventGroups, final DropReason[]... reasonGroups)
    {
        this.name = name;
        this.reasons = new LabelGroups<>(name, reasonGroups, DropReason::label, DropReason::ordinal);
        this.events = new LabelGroups<>(name, eventGroups, StageEvent::label, StageEvent::ordinal);
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
        return reasons.members().toArray(new DropReason[0]);
    }

    /**
     * @return the events this stage counts, group after group, each in ordinal order.
     */
    public final StageEvent[] events()
    {
        return events.members().toArray(new StageEvent[0]);
    }

    final void assignDropReasonBase(final int base)
    {
        if (dropReasonBase != -1)
        {
            throw new IllegalStateException("stage " + name + " is already part of a pipeline");
        }
        dropReasonBase = base;
    }

    final void assignEventCounters(final PipelineCounters pipelineCounters, final int base)
    {
        counters = pipelineCounters;
        eventBase = base;
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
     * what timed out (RFC 6146 §3.5.2.2's held SYNs, neighbour solicitations). Runs on the worker
     * thread, between frames; frames it creates go to {@link Pipeline#emit(int, int)}. Must not
     * allocate or throw.
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
        final int index = reasons.indexOf(reason, reason.ordinal());
        // A reason the stage did not declare is a bug; the pipeline counts it as bad-verdict.
        return Verdict.drop(index < 0 ? Verdict.MAX_VALUE : dropReasonBase + index);
    }

    /**
     * Counts one event; an event the stage did not declare, or a stage outside a pipeline,
     * counts nothing.
     *
     * @param event one of this stage's {@link #events()}.
     */
    protected final void count(final StageEvent event)
    {
        final int index = events.indexOf(event, event.ordinal());
        if (index >= 0 && counters != null)
        {
            counters.onEvent(eventBase + index);
        }
    }
}
