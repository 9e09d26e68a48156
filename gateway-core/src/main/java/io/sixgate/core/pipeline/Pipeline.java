package io.sixgate.core.pipeline;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sixgate.core.counters.PipelineCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.port.Port;

import org.agrona.concurrent.status.CountersManager;

/**
 * One worker's packet graph: the stages, the ports, and the loop that carries a frame from
 * its port's entry stage to a final verdict (transmit, drop, consumed), counting each.
 *
 * <p>Stages may create frames (ICMP errors, fragments, ARP/NDP replies) and hand them to
 * {@link #emit(int, int)}; they are run after the frame that created them, in order.
 *
 * <p>Single-threaded: each worker builds its own pipeline over its own {@link FramePool}.
 */
public final class Pipeline
{
    /** A frame that visits more stages than this is dropped as {@link PipelineDropReason#STAGE_LOOP}. */
    public static final int MAX_STAGE_VISITS = 64;

    /** Frames a single receive may generate before further ones are dropped. */
    public static final int MAX_PENDING = 256;

    private final FramePool pool;
    private final Stage[] stages;
    private final Port[] ports;
    private final int[] entryStageByPort;
    private final String[] dropLabels;
    private final String[] eventLabels;
    private final TxSink txSink;
    private final PipelineCounters counters;

    private final int stageLoopDrop;
    private final int pendingOverflowDrop;
    private final int badVerdictDrop;
    private final int noEntryStageDrop;

    private final int[] pendingFrames = new int[MAX_PENDING];
    private final int[] pendingVerdicts = new int[MAX_PENDING];
    private int pendingHead;
    private int pendingTail;

