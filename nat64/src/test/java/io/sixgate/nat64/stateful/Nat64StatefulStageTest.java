package io.sixgate.nat64.stateful;

import static io.sixgate.nat64.stateful.StatefulTestbed.CLIENT6;
import static io.sixgate.nat64.stateful.StatefulTestbed.CLIENT6_B;
import static io.sixgate.nat64.stateful.StatefulTestbed.EIP6;
import static io.sixgate.nat64.stateful.StatefulTestbed.GATEWAY6;
import static io.sixgate.nat64.stateful.StatefulTestbed.INSTANCE;
import static io.sixgate.nat64.stateful.StatefulTestbed.POOL4;
import static io.sixgate.nat64.stateful.StatefulTestbed.POOL4_AS_V6;
import static io.sixgate.nat64.stateful.StatefulTestbed.u16;
import static io.sixgate.nat64.stateful.StatefulTestbed.v4;
import static io.sixgate.nat64.stateful.StatefulTestbed.v6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.nat64.state.PortRange;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.state.SessionTable;
import io.sixgate.nat64.state.SessionTableConfig;
import io.sixgate.nat64.state.TcpStateMachine;

import org.junit.jupiter.api.Test;

/**
 * The stateful NAT64 stages, RFC 6146 §3.4 to §3.8, through the IPv6 EIP of the product.
 */
class Nat64StatefulStageTest
{
    private static final int SYN = TcpFlyweight.SYN;
    private static final int ACK = TcpFlyweight.ACK;
    private static final int FIN = TcpFlyweight.FIN;
    private static final int RST = TcpFlyweight.RST;

    @Test
    void translatesUdpToTheInstanceBehindTheEipAndTheReplyBackToTheClient()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            final byte[] out = bed.send6(v6(CLIENT6, EIP6).udp(40000, 53).payload(12).build()).only4();
            assertEquals(POOL4, ip4(out, 12), "client rewritten to pool4");
            assertEquals(INSTANCE, ip4(out, 16), "the EIP mapped to the instance");
            final int t = u16(out, 20);
            assertEquals(53, u16(out, 22));
            assertTrue(t >= 1024, "RFC 4787 REQ-3: a high port stays high: " + t);
            assertEquals(0, t % 2, "RFC 4787 REQ-4: parity kept");

