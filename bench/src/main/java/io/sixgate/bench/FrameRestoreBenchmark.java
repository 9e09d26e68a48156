package io.sixgate.bench;

import static io.sixgate.bench.BenchFixtures.START_NS;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.stage.StageNames;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The baseline inside the other figures: {@code headers} is the header restore every stage
 * benchmark that rewrites its frame does before each operation ({@link FrameTemplates}, 128
 * bytes and the metadata); {@code freshFrame} is the worker-pipeline benchmark's stand-in for a
 * device read and write per frame (take a frame from the pool, copy a 118-byte frame in, give it
 * back).
 */
@State(Scope.Thread)
public class FrameRestoreBenchmark extends SuiteBenchmark
{
    private FramePool pool;
    private FrameTemplates headers;
    private FrameTemplates whole;
    private int frame;

    @Setup
    public void setUp()
    {
        pool = new FramePool(BenchFixtures.STAGE_POOL_FRAMES);
        final Pipeline pipeline = BenchFixtures.stagePipeline(pool, StageNames.IPV4_OUTPUT, StageNames.IPV6_OUTPUT);
        frame = BenchFixtures.prepareIp(pipeline, BenchFixtures.shaped(PacketBuilder.ipv6("2001:db8::5", "2001:db8:1::7"),
            BenchFixtures.TCP_1500, 40000, 443).build(), BenchFixtures.PORT_V6, START_NS);
        headers = FrameTemplates.of(pool, frame, FrameTemplates.HEADER_BYTES);
        final byte[] small = PacketBuilder.ipv6("2001:db8::5", "2001:db8:1::7").udp(40000, 443).payload(64)
            .ethernet(BenchFixtures.ETHERNET_MAC, BenchFixtures.PEER_MAC).build();
        final int smallFrame = pool.allocateCopy(small, 0, small.length);
        whole = FrameTemplates.of(pool, smallFrame, pool.slotSize());
        pool.release(smallFrame);
    }

    @Benchmark
    public int headers()
    {
        headers.restore(0, pool, frame);
        return frame;
    }

    @Benchmark
    public int freshFrame()
    {
        final int fresh = whole.allocate(0, pool);
        pool.release(fresh);
        return fresh;
    }
}
