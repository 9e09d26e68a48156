package io.sixgate.bench;

import static io.sixgate.bench.BenchFixtures.START_NS;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.nat64.stateful.Nat64Shard;
import io.sixgate.nat64.stateful.Nat64Stateful46Stage;
import io.sixgate.nat64.stateful.Nat64Stateful64Stage;

import org.openjdk.jmh.annotations.TearDown;

/**
 * What the stateful NAT64 stage benchmarks share: a shard and the pipeline's two NAT64 stages,
 * one frame each way whose headers are restored from templates before every packet (the stage
 * rewrites them in place), and the packet clock at 10 Mpps.
 */
public abstract class Nat64StageBenchmark extends SuiteBenchmark
{
    protected Nat64Shard shard;
    protected FramePool pool;
    protected Stage nat64to4;
    protected Stage nat46to6;
    protected FrameTemplates from6;
    protected FrameTemplates from4;
    protected int frame6;
    protected int frame4;
    private long nowNs = START_NS;

    /**
     * Makes a shard for {@code capacity} sessions with {@code filled} distinct UDP flows in it
     * ({@link Nat64Fixtures#fill}) and the stage pool.
     *
     * @return the pipeline the stages are taken from, for preparing frames.
     */
    protected final Pipeline startShard(final int capacity, final int filled)
    {
        shard = Nat64Fixtures.shard(capacity);
        pool = new FramePool(BenchFixtures.STAGE_POOL_FRAMES);
        final Pipeline pipeline = Nat64Fixtures.pipeline(pool, shard);
        nat64to4 = pipeline.stage(Nat64Stateful64Stage.NAME);
        nat46to6 = pipeline.stage(Nat64Stateful46Stage.NAME);
        Nat64Fixtures.fill(shard, filled, START_NS);
        return pipeline;
    }

    /** IPv6 template {@code k}, stamped with the next packet time, through nat64-6to4. */
    protected final int translate6to4(final int k)
    {
        from6.restore(k, pool, frame6);
        pool.timestampNs(frame6, nowNs += BenchFixtures.PACKET_INTERVAL_NS);
        return nat64to4.process(frame6);
    }

    /** IPv4 template {@code k}, stamped with the next packet time, through nat64-4to6. */
    protected final int translate4to6(final int k)
    {
        from4.restore(k, pool, frame4);
        pool.timestampNs(frame4, nowNs += BenchFixtures.PACKET_INTERVAL_NS);
        return nat46to6.process(frame4);
    }

    @TearDown
    public void tearDown()
    {
        shard.close();
    }
}
