package io.sixgate.daemon.run;

import io.sixgate.core.pipeline.PipelineAgent;
import io.sixgate.daemon.control.WorkerCommandQueue;

import org.agrona.concurrent.Agent;

/**
 * The worker thread's duty cycle: first a command from the control plane, if one waits, then
 * a batch of frames, unless the command pauses the worker (the control plane is changing its
 * state: the frames wait in the rings meanwhile). Named after the pipeline agent, so the thread
 * keeps its {@code sixgate-worker-N} name (Agrona's {@code CompositeAgent} would rename it).
 */
final class WorkerAgent implements Agent
{
    private final WorkerCommandQueue commands;
    private final PipelineAgent pipeline;

    WorkerAgent(final WorkerCommandQueue commands, final PipelineAgent pipeline)
    {
        this.commands = commands;
        this.pipeline = pipeline;
    }

    @Override
    public int doWork()
    {
        final int commandWork = commands.doWork();
        return commands.pausesPackets() ? commandWork : commandWork + pipeline.doWork();
    }

    @Override
    public String roleName()
    {
        return pipeline.roleName();
    }
}
