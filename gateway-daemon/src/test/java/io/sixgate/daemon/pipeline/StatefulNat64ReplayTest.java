package io.sixgate.daemon.pipeline;

import static io.sixgate.daemon.replay.TestCaptures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.TcpFlyweight;
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
 * Stateful NAT64 through the gateway's own pipeline and {@code sixgate replay}, captures made by
 * the test, packet timestamps as the clock: an IPv6 client on the Internet reaches the IPv4
 * instance 10.0.1.5 at its IPv6 EIP 64:ff9b::203.0.113.5. Pool4 has one port per protocol, so
 * the test knows the mapping in advance.
 */
class StatefulNat64ReplayTest
{
    private static final String CONFIG = String.join("\n",
        "ports:",
        "  - {name: v6, type: tap, mtu: 1500, addresses: [\"2001:db8::1/64\"]}",
        "  - {name: v4, type: tap, mtu: 1500, addresses: [10.0.1.1/24]}",
        "routes:",
        "  - {prefix: \"2001:db8:ffff::/48\", via: \"2001:db8::9\", port: v6}",
        "nat64:",
        "  mode: stateful",
        "  prefix: \"64:ff9b::/96\"",
        "  wkp-global-only: false",
        "  pool4:",
        "    - {address: 198.51.100.10, ports: 40000-40000}",
        "eip:",
        "  - {public: 203.0.113.5, private: 10.0.1.5}",
        "");
    private static final String CLIENT = "2001:db8:ffff::7";
    private static final String EIP6 = "64:ff9b::cb00:7105";
    private static final String INSTANCE = "10.0.1.5";
    private static final String POOL4 = "198.51.100.10";
    private static final int T = 40000;
    private static final long T0 = 1_767_225_600_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final int SYN = TcpFlyweight.SYN;
    private static final int ACK = TcpFlyweight.ACK;
    private static final int FIN = TcpFlyweight.FIN;

    @TempDir
    Path dir;

    private ReplayResult replay(final List<TestCaptures.Record> fromV6, final List<TestCaptures.Record> fromV4)
        throws Exception
    {
        return replay(CONFIG, fromV6, fromV4);
    }

    private ReplayResult replay(
        final String configText, final List<TestCaptures.Record> fromV6, final List<TestCaptures.Record> fromV4)
        throws Exception
    {
        final GatewayConfig config = ConfigLoader.load("stateful.yaml",
            new ByteArrayInputStream(configText.getBytes(StandardCharsets.UTF_8)));
        final Path in6 = TestCaptures.write(dir.resolve("v6-in.pcap"), DataLinkType.RAW, fromV6);
        final Path in4 = TestCaptures.write(dir.resolve("v4-in.pcap"), DataLinkType.RAW, fromV4);
        return new ReplayEngine(new GatewayPipelineFactory()).run(config, new ReplayRequest(
            List.of(new CaptureBinding("v6", in6), new CaptureBinding("v4", in4)),
            List.of(new CaptureBinding("v6", dir.resolve("v6-out.pcap")),
                new CaptureBinding("v4", dir.resolve("v4-out.pcap"))),
            null, true));
    }

    private List<TestCaptures.Record> out(final String port) throws Exception
    {
        return TestCaptures.read(dir.resolve(port + "-out.pcap"));
    }

    private static PacketBuilder fromClient()
    {
        return PacketBuilder.ipv6(CLIENT, EIP6).ttl(64);
    }

    private static PacketBuilder fromInstance()
    {
        return PacketBuilder.ipv4(INSTANCE, POOL4).ttl(64);
    }

