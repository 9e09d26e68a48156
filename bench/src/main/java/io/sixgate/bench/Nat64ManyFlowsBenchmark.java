package io.sixgate.bench;

import static io.sixgate.bench.BenchFixtures.START_NS;
import static io.sixgate.bench.Nat64Fixtures.SERVER_PORT;

import java.util.SplittableRandom;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.stage.StageNames;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.state.SessionTable;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Stateful NAT64 of established UDP flows picked at random among a full table, stage alone: each
 * packet belongs to the next of {@link #FLOWS} flows spread over the whole table, so the session
 * lookup misses the CPU caches as on a busy gateway (the index slot and the session entry, on
 * each side). The companion of {@link Nat64EstablishedBenchmark}, whose one flow stays cached.
 */
@State(Scope.Thread)
public class Nat64ManyFlowsBenchmark extends Nat64StageBenchmark
{
    /** Flows the packets cycle through, in random order over the table. */
    public static final int FLOWS = 1 << 16;

    @Param({"1000000", "10000000"})
    public int sessions;

    private int next6;
    private int next4;

    @Setup
    public void setUp()
    {
        final Pipeline pipeline = startShard(sessions, sessions);

        from6 = new FrameTemplates(FLOWS, FrameTemplates.HEADER_BYTES);
        from4 = new FrameTemplates(FLOWS, FrameTemplates.HEADER_BYTES);
        final SplittableRandom random = new SplittableRandom(7);
        final SessionTable table = shard.sessions();
        for (int k = 0; k < FLOWS; k++)
        {
            final int flow = random.nextInt(sessions);
            final int session = table.find6(SessionProtocol.UDP, Nat64Fixtures.FILL_CLIENT_HIGH,
                Nat64Fixtures.fillClientLow(flow), Nat64Fixtures.fillClientPort(flow), Nat64Fixtures.fillServer(flow),
                SERVER_PORT);
            BenchFixtures.check(session >= 0, "filled flow " + flow + " has no session");

            final int out = BenchFixtures.prepareIp(pipeline, PacketBuilder.ipv6(Nat64Fixtures.fillClient(flow),
                Nat64Fixtures.fillServerAsV6(flow)).udp(Nat64Fixtures.fillClientPort(flow), SERVER_PORT).payload(64).build(),
                BenchFixtures.PORT_V6, START_NS);
            from6.capture(k, pool, out);
            final int in = BenchFixtures.prepareIp(pipeline, PacketBuilder.ipv4(
                Ipv4Address.format(Nat64Fixtures.fillServer(flow)), Ipv4Address.format(table.pool4Address(session)))
                .udp(SERVER_PORT, table.pool4Port(session)).payload(64).build(), BenchFixtures.PORT_V4, START_NS);
            from4.capture(k, pool, in);
            if (k > 0)
            {
                pool.release(out);
                pool.release(in);
            }
            else
            {
                frame6 = out;
                frame4 = in;
            }
        }

        final int free = pool.available();
        for (int k = 0; k < FLOWS; k++)
        {
            BenchFixtures.expectNext(pipeline, manyFlows6to4(), StageNames.IPV4_OUTPUT, "nat64-6to4");
            BenchFixtures.expectNext(pipeline, manyFlows4to6(), StageNames.IPV6_OUTPUT, "nat64-4to6");
            from6.restore(next6, pool, frame6);
            from4.restore(next4, pool, frame4);
            BenchFixtures.check(from6.matchesSnapshot(next6, pool, frame6) && from4.matchesSnapshot(next4, pool, frame4),
                "restoring the headers does not give packet " + k + " back whole");
        }
        BenchFixtures.check(pool.available() == free, "translation emitted frames");
        BenchFixtures.check(table.size() == sessions, "a packet made a session");
    }

    /** The next flow's packet from its IPv6 client: nat64-6to4. */
    @Benchmark
    public int manyFlows6to4()
    {
        next6 = (next6 + 1) & (FLOWS - 1);
        return translate6to4(next6);
    }

    /** The next flow's packet from its server: nat64-4to6. */
    @Benchmark
    public int manyFlows4to6()
    {
        next4 = (next4 + 1) & (FLOWS - 1);
        return translate4to6(next4);
    }
}
