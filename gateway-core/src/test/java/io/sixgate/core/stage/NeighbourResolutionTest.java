package io.sixgate.core.stage;

import static io.sixgate.core.packet.PacketBuilder.ipv4Address;
import static io.sixgate.core.packet.PacketBuilder.ipv6High;
import static io.sixgate.core.packet.PacketBuilder.ipv6Low;
import static io.sixgate.core.stage.RouterTestbed.HOST_MAC;
import static io.sixgate.core.stage.RouterTestbed.LAN;
import static io.sixgate.core.stage.RouterTestbed.LAN_MAC;
import static io.sixgate.core.stage.RouterTestbed.SECONDS;
import static io.sixgate.core.stage.RouterTestbed.WAN;
import static io.sixgate.core.stage.RouterTestbed.WAN_MAC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import io.sixgate.core.icmp.IcmpErrorSender;
import io.sixgate.core.neighbour.NeighbourCache;
import io.sixgate.core.packet.ArpFlyweight;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.Icmpv4Flyweight;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.Ipv6HeaderChain;
import io.sixgate.core.packet.Ipv6Validator;
import io.sixgate.core.packet.NdpFlyweight;
import io.sixgate.core.packet.NdpValidator;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.UdpFlyweight;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Next hops resolved by ARP and Neighbor Solicitation while packets wait, through the real
 * pipeline of {@link RouterTestbed}.
 */
class NeighbourResolutionTest
{
    private static final long NEW_MAC = 0x02_00_00_00_00_50L;
    private static final long MOVED_MAC = 0x02_00_00_00_00_51L;

    private final RouterTestbed router = new RouterTestbed();

    private static byte[] udp6From(final String dst, final int srcPort)
    {
        return PacketBuilder.ipv6("2001:db8:1::10", dst).udp(srcPort, 53).payload(16).ethernet(LAN_MAC, HOST_MAC).build();
    }

    private static byte[] udp4From(final String dst, final int srcPort)
    {
        return PacketBuilder.ipv4("192.0.2.10", dst).udp(srcPort, 53).payload(16).ethernet(LAN_MAC, HOST_MAC).build();
    }

    private static byte[] advertisement(final String target, final String dst, final int flags, final long mac)
    {
        final long ethernetDst = dst.startsWith("ff02") ? 0x3333_0000_0001L : WAN_MAC;
        return PacketBuilder.ipv6(target, dst).ttl(255).neighborAdvertisement(target, flags, mac)
            .ethernet(ethernetDst, mac).build();
    }

    private static int udpSourcePort(final byte[] frame, final int ipHeaderLength)
    {
        return new UdpFlyweight().wrap(new UnsafeBuffer(frame), EthernetFlyweight.HEADER_LENGTH + ipHeaderLength).srcPort();
    }