    @Test
    void tcpConnectionUdpAndPingThroughTheIpv6Eip() throws Exception
    {
        final List<TestCaptures.Record> v6 = List.of(
            record(T0, fromClient().tcp(50000, 80, SYN).build()),
            record(T0 + 2 * MS, fromClient().tcp(50000, 80, ACK).build()),
            record(T0 + 3 * MS, fromClient().tcp(50000, 80, ACK).payload(200).build()),
            record(T0 + 5 * MS, fromClient().tcp(50000, 80, FIN | ACK).build()),
            record(T0 + 8 * MS, fromClient().tcp(50000, 80, ACK).build()),
            record(T0 + 10 * MS, fromClient().udp(50001, 53).payload(30).build()),
            record(T0 + 12 * MS, fromClient().icmpEchoRequest(7, 1).payload(16).build()));
        final List<TestCaptures.Record> v4 = List.of(
            record(T0 + MS, fromInstance().tcp(80, T, SYN | ACK).build()),
            record(T0 + 4 * MS, fromInstance().tcp(80, T, ACK).payload(500).build()),
            record(T0 + 6 * MS, fromInstance().tcp(80, T, ACK).build()),
            record(T0 + 7 * MS, fromInstance().tcp(80, T, FIN | ACK).build()),
            record(T0 + 11 * MS, fromInstance().udp(53, T).payload(60).build()),
            record(T0 + 13 * MS, fromInstance().icmpEchoReply(T, 1).payload(16).build()));

        final ReplayResult result = replay(v6, v4);

        assertTrue(result.balanced(), result.mismatches().toString());
        final List<TestCaptures.Record> toV4 = out("v4");
        final List<TestCaptures.Record> toV6 = out("v6");
        assertEquals(7, toV4.size(), "every client packet reaches the instance");
        assertEquals(6, toV6.size(), "every instance packet reaches the client");
        for (final TestCaptures.Record r : toV4)
        {
            final Ipv4Flyweight ipv4 = new Ipv4Flyweight().wrap(new UnsafeBuffer(r.data()), 0);
            assertEquals(POOL4, Ipv4Address.format(ipv4.srcAddress()));
            assertEquals(INSTANCE, Ipv4Address.format(ipv4.dstAddress()), "the EIP became the instance address");
            assertEquals(63, ipv4.ttl());
        }
        for (final TestCaptures.Record r : toV6)
        {
            final Ipv6Flyweight ipv6 = new Ipv6Flyweight().wrap(new UnsafeBuffer(r.data()), 0);
            assertEquals(EIP6, Ipv6Address.format(ipv6.srcHigh(), ipv6.srcLow()), "replies come from the IPv6 EIP");
            assertEquals(CLIENT, Ipv6Address.format(ipv6.dstHigh(), ipv6.dstLow()));
        }
        final String sessions = result.sessions();
        assertTrue(sessions.contains("tcp 2001:db8:ffff::7#50000 64:ff9b::cb00:7105#80 | 198.51.100.10#40000 "
            + "10.0.1.5#80 | V4 FIN + V6 FIN RCV"), sessions);
        assertTrue(sessions.contains("udp 2001:db8:ffff::7#50001 64:ff9b::cb00:7105#53 | 198.51.100.10#40000 10.0.1.5#53"),
            sessions);
        assertTrue(sessions.contains("icmp 2001:db8:ffff::7#7 64:ff9b::cb00:7105 | 198.51.100.10#40000 10.0.1.5"),
            sessions);
        assertEquals(3, sessions.lines().count(), sessions);
    }

    @Test
    void sessionsExpireOnThePacketClockOfTheCapture() throws Exception
    {
        final List<TestCaptures.Record> v6 = List.of(
            record(T0, fromClient().udp(50001, 53).build()),
            record(T0 + MS, fromClient().icmpEchoRequest(7, 1).build()),
            record(T0 + 2 * MS, fromClient().tcp(50000, 80, SYN).build()));
        // Later packets drive the clock: ICMP goes at 60 s, TCP (V6 INIT) at 4 min, UDP at 5 min.
        final List<TestCaptures.Record> v4 = List.of(
            record(T0 + TimeUnit.SECONDS.toNanos(62), fromInstance().icmpEchoReply(T, 2).build()),
            record(T0 + TimeUnit.SECONDS.toNanos(302), fromInstance().udp(53, T).build()));

        final ReplayResult result = replay(v6, v4);

        assertTrue(result.balanced(), result.mismatches().toString());
        assertEquals(2, result.counter("drop nat64-4to6/no-bib-entry worker=0"),
            "the ping reply after 62 s and the UDP after 5 min find no state: " + result.counters());
        assertEquals(0, out("v6").size());
        assertEquals(4, out("v4").size(), "three translated, then Port Unreachable for the late UDP");
        assertEquals("", result.sessions(), "every session expired by 5 min 2 s");
    }

