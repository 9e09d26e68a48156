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
 */
public final class PipelineAgent implements Agent
{
    /** Frames per batch, as VPP's vectors. */
    public static final int BATCH_SIZE = 256;

    private final String roleName;
    private final FrameSource source;
    private final Pipeline pipeline;
    private final NanoClock clock;
    private final int[] batch = new int[BATCH_SIZE];

    /**
     * @param clock the worker's time, in the nanoseconds the source stamps frames with.
     */
    public PipelineAgent(final String roleName, final FrameSource source, final Pipeline pipeline, final NanoClock clock)
    {
        this.roleName = roleName;
        this.source = source;
        this.pipeline = pipeline;
        this.clock = clock;
    }

    @Override
    public int doWork()
    {
        // Time first: what expired before this batch arrived is answered before it (packet order in replay).
        final int timerWork = pipeline.tick(clock.nanoTime());
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
