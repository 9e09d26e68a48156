package io.sixgate.bench;

import java.util.Map;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.core.stage.EthernetInputStage;
import io.sixgate.core.stage.Ipv4InputStage;
import io.sixgate.core.stage.Ipv6InputStage;
import io.sixgate.core.stage.RawInputStage;
import io.sixgate.core.stage.StageNames;
import io.sixgate.nat64.conformance.ConformanceRunner;
import io.sixgate.nat64.conformance.PortTxStage;
import io.sixgate.nat64.siit.EgressMtu;
import io.sixgate.nat64.siit.TranslatorConfig;

/**
 * What the stage benchmarks share: a pipeline to link the stages under test in, frames prepared
 * the way the input stages leave them, the packets of the suite, and checks that make a
 * benchmark refuse to run when it would not measure what it says.
 *
 * <p>The stage benchmarks call {@link Stage#process(int)} directly on a linked stage: the cost of
 * that stage alone, without the pipeline's dispatch and counting (the worker-pipeline benchmark
 * has those).
 *
 * <p>Addresses are documentation prefixes only (RFC 3849, RFC 5737, RFC 6052's 64:ff9b::/96).
 */
public final class BenchFixtures
{
    /** The packet clock of every benchmark: set-up and measurement at one instant, 1000 s in. */
    public static final long START_NS = 1_000_000_000_000L;

    /**
     * The packet clock's step per packet where time matters (10 Mpps): the NAT64 expiry sweep is
     * paced by it, so a benchmark whose clock stood still would leave its cost out.
     */
    public static final long PACKET_INTERVAL_NS = 100;

    /** Port 0: the IPv4 side (raw IP). */
    public static final int PORT_V4 = 0;

    /** Port 1: the IPv6 side (raw IP). */
    public static final int PORT_V6 = 1;

    /** Port 2: an Ethernet port, for ethernet-input. */
    public static final int PORT_ETHERNET = 2;

    /** MAC of {@link #PORT_ETHERNET}. */
    public static final long ETHERNET_MAC = 0x02_00_00_00_00_01L;

    /** MAC of the peer that sends to {@link #PORT_ETHERNET}. */
    public static final long PEER_MAC = 0x02_00_00_00_00_05L;

    /** Frames in a stage benchmark's pool: a few working frames and room for what stages emit. */
    public static final int STAGE_POOL_FRAMES = 64;

    /** Packet shape: UDP with 64 bytes of payload. */
    public static final String UDP_64 = "udp-64";

    /**
     * Packet shape: a TCP segment (ACK) with 1440 bytes of payload, a 1500-byte IPv6 packet or a
     * 1480-byte IPv4 packet (DF set), so it crosses a 1500-byte link either way untouched.
     */
    public static final String TCP_1500 = "tcp-1500";

    /** TCP payload of {@link #TCP_1500}: 1500 - 40 (IPv6) - 20 (TCP). */
    public static final int TCP_1500_PAYLOAD = 1440;

    private BenchFixtures()
    {
    }

    /**
     * A pipeline for stage benchmarks. Ports: {@link #PORT_V4} "n4" and {@link #PORT_V6} "n6"
     * (raw IP), {@link #PORT_ETHERNET} "eth" (Ethernet). Stages: raw-input, ethernet-input,
     * ipv4-input and ipv6-input (their next stages given), the stages under test, and
     * ipv4-output / ipv6-output that transmit on n4 / n6.
     */
    public static Pipeline stagePipeline(
        final FramePool pool, final String ipv4Next, final String ipv6Next, final Stage... stagesUnderTest)
    {
        final Pipeline.Builder builder = Pipeline.builder()
            .pool(pool)
            .txSink((portId, frame) -> pool.release(frame))
            .port(new Port(PORT_V4, "n4", LinkType.RAW, 0, 1500), StageNames.RAW_INPUT)
            .port(new Port(PORT_V6, "n6", LinkType.RAW, 0, 1500), StageNames.RAW_INPUT)
            .port(new Port(PORT_ETHERNET, "eth", LinkType.ETHERNET, ETHERNET_MAC, 1500), StageNames.ETHERNET_INPUT)
            .stage(new RawInputStage(pool))
            .stage(new EthernetInputStage(pool))
            .stage(new Ipv4InputStage(pool, ipv4Next))
            .stage(new Ipv6InputStage(pool, ipv6Next));
        for (final Stage stage : stagesUnderTest)
        {
            builder.stage(stage);
        }
        return builder
            .stage(new PortTxStage(StageNames.IPV4_OUTPUT, "n4"))
            .stage(new PortTxStage(StageNames.IPV6_OUTPUT, "n6"))
            .build(InMemoryCounters.create(4096), 0);
    }

