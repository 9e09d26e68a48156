package io.sixgate.core.stage;

import static io.sixgate.core.packet.PacketBuilder.ipv4Address;
import static io.sixgate.core.packet.PacketBuilder.ipv6Low;
import static io.sixgate.core.stage.RouterTestbed.HOST_MAC;
import static io.sixgate.core.stage.RouterTestbed.LAN;
import static io.sixgate.core.stage.RouterTestbed.LAN_MAC;
import static io.sixgate.core.stage.RouterTestbed.ROUTER_MAC;
import static io.sixgate.core.stage.RouterTestbed.SECONDS;
import static io.sixgate.core.stage.RouterTestbed.WAN;
import static io.sixgate.core.stage.RouterTestbed.WAN_MAC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

import io.sixgate.core.icmp.IcmpErrorSender;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.Icmpv4Flyweight;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.packet.Ipv4Validator;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.PacketBuilder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The router's ICMP errors (RFC 792, RFC 1812 §4.3, RFC 4443 §3) and their limits (RFC 1812
 * §4.3.2.7, RFC 4443 §2.4), through the real pipeline of {@link RouterTestbed}.
 */
class RouterIcmpErrorsTest
{
    private final RouterTestbed router = new RouterTestbed();

    private static byte[] fromHost(final PacketBuilder packet)
    {
        return packet.ethernet(LAN_MAC, HOST_MAC).build();
    }

    private static byte[] ip(final byte[] frame)
    {
        return Arrays.copyOfRange(frame, 14, frame.length);
    }

    /** The one frame sent, an ICMPv6 error to the LAN host from 2001:db8:1::1; returns its ICMPv6 header. */
    private Icmpv6Flyweight icmpv6ErrorToHost()
    {
        assertEquals(List.of(LAN), router.txPorts);
        final byte[] frame = router.tx(0);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        assertEquals(HOST_MAC, new EthernetFlyweight().wrap(buffer, 0).dstMac());
        final Ipv6Flyweight ipv6 = new Ipv6Flyweight().wrap(buffer, 14);
        assertEquals(ipv6Low("2001:db8:1::1"), ipv6.srcLow(), "from the gateway's address on the ingress port");
        assertEquals(ipv6Low("2001:db8:1::10"), ipv6.dstLow());
        IcmpChecks.assertIcmpv6ChecksumValid(frame, 14);
        assertEquals(1, router.pipeline.counters().generated());
        return new Icmpv6Flyweight().wrap(buffer, 54);
    }

    /** The one frame sent, an ICMPv4 error to the LAN host from 192.0.2.1; returns its ICMP header. */
    private Icmpv4Flyweight icmpv4ErrorToHost()
    {
        assertEquals(List.of(LAN), router.txPorts);
        final byte[] frame = router.tx(0);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        assertEquals(HOST_MAC, new EthernetFlyweight().wrap(buffer, 0).dstMac());
        final Ipv4Flyweight ipv4 = new Ipv4Flyweight().wrap(buffer, 14);
        assertEquals(ipv4Address("192.0.2.1"), ipv4.srcAddress(), "RFC 1812 §4.3.2.4");
        assertEquals(ipv4Address("192.0.2.10"), ipv4.dstAddress());
        IcmpChecks.assertIcmpv4Valid(frame, 14);
        return new Icmpv4Flyweight().wrap(buffer, 34);
    }

