package io.sixgate.bench;

import static io.sixgate.bench.BenchFixtures.PEER_MAC;
import static io.sixgate.bench.BenchFixtures.ETHERNET_MAC;
import static io.sixgate.bench.BenchFixtures.START_NS;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.stage.StageNames;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Parse and validate: ethernet-input on an Ethernet II frame carrying IPv6, ipv6-input and
 * ipv4-input on a UDP packet with 64 bytes of payload. The stages only read the frame and set
 * metadata, so the same frame serves every operation.
 */
@State(Scope.Thread)
public class InputStagesBenchmark extends SuiteBenchmark
{
    private Stage ethernetInput;
    private Stage ipv6Input;
    private Stage ipv4Input;
    private int ethernetFrame;
    private int ipv6Frame;
    private int ipv4Frame;

    @Setup
    public void setUp()
    {
        final FramePool pool = new FramePool(BenchFixtures.STAGE_POOL_FRAMES);
        final Pipeline pipeline = BenchFixtures.stagePipeline(pool, StageNames.IPV4_OUTPUT, StageNames.IPV6_OUTPUT);
        ethernetInput = pipeline.stage(StageNames.ETHERNET_INPUT);
        ipv6Input = pipeline.stage(StageNames.IPV6_INPUT);
        ipv4Input = pipeline.stage(StageNames.IPV4_INPUT);

        final byte[] ethernet = PacketBuilder.ipv6("2001:db8::5", "2001:db8:1::7").udp(40000, 53).payload(64)
            .ethernet(ETHERNET_MAC, PEER_MAC).build();
        ethernetFrame = pool.allocateCopy(ethernet, 0, ethernet.length);
        pool.port(ethernetFrame, BenchFixtures.PORT_ETHERNET);
        BenchFixtures.expectNext(pipeline, ethernetInput.process(ethernetFrame), StageNames.IPV6_INPUT, "ethernet-input");

        ipv6Frame = BenchFixtures.prepareIp(pipeline,
            PacketBuilder.ipv6("2001:db8::5", "2001:db8:1::7").udp(40000, 53).payload(64).build(),
            BenchFixtures.PORT_V6, START_NS);
        BenchFixtures.expectNext(pipeline, ipv6Input.process(ipv6Frame), StageNames.IPV6_OUTPUT, "ipv6-input");

        ipv4Frame = BenchFixtures.prepareIp(pipeline,
            PacketBuilder.ipv4("192.0.2.5", "198.51.100.7").udp(40000, 53).payload(64).build(),
            BenchFixtures.PORT_V4, START_NS);
        BenchFixtures.expectNext(pipeline, ipv4Input.process(ipv4Frame), StageNames.IPV4_OUTPUT, "ipv4-input");
    }

    /** Ethernet II header checks, destination MAC filter, EtherType dispatch. */
    @Benchmark
    public int ethernetInput()
    {
        return ethernetInput.process(ethernetFrame);
    }

    /** IPv6 header and extension-header chain validation (RFC 8200), L4 offset and protocol. */
    @Benchmark
    public int ipv6Input()
    {
        return ipv6Input.process(ipv6Frame);
    }

    /** IPv4 header validation with header checksum (RFC 791, RFC 1812 §5.2.2). */
    @Benchmark
    public int ipv4Input()
    {
        return ipv4Input.process(ipv4Frame);
    }
}
