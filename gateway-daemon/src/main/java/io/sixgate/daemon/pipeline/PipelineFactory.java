package io.sixgate.daemon.pipeline;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.TxSink;
import io.sixgate.core.port.Port;
import io.sixgate.daemon.config.GatewayConfig;

import org.agrona.concurrent.status.CountersManager;

/**
 * Builds a worker's packet graph from the configuration. Replay and the daemon share it, so a
 * capture replay runs exactly the stages the daemon runs; only the ports, the pool and the sink
 * differ.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} (see
 * {@link PipelineFactoryLoader}) so the program picks up the gateway's factory without the
 * CLI naming it; tests pass their own.
 */
public interface PipelineFactory
{
    /**
     * @param config          the validated configuration.
     * @param ports           the ports by id, in configuration order, framing already decided.
     * @param pool            the worker's frame pool.
     * @param txSink          where the pipeline's transmitted frames go.
     * @param countersManager where the pipeline allocates its counters (labelled with the worker).
     * @param worker          which worker the pipeline is for, of how many; its share of the state.
     * @return a built pipeline whose ports are {@code ports}.
     */
    Pipeline create(GatewayConfig config, Port[] ports, FramePool pool, TxSink txSink, CountersManager countersManager,
        WorkerSlot worker);

    /**
     * The pipeline of the only worker ({@link WorkerSlot#SINGLE}): replay, tests.
     */
    default Pipeline create(
        final GatewayConfig config,
        final Port[] ports,
        final FramePool pool,
        final TxSink txSink,
        final CountersManager countersManager)
    {
        return create(config, ports, pool, txSink, countersManager, WorkerSlot.SINGLE);
    }
}
