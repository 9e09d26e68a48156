package io.sixgate.daemon.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sixgate.core.counters.CountersFile;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.PipelineAgent;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.daemon.BadInputException;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.config.PortConfig;
import io.sixgate.daemon.control.WorkerCommandQueue;
import io.sixgate.daemon.control.WorkerState;
import io.sixgate.daemon.pipeline.PipelineFactory;
import io.sixgate.daemon.port.DeviceTxSink;
import io.sixgate.daemon.port.FrameWriter;
import io.sixgate.daemon.port.IngestFrameSource;
import io.sixgate.daemon.port.IngestRing;
import io.sixgate.daemon.port.NettyNative;
import io.sixgate.daemon.port.PortCounters;
import io.sixgate.daemon.port.PortDevice;
import io.sixgate.daemon.port.PortDeviceOpener;
import io.sixgate.daemon.port.PortDropReason;
import io.sixgate.nat64.stateful.SessionRestore;

import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: each port's device, one Netty epoll event loop reading them all, one
 * worker running the pipeline, counters in the memory-mapped {@code counters-file}.
 *
 * <pre>
 *  TAP --readAddress--> PortIngest  (event loop) --IngestRing (SPSC, off-heap)--> IngestFrameSource
 *  pcap --pcap_next_ex-> PcapIngest (event loop) --^                                  | copy into FramePool
 *     ^                                                                               |
 *     +--writeAddress / pcap_inject-- DeviceTxSink <-- Pipeline <-- PipelineAgent (worker, AgentRunner)
 * </pre>
 *
 * <p>{@link #close()} stops in the order that loses nothing already taken: ingest first, then
 * the worker once it has emptied the rings, then the stateful NAT64 sessions to
 * {@code nat64.snapshot-file} ({@link GracefulRestart}, read back before the worker starts), then
 * the devices, then the counters file (which stays on disk for a last look).
 */
public final class GatewayDaemon implements AutoCloseable
{
    /** Room in the counters file: per-port rx/tx, every drop reason, the ports' own drops. */
    public static final int MAX_COUNTERS = 4096;

    /** Frames each port's ingest ring holds before ingest drops as {@code ingest/queue-full}. */
    public static final int INGEST_RING_FRAMES = 1024;

    /** Worker idle strategy: spin, then yield, then park from 1 us up to 1 ms while there is no traffic. */
    static final long MIN_PARK_NS = TimeUnit.MICROSECONDS.toNanos(1);
    static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final Logger LOG = LoggerFactory.getLogger(GatewayDaemon.class);
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);

    private final GatewayConfig config;
    private final List<PortDevice> devices = new ArrayList<>();
    private CountersFile countersFile;
    private PortCounters portCounters;
    private Pipeline pipeline;
    private IngestFrameSource source;
    private PipelineAgent agent;
    private OffsetEpochNanoClock clock;
    private WorkerCommandQueue commands;
    private AgentRunner workerRunner;
    private MultiThreadIoEventLoopGroup ingestLoop;
    private boolean closed;

    private GatewayDaemon(final GatewayConfig config)
    {
        this.config = config;
    }

    /**
     * Opens every port, maps the counters, builds the pipeline and starts the worker and ingest.
     * On failure everything already opened is closed again.
     *
     * @throws BadInputException the configuration cannot run here (see {@link RunChecks}).
     * @throws IOException       a port could not be opened ({@code port NAME: ...}).
     */
    public static GatewayDaemon start(
        final GatewayConfig config, final PipelineFactory pipelineFactory, final PortDeviceOpener opener)
        throws BadInputException, IOException
    {
        RunChecks.check(config);
        final GatewayDaemon daemon = new GatewayDaemon(config);
        try
        {
            daemon.startUp(pipelineFactory, opener);
            return daemon;
        }
        catch (final BadInputException | IOException | RuntimeException ex)
        {
            daemon.close();
            throw ex;
        }
    }

    private void startUp(final PipelineFactory pipelineFactory, final PortDeviceOpener opener)
        throws BadInputException, IOException
    {
        NettyNative.ensureLoaded();
        final List<PortConfig> portConfigs = config.ports();
        final int portCount = portConfigs.size();
        final Port[] ports = new Port[portCount];
        final String[] portNames = new String[portCount];
        final FrameWriter[] writers = new FrameWriter[portCount];
        for (int id = 0; id < portCount; id++)
        {
            final PortConfig port = portConfigs.get(id);
            final PortDevice device = opener.open(port);
            devices.add(device);
            writers[id] = device.writer();
            ports[id] = new Port(id, port.name(), LinkType.ETHERNET, device.mac().value(), port.mtu());
            portNames[id] = port.name();
            LOG.info("port {}: {}; gateway MAC {}", port.name(), device.describe(), device.mac());
        }

        countersFile = DaemonCountersFile.create(config.countersFile(), MAX_COUNTERS);
        // One manager for all counters: each manager() call starts a fresh allocator over the file.
        final CountersManager countersManager = countersFile.manager();
        final FramePool pool = new FramePool(
            config.framePool().frames(), config.framePool().slotSize(), FramePool.DEFAULT_HEADROOM);
        portCounters = new PortCounters(countersManager, 0, portNames);
        pipeline = pipelineFactory.create(config, ports, pool, new DeviceTxSink(pool, writers, portCounters),
            countersManager);
        if (pipeline.portCount() != portCount || pipeline.pool() != pool)
        {
            throw new IllegalStateException(pipelineFactory.getClass().getName()
                + " built a pipeline with other ports or another frame pool than it was given");
        }
        LOG.info("counters in {}", config.countersFile());
        // One clock for receive stamps and the worker's timers: they must share a time base.
        clock = new OffsetEpochNanoClock();
        GracefulRestart.restore(config, pipeline, clock.nanoTime(), SessionRestore.EVERY_PORT);

        final IngestRing[] rings = new IngestRing[portCount];
        for (int id = 0; id < portCount; id++)
        {
            rings[id] = new IngestRing(pool.slotSize() - pool.headroom(), INGEST_RING_FRAMES);
        }
        source = new IngestFrameSource(pool, rings);
        agent = new PipelineAgent("sixgate-worker-0", source, pipeline, clock::nanoTime);
        commands = new WorkerCommandQueue(new WorkerState(0, pipeline, clock::nanoTime));
        workerRunner = new AgentRunner(new BackoffIdleStrategy(100, 10, MIN_PARK_NS, MAX_PARK_NS),
            GatewayDaemon::onWorkerError, null, new WorkerAgent(commands, agent));
        AgentRunner.startOnThread(workerRunner);

        ingestLoop = new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("sixgate-ingest", true), EpollIoHandler.newFactory());
        for (int id = 0; id < portCount; id++)
        {
            final EpollIoHandle ingest = devices.get(id).ingest(id, rings[id], portCounters, clock);
            final IoRegistration registration = ingestLoop.next().register(ingest).syncUninterruptibly().getNow();
            // Level-triggered: epoll keeps waking the loop while a device has frames left.
            registration.submit(EpollIoOps.EPOLLIN);
        }
        LOG.info("running: {} port{}, 1 worker, 1 ingest event loop, {} frames of {} bytes in the pool,"
            + " ingest rings of {} frames", portCount, portCount == 1 ? "" : "s", pool.capacity(), pool.slotSize(),
            rings[0].frames());
    }

    private static void onWorkerError(final Throwable error)
    {
        LOG.error("worker: unexpected error (frames in flight may be lost)", error);
    }

    /**
     * @return the worker's pipeline (counters, ports); read its counters from any thread.
     */
    public Pipeline pipeline()
    {
        return pipeline;
    }

    public PortCounters portCounters()
    {
        return portCounters;
    }

    /**
     * @return the configuration the daemon started with.
     */
    public GatewayConfig config()
    {
        return config;
    }

    /**
     * @return the worker's command queue: the only way other threads change or read its state.
     */
    public WorkerCommandQueue commands()
    {
        return commands;
    }

    /**
     * @return a reader of the counters file; safe from any thread while the daemon runs.
     */
    public CountersReader countersReader()
    {
        return countersFile.reader();
    }

    /**
     * @return when the daemon started, epoch milliseconds (the counters file's header).
     */
    public long startTimeMs()
    {
        return countersFile.startTimeMs();
    }

    /**
     * Stops ingest, lets the worker finish the frames already taken in, closes the devices and
     * unmaps the counters file (which stays on disk). Idempotent.
     */
    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        if (ingestLoop != null)
        {
            // Cancels every registration: no frame is read after this returns.
            ingestLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (workerRunner != null)
        {
            final long deadline = System.nanoTime() + DRAIN_TIMEOUT_NS;
            while (!source.isEmpty() && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
            workerRunner.close();
            // The worker thread has ended (close joins it), so this thread may own the pool now.
            while (agent.doWork() > 0)
            {
                Thread.onSpinWait();
            }
            commands.close("the daemon is stopping");
            GracefulRestart.save(config, clock.nanoTime(), pipeline);
        }
        for (final PortDevice device : devices)
        {
            try
            {
                device.close();
            }
            catch (final IOException ex)
            {
                LOG.warn("closing a port's device failed: {}", ex.getMessage());
            }
        }
        if (pipeline != null)
        {
            logSummary();
        }
        if (countersFile != null)
        {
            countersFile.close();
        }
    }

    private void logSummary()
    {
        final StringBuilder line = new StringBuilder("stopped:");
        for (int id = 0; id < pipeline.portCount(); id++)
        {
            long portDrops = 0;
            for (final PortDropReason reason : PortDropReason.values())
            {
                portDrops += portCounters.dropped(id, reason);
            }
            line.append(id == 0 ? " " : "; ").append("port ").append(pipeline.port(id).name())
                .append(" rx ").append(pipeline.counters().received(id))
                .append(" tx ").append(pipeline.counters().transmitted(id))
                .append(" port-drops ").append(portDrops);
        }
        line.append("; pipeline drops ").append(pipeline.counters().totalDropped());
        LOG.info("{}", line);
    }
}
