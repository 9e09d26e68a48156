package io.sixgate.bench;

import static io.sixgate.bench.BenchFixtures.START_NS;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.port.PortAddresses;
import io.sixgate.core.stage.StageNames;
import io.sixgate.egress.EgressOnlyTable;
import io.sixgate.egress.EgressOnlyTimeouts;
import io.sixgate.egress.Ipv6GatewayPolicy;
import io.sixgate.egress.Ipv6GatewayStage;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The egress-only filter (RFC 6092) with {@code flows} UDP flows in its table: the state lookup and
 * refresh alone ({@link EgressOnlyTable#find} + {@link EgressOnlyTable#refresh}), and the whole
 * ipv6-gateway stage on a packet of an established flow of an egress-only address with Internet
 * bandwidth, each way: anti-spoofing, two policy prefix lookups, the state, the token bucket.
 *
 * <p>The packet clock moves {@link #STEP_NS} per packet, slower than the 5000 Mbit/s bucket
 * drains, so every packet conforms; the flows live 5 minutes of that clock, far beyond a run.
 * The stage does not change the frame, so no restore is needed. Tear-down refuses an iteration
 * in which a packet was rate-limited or a flow expired.
 */
@State(Scope.Thread)
public class EgressOnlyBenchmark extends SuiteBenchmark
{
    /** Packet clock step: a 112-byte packet every 200 ns is 560 MB/s, under 5000 Mbit/s. */
    public static final long STEP_NS = 200;

    /** The port that plays the Internet port. */
    static final int INTERNET = BenchFixtures.PORT_V4;

    /** An inside port. */
    static final int INSIDE = BenchFixtures.PORT_V6;

    static final String VPC = "2001:db8:100::/48";
    static final String HOST = "2001:db8:100::10";
    static final String REMOTE = "2001:db8:ffff::1";
    static final int HOST_PORT = 40000;
    static final int REMOTE_PORT = 443;

    @Param({"1000", "1000000"})
    public int flows;

    private EgressOnlyTable table;
    private Ipv6GatewayPolicy policy;
    private Stage gateway;
    private FramePool pool;
    private int inbound;
    private int outbound;
    private long nowNs = START_NS;

    private long hostHigh;
    private long hostLow;
    private long remoteHigh;
    private long remoteLow;

    @Setup
    public void setUp()
    {
        table = new EgressOnlyTable(flows, EgressOnlyTable.MAX_CAPACITY, EgressOnlyTimeouts.DEFAULTS, 0xE6);
        policy = Ipv6GatewayPolicy.builder()
            .vpc(Ipv6Prefix.parse(VPC))
            .bandwidth(Ipv6Prefix.parse(HOST + "/128"), Ipv6GatewayPolicy.MAX_BANDWIDTH_MBPS, 0)
            .egressOnly(Ipv6Prefix.parse(HOST + "/128"), true)
            .build();
        pool = new FramePool(BenchFixtures.STAGE_POOL_FRAMES);
        final Pipeline pipeline = BenchFixtures.stagePipeline(pool, StageNames.IPV4_OUTPUT, Ipv6GatewayStage.NAME,
            new Ipv6GatewayStage(pool, PortAddresses.none(3), policy, table, INTERNET, false, StageNames.IPV6_OUTPUT));
        gateway = pipeline.stage(Ipv6GatewayStage.NAME);

        final long[] host = Ipv6Address.parse(HOST);
        final long[] remote = Ipv6Address.parse(REMOTE);
        hostHigh = host[0];
        hostLow = host[1];
        remoteHigh = remote[0];
        remoteLow = remote[1];
        fill(flows - 1);

        outbound = BenchFixtures.prepareIp(pipeline, PacketBuilder.ipv6(HOST, REMOTE).udp(HOST_PORT, REMOTE_PORT)
            .payload(64).build(), INSIDE, START_NS);
        inbound = BenchFixtures.prepareIp(pipeline, PacketBuilder.ipv6(REMOTE, HOST).udp(REMOTE_PORT, HOST_PORT)
            .payload(64).build(), INTERNET, START_NS);
        // The first outbound packet makes the flow (RFC 6092 §3.2.3); then both directions pass.
        BenchFixtures.expectNext(pipeline, outboundPacket(), StageNames.IPV6_OUTPUT, "outbound");
        BenchFixtures.expectNext(pipeline, inboundPacket(), StageNames.IPV6_OUTPUT, "inbound");
        BenchFixtures.check(lookupAndRefresh() >= 0, "the measured flow has no state");
        BenchFixtures.check(table.size() == flows, "table holds " + table.size() + " flows, not " + flows);
    }

    /** Flows from 2001:db8:100::/64 hosts 0x1000 + i / 64, ports 10000 + i % 64, to REMOTE port 443. */
    private void fill(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int flow = table.create(IpProtocol.UDP, hostHigh, 0x1000 + i / 64, 10000 + i % 64,
                remoteHigh, remoteLow, REMOTE_PORT, START_NS);
            BenchFixtures.check(flow >= 0, "filling flow " + i + " failed: " + flow);
        }
    }

    @TearDown(Level.Iteration)
    public void checkNothingWasRefused()
    {
        final int entry = policy.entryOf(hostHigh, hostLow);
        BenchFixtures.check(policy.inboundBucket(entry).refused() == 0 && policy.outboundBucket(entry).refused() == 0,
            "the token bucket refused packets: the clock step is too short");
        BenchFixtures.check(table.size() == flows, "flows expired during the run");
    }

    @TearDown
    public void tearDown()
    {
        table.close();
    }

    /** The flow state alone: find the flow of an inbound packet and push its deadline out. */
    @Benchmark
    public int lookupAndRefresh()
    {
        nowNs += STEP_NS;
        final int flow = table.find(IpProtocol.UDP, hostHigh, hostLow, HOST_PORT, remoteHigh, remoteLow, REMOTE_PORT);
        if (flow >= 0)
        {
            table.refresh(flow, nowNs);
        }
        return flow;
    }

    /** An answer from the Internet to the egress-only host: passes on state (RFC 6092 §3.2.3). */
    @Benchmark
    public int inboundPacket()
    {
        nowNs += STEP_NS;
        pool.timestampNs(inbound, nowNs);
        return gateway.process(inbound);
    }

    /** The host's packet out: refreshes its flow. */
    @Benchmark
    public int outboundPacket()
    {
        nowNs += STEP_NS;
        pool.timestampNs(outbound, nowNs);
        return gateway.process(outbound);
    }
}
