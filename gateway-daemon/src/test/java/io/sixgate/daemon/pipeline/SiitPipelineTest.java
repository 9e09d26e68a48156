package io.sixgate.daemon.pipeline;

import static io.sixgate.daemon.replay.TestCaptures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.core.packet.InternetChecksum;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.UdpFlyweight;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.replay.CaptureBinding;
import io.sixgate.daemon.replay.ReplayEngine;
import io.sixgate.daemon.replay.ReplayRequest;
import io.sixgate.daemon.replay.ReplayResult;
import io.sixgate.daemon.replay.TestCaptures;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * SIIT through the gateway's own pipeline: IPv6 client 2001:db8::5 appears on the IPv4 side as
 * 198.51.100.5 (EAMT); IPv4 servers appear on the IPv6 side under 2001:db8:64::/96 (RFC 6052).
 * Native traffic that matches neither keeps being routed.
 */
class SiitPipelineTest
{
    private static final String CONFIG = String.join("\n",
        "ports:",
        "  - {name: v6, type: tap, mtu: 1500, addresses: [\"2001:db8::1/64\"]}",
        "  - {name: v4, type: tap, mtu: 1500, addresses: [192.0.2.1/24]}",
        "routes:",
        "  - {prefix: \"2001:db8:1::/64\", via: \"2001:db8::9\", port: v6}",
        "nat64:",
        "  mode: siit",
        "  prefix: \"2001:db8:64::/96\"",
        "  eamt:",
        "    - {ipv4: 198.51.100.0/24, ipv6: \"2001:db8::/120\"}",
        "");
    private static final long T0 = 1_767_225_600_000_000_000L;

    @TempDir
    Path dir;

    private ReplayResult replay(final List<TestCaptures.Record> fromV6, final List<TestCaptures.Record> fromV4)
        throws Exception
    {
        final GatewayConfig config = ConfigLoader.load("siit.yaml",
            new ByteArrayInputStream(CONFIG.getBytes(StandardCharsets.UTF_8)));
        final Path in6 = TestCaptures.write(dir.resolve("v6-in.pcap"), DataLinkType.RAW, fromV6);
        final Path in4 = TestCaptures.write(dir.resolve("v4-in.pcap"), DataLinkType.RAW, fromV4);
        return new ReplayEngine(new GatewayPipelineFactory()).run(config, new ReplayRequest(
            List.of(new CaptureBinding("v6", in6), new CaptureBinding("v4", in4)),
            List.of(new CaptureBinding("v6", dir.resolve("v6-out.pcap")),
                new CaptureBinding("v4", dir.resolve("v4-out.pcap"))),
            null));
    }

    private List<TestCaptures.Record> out(final String port) throws Exception
    {
        return TestCaptures.read(dir.resolve(port + "-out.pcap"));
    }

    @Test
    void translatesUdpBothWaysAndDecrementsOnce() throws Exception
    {
        final ReplayResult result = replay(
            List.of(record(T0, PacketBuilder.ipv6("2001:db8::5", "2001:db8:64::c000:207").ttl(64).udp(4000, 53)
                .payload(20).build())),
            List.of(record(T0 + 1000, PacketBuilder.ipv4("192.0.2.7", "198.51.100.5").ttl(64).udp(53, 4000)
                .payload(20).build())));

        assertTrue(result.balanced(), result.mismatches().toString());
        final UnsafeBuffer v4 = new UnsafeBuffer(out("v4").get(0).data());
        final Ipv4Flyweight ipv4 = new Ipv4Flyweight().wrap(v4, 0);
        assertEquals("198.51.100.5", Ipv4Address.format(ipv4.srcAddress()));
        assertEquals("192.0.2.7", Ipv4Address.format(ipv4.dstAddress()));
        assertEquals(63, ipv4.ttl(), "decremented by the translator, not again by routing");
        assertTrue(InternetChecksum.isValid(v4, 0, 20), "IPv4 header checksum");
        final UdpFlyweight udp = new UdpFlyweight().wrap(v4, 20);
        assertEquals(0, InternetChecksum.udpIpv4Checksum(v4, 0, 20, udp.length()) ^ udp.checksum(),
            "UDP checksum recomputed for IPv4");

        final UnsafeBuffer v6 = new UnsafeBuffer(out("v6").get(0).data());
        final Ipv6Flyweight ipv6 = new Ipv6Flyweight().wrap(v6, 0);
        assertEquals("2001:db8:64::c000:207", Ipv6Address.format(ipv6.srcHigh(), ipv6.srcLow()));
        assertEquals("2001:db8::5", Ipv6Address.format(ipv6.dstHigh(), ipv6.dstLow()));
        assertEquals(63, ipv6.hopLimit());
        assertEquals(1, result.counter("tx port=v4 worker=0"));
        assertEquals(1, result.counter("tx port=v6 worker=0"));
    }

    @Test
    void routesNativeTrafficThatMapsToNothing() throws Exception
    {
        final ReplayResult result = replay(
            List.of(record(T0, PacketBuilder.ipv6("2001:db8::5", "2001:db8:1::7").ttl(9).udp(1, 2).build())),
            List.of(record(T0 + 1000, PacketBuilder.ipv4("192.0.2.7", "192.0.2.8").ttl(9).udp(1, 2).build())));

        assertTrue(result.balanced(), result.mismatches().toString());
        final Ipv6Flyweight ipv6 = new Ipv6Flyweight().wrap(new UnsafeBuffer(out("v6").get(0).data()), 0);
        assertEquals("2001:db8:1::7", Ipv6Address.format(ipv6.dstHigh(), ipv6.dstLow()));
        assertEquals(8, ipv6.hopLimit());
        final Ipv4Flyweight ipv4 = new Ipv4Flyweight().wrap(new UnsafeBuffer(out("v4").get(0).data()), 0);
        assertEquals("192.0.2.8", Ipv4Address.format(ipv4.dstAddress()));
        assertEquals(8, ipv4.ttl());
    }

    @Test
    void answersExpiringTranslatedPacketWithTimeExceeded() throws Exception
    {
        final ReplayResult result = replay(
            List.of(record(T0, PacketBuilder.ipv6("2001:db8::5", "2001:db8:64::c000:207").ttl(1).udp(4000, 53)
                .build())),
            List.of());

        assertTrue(result.balanced(), result.mismatches().toString());
        assertEquals(0, out("v4").size());
        assertEquals(1, out("v6").size(), result.counters().toString());
        final UnsafeBuffer v6 = new UnsafeBuffer(out("v6").get(0).data());
        final Ipv6Flyweight ipv6 = new Ipv6Flyweight().wrap(v6, 0);
        assertEquals("2001:db8::5", Ipv6Address.format(ipv6.dstHigh(), ipv6.dstLow()));
        assertEquals(3, v6.getByte(40), "ICMPv6 Time Exceeded (RFC 4443 §3.3)");
        assertEquals(1, result.totals().generated());
    }
}