            final byte[] back = bed.send4(v4(INSTANCE, POOL4).udp(53, t).payload(30).build()).only6();
            assertEquals(EIP6, ip6(back, 8), "the reply comes from the address the client sent to");
            assertEquals(CLIENT6, ip6(back, 24));
            assertEquals(53, u16(back, 40));
            assertEquals(40000, u16(back, 42));
            assertEquals(1, bed.shard().sessions().size());
        }
    }

    @Test
    void neverTranslatesToAnIpv4DestinationThatNoHostMayHave()
    {
        // Found by StatefulNat64FuzzTest: with wkp-global-only off, 64:ff9b::/96 reached class E.
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            for (final String destination : new String[]{"64:ff9b::fe33:6402", "64:ff9b::7f00:1", "64:ff9b::e000:1",
                "64:ff9b::1", "64:ff9b::ffff:ffff"})
            {
                final StatefulTestbed.Output output = bed.send6(v6(CLIENT6, destination).udp(40000, 53).build());
                output.assertNothing();
                assertEquals(List.of("nat64-6to4/destination-not-translatable"), output.drops(), destination);
            }
        }
    }

    @Test
    void pingsThroughTheEipWithAPool4Identifier()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            final byte[] out = bed.send6(v6(CLIENT6, EIP6).icmpEchoRequest(777, 1).payload(8).build()).only4();
            assertEquals(8, out[20]);
            assertEquals(INSTANCE, ip4(out, 16));
            final int id = u16(out, 24);
            final byte[] reply = bed.send4(v4(INSTANCE, POOL4).icmpEchoReply(id, 1).payload(8).build()).only6();
            assertEquals(129, reply[40] & 0xFF);
            assertEquals(777, u16(reply, 44));
            assertEquals(EIP6, ip6(reply, 8));
        }
    }

    @Test
    void fullTcpConnectionThroughTheEipWalksTheRfc6146States()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            final SessionTable sessions = bed.shard().sessions();
            final int t = u16(bed.send6(v6(CLIENT6, EIP6).tcp(50000, 80, SYN).build()).only4(), 20);
            final int session = sessions.find4(SessionProtocol.TCP, Ipv4Address.parse(POOL4), t,
                Ipv4Address.parse(INSTANCE), 80);
            assertEquals(TcpStateMachine.V6_INIT, sessions.tcpState(session));
            assertEquals(bed.nowNs() + TimeUnit.MINUTES.toNanos(4), sessions.expiryNs(session), "TCP_TRANS");

            bed.send4(v4(INSTANCE, POOL4).tcp(80, t, SYN | ACK).build()).only6();
            assertEquals(TcpStateMachine.ESTABLISHED, sessions.tcpState(session));
            assertEquals(bed.nowNs() + TimeUnit.MINUTES.toNanos(124), sessions.expiryNs(session), "TCP_EST");
            bed.send6(v6(CLIENT6, EIP6).tcp(50000, 80, ACK).build()).only4();
            bed.send6(v6(CLIENT6, EIP6).tcp(50000, 80, ACK).payload(100).build()).only4();
            final byte[] data = bed.send4(v4(INSTANCE, POOL4).tcp(80, t, ACK).payload(1000).build()).only6();
            assertEquals(40 + 20 + 1000, data.length);

            bed.send6(v6(CLIENT6, EIP6).tcp(50000, 80, FIN | ACK).build()).only4();
            assertEquals(TcpStateMachine.V6_FIN_RCV, sessions.tcpState(session));
            bed.send4(v4(INSTANCE, POOL4).tcp(80, t, ACK).build()).only6();
            bed.send4(v4(INSTANCE, POOL4).tcp(80, t, FIN | ACK).build()).only6();
            assertEquals(TcpStateMachine.V4_FIN_V6_FIN_RCV, sessions.tcpState(session));
            bed.send6(v6(CLIENT6, EIP6).tcp(50000, 80, ACK).build()).only4();
            assertEquals(bed.nowNs() + TimeUnit.MINUTES.toNanos(4), sessions.expiryNs(session),
                "after both FINs only TCP_TRANS is left");

            bed.advance(4, TimeUnit.MINUTES).tick();
            assertEquals(0, sessions.size(), "closed connection gone after TCP_TRANS");
            assertEquals(0, bed.shard().pool4().allocatedPorts(), "its pool4 port returned");
        }
    }

    @Test
    void rstMovesAnEstablishedSessionToTransitory()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            final int t = u16(bed.send6(v6(CLIENT6, EIP6).tcp(50001, 80, SYN).build()).only4(), 20);
            bed.send4(v4(INSTANCE, POOL4).tcp(80, t, SYN | ACK).build()).only6();
            bed.send4(v4(INSTANCE, POOL4).tcp(80, t, RST).build()).only6();
            final SessionTable sessions = bed.shard().sessions();
            final int session = sessions.find6(SessionProtocol.TCP, Ipv6Address.parse(CLIENT6)[0],
                Ipv6Address.parse(CLIENT6)[1], 50001, Ipv4Address.parse(INSTANCE), 80);
            assertEquals(TcpStateMachine.TRANS, sessions.tcpState(session));
        }
    }

    @Test
    void tcpSegmentWithoutStateIsDropped()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            assertEquals(List.of("nat64-6to4/tcp-without-state"),
                bed.send6(v6(CLIENT6, EIP6).tcp(50002, 80, ACK).build()).drops());
            assertEquals(List.of("nat64-4to6/tcp-without-state"),
                bed.send4(v4(INSTANCE, POOL4).tcp(80, 3000, ACK).build()).drops());
        }
    }

    @Test
    void udpToAPool4PortWithoutBibEntryIsAnsweredPortUnreachable()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            final StatefulTestbed.Output output = bed.send4(v4(INSTANCE, POOL4).udp(53, 4101).payload(4).build());
            final byte[] error = output.only4();
            assertEquals(List.of("nat64-4to6/no-bib-entry"), output.drops());
            assertEquals(3, error[20]);
            assertEquals(3, error[21]);
            assertEquals(POOL4, ip4(error, 12));
            assertEquals(INSTANCE, ip4(error, 16));
        }
    }

    @Test
    void poolExhaustionAnswersAddressUnreachableAndCountsIt()
    {
        try (StatefulTestbed bed = new StatefulTestbed(new PortRange(2000, 2001), SessionTableConfig.of(64, 64, 64, 1),
            false))
        {
            bed.send6(v6(CLIENT6, EIP6).udp(5000, 53).build()).only4();
            bed.send6(v6(CLIENT6, EIP6).udp(5001, 53).build()).only4();
            final StatefulTestbed.Output third = bed.send6(v6(CLIENT6, EIP6).udp(5002, 53).build());
            assertEquals(List.of("nat64-6to4/pool4-exhausted"), third.drops());
            final byte[] error = third.only6();
            assertEquals(1, error[40], "ICMPv6 Destination Unreachable");
            assertEquals(3, error[41], "code 3, Address Unreachable (RFC 6146 §3.5.1.1)");
            assertEquals(GATEWAY6, ip6(error, 8));
            assertEquals(CLIENT6, ip6(error, 24));
        }
    }

    @Test
    void perSourceSessionLimitRefusesTheNextSession()
    {
        final SessionTableConfig limited = SessionTableConfig.of(64, 64, 64, 1).withSourceLimits(128, 64, 2);
        try (StatefulTestbed bed = new StatefulTestbed(new PortRange(1024, 65535), limited, false))
        {
            bed.send6(v6(CLIENT6, EIP6).udp(5000, 53).build()).only4();
            bed.send6(v6(CLIENT6, EIP6).udp(5000, 54).build()).only4();
            assertEquals(List.of("nat64-6to4/source-session-quota"),
                bed.send6(v6(CLIENT6, EIP6).udp(5000, 55).build()).drops());
            bed.send6(v6(CLIENT6_B, EIP6).udp(5000, 55).build()).only4();
        }
    }

    @Test
    void globalSessionCapRefusesTheNextSession()
    {
        try (StatefulTestbed bed = new StatefulTestbed(new PortRange(1024, 65535), SessionTableConfig.of(2, 64, 64, 1),
            false))
        {
            bed.send6(v6(CLIENT6, EIP6).udp(5000, 53).build()).only4();
            bed.send6(v6(CLIENT6, EIP6).udp(5001, 53).build()).only4();
            assertEquals(List.of("nat64-6to4/session-table-full"),
                bed.send6(v6(CLIENT6, EIP6).udp(5002, 53).build()).drops());
        }
    }

    @Test
    void unsolicitedSynIsHeldSixSecondsThenAnsweredPortUnreachable()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            final byte[] syn = v4(INSTANCE, POOL4).tcp(80, 6000, SYN).build();
            bed.send4(syn).assertNothing();
            assertEquals(1, bed.shard().heldSyns().size());
            assertEquals(List.of("nat64-4to6/held-syn-duplicate"), bed.send4(syn).drops());
            bed.advance(5, TimeUnit.SECONDS).tick().assertNothing();
            final byte[] error = bed.advance(1, TimeUnit.SECONDS).tick().only4();
            assertEquals(3, error[20]);
            assertEquals(3, error[21], "Port Unreachable (RFC 6146 §3.5.2.2)");
            assertEquals(INSTANCE, ip4(error, 16));
            assertTrue(Arrays.equals(syn, Arrays.copyOfRange(error, 28, 28 + syn.length)), "quotes the held SYN");
            assertEquals(0, bed.shard().heldSyns().size());
            assertEquals(1, bed.stage46().heldSynsExpired());
        }
    }

    @Test
    void simultaneousOpenDropsTheHeldSynAndMapsTheIpv6SideToItsPort()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            bed.send4(v4(INSTANCE, POOL4).tcp(80, 6001, SYN).build()).assertNothing();
            bed.advance(2, TimeUnit.SECONDS);
            final byte[] out = bed.send6(v6(CLIENT6, EIP6).tcp(43210, 80, SYN).build()).only4();
            assertEquals(6001, u16(out, 20), "the IPv6 host is mapped to the port the IPv4 SYN aimed at");
            assertEquals(0, bed.shard().heldSyns().size());
            assertEquals(1, bed.stage64().heldSynsSuperseded());
            final SessionTable sessions = bed.shard().sessions();
            final int session = sessions.find4(SessionProtocol.TCP, Ipv4Address.parse(POOL4), 6001,
                Ipv4Address.parse(INSTANCE), 80);
            assertEquals(TcpStateMachine.ESTABLISHED, sessions.tcpState(session));
            bed.advance(10, TimeUnit.SECONDS).tick().assertNothing();
        }
    }

    @Test
    void hairpinsBetweenTwoIpv6HostsThroughThePool()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            // B gets a mapping by talking to anyone; A then reaches B at B's pool4 transport address.
            final int tB = u16(bed.send6(v6(CLIENT6_B, EIP6).udp(7000, 53).build()).only4(), 20);
            final byte[] atB = bed.send6(v6(CLIENT6, POOL4_AS_V6).udp(6000, tB).payload(10).build()).only6();
            assertEquals(POOL4_AS_V6, ip6(atB, 8), "A appears as pool4 under pool6");
            assertEquals(CLIENT6_B, ip6(atB, 24));
            assertEquals(7000, u16(atB, 42));
            assertEquals(63, atB[7], "hop limit decremented once");
            final int tA = u16(atB, 40);
            final byte[] atA = bed.send6(v6(CLIENT6_B, POOL4_AS_V6).udp(7000, tA).payload(10).build()).only6();
            assertEquals(CLIENT6, ip6(atA, 24));
            assertEquals(6000, u16(atA, 42));
            assertEquals(tB, u16(atA, 40));
        }
    }

    @Test
    void hairpinnedSynToAPortWithoutBibEntryGetsIcmpv6PortUnreachable()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            bed.send6(v6(CLIENT6, POOL4_AS_V6).tcp(6000, 1501, SYN).build()).assertNothing();
            final byte[] error = bed.advance(6, TimeUnit.SECONDS).tick().only6();
            assertEquals(1, error[40]);
            assertEquals(4, error[41]);
            assertEquals(GATEWAY6, ip6(error, 8));
        }
    }

    @Test
    void addressDependentFilteringLetsOnlyTheContactedAddressIn()
    {
        try (StatefulTestbed bed = new StatefulTestbed(new PortRange(1024, 65535), SessionTableConfig.of(64, 64, 64, 1),
            true))
        {
            final int t = u16(bed.send6(v6(CLIENT6, EIP6).udp(5000, 53).build()).only4(), 20);
            bed.send4(v4(INSTANCE, POOL4).udp(5353, t).build()).only6();
            assertEquals(List.of("nat64-4to6/address-dependent-filtered"),
                bed.send4(v4("198.51.100.9", POOL4).udp(53, t).build()).drops());
        }
    }

    @Test
    void endpointIndependentFilteringLetsAnyRemoteReachAnExistingMapping()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            final int t = u16(bed.send6(v6(CLIENT6, EIP6).udp(5000, 53).build()).only4(), 20);
            final byte[] in = bed.send4(v4("198.51.100.9", POOL4).udp(53, t).build()).only6();
            assertEquals("64:ff9b::c633:6409", ip6(in, 8));
            assertEquals(2, bed.shard().sessions().size());
        }
    }

    @Test
    void icmpErrorFromTheIpv4SideReachesTheClientOfTheSession()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            final byte[] out = bed.send6(v6(CLIENT6, EIP6).udp(5000, 53).payload(8).build()).only4();
            final byte[] quoted = Arrays.copyOf(out, 28);
            final byte[] error = bed.send4(v4("198.51.100.1", POOL4).icmp(3, 3, 0).payload(quoted).build()).only6();
            assertEquals(1, error[40], "Destination Unreachable");
            assertEquals(4, error[41], "Port Unreachable");
            assertEquals("64:ff9b::c633:6401", ip6(error, 8), "the router, under pool6");
            assertEquals(CLIENT6, ip6(error, 24));
            assertEquals(CLIENT6, ip6(error, 48 + 8), "inner source: the client");
            assertEquals(EIP6, ip6(error, 48 + 24), "inner destination: the EIP it sent to");
            assertEquals(5000, u16(error, 88));
        }
    }

    @Test
    void sessionDumpListsEverySession()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            final int t = u16(bed.send6(v6(CLIENT6, EIP6).udp(5000, 53).build()).only4(), 20);
            final StringBuilder dump = new StringBuilder();
            bed.shard().dumpSessions(dump, bed.nowNs());
            assertEquals("udp 2001:db8:ffff::7#5000 64:ff9b::cb00:7105#53 | 192.0.2.2#" + t + " 10.0.1.5#53 |"
                + " expires 300.000 s" + System.lineSeparator(), dump.toString());
        }
    }

    static String ip4(final byte[] packet, final int offset)
    {
        return Ipv4Address.format((packet[offset] & 0xFF) << 24 | (packet[offset + 1] & 0xFF) << 16 |
            (packet[offset + 2] & 0xFF) << 8 | packet[offset + 3] & 0xFF);
    }

    static String ip6(final byte[] packet, final int offset)
    {
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++)
        {
            high = high << 8 | (packet[offset + i] & 0xFF);
            low = low << 8 | (packet[offset + 8 + i] & 0xFF);
        }
        return Ipv6Address.format(high, low);
    }
}
