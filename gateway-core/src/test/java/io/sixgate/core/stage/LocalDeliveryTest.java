package io.sixgate.core.stage;

import static io.sixgate.core.packet.PacketBuilder.ipv4Address;
import static io.sixgate.core.packet.PacketBuilder.ipv6Low;
import static io.sixgate.core.stage.RouterTestbed.HOST_MAC;
import static io.sixgate.core.stage.RouterTestbed.LAN;
import static io.sixgate.core.stage.RouterTestbed.LAN_MAC;
import static io.sixgate.core.stage.RouterTestbed.SECONDS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.Icmpv4Flyweight;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.PacketBuilder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Packets for the gateway itself: echo answered (RFC 792, RFC 4443 §4.2), the rest dropped by
 * name, through the real pipeline of {@link RouterTestbed}.
 */
class LocalDeliveryTest
{
    private final RouterTestbed router = new RouterTestbed();

    @Test
    void answersPingToGatewayAddressOverIpv4()
    {
        final byte[] request = PacketBuilder.ipv4("192.0.2.10", "192.0.2.1").ttl(1).icmpEchoRequest(0x1234, 7)
            .payload(24).ethernet(LAN_MAC, HOST_MAC).build();
        router.receive(LAN, request, SECONDS);

        assertEquals(List.of(LAN), router.txPorts);
        final byte[] reply = router.tx(0);
        final UnsafeBuffer buffer = new UnsafeBuffer(reply);
        assertEquals(HOST_MAC, new EthernetFlyweight().wrap(buffer, 0).dstMac());
        final Ipv4Flyweight ipv4 = new Ipv4Flyweight().wrap(buffer, 14);
        assertEquals(ipv4Address("192.0.2.1"), ipv4.srcAddress());
        assertEquals(ipv4Address("192.0.2.10"), ipv4.dstAddress());
        assertEquals(Ipv4LocalStage.TTL, ipv4.ttl(), "a TTL of 1 does not stop a ping to the gateway");
        final Icmpv4Flyweight icmp = new Icmpv4Flyweight().wrap(buffer, 34);
        assertEquals(Icmpv4Flyweight.TYPE_ECHO_REPLY, icmp.type());
        assertEquals(0x1234, icmp.identifier());
        assertEquals(7, icmp.sequenceNumber());
        assertArrayEquals(Arrays.copyOfRange(request, 42, request.length), Arrays.copyOfRange(reply, 42, reply.length),
            "RFC 792: the data comes back as sent");
        IcmpChecks.assertIcmpv4Valid(reply, 14);
        assertEquals(1, router.event(StageNames.IPV4_LOCAL, Ipv4LocalStage.Event.ECHO_ANSWERED));
        router.assertConserved();
    }

    @Test
    void answersPingToGatewayAddressOverIpv6()
    {
        final byte[] request = PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:1::1").ttl(1).icmpEchoRequest(0x4321, 9)
            .payload(56).ethernet(LAN_MAC, HOST_MAC).build();
        router.receive(LAN, request, SECONDS);

        assertEquals(List.of(LAN), router.txPorts);
        final byte[] reply = router.tx(0);
        final UnsafeBuffer buffer = new UnsafeBuffer(reply);
        assertEquals(HOST_MAC, new EthernetFlyweight().wrap(buffer, 0).dstMac());
        final Ipv6Flyweight ipv6 = new Ipv6Flyweight().wrap(buffer, 14);
        assertEquals(ipv6Low("2001:db8:1::1"), ipv6.srcLow());
        assertEquals(ipv6Low("2001:db8:1::10"), ipv6.dstLow());
        assertEquals(Ipv6LocalStage.HOP_LIMIT, ipv6.hopLimit());
        final Icmpv6Flyweight icmp = new Icmpv6Flyweight().wrap(buffer, 54);
        assertEquals(Icmpv6Flyweight.TYPE_ECHO_REPLY, icmp.type());
        assertEquals(0x4321, icmp.identifier());
        assertEquals(9, icmp.sequenceNumber());
        assertArrayEquals(Arrays.copyOfRange(request, 62, request.length), Arrays.copyOfRange(reply, 62, reply.length),
            "RFC 4443 §4.2: the data comes back as sent");
        IcmpChecks.assertIcmpv6ChecksumValid(reply, 14);
        assertEquals(1, router.event(StageNames.IPV6_LOCAL, Ipv6LocalStage.Event.ECHO_ANSWERED));
        router.assertConserved();
    }

    @Test
    void answersPingToTheGatewayAddressOfAnotherPort()
    {
        router.receive(LAN, PacketBuilder.ipv4("192.0.2.10", "198.51.100.1").icmpEchoRequest(1, 1)
            .ethernet(LAN_MAC, HOST_MAC).build(), SECONDS);

        assertEquals(List.of(LAN), router.txPorts, "weak host model (RFC 1122 §3.3.4.2)");
        assertEquals(ipv4Address("198.51.100.1"), new Ipv4Flyweight().wrap(new UnsafeBuffer(router.tx(0)), 14).srcAddress());
    }

