package io.sixgate.bench;

import static io.sixgate.bench.BenchFixtures.START_NS;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.stage.StageNames;
import io.sixgate.nat64.siit.Siit46Stage;
import io.sixgate.nat64.siit.Siit64Stage;
import io.sixgate.nat64.siit.TranslatorConfig;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * SIIT (RFC 7915) translation of one packet each way, stage alone: siit-6to4 and siit-4to6 with
 * the SIIT suite's translator (pool6 2001:db8:100::/40). Each operation restores the frame's
 * headers ({@link FrameTemplates}, a few ns) and translates it in place; the payload is never
 * touched (incremental checksums, RFC 1624), which set-up verifies.
 */
@State(Scope.Thread)
public class SiitTranslateBenchmark extends SuiteBenchmark
{
    /** IPv6 client, 192.0.2.33 under pool6. */
    static final String CLIENT6 = "2001:db8:1c0:2:21::";
    static final String CLIENT6_AS_V4 = "192.0.2.33";
    /** IPv4 host, 2001:db8:1c6:3364:2:: under pool6. */
    static final String HOST4 = "198.51.100.2";
    static final String HOST4_AS_V6 = "2001:db8:1c6:3364:2::";

    @Param({BenchFixtures.UDP_64, BenchFixtures.TCP_1500})
    public String packet;

    private FramePool pool;
    private Stage siit64;
    private Stage siit46;
    private FrameTemplates from6;
    private FrameTemplates from4;
    private int frame6;
    private int frame4;

    @Setup
    public void setUp()
    {
        pool = new FramePool(BenchFixtures.STAGE_POOL_FRAMES);
        final TranslatorConfig config = BenchFixtures.siitTranslator();
        final Pipeline pipeline = BenchFixtures.stagePipeline(pool, Siit46Stage.NAME, Siit64Stage.NAME,
            new Siit64Stage(config, pool, StageNames.IPV4_OUTPUT, StageNames.IPV6_OUTPUT),
            new Siit46Stage(config, pool, StageNames.IPV6_OUTPUT, StageNames.IPV4_OUTPUT));
        siit64 = pipeline.stage(Siit64Stage.NAME);
        siit46 = pipeline.stage(Siit46Stage.NAME);

        frame6 = BenchFixtures.prepareIp(pipeline,
            BenchFixtures.shaped(PacketBuilder.ipv6(CLIENT6, HOST4_AS_V6), packet, 40000, 443).build(),
            BenchFixtures.PORT_V6, START_NS);
        from6 = FrameTemplates.of(pool, frame6, FrameTemplates.HEADER_BYTES);
        frame4 = BenchFixtures.prepareIp(pipeline,
            BenchFixtures.shaped(PacketBuilder.ipv4(HOST4, CLIENT6_AS_V4), packet, 443, 40000).build(),
            BenchFixtures.PORT_V4, START_NS);
        from4 = FrameTemplates.of(pool, frame4, FrameTemplates.HEADER_BYTES);

        final int free = pool.available();
        BenchFixtures.expectNext(pipeline, translate6to4(), StageNames.IPV4_OUTPUT, "siit-6to4");
        BenchFixtures.expectNext(pipeline, translate4to6(), StageNames.IPV6_OUTPUT, "siit-4to6");
        BenchFixtures.check(pool.available() == free, "translation emitted frames (an ICMP error, fragments)");
        from6.restore(0, pool, frame6);
        from4.restore(0, pool, frame4);
        BenchFixtures.check(from6.matchesSnapshot(0, pool, frame6) && from4.matchesSnapshot(0, pool, frame4),
            "restoring the headers does not give the packet back whole");
    }

    /** RFC 7915 §5: IPv6 to IPv4. */
    @Benchmark
    public int translate6to4()
    {
        from6.restore(0, pool, frame6);
        return siit64.process(frame6);
    }

    /** RFC 7915 §4: IPv4 to IPv6. */
    @Benchmark
    public int translate4to6()
    {
        from4.restore(0, pool, frame4);
        return siit46.process(frame4);
    }
}
