package io.sixgate.bench;

import static io.sixgate.bench.BenchFixtures.START_NS;
import static io.sixgate.bench.Nat64Fixtures.SERVER4_AS_V6;
import static io.sixgate.bench.Nat64Fixtures.SERVER_PORT;

import java.util.concurrent.TimeUnit;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.stage.StageNames;
import io.sixgate.nat64.state.SessionTable;
import io.sixgate.nat64.stateful.Nat64Shard;
import io.sixgate.nat64.stateful.Nat64Stateful64Stage;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * New-session setup rate of stateful NAT64, in sessions per second: every operation is the first
 * UDP packet (64-byte payload) of a flow from a fresh IPv6 transport address, so nat64-6to4 finds
 * nothing, creates a BIB entry (a pool4 port by RFC 6056 Algorithm 4), counts a subscriber every
 * {@link Nat64Fixtures#FLOWS_PER_CLIENT} flows, adds the session to both indexes, and translates
 * the packet.
 *
 * <p>Each iteration starts on an empty table of {@code capacity} sessions (emptied after the
 * last one, not measured), and lasts a quarter of a second, so it cannot fill up unless the rate
 * passes {@code 4 * capacity} per second; the tear-down refuses an iteration in which any
 * creation failed. The source is rewritten in place with an incremental checksum update.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 250, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 10, time = 250, timeUnit = TimeUnit.MILLISECONDS)
public class Nat64NewSessionBenchmark extends SuiteBenchmark
{
    /**
     * Sessions per table (and BIB entries and sources, as {@code max-sessions} sizes them): 1 M
     * (137 MiB off heap), 8 M (1.1 GiB), whose indexes are far beyond the CPU caches.
     */
    @Param({"1000000", "8000000"})
    public int capacity;

    /** The template flow's client, 2001:db8:fe00::/64 host 1, source port 10000. */
    private static final String TEMPLATE_CLIENT = "2001:db8:fe00::1";
    private static final int FIRST_PORT = 10000;

    private FramePool pool;
    private FrameTemplates template;
    private int frame;
    private Nat64Shard shard;
    private Stage nat64to4;
    private int created;
    private long nowNs = START_NS;

    @Setup
    public void setUp()
    {
        shard = Nat64Fixtures.shard(capacity);
        pool = new FramePool(BenchFixtures.STAGE_POOL_FRAMES);
        final Pipeline pipeline = Nat64Fixtures.pipeline(pool, shard);
        nat64to4 = pipeline.stage(Nat64Stateful64Stage.NAME);
        frame = BenchFixtures.prepareIp(pipeline, PacketBuilder.ipv6(TEMPLATE_CLIENT, SERVER4_AS_V6)
            .udp(FIRST_PORT, SERVER_PORT).payload(64).build(), BenchFixtures.PORT_V6, START_NS);
        template = FrameTemplates.of(pool, frame, FrameTemplates.HEADER_BYTES);

        BenchFixtures.expectNext(pipeline, newSession(), StageNames.IPV4_OUTPUT, "nat64-6to4");
        BenchFixtures.expectNext(pipeline, newSession(), StageNames.IPV4_OUTPUT, "nat64-6to4");
        BenchFixtures.check(shard.sessions().size() == 2 && shard.sessions().bibs().size() == 2,
            "two fresh flows did not make two sessions and two BIB entries");
        BenchFixtures.check(pool.available() == BenchFixtures.STAGE_POOL_FRAMES - 1, "translation emitted frames");
        template.restore(0, pool, frame);
        BenchFixtures.check(template.matchesSnapshot(0, pool, frame),
            "restoring the headers does not give the packet back whole");
        emptyTable();
    }

    @Setup(Level.Iteration)
    public void startIteration()
    {
        created = 0;
    }

    /**
     * Checks that every operation made its session, then empties the table through its own
     * removal path (sessions, BIB entries, pool4 ports, subscribers): a fresh table for the next
     * iteration without allocating one. Removing from the highest entry down leaves the free list
     * in ascending order, so the next iteration fills the entries in the order a new table would.
     */
    @TearDown(Level.Iteration)
    public void endIteration()
    {
        BenchFixtures.check(shard.sessions().size() == created, created + " flows made only " +
            shard.sessions().size() + " sessions: the table filled up or creation failed");
        emptyTable();
    }

    private void emptyTable()
    {
        final SessionTable sessions = shard.sessions();
        for (int session = sessions.capacity() - 1; session >= 0; session--)
        {
            sessions.remove(session);
        }
        created = 0;
        BenchFixtures.check(sessions.size() == 0 && sessions.bibs().size() == 0 &&
            (sessions.quotas() == null || sessions.quotas().size() == 0) && shard.pool4().allocatedPorts() == 0,
            "the table did not empty");
    }

    @TearDown
    public void tearDown()
    {
        shard.close();
    }

    /** The first packet of a fresh flow: one new BIB entry and session, and the translation. */
    @Benchmark
    public int newSession()
    {
        final int flow = created++;
        template.restore(0, pool, frame);
        pool.timestampNs(frame, nowNs += BenchFixtures.PACKET_INTERVAL_NS);
        Nat64Fixtures.rewriteUdpSource(pool, frame, 1, 1 + flow / Nat64Fixtures.FLOWS_PER_CLIENT, FIRST_PORT,
            FIRST_PORT + flow % Nat64Fixtures.FLOWS_PER_CLIENT);
        return nat64to4.process(frame);
    }
}
