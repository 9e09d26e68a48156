package io.sixgate.daemon.run;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
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
import io.sixgate.daemon.pipeline.WorkerSlot;
import io.sixgate.daemon.port.DeviceTxSink;
import io.sixgate.daemon.port.FrameWriter;
import io.sixgate.daemon.port.IngestDispatch;
import io.sixgate.daemon.port.IngestFrameSource;
import io.sixgate.daemon.port.IngestRing;
import io.sixgate.daemon.port.NettyNative;
import io.sixgate.daemon.port.PortCounters;
import io.sixgate.daemon.port.PortDevice;
import io.sixgate.daemon.port.PortDeviceOpener;
import io.sixgate.daemon.port.PortDropReason;
import io.sixgate.daemon.port.ThreadNice;
import io.sixgate.daemon.steer.FlowKey;
import io.sixgate.daemon.steer.FlowSteering;
import io.sixgate.daemon.steer.KnownFlowHints;
import io.sixgate.daemon.steer.KnownFlowPublisher;
import io.sixgate.daemon.steer.StaticBibPlacement;

import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: each port's device, Netty epoll event loops reading them, one worker per
 * configured {@code workers} running its own pipeline over its own frame pool and state, counters
 * in the memory-mapped {@code counters-file} (each labelled with its worker).
 *
 * <pre>
 *  TAP queue q --readAddress--> PortIngest  (event loop q) --+-- FlowSteering picks the worker(s)
 *  pcap --------pcap_next_ex--> PcapIngest  (event loop 0) --+
 *                                                            |  one IngestRing (SPSC, off-heap)
 *                                                            v  per (port queue, worker)
 *        worker w (AgentRunner): IngestFrameSource --copy into its FramePool--> PipelineAgent
 *                                                            |  + its WorkerCommandQueue
 *     +--writeAddress on TAP queue w / pcap_inject or its packet socket-- DeviceTxSink <--+
 *                            (each transmitted frame's flow first goes to worker w's KnownFlowHints)
 * </pre>
 *
 * <p>Each worker publishes the flows it transmits to its {@link KnownFlowHints}; ingest keeps
 * the last quarter of each ring for frames of those flows, so a new-flow flood is shed before
 * established traffic ({@link IngestDispatch}).
 *
 * <p>With one worker a TAP is single-queue and each frame is read straight into the worker's
 * ring. With N workers each TAP is multi-queue with N queues; event loop q reads queue q of every
 * TAP (a pcap port's one capture is read on loop 0), steers each frame ({@link FlowSteering}) and
 * copies it into the ring of its worker, or of every worker for ARP and Neighbor Discovery;
 * worker w writes to queue w. {@link #close()} stops in the order that loses nothing already
 * taken: ingest first, then every worker once it has emptied its rings, then the stateful NAT64
 * sessions to {@code nat64.snapshot-file} ({@link GracefulRestart}, read back before the workers
 * start), then the devices, then the counters file (which stays on disk for a last look).
 */
public final class GatewayDaemon implements AutoCloseable
{
    /** Room in the counters file per worker: per-port rx/tx, every drop reason and event, the ports' own drops. */
    public static final int MAX_COUNTERS_PER_WORKER = 2048;

    /** Frames each port's ingest rings to one worker hold together before ingest drops (new flows may take 3/4 of it). */
    public static final int INGEST_RING_FRAMES = 1024;

    /** Fewest frames one ring holds, however many queues share a port's {@link #INGEST_RING_FRAMES}. */
    public static final int MIN_INGEST_RING_FRAMES = 128;

    /** Most bytes one ingest ring of a TAP with offload takes: 256 super-packets of 64 KiB. */
    public static final int OFFLOAD_RING_BYTES = 16 << 20;

    /** Fewest frames such a ring holds, however small its slots or many its queues. */
    public static final int MIN_OFFLOAD_RING_FRAMES = 64;

    /** Worker idle strategy: spin, then yield, then park from 1 us up to 1 ms while there is no traffic. */
    static final long MIN_PARK_NS = TimeUnit.MICROSECONDS.toNanos(1);
    static final long MAX_PARK_NS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final Logger LOG = LoggerFactory.getLogger(GatewayDaemon.class);
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(2);

    /** One worker's own things: nothing here is shared with another worker. */
    private static final class Worker
    {
        FramePool pool;
        PortCounters portCounters;
        KnownFlowHints knownFlows;
        Pipeline pipeline;
        IngestFrameSource source;
        PipelineAgent agent;
        WorkerCommandQueue commands;
        AgentRunner runner;
    }

    private final GatewayConfig config;
    private final List<PortDevice> devices = new ArrayList<>();
    private final List<Worker> workers = new ArrayList<>();
    private FlowSteering steering;
    private FlowKey flowKey;
    private CountersFile countersFile;
    private MultiThreadIoEventLoopGroup ingestLoops;
    private OffsetEpochNanoClock clock;
    private boolean closed;

    private GatewayDaemon(final GatewayConfig config)
    {
        this.config = config;
    }

    /**
     * Opens every port, maps the counters, builds each worker's pipeline and starts the workers
     * and ingest. On failure everything already opened is closed again.
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
        final int workerCount = config.workers();
        final SecureRandom random = new SecureRandom();
        steering = FlowSteering.of(config, random.nextLong());
        flowKey = new FlowKey(random.nextLong());
        final List<PortConfig> portConfigs = config.ports();
        final int portCount = portConfigs.size();
        final Port[] ports = new Port[portCount];
        final String[] portNames = new String[portCount];
        for (int id = 0; id < portCount; id++)
        {
            final PortConfig port = portConfigs.get(id);
            final PortDevice device = opener.open(port, workerCount, config.framePool().maxFrameLength());
            devices.add(device);
            ports[id] = new Port(id, port.name(), LinkType.ETHERNET, device.mac().value(), port.mtu());
            portNames[id] = port.name();
            LOG.info("port {}: {}; gateway MAC {}", port.name(), device.describe(), device.mac());
        }
        if (config.nat64() != null && config.nat64().isStateful())
        {
            final StaticBibPlacement placement = new StaticBibPlacement(steering);
            steering.staticBib(placement.steeringOf(config.nat64().stateful().staticBib()));
        }

        countersFile = DaemonCountersFile.create(config.countersFile(), MAX_COUNTERS_PER_WORKER * workerCount);
        // One manager for all counters: each manager() call starts a fresh allocator over the file.
        final CountersManager countersManager = countersFile.manager();
        for (int w = 0; w < workerCount; w++)
        {
            workers.add(buildWorker(w, pipelineFactory, ports, portNames, countersManager));
        }
        LOG.info("counters in {}", config.countersFile());

        final IngestRing[][][] rings = ingestRings();
        // One clock for receive stamps and the workers' timers: they must share a time base.
        clock = new OffsetEpochNanoClock();
        for (int w = 0; w < workerCount; w++)
        {
            // Each session goes back to the worker its IPv4 replies are steered to.
            final int owner = w;
            GracefulRestart.restore(config, workers.get(w).pipeline, clock.nanoTime(),
                (protocol, pool4Address, pool4Port) -> steering.pool4Owner(protocol, pool4Address, pool4Port) == owner);
        }
        for (int w = 0; w < workerCount; w++)
        {
            startWorker(w, rings, clock);
        }
        final int loops = startIngest(rings, clock);
        final FramePool pool = workers.get(0).pool;
        LOG.info("running: {} port{}, {} worker{}, {} ingest event loop{}, {} frames of {} bytes in each worker's pool,"
            + " ingest rings of {} frames per port queue and worker", portCount, portCount == 1 ? "" : "s",
            workerCount, workerCount == 1 ? "" : "s", loops, loops == 1 ? "" : "s", pool.capacity(),
            pool.slotSize(), rings[0][0][0].frames());
    }

    /**
     * A worker's frame pool, port counters, writers (queue {@code w} of each port) and pipeline.
     */
    private Worker buildWorker(final int w, final PipelineFactory pipelineFactory, final Port[] ports,
        final String[] portNames, final CountersManager countersManager)
    {
        final Worker worker = new Worker();
        worker.pool = new FramePool(config.framePool().frames(), config.framePool().slotSize(), FramePool.DEFAULT_HEADROOM);
        worker.portCounters = new PortCounters(countersManager, w, portNames);
        worker.knownFlows = new KnownFlowHints(KnownFlowHints.DEFAULT_ENTRIES);
        final FrameWriter[] writers = new FrameWriter[ports.length];
        for (int id = 0; id < ports.length; id++)
        {
            writers[id] = devices.get(id).writer(w);
        }
        worker.pipeline = pipelineFactory.create(config, ports, worker.pool,
            new KnownFlowPublisher(worker.pool, flowKey, worker.knownFlows,
                new DeviceTxSink(worker.pool, writers, worker.portCounters)), countersManager,
            new WorkerSlot(w, config.workers(), steering));
        if (worker.pipeline.portCount() != ports.length || worker.pipeline.pool() != worker.pool)
        {
            throw new IllegalStateException(pipelineFactory.getClass().getName()
                + " built a pipeline with other ports or another frame pool than it was given");
        }
        return worker;
    }

    /**
     * @return {@code rings[port][queue][worker]}: one producer (the loop reading the queue), one
     * consumer (the worker); a port's queues share {@link #INGEST_RING_FRAMES} per worker.
     */
    private IngestRing[][][] ingestRings()
    {
        final IngestRing[][][] rings = new IngestRing[devices.size()][][];
        final int maxFrame = workers.get(0).pool.slotSize() - workers.get(0).pool.headroom();
        for (int id = 0; id < devices.size(); id++)
        {
            final int queues = devices.get(id).queues();
            final int header = devices.get(id).virtioHeaderLength();
            // A plain device hands over frames of at most its MTU + 18 (Ethernet and a VLAN tag):
            // records of that size, not of a slot sized for another port's super-packets.
            final int recordFrame = header == 0
                ? Math.min(maxFrame, config.ports().get(id).mtu() + RunChecks.ETHERNET_OVERHEAD) : maxFrame;
            // A TAP with offload has records of a super-packet's size: at most 16 MiB a ring.
            final int frames = header == 0 ? Math.max(MIN_INGEST_RING_FRAMES, INGEST_RING_FRAMES / queues)
                : Math.max(MIN_OFFLOAD_RING_FRAMES, Math.min(INGEST_RING_FRAMES / queues,
                    OFFLOAD_RING_BYTES / (recordFrame + header)));
            rings[id] = new IngestRing[queues][workers.size()];
            for (int q = 0; q < queues; q++)
            {
                for (int w = 0; w < workers.size(); w++)
                {
                    // A TAP with offload keeps the virtio-net header with the frame in the ring.
                    rings[id][q][w] = new IngestRing(recordFrame + header, frames);
                }
            }
        }
        return rings;
    }

    /**
     * Starts worker {@code w} on its thread, reading its ring of every port queue.
     */
    private void startWorker(final int w, final IngestRing[][][] rings, final OffsetEpochNanoClock clock)
    {
        final Worker worker = workers.get(w);
        final List<IngestRing> mine = new ArrayList<>();
        final List<Integer> portOf = new ArrayList<>();
        final List<Integer> headerOf = new ArrayList<>();
        for (int id = 0; id < rings.length; id++)
        {
            for (final IngestRing[] byWorker : rings[id])
            {
                mine.add(byWorker[w]);
                portOf.add(id);
                headerOf.add(devices.get(id).virtioHeaderLength());
            }
        }
        worker.source = new IngestFrameSource(worker.pool, mine.toArray(new IngestRing[0]),
            portOf.stream().mapToInt(Integer::intValue).toArray(),
            headerOf.stream().mapToInt(Integer::intValue).toArray(), worker.portCounters);
        worker.agent = new PipelineAgent("sixgate-worker-" + w, worker.source, worker.pipeline, clock::nanoTime,
            PipelineAgent.DAEMON_TICK_INTERVAL_NS);
        worker.commands = new WorkerCommandQueue(new WorkerState(w, worker.pipeline, clock::nanoTime));
        worker.runner = new AgentRunner(new BackoffIdleStrategy(100, 10, MIN_PARK_NS, MAX_PARK_NS),
            GatewayDaemon::onWorkerError, null, new WorkerAgent(worker.commands, worker.agent));
        AgentRunner.startOnThread(worker.runner);
    }

    /**
     * Registers every port queue with an epoll event loop: queue q of every port on loop q.
     *
     * @return how many event loops read.
     */
    private int startIngest(final IngestRing[][][] rings, final OffsetEpochNanoClock clock)
    {
        int queueCount = 1;
        for (final IngestRing[][] byQueue : rings)
        {
            queueCount = Math.max(queueCount, byQueue.length);
        }
        ingestLoops = new MultiThreadIoEventLoopGroup(
            queueCount, new DefaultThreadFactory("sixgate-ingest", true), EpollIoHandler.newFactory());
        final List<IoEventLoop> loops = new ArrayList<>();
        for (final EventExecutor loop : ingestLoops)
        {
            loops.add((IoEventLoop)loop);
        }
        setIngestNice(loops);
        final PortCounters[] countersByWorker = new PortCounters[workers.size()];
        final KnownFlowHints[] knownFlowsByWorker = new KnownFlowHints[workers.size()];
        for (int w = 0; w < workers.size(); w++)
        {
            countersByWorker[w] = workers.get(w).portCounters;
            knownFlowsByWorker[w] = workers.get(w).knownFlows;
        }
        for (int id = 0; id < rings.length; id++)
        {
            for (int q = 0; q < rings[id].length; q++)
            {
                // Loop q reads queue q of every port, so it alone writes the ingest counters of "worker" q.
                final IngestDispatch dispatch = new IngestDispatch(id, rings[id][q], steering.reader(), countersByWorker,
                    flowKey, knownFlowsByWorker);
                final EpollIoHandle ingest = devices.get(id).ingest(q, dispatch, countersByWorker[q], clock);
                final IoRegistration registration = loops.get(q).register(ingest).syncUninterruptibly().getNow();
                // Level-triggered: epoll keeps waking the loop while a device has frames left.
                registration.submit(EpollIoOps.EPOLLIN);
            }
        }
        return queueCount;
    }

    /**
     * Gives each ingest loop's thread the configured nice value ({@code ingest-nice}); without the
     * right to, they keep the default and a warning says so.
     */
    private void setIngestNice(final List<IoEventLoop> loops)
    {
        final int nice = config.ingestNice();
        String failure = null;
        for (final IoEventLoop loop : loops)
        {
            final String why = loop.submit(() -> ThreadNice.set(nice)).syncUninterruptibly().getNow();
            failure = failure == null ? why : failure;
        }
        if (failure == null)
        {
            LOG.info("ingest threads at nice {}", nice);
        }
        else
        {
            LOG.warn("ingest threads: {}; they keep the default priority, and under load the kernel may drop"
                + " frames of every flow before they are read", failure);
        }
    }

    private static void onWorkerError(final Throwable error)
    {
        LOG.error("worker: unexpected error (frames in flight may be lost)", error);
    }

    /**
     * @return worker 0's pipeline (counters, ports); read its counters from any thread.
     */
    public Pipeline pipeline()
    {
        return workers.get(0).pipeline;
    }

    /**
     * @return every worker's pipeline, by worker.
     */
    public List<Pipeline> pipelines()
    {
        final List<Pipeline> pipelines = new ArrayList<>();
        for (final Worker worker : workers)
        {
            pipelines.add(worker.pipeline);
        }
        return pipelines;
    }

    /**
     * @return worker 0's port counters (and the ingest drops of queue 0).
     */
    public PortCounters portCounters()
    {
        return workers.get(0).portCounters;
    }

    /**
     * @return the port counters of one worker (and the ingest drops of queue {@code worker}).
     */
    public PortCounters portCounters(final int worker)
    {
        return workers.get(worker).portCounters;
    }

    /**
     * @return the configuration the daemon started with.
     */
    public GatewayConfig config()
    {
        return config;
    }

    /**
     * @return worker 0's command queue.
     */
    public WorkerCommandQueue commands()
    {
        return workers.get(0).commands;
    }

    /**
     * @return every worker's command queue, by worker: the only way other threads change or read
     * a worker's state.
     */
    public List<WorkerCommandQueue> workerCommands()
    {
        final List<WorkerCommandQueue> queues = new ArrayList<>();
        for (final Worker worker : workers)
        {
            queues.add(worker.commands);
        }
        return queues;
    }

    /**
     * @return the steering of frames to workers (whose static BIB exceptions the control plane keeps).
     */
    public FlowSteering steering()
    {
        return steering;
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
        if (ingestLoops != null)
        {
            // Cancels every registration: no frame is read after this returns.
            ingestLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        final long deadline = System.nanoTime() + DRAIN_TIMEOUT_NS;
        for (final Worker worker : workers)
        {
            while (worker.runner != null && !worker.source.isEmpty() && System.nanoTime() < deadline)
            {
                Thread.onSpinWait();
            }
        }
        for (final Worker worker : workers)
        {
            if (worker.runner != null)
            {
                worker.runner.close();
                // The worker thread has ended (close joins it), so this thread may own the pool now.
                while (worker.agent.doWork() > 0)
                {
                    Thread.onSpinWait();
                }
                worker.commands.close("the daemon is stopping");
            }
        }
        if (clock != null)
        {
            // Every worker has stopped: their shards are this thread's to read.
            final Pipeline[] pipelines = new Pipeline[workers.size()];
            for (int w = 0; w < pipelines.length; w++)
            {
                pipelines[w] = workers.get(w).pipeline;
            }
            GracefulRestart.save(config, clock.nanoTime(), pipelines);
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
        if (!workers.isEmpty() && workers.get(workers.size() - 1).pipeline != null)
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
        final Pipeline first = workers.get(0).pipeline;
        long pipelineDrops = 0;
        for (final Worker worker : workers)
        {
            pipelineDrops += worker.pipeline.counters().totalDropped();
        }
        for (int id = 0; id < first.portCount(); id++)
        {
            long rx = 0;
            long tx = 0;
            long portDrops = 0;
            for (final Worker worker : workers)
            {
                rx += worker.pipeline.counters().received(id);
                tx += worker.pipeline.counters().transmitted(id);
                for (final PortDropReason reason : PortDropReason.values())
                {
                    portDrops += worker.portCounters.dropped(id, reason);
                }
            }
            line.append(id == 0 ? " " : "; ").append("port ").append(first.port(id).name())
                .append(" rx ").append(rx).append(" tx ").append(tx).append(" port-drops ").append(portDrops);
        }
        line.append("; pipeline drops ").append(pipelineDrops);
        if (workers.size() > 1)
        {
            line.append("; received per worker");
            for (final Worker worker : workers)
            {
                line.append(' ').append(worker.pipeline.counters().totalReceived());
            }
        }
        LOG.info("{}", line);
    }
}
