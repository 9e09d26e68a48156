package io.sixgate.daemon.pipeline;

import static io.sixgate.daemon.replay.TestCaptures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.replay.CaptureBinding;
import io.sixgate.daemon.replay.ReplayEngine;
import io.sixgate.daemon.replay.ReplayRequest;
import io.sixgate.daemon.replay.ReplayResult;
import io.sixgate.daemon.replay.TestCaptures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * The IPv6 gateway through the daemon's own pipeline and {@code sixgate replay}, with captures the
 * test writes and packet timestamps as the clock. The VPC is 2001:db8:100::/48 behind port
 * {@code vpc}; the Internet is behind {@code wan}. ::10 is egress-only at 100 Mbit/s, ::20 has
 * 10 Mbit/s both ways, ::30 is VPC-only.
 */
class Ipv6GatewayReplayTest
{
    private static final String CONFIG = String.join("\n",
        "ports:",
        "  - {name: vpc, type: tap, mtu: 1500, addresses: [\"2001:db8:100::1/64\"]}",
        "  - {name: wan, type: tap, mtu: 1500, addresses: [\"2001:db8::1/64\"]}",
        "routes:",
        "  - {prefix: \"::/0\", via: \"2001:db8::9\", port: wan}",
        "ipv6-gateway:",
        "  vpc: [\"2001:db8:100::/48\"]",
        "  internet-port: wan",
        "  addresses:",
        "    - {address: \"2001:db8:100::10\", bandwidth-mbps: 100, egress-only: true}",
        "    - {address: \"2001:db8:100::20\", bandwidth-mbps: 10, burst-bytes: 15000}",
        "    - {address: \"2001:db8:100::30\", bandwidth-mbps: 0}",
        "");
    private static final String EGRESS = "2001:db8:100::10";
    private static final String CAPPED = "2001:db8:100::20";
    private static final String VPC_ONLY = "2001:db8:100::30";
    private static final String REMOTE = "2001:db8:ffff::7";
    private static final String ROUTER = "2001:db8:fffe::1";
    private static final long T0 = 1_767_225_600_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final int SYN = TcpFlyweight.SYN;
    private static final int ACK = TcpFlyweight.ACK;

    @TempDir
    Path dir;

    private ReplayResult replay(final List<TestCaptures.Record> fromVpc, final List<TestCaptures.Record> fromWan)
        throws Exception
    {
        final GatewayConfig config = ConfigLoader.load("gateway.yaml",
            new ByteArrayInputStream(CONFIG.getBytes(StandardCharsets.UTF_8)));
        final Path inVpc = TestCaptures.write(dir.resolve("vpc-in.pcap"), DataLinkType.RAW, fromVpc);
        final Path inWan = TestCaptures.write(dir.resolve("wan-in.pcap"), DataLinkType.RAW, fromWan);
        return new ReplayEngine(new GatewayPipelineFactory()).run(config, new ReplayRequest(
            List.of(new CaptureBinding("vpc", inVpc), new CaptureBinding("wan", inWan)),
            List.of(new CaptureBinding("vpc", dir.resolve("vpc-out.pcap")),
                new CaptureBinding("wan", dir.resolve("wan-out.pcap"))),
            null, false));
    }

    private List<TestCaptures.Record> out(final String port) throws Exception
    {
        return TestCaptures.read(dir.resolve(port + "-out.pcap"));
    }

    private static long drop(final ReplayResult result, final String reason)
    {
        return result.counter("drop ipv6-gateway/" + reason + " worker=0");
    }

    @Test
    void egressOnlyTcpHandshakeOutAndBackWhileUnsolicitedSynIsDropped() throws Exception
    {
        final ReplayResult result = replay(
            List.of(
                record(T0, PacketBuilder.ipv6(EGRESS, REMOTE).tcp(40000, 443, SYN).build()),
                record(T0 + 2 * MS, PacketBuilder.ipv6(EGRESS, REMOTE).tcp(40000, 443, ACK).build())),
            List.of(
                record(T0 + MS, PacketBuilder.ipv6(REMOTE, EGRESS).tcp(443, 40000, SYN | ACK).build()),
                record(T0 + 3 * MS, PacketBuilder.ipv6(REMOTE, EGRESS).tcp(443, 22, SYN).build())));
        assertTrue(result.balanced(), result.mismatches().toString());
        assertEquals(2, out("wan").size());
        assertEquals(1, out("vpc").size(), "the SYN-ACK came back, the unsolicited SYN did not");
        assertEquals(1, drop(result, "unsolicited-inbound"), result.counters().toString());
    }