    /** Checks a transmitted frame is a valid multicast NS for {@code target} from the wan port. */
    private static void assertSolicitation(final byte[] frame, final String target)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final EthernetFlyweight ethernet = new EthernetFlyweight().wrap(buffer, 0);
        assertEquals(0x3333_FF00_0000L | (ipv6Low(target) & 0xFF_FFFFL), ethernet.dstMac(), "RFC 2464 §7 group MAC");
        assertEquals(WAN_MAC, ethernet.srcMac());
        final Ipv6HeaderChain chain = new Ipv6HeaderChain();
        assertNull(Ipv6Validator.validate(buffer, 14, frame.length - 14, chain));
        assertNull(NdpValidator.validate(buffer, chain), "hop limit 255, checksum, options (RFC 4861 §7.1.1)");
        final Ipv6Flyweight ipv6 = new Ipv6Flyweight().wrap(buffer, 14);
        assertEquals(ipv6High("2001:db8:2::1"), ipv6.srcHigh());
        assertEquals(ipv6Low("2001:db8:2::1"), ipv6.srcLow());
        assertEquals(0xFF02_0000_0000_0000L, ipv6.dstHigh());
        assertEquals(0x0000_0001_FF00_0000L | (ipv6Low(target) & 0xFF_FFFFL), ipv6.dstLow(), "solicited-node group");
        final NdpFlyweight ndp = new NdpFlyweight().wrap(buffer, 54, frame.length - 54);
        assertEquals(Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION, ndp.type());
        assertEquals(ipv6Low(target), ndp.targetLow());
        assertEquals(WAN_MAC, ndp.sourceLinkLayerAddress());
    }

    @Test
    void resolvesNextHopByNeighborSolicitationThenSendsQueuedPackets()
    {
        router.receive(LAN, udp6From("2001:db8:2::50", 1001), SECONDS);
        router.receive(LAN, udp6From("2001:db8:2::50", 1002), SECONDS);

        assertEquals(List.of(WAN), router.txPorts, "one solicitation, both packets wait");
        assertSolicitation(router.tx(0), "2001:db8:2::50");
        assertEquals(2, router.event(StageNames.L2_OUTPUT, L2OutputStage.Event.FRAME_QUEUED));
        router.assertConserved();
        router.clearTx();

        router.receive(WAN, advertisement("2001:db8:2::50", "2001:db8:2::1",
            NdpFlyweight.FLAG_SOLICITED | NdpFlyweight.FLAG_OVERRIDE, NEW_MAC), SECONDS + 1000);

        assertEquals(List.of(WAN, WAN), router.txPorts);
        for (int i = 0; i < 2; i++)
        {
            final EthernetFlyweight ethernet = new EthernetFlyweight().wrap(new UnsafeBuffer(router.tx(i)), 0);
            assertEquals(NEW_MAC, ethernet.dstMac());
            assertEquals(WAN_MAC, ethernet.srcMac());
            assertEquals(63, router.tx(i)[14 + 7], "hop limit decremented once");
            assertEquals(1001 + i, udpSourcePort(router.tx(i), 40), "in arrival order");
        }
        final int slot = router.cache.findIpv6(WAN, ipv6High("2001:db8:2::50"), ipv6Low("2001:db8:2::50"));
        assertEquals(NeighbourCache.REACHABLE, router.cache.state(slot));
        assertEquals(1, router.event(StageNames.NDP_INPUT, NdpInputStage.Event.NEIGHBOUR_RESOLVED));
        router.assertConserved();
    }

    @Test
    void resolvesNextHopByArpThenSendsQueuedPackets()
    {
        router.receive(LAN, udp4From("198.51.100.50", 1001), SECONDS);

        assertEquals(List.of(WAN), router.txPorts);
        final ArpFlyweight request = new ArpFlyweight().wrap(new UnsafeBuffer(router.tx(0)), 14);
        assertEquals(EthernetFlyweight.BROADCAST_MAC, new EthernetFlyweight().wrap(new UnsafeBuffer(router.tx(0)), 0).dstMac());
        assertEquals(ArpFlyweight.OPER_REQUEST, request.oper());
        assertEquals(WAN_MAC, request.sha());
        assertEquals(ipv4Address("198.51.100.1"), request.spa());
        assertEquals(ipv4Address("198.51.100.50"), request.tpa());
        router.clearTx();

        router.receive(WAN, PacketBuilder.arp(WAN_MAC, ArpFlyweight.OPER_REPLY, NEW_MAC, "198.51.100.50", WAN_MAC,
            "198.51.100.1"), SECONDS + 1000);

        assertEquals(List.of(WAN), router.txPorts);
        assertEquals(NEW_MAC, new EthernetFlyweight().wrap(new UnsafeBuffer(router.tx(0)), 0).dstMac());
        assertEquals(1001, udpSourcePort(router.tx(0), 20));
        assertEquals(1, router.event(StageNames.ARP_INPUT, ArpInputStage.Event.NEIGHBOUR_RESOLVED));
        router.assertConserved();
    }

    @Test
    void resendsSolicitationEverySecondWhileUnanswered()
    {
        router.receive(LAN, udp6From("2001:db8:2::50", 1001), 0);
        router.tick(SECONDS / 2);
        router.tick(SECONDS);
        router.tick(2 * SECONDS);

        assertEquals(3, router.txFrames.size(), "RFC 4861 §10 MAX_MULTICAST_SOLICIT");
        for (final byte[] frame : router.txFrames)
        {
            assertSolicitation(frame, "2001:db8:2::50");
        }
        assertEquals(3, router.event(StageNames.L2_OUTPUT, L2OutputStage.Event.SOLICITATION_SENT));
    }

    @Test
    void dropsQueuedPacketsAndAnswersUnreachableWhenResolutionFails()
    {
        final byte[] sent = udp6From("2001:db8:2::50", 1001);
        router.receive(LAN, sent, 0);
        router.tick(SECONDS);
        router.tick(2 * SECONDS);
        router.clearTx();
        router.tick(3 * SECONDS);

        assertEquals(1, router.dropped(StageNames.L2_OUTPUT, L2OutputStage.Reason.NEIGHBOUR_UNRESOLVED));
        assertEquals(1, router.event(StageNames.L2_OUTPUT, L2OutputStage.Event.RESOLUTION_FAILED));
        assertEquals(1, router.event(StageNames.L2_OUTPUT, IcmpErrorSender.Outcome.SENT));
        assertEquals(List.of(LAN), router.txPorts, "the error goes back to the source");
        final byte[] error = router.tx(0);
        final UnsafeBuffer buffer = new UnsafeBuffer(error);
        assertEquals(HOST_MAC, new EthernetFlyweight().wrap(buffer, 0).dstMac());
        final Ipv6Flyweight ipv6 = new Ipv6Flyweight().wrap(buffer, 14);
        assertEquals(ipv6Low("2001:db8:1::1"), ipv6.srcLow(), "from the gateway's address on the ingress port");
        assertEquals(ipv6Low("2001:db8:1::10"), ipv6.dstLow());
        final Icmpv6Flyweight icmp = new Icmpv6Flyweight().wrap(buffer, 54);
        assertEquals(Icmpv6Flyweight.TYPE_DESTINATION_UNREACHABLE, icmp.type());
        assertEquals(Icmpv6Flyweight.CODE_ADDRESS_UNREACHABLE, icmp.code(), "RFC 4861 §7.2.2");
        IcmpChecks.assertIcmpv6ChecksumValid(error, 14);
        final byte[] quoted = java.util.Arrays.copyOfRange(error, 62, error.length);
        final byte[] original = java.util.Arrays.copyOfRange(sent, 14, sent.length);
        original[7] = 63;
        assertArrayEquals(original, quoted, "the waiting packet, quoted whole");
        assertEquals(NeighbourCache.NOT_FOUND,
            router.cache.findIpv6(WAN, ipv6High("2001:db8:2::50"), ipv6Low("2001:db8:2::50")));
        router.assertConserved();
    }

    @Test
    void answersHostUnreachableWhenArpResolutionFails()
    {
        router.receive(LAN, udp4From("198.51.100.50", 1001), 0);
        router.tick(SECONDS);
        router.tick(2 * SECONDS);
        router.clearTx();
        router.tick(3 * SECONDS);

        assertEquals(1, router.dropped(StageNames.L2_OUTPUT, L2OutputStage.Reason.NEIGHBOUR_UNRESOLVED));
        final UnsafeBuffer buffer = new UnsafeBuffer(router.tx(0));
        final Icmpv4Flyweight icmp = new Icmpv4Flyweight().wrap(buffer, 34);
        assertEquals(Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, icmp.type());
        assertEquals(Icmpv4Flyweight.CODE_HOST_UNREACHABLE, icmp.code());
        IcmpChecks.assertIcmpv4Valid(router.tx(0), 14);
        router.assertConserved();
    }

    @Test
    void queueOverflowIsCounted()
    {
        for (int i = 0; i < 6; i++)
        {
            router.receive(LAN, udp6From("2001:db8:2::50", 1000 + i), SECONDS);
        }

        assertEquals(2, router.dropped(StageNames.L2_OUTPUT, L2OutputStage.Reason.NEIGHBOUR_QUEUE_FULL));
        router.assertConserved();
        router.clearTx();
        router.receive(WAN, advertisement("2001:db8:2::50", "2001:db8:2::1",
            NdpFlyweight.FLAG_SOLICITED | NdpFlyweight.FLAG_OVERRIDE, NEW_MAC), 2 * SECONDS);

        assertEquals(4, router.txFrames.size());
        for (int i = 0; i < 4; i++)
        {
            assertEquals(1002 + i, udpSourcePort(router.tx(i), 40), "RFC 4861 §7.2.2: the newest replace the oldest");
        }
        router.assertConserved();
    }

    @Test
    void unsolicitedOverrideAdvertisementMovesAddress()
    {
        router.receive(LAN, udp6From("2001:db8:2::50", 1001), SECONDS);
        router.receive(WAN, advertisement("2001:db8:2::50", "2001:db8:2::1",
            NdpFlyweight.FLAG_SOLICITED | NdpFlyweight.FLAG_OVERRIDE, NEW_MAC), SECONDS);
        router.clearTx();

        // The virtual address moves to another NIC, which announces it to all nodes (S=0, O=1).
        router.receive(WAN, advertisement("2001:db8:2::50", "ff02::1", NdpFlyweight.FLAG_OVERRIDE, MOVED_MAC),
            2 * SECONDS);
        router.receive(LAN, udp6From("2001:db8:2::50", 1002), 2 * SECONDS);

        final List<byte[]> data = new java.util.ArrayList<>();
        for (final byte[] frame : router.txFrames)
        {
            if (frame[14 + 6] == 17)
            {
                data.add(frame);
            }
        }
        assertEquals(1, data.size());
        assertEquals(MOVED_MAC, new EthernetFlyweight().wrap(new UnsafeBuffer(data.get(0)), 0).dstMac());
        assertEquals(1, router.event(StageNames.NDP_INPUT, NdpInputStage.Event.NEIGHBOUR_UPDATED));
        assertEquals(1, router.event(StageNames.L2_OUTPUT, L2OutputStage.Event.PROBE_SENT),
            "the moved entry is STALE: re-checked by a unicast solicitation (RFC 4861 §7.3.3)");
        router.assertConserved();
    }

    @Test
    void advertisementWithoutOverrideDoesNotMoveAddress()
    {
        router.receive(LAN, udp6From("2001:db8:2::50", 1001), SECONDS);
        router.receive(WAN, advertisement("2001:db8:2::50", "2001:db8:2::1",
            NdpFlyweight.FLAG_SOLICITED | NdpFlyweight.FLAG_OVERRIDE, NEW_MAC), SECONDS);
        router.receive(WAN, advertisement("2001:db8:2::50", "ff02::1", 0, MOVED_MAC), 2 * SECONDS);

        final int slot = router.cache.findIpv6(WAN, ipv6High("2001:db8:2::50"), ipv6Low("2001:db8:2::50"));
        assertEquals(NEW_MAC, router.cache.mac(slot), "RFC 4861 §7.2.5: O clear keeps the cached address");
    }

    @Test
    void configuredNeighbourIsNeitherSolicitedNorMoved()
    {
        router.receive(WAN, advertisement("2001:db8:2::fe", "ff02::1", NdpFlyweight.FLAG_OVERRIDE, MOVED_MAC), SECONDS);
        router.receive(LAN, udp6From("2001:db8:99::5", 1001), SECONDS);

        assertEquals(List.of(WAN), router.txPorts);
        assertEquals(RouterTestbed.ROUTER_MAC, new EthernetFlyweight().wrap(new UnsafeBuffer(router.tx(0)), 0).dstMac());
        assertEquals(1, router.event(StageNames.NDP_INPUT, NdpInputStage.Event.STATIC_NEIGHBOUR_KEPT));
    }

    @Test
    void advertisementForUnknownAddressIsDiscarded()
    {
        router.receive(WAN, advertisement("2001:db8:2::77", "ff02::1", NdpFlyweight.FLAG_OVERRIDE, MOVED_MAC), SECONDS);

        assertEquals(1, router.dropped(StageNames.NDP_INPUT, NdpInputStage.Reason.NO_ENTRY_FOR_TARGET));
        assertEquals(NeighbourCache.NOT_FOUND,
            router.cache.findIpv6(WAN, ipv6High("2001:db8:2::77"), ipv6Low("2001:db8:2::77")));
    }

    @Test
    void reachableNeighbourIsReprobedOnceStale()
    {
        router.receive(LAN, udp6From("2001:db8:2::50", 1001), 0);
        router.receive(WAN, advertisement("2001:db8:2::50", "2001:db8:2::1",
            NdpFlyweight.FLAG_SOLICITED | NdpFlyweight.FLAG_OVERRIDE, NEW_MAC), 0);
        router.clearTx();

        router.receive(LAN, udp6From("2001:db8:2::50", 1002), 31 * SECONDS);

        assertEquals(2, router.txFrames.size(), "the packet still goes, and a unicast probe with it");
        final byte[] probe = router.tx(0)[14 + 6] == 58 ? router.tx(0) : router.tx(1);
        assertEquals(NEW_MAC, new EthernetFlyweight().wrap(new UnsafeBuffer(probe), 0).dstMac());
        assertEquals(ipv6Low("2001:db8:2::50"), new Ipv6Flyweight().wrap(new UnsafeBuffer(probe), 14).dstLow(),
            "RFC 4861 §7.3.3: a probe goes to the neighbour itself");
        final Ipv6HeaderChain chain = new Ipv6HeaderChain();
        assertNull(Ipv6Validator.validate(new UnsafeBuffer(probe), 14, probe.length - 14, chain));
        assertNull(NdpValidator.validate(new UnsafeBuffer(probe), chain));
    }
}
