package io.sixgate.bench;

import static io.sixgate.bench.BenchFixtures.START_NS;
import static io.sixgate.bench.Nat64Fixtures.CLIENT6;
import static io.sixgate.bench.Nat64Fixtures.CLIENT_PORT;
import static io.sixgate.bench.Nat64Fixtures.SERVER4;
import static io.sixgate.bench.Nat64Fixtures.SERVER4_AS_V6;
import static io.sixgate.bench.Nat64Fixtures.SERVER_PORT;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.stage.StageNames;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.state.SessionTable;
import io.sixgate.nat64.state.TcpStateMachine;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Stateful NAT64 (RFC 6146) of one established flow, stage alone, in a session table holding
 * {@code sessions} sessions in all (the others distinct UDP flows, {@link Nat64Fixtures#fill}):
 * each packet runs the incoming tuple (§3.4), the session lookup and refresh or TCP state step
 * (§3.5), the outgoing tuple (§3.6), the RFC 7915 translation (§3.7) and the stage's share of
 * the expiry sweep, on a packet clock at 10 Mpps. The flow is UDP (64-byte payload) or an
 * established TCP connection (1440-byte segments); its session stays hot in cache, so the table
 * size shows in the sweep, not in the lookup ({@code Nat64ManyFlowsBenchmark} has the misses).
 */
@State(Scope.Thread)
public class Nat64EstablishedBenchmark extends Nat64StageBenchmark
{
    @Param({"1000", "1000000", "10000000"})
    public int sessions;

    @Param({BenchFixtures.UDP_64, BenchFixtures.TCP_1500})
    public String packet;


    @Setup
    public void setUp()
    {
        final Pipeline pipeline = startShard(sessions, sessions - 1);

        final boolean tcp = BenchFixtures.TCP_1500.equals(packet);
        if (tcp)
        {
            openTcpConnection(pipeline);
        }
        frame6 = BenchFixtures.prepareIp(pipeline,
            BenchFixtures.shaped(PacketBuilder.ipv6(CLIENT6, SERVER4_AS_V6), packet, CLIENT_PORT, SERVER_PORT).build(),
            BenchFixtures.PORT_V6, START_NS);
        from6 = FrameTemplates.of(pool, frame6, FrameTemplates.HEADER_BYTES);
        // A UDP packet from the IPv6 side makes the session (RFC 6146 §3.5.1).
        BenchFixtures.expectNext(pipeline, established6to4(), StageNames.IPV4_OUTPUT, "nat64-6to4");

        final int session = session();
        BenchFixtures.check(session >= 0, "no session for the measured flow");
        BenchFixtures.check(shard.sessions().size() == sessions, "table holds " + shard.sessions().size() +
            " sessions, not " + sessions);
        BenchFixtures.check(!tcp || shard.sessions().tcpState(session) == TcpStateMachine.ESTABLISHED,
            "the TCP session is not ESTABLISHED");
        final int pool4Address = shard.sessions().pool4Address(session);
        final int pool4Port = shard.sessions().pool4Port(session);
        frame4 = BenchFixtures.prepareIp(pipeline,
            BenchFixtures.shaped(PacketBuilder.ipv4(SERVER4, Ipv4Address.format(pool4Address)), packet, SERVER_PORT,
                pool4Port).build(),
            BenchFixtures.PORT_V4, START_NS);
        from4 = FrameTemplates.of(pool, frame4, FrameTemplates.HEADER_BYTES);

        final int free = pool.available();
        BenchFixtures.expectNext(pipeline, established6to4(), StageNames.IPV4_OUTPUT, "nat64-6to4");
        BenchFixtures.expectNext(pipeline, established4to6(), StageNames.IPV6_OUTPUT, "nat64-4to6");
        BenchFixtures.check(pool.available() == free, "translation emitted frames");
        BenchFixtures.check(shard.sessions().size() == sessions, "a packet made a session");
        from6.restore(0, pool, frame6);
        from4.restore(0, pool, frame4);
        BenchFixtures.check(from6.matchesSnapshot(0, pool, frame6) && from4.matchesSnapshot(0, pool, frame4),
            "restoring the headers does not give the packet back whole");
    }

    /** SYN from the IPv6 client, SYN-ACK from the server: the session is ESTABLISHED (RFC 6146 §3.5.2.2). */
    private void openTcpConnection(final Pipeline pipeline)
    {
        final int syn = BenchFixtures.prepareIp(pipeline, PacketBuilder.ipv6(CLIENT6, SERVER4_AS_V6)
            .tcp(CLIENT_PORT, SERVER_PORT, TcpFlyweight.SYN).build(), BenchFixtures.PORT_V6, START_NS);
        BenchFixtures.expectNext(pipeline, nat64to4.process(syn), StageNames.IPV4_OUTPUT, "SYN");
        pool.release(syn);
        final int session = session();
        final int synAck = BenchFixtures.prepareIp(pipeline, PacketBuilder.ipv4(SERVER4,
            Ipv4Address.format(shard.sessions().pool4Address(session)))
            .tcp(SERVER_PORT, shard.sessions().pool4Port(session), TcpFlyweight.SYN | TcpFlyweight.ACK).build(),
            BenchFixtures.PORT_V4, START_NS);
        BenchFixtures.expectNext(pipeline, nat46to6.process(synAck), StageNames.IPV6_OUTPUT, "SYN-ACK");
        pool.release(synAck);
    }

    private int session()
    {
        final long[] client = Ipv6Address.parse(CLIENT6);
        final int protocol = BenchFixtures.TCP_1500.equals(packet) ? SessionProtocol.TCP : SessionProtocol.UDP;
        final int session = shard.sessions().find6(protocol, client[0], client[1], CLIENT_PORT,
            Ipv4Address.parse(SERVER4), SERVER_PORT);
        return session == SessionTable.NOT_FOUND ? -1 : session;
    }

    /** A packet of the flow from the IPv6 client: nat64-6to4. */
    @Benchmark
    public int established6to4()
    {
        return translate6to4(0);
    }

    /** The server's packet of the flow: nat64-4to6. */
    @Benchmark
    public int established4to6()
    {
        return translate4to6(0);
    }
}