    @Test
    void relatedPacketTooBigPassesUnrelatedErrorIsDropped() throws Exception
    {
        final byte[] sent = PacketBuilder.ipv6(EGRESS, REMOTE).udp(5000, 53).payload(1400).build();
        final byte[] other = PacketBuilder.ipv6(EGRESS, REMOTE).udp(5999, 53).build();
        final ReplayResult result = replay(
            List.of(record(T0, sent)),
            List.of(
                record(T0 + MS, PacketBuilder.ipv6(ROUTER, EGRESS)
                    .icmp(Icmpv6Flyweight.TYPE_PACKET_TOO_BIG, 0, 1280).payload(Arrays.copyOf(sent, 1232)).build()),
                record(T0 + 2 * MS, PacketBuilder.ipv6(ROUTER, EGRESS)
                    .icmp(Icmpv6Flyweight.TYPE_DESTINATION_UNREACHABLE, 4, 0).payload(other).build())));
        assertTrue(result.balanced(), result.mismatches().toString());
        assertEquals(1, out("vpc").size(), "the Packet Too Big for the tracked flow passed");
        assertEquals(1, drop(result, "icmpv6-error-without-state"), result.counters().toString());
    }

    @Test
    void udpStateExpiresOnThePacketClock() throws Exception
    {
        final long fiveMinutes = TimeUnit.MINUTES.toNanos(5);
        final ReplayResult result = replay(
            List.of(
                record(T0, PacketBuilder.ipv6(EGRESS, REMOTE).udp(5000, 53).build()),
                // Other traffic moves the clock and lets the sweep run.
                record(T0 + fiveMinutes + SECOND, PacketBuilder.ipv6(CAPPED, REMOTE).udp(1, 9).build())),
            List.of(
                record(T0 + MS, PacketBuilder.ipv6(REMOTE, EGRESS).udp(53, 5000).build()),
                record(T0 + fiveMinutes + 2 * SECOND, PacketBuilder.ipv6(REMOTE, EGRESS).udp(53, 5000).build())));
        assertTrue(result.balanced(), result.mismatches().toString());
        assertEquals(1, out("vpc").size(), "the answer within 5 min passed, the one after did not");
        assertEquals(1, drop(result, "unsolicited-inbound"), result.counters().toString());
    }

    @Test
    void vpcOnlyIsDroppedBothWaysAndSpoofedSourcesAreDropped() throws Exception
    {
        final ReplayResult result = replay(
            List.of(
                record(T0, PacketBuilder.ipv6(VPC_ONLY, REMOTE).tcp(1, 443, SYN).build()),
                record(T0 + 1, PacketBuilder.ipv6("2001:db8:7::1", REMOTE).tcp(1, 443, SYN).build())),
            List.of(
                record(T0 + 2, PacketBuilder.ipv6(REMOTE, VPC_ONLY).tcp(443, 1, SYN).build()),
                record(T0 + 3, PacketBuilder.ipv6("fd00::5", CAPPED).tcp(443, 1, SYN).build()),
                record(T0 + 4, PacketBuilder.ipv6(VPC_ONLY, CAPPED).tcp(443, 1, SYN).build())));
        assertTrue(result.balanced(), result.mismatches().toString());
        assertEquals(0, out("vpc").size());
        assertEquals(0, out("wan").size());
        assertEquals(2, drop(result, "vpc-only"), result.counters().toString());
        assertEquals(1, drop(result, "spoofed-inside-source"));
        assertEquals(2, drop(result, "spoofed-outside-source"));
    }

    @Test
    void bandwidthCapMeasuredWithinFivePercentOnThePacketClock() throws Exception
    {
        final byte[] packet = PacketBuilder.ipv6(CAPPED, REMOTE).udp(1, 9).payload(1200).build();
        final long rate = 10_000_000L / 8;
        final long gapNs = packet.length * SECOND / (2 * rate);     // offered at twice the cap
        final long duration = 4 * SECOND;
        final List<TestCaptures.Record> fromVpc = new ArrayList<>();
        for (long t = 0; t < duration; t += gapNs)
        {
            fromVpc.add(record(T0 + t, packet));
        }
        final ReplayResult result = replay(fromVpc, List.of());
        assertTrue(result.balanced(), result.mismatches().toString());
        final long sentBytes = (long)out("wan").size() * packet.length;
        final double measured = (sentBytes - 15_000) * (double)SECOND / duration;
        assertEquals(rate, measured, rate * 0.05, "measured " + measured + " B/s against a cap of " + rate);
        assertTrue(drop(result, "rate-limited") > 0);
    }
}
