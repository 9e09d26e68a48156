package io.sixgate.bench;

import static io.sixgate.bench.BenchFixtures.START_NS;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.PipelineAgent;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.daemon.config.ConfigException;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.config.PortConfig;
import io.sixgate.daemon.pipeline.GatewayPipelineFactory;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.state.SessionTable;
import io.sixgate.nat64.stateful.Nat64Stateful64Stage;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole worker, per packet: {@link PipelineAgent#doWork()} over the pipeline the daemon
 * builds ({@link GatewayPipelineFactory}) from a configuration with two Ethernet ports, takes a
 * batch of {@link PipelineAgent#BATCH_SIZE} frames and runs each from ethernet-input to
 * l2-output and the port's transmit. The frame source copies each frame into a fresh pool frame
 * (the ingest's device read), the transmit releases it (the device write); both stand in for the
 * TAP I/O, which this does not include. Each batch holds {@link #FLOWS} flows' Ethernet frames,
 * UDP with 64 bytes of payload:
 * <ul>
 *   <li>{@code nat64-6to4}: IPv6 clients to an IPv4 server through stateful NAT64 (sessions
 *   made at set-up, among {@link #OTHER_SESSIONS} others): ethernet-input, ipv6-input,
 *   ipv6-classify, nat64-6to4, ipv4-output, l2-output;</li>
 *   <li>{@code nat64-4to6}: the server's answers: ethernet-input, ipv4-input, ipv4-classify,
 *   nat64-4to6, ipv6-output, l2-output;</li>
 *   <li>{@code ipv6-forward}: the same IPv6 frames routed natively (a configuration without
 *   nat64, the destination routed to the IPv4 side's link): ethernet-input, ipv6-input,
 *   ipv6-forward (LPM, hop limit), l2-output.</li>
 * </ul>
 * The worker's clock is the frames' receive time, 100 ns apart (10 Mpps), and the agent ticks at
 * most once a millisecond as the daemon's do, so the ticks and the clock-paced expiry sweep cost
 * what they would at that rate. Tear-down refuses an
 * iteration in which a frame was dropped.
 */
@State(Scope.Thread)
public class WorkerPipelineBenchmark extends SuiteBenchmark
{
    /** Distinct flows in a batch. */
    public static final int FLOWS = PipelineAgent.BATCH_SIZE;

    /** Sessions besides the batch's in the NAT64 scenarios' table. */
    public static final int OTHER_SESSIONS = 1_000_000;

    static final long V6_PORT_MAC = 0x02_00_00_00_00_01L;
    static final long V4_PORT_MAC = 0x02_00_00_00_00_02L;
    static final long V6_ROUTER_MAC = 0x02_00_00_00_00_05L;
    static final long V4_ROUTER_MAC = 0x02_00_00_00_00_06L;
    static final String SERVER4 = "198.51.100.7";
    static final String SERVER4_AS_V6 = "64:ff9b::c633:6407";
    static final int SERVER_PORT = 443;

    /**
     * Two Ethernet ports; the IPv6 clients behind a router on v6, the IPv4 server behind one on
     * v4 (which also has an IPv6 subnet for the native-routing scenario); neighbours configured,
     * so l2-output resolves every next hop from its cache.
     */
    static String configText(final boolean nat64)
    {
        return String.join("\n",
            "frame-pool: {frames: 1024, slot-size: 2048}",
            "ports:",
            "  - {name: v6, type: tap, mac: \"02:00:00:00:00:01\", mtu: 1500, addresses: [\"2001:db8::1/64\"]}",
            "  - {name: v4, type: tap, mac: \"02:00:00:00:00:02\", mtu: 1500,",
            "     addresses: [192.0.2.1/24, \"2001:db8:4::1/64\"]}",
            "routes:",
            "  - {prefix: \"2001:db8:ffff::/48\", via: \"2001:db8::5\", port: v6}",
            "  - {prefix: 198.51.100.0/24, via: 192.0.2.5, port: v4}",
            nat64 ? "" : "  - {prefix: \"64:ff9b::/96\", via: \"2001:db8:4::6\", port: v4}",
            "neighbours:",
            "  - {address: \"2001:db8::5\", mac: \"02:00:00:00:00:05\", port: v6}",
            "  - {address: 192.0.2.5, mac: \"02:00:00:00:00:06\", port: v4}",
            "  - {address: \"2001:db8:4::6\", mac: \"02:00:00:00:00:06\", port: v4}",
            nat64 ? String.join("\n",
                "nat64:",
                "  mode: stateful",
                "  prefix: \"64:ff9b::/96\"",
                "  wkp-global-only: false",
                "  pool4:",
                "    - {prefix: 203.0.113.0/24, ports: 1024-65535}",
                "  max-sessions: 2000000") : "",
            "");
    }

    @Param({"nat64-6to4", "nat64-4to6", "ipv6-forward"})
    public String scenario;

    private FramePool pool;
    private Pipeline pipeline;
    private PipelineAgent agent;
    private FrameTemplates templates;
    private long transmitted;
    private long received;
    private long nowNs = START_NS;

    @Setup
    public void setUp() throws ConfigException
    {
        final boolean nat64 = scenario.startsWith("nat64");
        final GatewayConfig config = config(configText(nat64));
        final Port[] ports = new Port[config.ports().size()];
        for (int id = 0; id < ports.length; id++)
        {
            final PortConfig port = config.ports().get(id);
            ports[id] = new Port(id, port.name(), LinkType.ETHERNET, port.mac().value(), port.mtu());
        }
        pool = new FramePool(config.framePool().frames(), config.framePool().slotSize(), FramePool.DEFAULT_HEADROOM);
        pipeline = new GatewayPipelineFactory().create(config, ports, pool, (portId, frame) ->
        {
            transmitted++;
            pool.release(frame);
        }, InMemoryCounters.create(8192));

        templates = new FrameTemplates(FLOWS, pool.slotSize() - pool.headroom());
        for (int k = 0; k < FLOWS; k++)
        {
            captureClientFrame(k);
        }
        agent = new PipelineAgent("bench", this::poll, pipeline, this::nanoTime, PipelineAgent.DAEMON_TICK_INTERVAL_NS);
        if (nat64)
        {
            // A loaded gateway: a million other sessions in the table (the expiry sweep walks them).
            Nat64Fixtures.fill(((Nat64Stateful64Stage)pipeline.stage(Nat64Stateful64Stage.NAME)).shard(),
                OTHER_SESSIONS, START_NS);
        }
        agent.doWork();
        if ("nat64-4to6".equals(scenario))
        {
            // The sessions exist now: take the server's answer to each flow instead.
            final SessionTable sessions = ((Nat64Stateful64Stage)pipeline.stage(Nat64Stateful64Stage.NAME))
                .shard().sessions();
            for (int k = 0; k < FLOWS; k++)
            {
                final long[] client = Ipv6Address.parse(client(k));
                final int session = sessions.find6(SessionProtocol.UDP, client[0], client[1], clientPort(k),
                    Ipv4Address.parse(SERVER4), SERVER_PORT);
                BenchFixtures.check(session >= 0, "flow " + k + " made no session");
                captureFrame(k, PacketBuilder.ipv4(SERVER4, Ipv4Address.format(sessions.pool4Address(session)))
                    .udp(SERVER_PORT, sessions.pool4Port(session)).payload(64)
                    .ethernet(V4_PORT_MAC, V4_ROUTER_MAC).build(), 1);
            }
        }
        resetCounts();
        benchmarkBatch();
        checkEveryFrameLeft();
    }

    private static GatewayConfig config(final String text) throws ConfigException
    {
        return ConfigLoader.load("worker-pipeline-benchmark.yaml",
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static String client(final int flow)
    {
        return "2001:db8:ffff::" + Integer.toHexString(1 + flow);
    }

    private static int clientPort(final int flow)
    {
        return 40000 + flow;
    }

    private void captureClientFrame(final int k)
    {
        captureFrame(k, PacketBuilder.ipv6(client(k), SERVER4_AS_V6).udp(clientPort(k), SERVER_PORT).payload(64)
            .ethernet(V6_PORT_MAC, V6_ROUTER_MAC).build(), 0);
    }

    private void captureFrame(final int k, final byte[] frameBytes, final int portId)
    {
        final int frame = pool.allocateCopy(frameBytes, 0, frameBytes.length);
        BenchFixtures.check(frame != FramePool.NO_FRAME, "frame pool too small for the set-up");
        pool.port(frame, portId);
        pool.timestampNs(frame, START_NS);
        templates.capture(k, pool, frame);
        pool.release(frame);
    }

    /** The worker's clock: the receive time of the last frame. */
    private long nanoTime()
    {
        return nowNs;
    }

    /**
     * The frame source: a batch of fresh frames, the templates copied in as a device read would,
     * stamped {@link BenchFixtures#PACKET_INTERVAL_NS} apart.
     */
    private int poll(final int[] frames, final int max)
    {
        final FrameTemplates templates = this.templates;
        final FramePool pool = this.pool;
        final int count = Math.min(max, FLOWS);
        for (int k = 0; k < count; k++)
        {
            final int frame = templates.allocate(k, pool);
            pool.timestampNs(frame, nowNs += BenchFixtures.PACKET_INTERVAL_NS);
            frames[k] = frame;
        }
        received += count;
        return count;
    }

    private void resetCounts()
    {
        transmitted = 0;
        received = 0;
    }

    @TearDown(Level.Iteration)
    public void checkEveryFrameLeft()
    {
        BenchFixtures.check(pipeline.counters().totalDropped() == 0, "frames were dropped: " +
            pipeline.counters().totalDropped());
        BenchFixtures.check(transmitted == received && pool.available() == pool.capacity(),
            received + " frames in, " + transmitted + " out, " + (pool.capacity() - pool.available()) + " held");
    }

    /** One batch of {@link #FLOWS} frames through the worker; the score is per frame. */
    @Benchmark
    @OperationsPerInvocation(FLOWS)
    public int benchmarkBatch()
    {
        return agent.doWork();
    }
}