    private Pipeline(final Builder builder, final CountersManager countersManager, final int workerId)
    {
        this.pool = builder.pool;
        this.stages = builder.stages.toArray(new Stage[0]);
        this.ports = builder.ports.toArray(new Port[0]);
        this.txSink = builder.txSink;

        final List<String> labels = new ArrayList<>();
        for (final DropReason reason : PipelineDropReason.values())
        {
            labels.add("pipeline/" + reason.label());
        }
        for (final Stage stage : stages)
        {
            stage.assignDropReasonBase(labels.size());
            for (final DropReason reason : stage.dropReasons())
            {
                labels.add(stage.name() + "/" + reason.label());
            }
        }
        if (labels.size() > Verdict.MAX_VALUE)
        {
            throw new IllegalStateException("too many drop reasons: " + labels.size());
        }
        this.dropLabels = labels.toArray(new String[0]);
        final List<String> events = new ArrayList<>();
        final int[] eventBases = new int[stages.length];
        for (int i = 0; i < stages.length; i++)
        {
            eventBases[i] = events.size();
            for (final StageEvent event : stages[i].events())
            {
                events.add(stages[i].name() + "/" + event.label());
            }
        }
        this.eventLabels = events.toArray(new String[0]);
        this.stageLoopDrop = Verdict.drop(PipelineDropReason.STAGE_LOOP.ordinal());
        this.pendingOverflowDrop = Verdict.drop(PipelineDropReason.PENDING_OVERFLOW.ordinal());
        this.badVerdictDrop = Verdict.drop(PipelineDropReason.BAD_VERDICT.ordinal());
        this.noEntryStageDrop = Verdict.drop(PipelineDropReason.NO_ENTRY_STAGE.ordinal());

        final String[] portNames = new String[ports.length];
        for (int i = 0; i < ports.length; i++)
        {
            portNames[i] = ports[i].name();
        }
        this.counters = new PipelineCounters(countersManager, workerId, portNames, dropLabels, eventLabels);
        for (int i = 0; i < stages.length; i++)
        {
            stages[i].assignEventCounters(counters, eventBases[i]);
        }

        this.entryStageByPort = new int[ports.length];
        for (int i = 0; i < ports.length; i++)
        {
            final String entry = builder.entryStageNames.get(i);
            entryStageByPort[i] = entry == null ? -1 : stageId(entry);
        }
        for (final Stage stage : stages)
        {
            stage.link(this);
        }
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * Receives a frame from its port ({@link FramePool#port(int)}), runs it and every frame it
     * generates to their final verdicts. The pipeline owns the frame from here on.
     */
    public void receive(final int frame)
    {
        final int portId = pool.port(frame);
        if (portId < 0 || portId >= ports.length)
        {
            // A frame from nowhere is a caller bug; count it rather than index out of bounds.
            finish(frame, badVerdictDrop);
            return;
        }
        counters.onReceived(portId);
        final int entry = entryStageByPort[portId];
        run(frame, entry < 0 ? noEntryStageDrop : Verdict.next(entry));
        drainPending();
    }

    /**
     * Gives every stage the time ({@link Stage#onTick(long)}), then runs the frames they
     * generated. Called by the worker when it has no packets, and by replay at the end of input.
     *
     * @param nowNs the worker's clock, as {@link FramePool#timestampNs(int)}.
     * @return work done by the stages.
     */
    public int tick(final long nowNs)
    {
        int work = 0;
        for (final Stage stage : stages)
        {
            work += stage.onTick(nowNs);
        }
        drainPending();
        return work;
    }

    /**
     * Queues a frame a stage created, to be run after the current frame. The frame is counted
     * as generated; its verdict is usually {@link Verdict#next(int)} or {@link Verdict#tx(int)}.
     *
     * @return {@code false} when the pending queue was full: the frame was dropped and counted.
     */
    public boolean emit(final int frame, final int verdict)
    {
        counters.onGenerated();
        if (Verdict.kind(verdict) == Verdict.KIND_DROP)
        {
            // A drop needs no turn in the queue: counted now by its own reason, never as
            // pending-overflow (a stage dropping a burst of held frames, e.g. a neighbour that
            // never answered, would otherwise lose their reasons past MAX_PENDING).
            finish(frame, verdict);
            return true;
        }
        if (pendingTail - pendingHead == MAX_PENDING)
        {
            finish(frame, pendingOverflowDrop);
            return false;
        }
        final int slot = pendingTail++ & (MAX_PENDING - 1);
        pendingFrames[slot] = frame;
        pendingVerdicts[slot] = verdict;
        return true;
    }

    private void drainPending()
    {
        while (pendingHead != pendingTail)
        {
            final int slot = pendingHead++ & (MAX_PENDING - 1);
            run(pendingFrames[slot], pendingVerdicts[slot]);
        }
        pendingHead = 0;
        pendingTail = 0;
    }

    private void run(final int frame, final int firstVerdict)
    {
        int verdict = firstVerdict;
        int visits = 0;
        while (Verdict.kind(verdict) == Verdict.KIND_NEXT)
        {
            final int stageId = Verdict.value(verdict);
            if (stageId >= stages.length)
            {
                verdict = badVerdictDrop;
                break;
            }
            if (++visits > MAX_STAGE_VISITS)
            {
                verdict = stageLoopDrop;
                break;
            }
            verdict = stages[stageId].process(frame);
        }
        finish(frame, verdict);
    }

    private void finish(final int frame, final int verdict)
    {
        final int value = Verdict.value(verdict);
        switch (Verdict.kind(verdict))
        {
            case Verdict.KIND_TX:
                if (value < ports.length)
                {
                    counters.onTransmitted(value);
                    txSink.transmit(value, frame);
                    return;
                }
                counters.onDropped(Verdict.value(badVerdictDrop));
                pool.release(frame);
                return;

            case Verdict.KIND_DROP:
                counters.onDropped(value < dropLabels.length ? value : Verdict.value(badVerdictDrop));
                pool.release(frame);
                return;

            case Verdict.KIND_CONSUMED:
                counters.onConsumed();
                return;

            default:
                counters.onDropped(Verdict.value(badVerdictDrop));
                pool.release(frame);
        }
    }

    /**
     * Looks up a stage by name; for {@link Stage#link(Pipeline)}, not the hot path.
     *
     * @throws IllegalArgumentException when no stage has that name.
     */
    public int stageId(final String name)
    {
        for (int i = 0; i < stages.length; i++)
        {
            if (stages[i].name().equals(name))
            {
                return i;
            }
        }
        throw new IllegalArgumentException("no stage named '" + name + "' in the pipeline");
    }

    /**
     * @return the stage with that name; for tools (a session dump), not the hot path.
     * @throws IllegalArgumentException when no stage has that name.
     */
    public Stage stage(final String name)
    {
        return stages[stageId(name)];
    }

    /**
     * @return whether a stage with that name is part of this pipeline.
     */
    public boolean hasStage(final String name)
    {
        for (final Stage stage : stages)
        {
            if (stage.name().equals(name))
            {
                return true;
            }
        }
        return false;
    }

    public FramePool pool()
    {
        return pool;
    }

    public PipelineCounters counters()
    {
        return counters;
    }

    public Port port(final int portId)
    {
        return ports[portId];
    }

    public int portCount()
    {
        return ports.length;
    }

    /**
     * @return the id of the port with that name, or -1.
     */
    public int portId(final String name)
    {
        for (final Port port : ports)
        {
            if (port.name().equals(name))
            {
                return port.id();
            }
        }
        return -1;
    }

    /**
     * @return drop reason labels ({@code stage/label}) indexed by pipeline-wide drop reason id.
     */
    public String[] dropLabels()
    {
        return dropLabels.clone();
    }

    /**
     * @return the pipeline-wide id of a stage's drop reason, for tests and tools.
     */
    public int dropReasonId(final String stageName, final DropReason reason)
    {
        return Arrays.asList(dropLabels).indexOf(stageName + "/" + reason.label());
    }

    /**
     * @return event labels ({@code stage/label}) indexed by pipeline-wide event id.
     */
    public String[] eventLabels()
    {
        return eventLabels.clone();
    }

    /**
     * @return the pipeline-wide id of a stage's event, for tests and tools; -1 when it has none such.
     */
    public int eventId(final String stageName, final StageEvent event)
    {
        return Arrays.asList(eventLabels).indexOf(stageName + "/" + event.label());
    }

    /**
     * Assembles a pipeline. Stages keep the order they were added in; ports must be added
     * in id order.
     */
    public static final class Builder
    {
        private FramePool pool;
        private TxSink txSink;
        private final List<Stage> stages = new ArrayList<>();
        private final List<Port> ports = new ArrayList<>();
        private final List<String> entryStageNames = new ArrayList<>();

        private Builder()
        {
        }

        public Builder pool(final FramePool pool)
        {
            this.pool = pool;
            return this;
        }

        public Builder txSink(final TxSink txSink)
        {
            this.txSink = txSink;
            return this;
        }

        public Builder stage(final Stage stage)
        {
            for (final Stage existing : stages)
            {
                if (existing.name().equals(stage.name()))
                {
                    throw new IllegalArgumentException("two stages named '" + stage.name() + "'");
                }
            }
            stages.add(stage);
            return this;
        }

        /**
         * @param port            the port, whose id must equal the number of ports added before it.
         * @param entryStageName  the stage that receives the port's frames.
         */
        public Builder port(final Port port, final String entryStageName)
        {
            if (port.id() != ports.size())
            {
                throw new IllegalArgumentException("port " + port.name() + " has id " + port.id()
                    + " but " + ports.size() + " ports were added before it");
            }
            ports.add(port);
            entryStageNames.add(entryStageName);
            return this;
        }

        /**
         * Builds the pipeline, allocates its counters and links its stages.
         */
        public Pipeline build(final CountersManager countersManager, final int workerId)
        {
            if (pool == null || txSink == null)
            {
                throw new IllegalStateException("a pipeline needs a frame pool and a tx sink");
            }
            if (ports.isEmpty())
            {
                throw new IllegalStateException("a pipeline needs at least one port");
            }
            return new Pipeline(this, countersManager, workerId);
        }
    }
}
