package io.sixgate.core.pipeline;

import org.agrona.concurrent.Agent;

/**
 * A worker: takes batches of up to {@link #BATCH_SIZE} frames from its source and runs each
 * through its pipeline. Returns the work done so an Agrona {@code IdleStrategy} backs off
 * when there is none; tests drive {@link #doWork()} directly.
 */
public final class PipelineAgent implements Agent
{
    /** Frames per batch, as VPP's vectors. */
    public static final int BATCH_SIZE = 256;

    private final String roleName;
    private final FrameSource source;
    private final Pipeline pipeline;
    private final int[] batch = new int[BATCH_SIZE];

    public PipelineAgent(final String roleName, final FrameSource source, final Pipeline pipeline)
    {
        this.roleName = roleName;
        this.source = source;
        this.pipeline = pipeline;
    }

    @Override
    public int doWork()
    {
        final int count = source.poll(batch, BATCH_SIZE);
        for (int i = 0; i < count; i++)
        {
            pipeline.receive(batch[i]);
        }
        return count;
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