    @Test
    void answersPingToAllNodesFromThePortAddress()
    {
        router.receive(LAN, PacketBuilder.ipv6("2001:db8:1::10", "ff02::1").ttl(1).icmpEchoRequest(1, 1)
            .ethernet(0x3333_0000_0001L, HOST_MAC).build(), SECONDS);

        assertEquals(List.of(LAN), router.txPorts);
        final Ipv6Flyweight ipv6 = new Ipv6Flyweight().wrap(new UnsafeBuffer(router.tx(0)), 14);
        assertEquals(ipv6Low("2001:db8:1::1"), ipv6.srcLow(), "RFC 4443 §4.2: a unicast address of the interface");
        IcmpChecks.assertIcmpv6ChecksumValid(router.tx(0), 14);
    }

    @Test
    void answersPingEvenWithExtensionHeadersWithoutEchoingThem()
    {
        router.receive(LAN, PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:1::1").destinationOptions()
            .icmpEchoRequest(1, 1).payload(8).ethernet(LAN_MAC, HOST_MAC).build(), SECONDS);

        final byte[] reply = router.tx(0);
        assertEquals(58, reply[14 + 6]);
        assertEquals(14 + 40 + 16, reply.length);
        IcmpChecks.assertIcmpv6ChecksumValid(reply, 14);
    }

    @Test
    void dropsOtherTrafficToGatewayByName()
    {
        router.receive(LAN, PacketBuilder.ipv4("192.0.2.10", "192.0.2.1").udp(1, 53).ethernet(LAN_MAC, HOST_MAC).build());
        router.receive(LAN, PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:1::1").tcp(1, 22, 0x02)
            .ethernet(LAN_MAC, HOST_MAC).build());
        router.receive(LAN, PacketBuilder.ipv4("192.0.2.10", "192.0.2.1").icmpEchoReply(1, 1)
            .ethernet(LAN_MAC, HOST_MAC).build());
        router.receive(LAN, PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:1::1").icmpEchoReply(1, 1)
            .ethernet(LAN_MAC, HOST_MAC).build());
        router.receive(LAN, PacketBuilder.ipv4("192.0.2.10", "255.255.255.255").icmpEchoRequest(1, 1)
            .ethernet(EthernetFlyweight.BROADCAST_MAC, HOST_MAC).build());
        router.receive(LAN, PacketBuilder.ipv4("192.0.2.10", "192.0.2.255").icmpEchoRequest(1, 1)
            .ethernet(EthernetFlyweight.BROADCAST_MAC, HOST_MAC).build());
        router.receive(LAN, PacketBuilder.ipv4("192.0.2.10", "224.0.0.5").udp(1, 2)
            .ethernet(0x0100_5E00_0005L, HOST_MAC).build());
        router.receive(LAN, PacketBuilder.ipv6("fe80::10", "ff02::16").ttl(1).icmp(143, 0, 0)
            .ethernet(0x3333_0000_0016L, HOST_MAC).build());
        router.receive(LAN, PacketBuilder.ipv6("2001:db8:1::10", "ff0e::1").udp(1, 2)
            .ethernet(0x3333_0000_0001L, HOST_MAC).build());

        assertTrue(router.txFrames.isEmpty());
        assertEquals(1, router.dropped(StageNames.IPV4_LOCAL, Ipv4LocalStage.Reason.UNSUPPORTED_PROTOCOL));
        assertEquals(1, router.dropped(StageNames.IPV6_LOCAL, Ipv6LocalStage.Reason.UNSUPPORTED_PROTOCOL));
        assertEquals(1, router.dropped(StageNames.IPV4_LOCAL, Ipv4LocalStage.Reason.UNSUPPORTED_ICMP));
        assertEquals(1, router.dropped(StageNames.IPV6_LOCAL, Ipv6LocalStage.Reason.UNSUPPORTED_ICMP));
        assertEquals(2, router.dropped(StageNames.IPV4_LOCAL, Ipv4LocalStage.Reason.BROADCAST));
        assertEquals(1, router.dropped(StageNames.IPV4_LOCAL, Ipv4LocalStage.Reason.MULTICAST));
        assertEquals(1, router.dropped(StageNames.IPV6_LOCAL, Ipv6LocalStage.Reason.MULTICAST_NOT_JOINED));
        assertEquals(1, router.dropped(StageNames.IPV6_LOCAL, Ipv6LocalStage.Reason.MULTICAST_NOT_ROUTED));
        assertEquals(9, router.totalDropped());
        router.assertConserved();
    }

    @Test
    void dropsPingWithBadChecksum()
    {
        final byte[] request = PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:1::1").icmpEchoRequest(1, 1)
            .ethernet(LAN_MAC, HOST_MAC).build();
        request[request.length - 1] ^= 1;
        request[14 + 40 + 2] ^= 0x10;
        router.receive(LAN, request);

        assertEquals(1, router.dropped(StageNames.IPV6_LOCAL, Ipv6LocalStage.Reason.BAD_ICMP_CHECKSUM));
    }

    @Test
    void dropsFragmentsForTheGateway()
    {
        router.receive(LAN, PacketBuilder.ipv4("192.0.2.10", "192.0.2.1").ipv4Fragment(0, true).icmpEchoRequest(1, 1)
            .payload(16).ethernet(LAN_MAC, HOST_MAC).build());
        router.receive(LAN, PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:1::1").fragmentHeader(0, true, 7)
            .icmpEchoRequest(1, 1).payload(16).ethernet(LAN_MAC, HOST_MAC).build());

        assertEquals(1, router.dropped(StageNames.IPV4_LOCAL, Ipv4LocalStage.Reason.FRAGMENT));
        assertEquals(1, router.dropped(StageNames.IPV6_LOCAL, Ipv6LocalStage.Reason.FRAGMENT));
    }
}