    @Test
    void unsolicitedSynIsAnsweredPortUnreachableWhenThePacketClockPassesSixSeconds() throws Exception
    {
        final byte[] syn = fromInstance().tcp(80, T, SYN).build();
        final ReplayResult result = replay(
            List.of(record(T0 + TimeUnit.SECONDS.toNanos(7), fromClient().icmpEchoRequest(7, 1).build())),
            List.of(record(T0, syn)));

        assertTrue(result.balanced(), result.mismatches().toString());
        final List<TestCaptures.Record> toV4 = out("v4");
        assertEquals(2, toV4.size(), result.counters().toString());
        final byte[] error = toV4.get(0).data();
        assertEquals(1, error[9], "ICMP");
        assertEquals(3, error[20], "Destination Unreachable");
        assertEquals(3, error[21], "Port Unreachable after the 6 s hold (RFC 6146 §3.5.2.2)");
        assertEquals(INSTANCE, Ipv4Address.format(new Ipv4Flyweight().wrap(new UnsafeBuffer(error), 0).dstAddress()));
        assertEquals(8, toV4.get(1).data()[20], "then the ping that moved the clock, translated");
        assertEquals(1, result.totals().consumed(), "the held SYN");
        assertEquals(1, result.totals().generated(), "the Port Unreachable");
    }

    @Test
    void simultaneousOpenMapsTheIpv6HostToThePortTheHeldSynAimedAt() throws Exception
    {
        final ReplayResult result = replay(
            List.of(record(T0 + 2 * MS, fromClient().tcp(50000, 80, SYN).build()),
                record(T0 + 4 * MS, fromClient().tcp(50000, 80, ACK).build())),
            List.of(record(T0, fromInstance().tcp(80, T, SYN).build()),
                record(T0 + 3 * MS, fromInstance().tcp(80, T, SYN | ACK).build())));

        assertTrue(result.balanced(), result.mismatches().toString());
        assertEquals(2, out("v4").size(), "the client's SYN and ACK reach the instance");
        assertEquals(1, out("v6").size(), "the instance's SYN-ACK reaches the client");
        assertEquals(1, result.totals().consumed(), "the IPv4 SYN, held, then discarded for the IPv6 SYN (§3.5.2.2)");
        assertEquals(0, result.totals().dropped(), result.counters().toString());
        assertTrue(result.sessions().contains("tcp 2001:db8:ffff::7#50000 64:ff9b::cb00:7105#80 | 198.51.100.10#40000 "
            + "10.0.1.5#80 | ESTABLISHED"), result.sessions());
    }

    @Test
    void exhaustedPoolAnswersAddressUnreachableAndCountsIt() throws Exception
    {
        // pool4 has one port: the second flow finds none.
        final ReplayResult result = replay(
            List.of(record(T0, fromClient().udp(50001, 53).build()),
                record(T0 + MS, fromClient().udp(50002, 53).build())),
            List.of());

        assertTrue(result.balanced(), result.mismatches().toString());
        assertEquals(1, out("v4").size());
        final byte[] error = out("v6").get(0).data();
        assertEquals(1, error[40], "ICMPv6 Destination Unreachable");
        assertEquals(3, error[41], "Address Unreachable (RFC 6146 §3.5.1.1)");
        assertEquals(1, result.counter("drop nat64-6to4/pool4-exhausted worker=0"), result.counters().toString());
    }

    @Test
    void holdsOneHundredThousandConcurrentSessions() throws Exception
    {
        final String config = CONFIG.replace("    - {address: 198.51.100.10, ports: 40000-40000}",
            "    - {prefix: 198.51.100.8/30, ports: 1024-65535}\n  max-sessions: 131072");
        final int sessions = 100_000;
        final List<TestCaptures.Record> v6 = new java.util.ArrayList<>(sessions);
        for (int i = 0; i < sessions; i++)
        {
            final String client = "2001:db8:ffff::" + Integer.toHexString(1 + i / 60_000) + ":" + Integer.toHexString(
                1 + i % 60_000);
            v6.add(record(T0 + i * 1_000L, PacketBuilder.ipv6(client, EIP6).ttl(64).udp(50000, 53).build()));
        }

        final ReplayResult result = replay(config, v6, List.of());

        assertTrue(result.balanced(), result.mismatches().toString());
        final List<TestCaptures.Record> toV4 = out("v4");
        assertEquals(sessions, toV4.size(), result.counters().toString());
        final java.util.Set<Long> transportAddresses = new java.util.HashSet<>();
        for (final TestCaptures.Record r : toV4)
        {
            final UnsafeBuffer packet = new UnsafeBuffer(r.data());
            transportAddresses.add(((long)new Ipv4Flyweight().wrap(packet, 0).srcAddress() << 16)
                | (packet.getShort(20, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF));
        }
        assertEquals(sessions, transportAddresses.size(), "every client has its own pool4 address and port");
        assertEquals(sessions, result.sessions().lines().count(), "all alive at the end");
    }
}