    /**
     * Copies a raw IP packet into a fresh frame and runs it through ipv4-input or ipv6-input (by
     * its version), so the frame carries the L3/L4 metadata the stages after input expect.
     *
     * @return the frame, owned by the caller.
     * @throws IllegalStateException when input does not pass the packet on.
     */
    public static int prepareIp(final Pipeline pipeline, final byte[] packet, final int portId, final long nowNs)
    {
        final FramePool pool = pipeline.pool();
        final int frame = pool.allocateCopy(packet, 0, packet.length);
        check(frame != FramePool.NO_FRAME, "frame pool too small for the set-up");
        pool.port(frame, portId);
        pool.timestampNs(frame, nowNs);
        pool.l3Offset(frame, pool.offset(frame));
        final String input = (packet[0] & 0xF0) == 0x40 ? StageNames.IPV4_INPUT : StageNames.IPV6_INPUT;
        final int verdict = pipeline.stage(input).process(frame);
        check(Verdict.kind(verdict) == Verdict.KIND_NEXT, input + " refused the benchmark packet: " +
            Verdict.toString(verdict));
        return frame;
    }

    /**
     * @throws IllegalStateException unless the verdict sends the frame to the named stage.
     */
    public static void expectNext(final Pipeline pipeline, final int verdict, final String stage, final String what)
    {
        check(verdict == Verdict.next(pipeline.stageId(stage)),
            what + ": expected next " + stage + ", got " + describe(pipeline, verdict));
    }

    /**
     * @return the verdict in words, with the drop reason's label.
     */
    public static String describe(final Pipeline pipeline, final int verdict)
    {
        if (Verdict.kind(verdict) == Verdict.KIND_DROP)
        {
            final String[] labels = pipeline.dropLabels();
            final int reason = Verdict.value(verdict);
            return "drop " + (reason < labels.length ? labels[reason] : "#" + reason);
        }
        return Verdict.toString(verdict);
    }

    /**
     * A set-up check: a benchmark that would measure something else (a drop, a leak) stops.
     */
    public static void check(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalStateException("benchmark set-up: " + message);
        }
    }

    /**
     * The SIIT suite's translator (pool6 2001:db8:100::/40, RFC 6791 pool, EAMT) with 1500-byte
     * links on both sides.
     */
    public static TranslatorConfig siitTranslator()
    {
        return TranslatorConfig.fromProperties(ConformanceRunner.siitBaseSetup())
            .withEgressMtu(EgressMtu.fixed(1500, 1500));
    }

    /**
     * The stateful NAT64 translator: pool6 64:ff9b::/96, the gateway's own addresses
     * 192.0.2.1 and 2001:db8::1, 1500-byte links.
     */
    public static TranslatorConfig nat64Translator()
    {
        final Map<String, String> settings = ConformanceRunner.nat64TranslatorSetup();
        settings.put(TranslatorConfig.LOCAL_IPV4_KEY, "192.0.2.1");
        settings.put(TranslatorConfig.LOCAL_IPV6_KEY, "2001:db8::1");
        return TranslatorConfig.fromProperties(settings).withEgressMtu(EgressMtu.fixed(1500, 1500));
    }

    /**
     * Adds the upper layer of a packet shape ({@link #UDP_64} or {@link #TCP_1500}) to a builder.
     */
    public static PacketBuilder shaped(final PacketBuilder builder, final String shape, final int srcPort, final int dstPort)
    {
        switch (shape)
        {
            case UDP_64:
                return builder.udp(srcPort, dstPort).payload(64);
            case TCP_1500:
                return builder.dontFragment(true).tcp(srcPort, dstPort, TcpFlyweight.ACK).payload(TCP_1500_PAYLOAD);
            default:
                throw new IllegalArgumentException("unknown packet shape: " + shape);
        }
    }
}
