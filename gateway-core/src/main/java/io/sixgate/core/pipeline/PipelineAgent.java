package io.sixgate.core.pipeline;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

/**
 * A worker: gives its pipeline the time ({@link Pipeline#tick(long)}: held packets, timers),
 * then takes a batch of up to {@link #BATCH_SIZE} frames from its source and runs each through
 * the pipeline. Returns the work done so an Agrona {@code IdleStrategy} backs off when there is
 * none; tests drive {@link #doWork()} directly.
 *
 * <p>The clock must be the one the source stamps frames with ({@code FramePool.timestampNs}):
 * the receive clock in the daemon, the capture's timestamps in replay.
 *
 * <p>A tick interval above zero gives the pipeline its time at most that often: the stages'
 * timer work (expiry sweeps, retransmissions) is budgeted per tick, and ticking before every
 * batch made a busy worker sweep its session table between every pair of batches (a fifth of
 * its cycles in the end-to-end profile). Replay uses zero so timers run in exact packet order.
 */
public final class PipelineAgent implements Agent
{
    /** Frames per batch, as VPP's vectors. */
    public static final int BATCH_SIZE = 256;

    /** The daemon's tick interval: timers are resolved to 1 ms, far below any NAT64 or neighbour timeout. */
    public static final long DAEMON_TICK_INTERVAL_NS = 1_000_000L;

    private final String roleName;
    private final FrameSource source;
    private final Pipeline pipeline;
    private final NanoClock clock;
    private final long tickIntervalNs;
    private final int[] batch = new int[BATCH_SIZE];
    private boolean ticked;
    private long lastTickNs;

    /**
     * An agent that ticks before every batch (replay, tests).
     *
     * @param clock the worker's time, in the nanoseconds the source stamps frames with.
     */
    public PipelineAgent(final String roleName, final FrameSource source, final Pipeline pipeline, final NanoClock clock)
    {
        this(roleName, source, pipeline, clock, 0);
    }

    /**
     * @param clock          the worker's time, in the nanoseconds the source stamps frames with.
     * @param tickIntervalNs the least time between two ticks; 0 ticks before every batch.
     */
    public PipelineAgent(
        final String roleName, final FrameSource source, final Pipeline pipeline, final NanoClock clock,
        final long tickIntervalNs)
    {
        if (tickIntervalNs < 0)
        {
            throw new IllegalArgumentException("tick interval must be >= 0, got " + tickIntervalNs);
        }
        this.roleName = roleName;
        this.source = source;
        this.pipeline = pipeline;
        this.clock = clock;
        this.tickIntervalNs = tickIntervalNs;
    }

    @Override
    public int doWork()
    {
        // Time first: what expired before this batch arrived is answered before it (packet order in replay).
        int timerWork = 0;
        final long nowNs = clock.nanoTime();
        if (!ticked || nowNs - lastTickNs >= tickIntervalNs)
        {
            ticked = true;
            lastTickNs = nowNs;
            timerWork = pipeline.tick(nowNs);
        }
        final int count = source.poll(batch, BATCH_SIZE);
        for (int i = 0; i < count; i++)
        {
            pipeline.receive(batch[i]);
        }
        return timerWork + count;
    }

    @Override
    public String roleName()
    {
        return roleName;
    }

    public Pipeline pipeline()
    {
        return pipeline;
    }
}