    @Test
    void timeExceededOverIpv6QuotesThePacketAsItArrived()
    {
        final byte[] sent = fromHost(PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:99::5").ttl(1).udp(1, 2).payload(20));
        router.receive(LAN, sent, SECONDS);

        final Icmpv6Flyweight icmp = icmpv6ErrorToHost();
        assertEquals(Icmpv6Flyweight.TYPE_TIME_EXCEEDED, icmp.type());
        assertEquals(Icmpv6Flyweight.CODE_HOP_LIMIT_EXCEEDED, icmp.code());
        assertArrayEquals(ip(sent), Arrays.copyOfRange(router.tx(0), 62, router.tx(0).length));
        assertEquals(1, router.dropped(StageNames.IPV6_FORWARD, Ipv6ForwardStage.Reason.HOP_LIMIT_EXCEEDED));
        assertEquals(1, router.event(StageNames.IPV6_FORWARD, IcmpErrorSender.Outcome.SENT));
        router.assertConserved();
    }

    @Test
    void timeExceededOverIpv4QuotesThePacketAsItArrived()
    {
        final byte[] sent = fromHost(PacketBuilder.ipv4("192.0.2.10", "203.0.113.5").ttl(1).udp(1, 2).payload(20));
        router.receive(LAN, sent, SECONDS);

        final Icmpv4Flyweight icmp = icmpv4ErrorToHost();
        assertEquals(Icmpv4Flyweight.TYPE_TIME_EXCEEDED, icmp.type());
        assertEquals(Icmpv4Flyweight.CODE_TTL_EXCEEDED, icmp.code());
        assertArrayEquals(ip(sent), Arrays.copyOfRange(router.tx(0), 42, router.tx(0).length));
        assertEquals(1, router.dropped(StageNames.IPV4_FORWARD, Ipv4ForwardStage.Reason.TTL_EXCEEDED));
        router.assertConserved();
    }

    @Test
    void noRouteOverIpv6IsDestinationUnreachableCodeZero()
    {
        router.receive(LAN, fromHost(PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:77::1").udp(1, 2)), SECONDS);

        final Icmpv6Flyweight icmp = icmpv6ErrorToHost();
        assertEquals(Icmpv6Flyweight.TYPE_DESTINATION_UNREACHABLE, icmp.type());
        assertEquals(Icmpv6Flyweight.CODE_NO_ROUTE, icmp.code());
        assertEquals(1, router.dropped(StageNames.IPV6_FORWARD, Ipv6ForwardStage.Reason.NO_ROUTE));
    }

    @Test
    void noRouteOverIpv4IsNetUnreachable()
    {
        router.receive(LAN, fromHost(PacketBuilder.ipv4("192.0.2.10", "10.1.2.3").udp(1, 2)), SECONDS);

        final Icmpv4Flyweight icmp = icmpv4ErrorToHost();
        assertEquals(Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, icmp.type());
        assertEquals(Icmpv4Flyweight.CODE_NET_UNREACHABLE, icmp.code());
        assertEquals(1, router.dropped(StageNames.IPV4_FORWARD, Ipv4ForwardStage.Reason.NO_ROUTE));
    }

    @Test
    void packetTooBigCarriesTheEgressMtuAndFitsTheMinimumMtu()
    {
        final byte[] sent = fromHost(PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:99::5").udp(1, 2).payload(1400));
        router.receive(LAN, sent, SECONDS);

        final Icmpv6Flyweight icmp = icmpv6ErrorToHost();
        assertEquals(Icmpv6Flyweight.TYPE_PACKET_TOO_BIG, icmp.type());
        assertEquals(1280, icmp.mtu());
        assertEquals(14 + 1280, router.tx(0).length, "RFC 4443 §2.4 (c): as much as fits in 1280 bytes");
        assertArrayEquals(Arrays.copyOf(ip(sent), 1280 - 48), Arrays.copyOfRange(router.tx(0), 62, router.tx(0).length));
        assertEquals(1, router.dropped(StageNames.IPV6_FORWARD, Ipv6ForwardStage.Reason.EXCEEDS_MTU));
    }

    @Test
    void fragmentationNeededWhenDontFragmentIsSet()
    {
        final byte[] sent = fromHost(PacketBuilder.ipv4("192.0.2.10", "203.0.113.5").dontFragment(true).udp(1, 2)
            .payload(1400));
        router.receive(LAN, sent, SECONDS);

        final Icmpv4Flyweight icmp = icmpv4ErrorToHost();
        assertEquals(Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, icmp.type());
        assertEquals(Icmpv4Flyweight.CODE_FRAGMENTATION_NEEDED, icmp.code());
        assertEquals(1280, icmp.nextHopMtu(), "RFC 1191 §4");
        assertEquals(14 + 576, router.tx(0).length, "RFC 1812 §4.3.2.3: at most 576 bytes");
        assertArrayEquals(Arrays.copyOf(ip(sent), 576 - 28), Arrays.copyOfRange(router.tx(0), 42, router.tx(0).length));
        assertEquals(1, router.dropped(StageNames.IPV4_FORWARD, Ipv4ForwardStage.Reason.EXCEEDS_MTU));
    }

    @Test
    void fragmentsIpv4WithoutDontFragmentToFitTheEgressMtu()
    {
        final byte[] packet = fromHost(PacketBuilder.ipv4("192.0.2.10", "203.0.113.5").ttl(9).identification(0x7777)
            .udp(1, 2).payload(1800 - 28));
        router.receive(LAN, packet, SECONDS);

        assertEquals(List.of(WAN, WAN), router.txPorts);
        final ByteArrayOutputStream data = new ByteArrayOutputStream();
        int expectedOffset = 0;
        for (int i = 0; i < 2; i++)
        {
            final byte[] frame = router.tx(i);
            final UnsafeBuffer buffer = new UnsafeBuffer(frame);
            assertEquals(ROUTER_MAC, new EthernetFlyweight().wrap(buffer, 0).dstMac());
            assertEquals(WAN_MAC, new EthernetFlyweight().wrap(buffer, 0).srcMac());
            final Ipv4Flyweight ipv4 = new Ipv4Flyweight().wrap(buffer, 14);
            assertTrue(ipv4.totalLength() <= 1280, "fits the egress MTU");
            assertEquals(frame.length - 14, ipv4.totalLength());
            assertEquals(8, ipv4.ttl(), "decremented once");
            assertEquals(0x7777, ipv4.identification());
            assertEquals(expectedOffset, ipv4.fragmentOffsetBytes());
            assertEquals(i == 0, ipv4.moreFragments());
            assertEquals(0, PacketBuilder.referenceChecksum(0, Arrays.copyOfRange(frame, 14, 34)), "header checksum");
            data.write(frame, 34, frame.length - 34);
            expectedOffset += frame.length - 34;
        }
        assertArrayEquals(Arrays.copyOfRange(packet, 34, packet.length), data.toByteArray(), "RFC 791: reassembles");
        assertEquals(1, router.event(StageNames.IPV4_FORWARD, Ipv4ForwardStage.Event.FRAGMENTED));
        router.assertConserved();
    }

    @Test
    void fragmentsOfADatagramWithTrailingBytesPassTheInputValidator()
    {
        // Found by RouterFuzzTest: UDP length 1152 in an IP payload of 1408 (trailing bytes,
        // accepted as Linux does), fragmented for the WAN's MTU of 1280.
        final byte[] packet = fromHost(PacketBuilder.ipv4("192.0.2.10", "203.0.113.5").udp(1, 2).payload(1400));
        packet[14 + 20 + 4] = (byte)(1152 >>> 8);
        packet[14 + 20 + 5] = (byte)1152;
        router.receive(LAN, packet, SECONDS);

        assertEquals(List.of(WAN, WAN), router.txPorts);
        for (int i = 0; i < 2; i++)
        {
            assertNull(Ipv4Validator.validate(new UnsafeBuffer(router.tx(i)), 14, router.tx(i).length - 14),
                "fragment " + i + " is valid input for a gateway");
        }
        router.assertConserved();
    }

    @Test
    void fragmentsCopyOnlyOptionsWithTheCopyFlag()
    {
        // Router Alert (copied, RFC 2113) and a Record Route (not copied) option.
        final byte[] options = {(byte)0x94, 4, 0, 0, 7, 7, 4, 0, 0, 0, 0, 0};
        final byte[] packet = fromHost(PacketBuilder.ipv4("192.0.2.10", "203.0.113.5").ipv4Options(options)
            .udp(1, 2).payload(1500));
        router.receive(LAN, packet, SECONDS);

        assertEquals(2, router.txFrames.size());
        assertEquals(0x48, router.tx(0)[14] & 0xFF, "the first fragment keeps every option");
        assertEquals(0x46, router.tx(1)[14] & 0xFF, "later fragments: the copied option, padded to 4 bytes");
        assertEquals((byte)0x94, router.tx(1)[34]);
    }

    @Test
    void noIcmpErrorAboutAnIcmpError()
    {
        final byte[] quoted = PacketBuilder.ipv6("2001:db8:99::5", "2001:db8:1::10").udp(2, 1).build();
        router.receive(LAN, fromHost(PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:99::5").ttl(1)
            .icmp(Icmpv6Flyweight.TYPE_DESTINATION_UNREACHABLE, 4, 0).payload(quoted)), SECONDS);
        final byte[] quoted4 = PacketBuilder.ipv4("203.0.113.5", "192.0.2.10").udp(2, 1).build();
        router.receive(LAN, fromHost(PacketBuilder.ipv4("192.0.2.10", "203.0.113.5").ttl(1)
            .icmp(Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, 3, 0).payload(quoted4)), SECONDS);

        assertTrue(router.txFrames.isEmpty());
        assertEquals(1, router.dropped(StageNames.IPV6_FORWARD, Ipv6ForwardStage.Reason.HOP_LIMIT_EXCEEDED));
        assertEquals(1, router.dropped(StageNames.IPV4_FORWARD, Ipv4ForwardStage.Reason.TTL_EXCEEDED));
        assertEquals(1, router.event(StageNames.IPV6_FORWARD, IcmpErrorSender.Outcome.NOT_ALLOWED));
        assertEquals(1, router.event(StageNames.IPV4_FORWARD, IcmpErrorSender.Outcome.NOT_ALLOWED));
        router.assertConserved();
    }

    @Test
    void answersAnIcmpQueryThatExpires()
    {
        router.receive(LAN, fromHost(PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:99::5").ttl(1)
            .icmpEchoRequest(1, 1)), SECONDS);

        assertEquals(Icmpv6Flyweight.TYPE_TIME_EXCEEDED, icmpv6ErrorToHost().type(), "an echo request is no error");
    }

    @Test
    void noIcmpErrorAboutNonFirstFragmentsOrLinkLayerBroadcasts()
    {
        router.receive(LAN, fromHost(PacketBuilder.ipv4("192.0.2.10", "203.0.113.5").ttl(1).ipv4Fragment(8, false)
            .udp(1, 2).payload(16)), SECONDS);
        router.receive(LAN, fromHost(PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:99::5").ttl(1)
            .fragmentHeader(8, false, 1).udp(1, 2).payload(16)), SECONDS);
        router.receive(LAN, PacketBuilder.ipv4("192.0.2.10", "203.0.113.5").ttl(1).udp(1, 2)
            .ethernet(EthernetFlyweight.BROADCAST_MAC, HOST_MAC).build(), SECONDS);

        assertTrue(router.txFrames.isEmpty());
        assertEquals(2, router.event(StageNames.IPV4_FORWARD, IcmpErrorSender.Outcome.NOT_ALLOWED));
        assertEquals(1, router.event(StageNames.IPV6_FORWARD, IcmpErrorSender.Outcome.NOT_ALLOWED));
    }

    @Test
    void linkLocalSourceIsNotForwarded()
    {
        router.receive(LAN, fromHost(PacketBuilder.ipv6("fe80::10", "2001:db8:99::5").udp(1, 2)), SECONDS);

        assertEquals(1, router.dropped(StageNames.IPV6_FORWARD, Ipv6ForwardStage.Reason.LINK_LOCAL_SOURCE));
    }

    @Test
    void rateLimitsErrorsWithATokenBucket()
    {
        final RouterTestbed limited = new RouterTestbed(true, 4, 10, 5);
        final byte[] expiring = fromHost(PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:99::5").ttl(1).udp(1, 2));
        for (int i = 0; i < 8; i++)
        {
            limited.receive(LAN, expiring, SECONDS);
        }
        assertEquals(5, limited.txFrames.size(), "the burst");
        assertEquals(3, limited.event(StageNames.IPV6_FORWARD, IcmpErrorSender.Outcome.RATE_LIMITED));

        limited.receive(LAN, expiring, SECONDS + SECONDS / 10);
        limited.receive(LAN, expiring, SECONDS + SECONDS / 10);
        assertEquals(6, limited.txFrames.size(), "10 a second: one more token after 100 ms");
        assertEquals(10, limited.dropped(StageNames.IPV6_FORWARD, Ipv6ForwardStage.Reason.HOP_LIMIT_EXCEEDED),
            "every packet is still dropped and counted");
    }
}
