package io.sixgate.core.stage;

import static io.sixgate.core.packet.PacketBuilder.ipv6High;
import static io.sixgate.core.packet.PacketBuilder.ipv6Low;
import static io.sixgate.core.stage.RouterTestbed.LAN;
import static io.sixgate.core.stage.RouterTestbed.LAN_MAC;
import static io.sixgate.core.stage.RouterTestbed.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.sixgate.core.neighbour.NeighbourCache;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.Ipv6HeaderChain;
import io.sixgate.core.packet.Ipv6Validator;
import io.sixgate.core.packet.NdpFlyweight;
import io.sixgate.core.packet.NdpInputDropReason;
import io.sixgate.core.packet.NdpValidator;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.port.PortAddresses;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * Neighbor Discovery for the gateway's own addresses (RFC 4861) through the real pipeline of
 * {@link RouterTestbed}.
 */
class NdpInputStageTest
{
    private static final long ASKER_MAC = 0x02_00_00_00_00_20L;
    private static final String ASKER = "2001:db8:1::20";

    private final RouterTestbed router = new RouterTestbed();

    private static long solicitedNodeMac(final String address)
    {
        return 0x3333_FF00_0000L | (ipv6Low(address) & 0xFF_FFFFL);
    }

    private static String solicitedNode(final String address)
    {
        final long low = ipv6Low(address) & 0xFF_FFFFL;
        return String.format("ff02::1:ff%02x:%04x", low >>> 16, low & 0xFFFF);
    }

    private static byte[] solicitation(final String src, final String target)
    {
        return PacketBuilder.ipv6(src, solicitedNode(target)).ttl(255).neighborSolicitation(target, ASKER_MAC)
            .ethernet(solicitedNodeMac(target), ASKER_MAC).build();
    }

    /** The advertisement in a transmitted frame, checked valid as a receiver would (RFC 4861 §7.1.2). */
    private static NdpFlyweight advertisementIn(final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final Ipv6HeaderChain chain = new Ipv6HeaderChain();
        assertNull(Ipv6Validator.validate(buffer, 14, frame.length - 14, chain));
        assertNull(NdpValidator.validate(buffer, chain), "hop limit 255, code 0, checksum, options");
        IcmpChecks.assertIcmpv6ChecksumValid(frame, 14);
        final NdpFlyweight ndp = new NdpFlyweight().wrap(buffer, 54, frame.length - 54);
        assertEquals(Icmpv6Flyweight.TYPE_NEIGHBOR_ADVERTISEMENT, ndp.type());
        return ndp;
    }

    @Test
    void answersNeighborSolicitationWithRouterFlag()
    {
        router.receive(LAN, solicitation(ASKER, "2001:db8:1::1"), SECONDS);

        assertEquals(List.of(LAN), router.txPorts);
        final byte[] frame = router.tx(0);
        final EthernetFlyweight ethernet = new EthernetFlyweight().wrap(new UnsafeBuffer(frame), 0);
        assertEquals(ASKER_MAC, ethernet.dstMac(), "to the solicitation's source link-layer address");
        assertEquals(LAN_MAC, ethernet.srcMac());
        final Ipv6Flyweight ipv6 = new Ipv6Flyweight().wrap(new UnsafeBuffer(frame), 14);
        assertEquals(ipv6Low("2001:db8:1::1"), ipv6.srcLow());
        assertEquals(ipv6High(ASKER), ipv6.dstHigh());
        assertEquals(ipv6Low(ASKER), ipv6.dstLow());
        final NdpFlyweight ndp = advertisementIn(frame);
        assertTrue(ndp.routerFlag(), "R: the gateway is a router");
        assertTrue(ndp.solicitedFlag(), "S: an answer to a solicitation");
        assertTrue(ndp.overrideFlag(), "O: the gateway's own address");
        assertEquals(ipv6Low("2001:db8:1::1"), ndp.targetLow());
        assertEquals(LAN_MAC, ndp.targetLinkLayerAddress());
        assertEquals(1, router.event(StageNames.NDP_INPUT, NdpInputStage.Event.SOLICITATION_ANSWERED));

        final int slot = router.cache.findIpv6(LAN, ipv6High(ASKER), ipv6Low(ASKER));
        assertEquals(NeighbourCache.STALE, router.cache.state(slot), "RFC 4861 §7.2.3: the asker is learned STALE");
        assertEquals(ASKER_MAC, router.cache.mac(slot));
        router.assertConserved();
    }

    @Test
    void aWorkerThatLeavesAnswersToAnotherLearnsTheSolicitorAndSendsNothing()
    {
        final RouterTestbed copy = RouterTestbed.notAnswering();
        copy.receive(LAN, solicitation(ASKER, "2001:db8:1::1"), SECONDS);

        assertTrue(copy.txFrames.isEmpty(), "the answering worker advertises; this copy only teaches the cache");
        assertEquals(1, copy.event(StageNames.NDP_INPUT, NdpInputStage.Event.LEFT_TO_ANSWERING_WORKER));
        assertEquals(0, copy.event(StageNames.NDP_INPUT, NdpInputStage.Event.SOLICITATION_ANSWERED));
        final int slot = copy.cache.findIpv6(LAN, ipv6High(ASKER), ipv6Low(ASKER));
        assertEquals(ASKER_MAC, copy.cache.mac(slot), "learned all the same");
        copy.assertConserved();
    }

    @Test
    void answersSolicitationForLinkLocalAddress()
    {
        final long linkLocalLow = PortAddresses.eui64InterfaceId(LAN_MAC);
        final String linkLocal = String.format("fe80::%x:%x:%x:%x", linkLocalLow >>> 48, (linkLocalLow >>> 32) & 0xFFFF,
            (linkLocalLow >>> 16) & 0xFFFF, linkLocalLow & 0xFFFF);
        router.receive(LAN, solicitation("fe80::20", linkLocal), SECONDS);

        final NdpFlyweight ndp = advertisementIn(router.tx(0));
        assertEquals(PortAddresses.LINK_LOCAL_HIGH, ndp.targetHigh());
        assertEquals(linkLocalLow, ndp.targetLow());
    }

    @Test
    void answersDuplicateAddressDetectionToAllNodes()
    {
        final byte[] probe = PacketBuilder.ipv6("::", solicitedNode("2001:db8:1::1")).ttl(255)
            .icmp(Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION, 0, 0)
            .payload(new byte[16])
            .ethernet(solicitedNodeMac("2001:db8:1::1"), ASKER_MAC).build();
        new UnsafeBuffer(probe).putLong(14 + 40 + 8, ipv6High("2001:db8:1::1"), java.nio.ByteOrder.BIG_ENDIAN);
        new UnsafeBuffer(probe).putLong(14 + 40 + 16, ipv6Low("2001:db8:1::1"), java.nio.ByteOrder.BIG_ENDIAN);
        fixIcmpv6Checksum(probe);
        router.receive(LAN, probe, SECONDS);

        assertEquals(1, router.txFrames.size());
        final byte[] frame = router.tx(0);
        assertEquals(0x3333_0000_0001L, new EthernetFlyweight().wrap(new UnsafeBuffer(frame), 0).dstMac());
        final Ipv6Flyweight ipv6 = new Ipv6Flyweight().wrap(new UnsafeBuffer(frame), 14);
        assertEquals(0xFF02_0000_0000_0000L, ipv6.dstHigh());
        assertEquals(1L, ipv6.dstLow(), "RFC 4861 §7.2.4: to all-nodes");
        final NdpFlyweight ndp = advertisementIn(frame);
        assertFalse(ndp.solicitedFlag(), "RFC 4861 §7.2.4: S clear for DAD");
        assertEquals(1, router.event(StageNames.NDP_INPUT, NdpInputStage.Event.DUPLICATE_ADDRESS_DEFENDED));
        assertEquals(4, router.cache.size(), "nothing learned from the unspecified address");
    }

    @Test
    void dropsSolicitationWithWrongHopLimit()
    {
        router.receive(LAN, PacketBuilder.ipv6(ASKER, solicitedNode("2001:db8:1::1")).ttl(64)
            .neighborSolicitation("2001:db8:1::1", ASKER_MAC)
            .ethernet(solicitedNodeMac("2001:db8:1::1"), ASKER_MAC).build(), SECONDS);

        assertTrue(router.txFrames.isEmpty());
        assertEquals(1, router.dropped(StageNames.NDP_INPUT, NdpInputDropReason.BAD_HOP_LIMIT));
        assertEquals(4, router.cache.size(), "RFC 4861 §7.1.1: an invalid message changes nothing");
    }

    @Test
    void dropsSolicitationWithBadChecksum()
    {
        final byte[] bad = solicitation(ASKER, "2001:db8:1::1");
        bad[14 + 40 + 2] ^= 0x55;
        router.receive(LAN, bad, SECONDS);

        assertEquals(1, router.dropped(StageNames.NDP_INPUT, NdpInputDropReason.BAD_CHECKSUM));
    }

    @Test
    void dropsUnicastSolicitationForAnotherAddress()
    {
        router.receive(LAN, PacketBuilder.ipv6(ASKER, "2001:db8:1::1").ttl(255)
            .neighborSolicitation("2001:db8:1::99", ASKER_MAC).ethernet(LAN_MAC, ASKER_MAC).build(), SECONDS);

        assertTrue(router.txFrames.isEmpty());
        assertEquals(1, router.dropped(StageNames.NDP_INPUT, NdpInputStage.Reason.TARGET_NOT_OURS));
    }

    @Test
    void ignoresSolicitationsToOtherNodesGroups()
    {
        router.receive(LAN, solicitation(ASKER, "2001:db8:1::99"), SECONDS);

        assertTrue(router.txFrames.isEmpty());
        assertEquals(1, router.dropped(StageNames.IPV6_LOCAL, Ipv6LocalStage.Reason.MULTICAST_NOT_JOINED));
    }

    @Test
    void dropsSolicitationForAnotherPortsAddress()
    {
        router.receive(LAN, PacketBuilder.ipv6(ASKER, "2001:db8:1::1").ttl(255)
            .neighborSolicitation("2001:db8:2::1", ASKER_MAC).ethernet(LAN_MAC, ASKER_MAC).build(), SECONDS);

        assertEquals(1, router.dropped(StageNames.NDP_INPUT, NdpInputStage.Reason.TARGET_NOT_OURS));
    }

    @Test
    void routerSolicitationAdvertisementAndRedirectAreCountedDrops()
    {
        router.receive(LAN, PacketBuilder.ipv6("fe80::20", "ff02::2").ttl(255)
            .icmp(Icmpv6Flyweight.TYPE_ROUTER_SOLICITATION, 0, 0).ethernet(0x3333_0000_0002L, ASKER_MAC).build(), SECONDS);
        router.receive(LAN, PacketBuilder.ipv6("fe80::20", "ff02::1").ttl(255)
            .icmp(Icmpv6Flyweight.TYPE_ROUTER_ADVERTISEMENT, 0, 0x40000000).payload(8)
            .ethernet(0x3333_0000_0001L, ASKER_MAC).build(), SECONDS);
        router.receive(LAN, PacketBuilder.ipv6("fe80::20", "2001:db8:1::1").ttl(255)
            .icmp(Icmpv6Flyweight.TYPE_REDIRECT, 0, 0).payload(32).ethernet(LAN_MAC, ASKER_MAC).build(), SECONDS);

        assertTrue(router.txFrames.isEmpty());
        assertEquals(1, router.dropped(StageNames.NDP_INPUT, NdpInputStage.Reason.ROUTER_SOLICITATION));
        assertEquals(1, router.dropped(StageNames.NDP_INPUT, NdpInputStage.Reason.ROUTER_ADVERTISEMENT));
        assertEquals(1, router.dropped(StageNames.NDP_INPUT, NdpInputStage.Reason.REDIRECT));
        router.assertConserved();
    }

    @Test
    void dropsAdvertisementOfGatewayAddress()
    {
        router.receive(LAN, PacketBuilder.ipv6(ASKER, "ff02::1").ttl(255)
            .neighborAdvertisement("2001:db8:1::1", NdpFlyweight.FLAG_OVERRIDE, ASKER_MAC)
            .ethernet(0x3333_0000_0001L, ASKER_MAC).build(), SECONDS);

        assertEquals(1, router.dropped(StageNames.NDP_INPUT, NdpInputStage.Reason.TARGET_IS_OURS));
    }

    private static void fixIcmpv6Checksum(final byte[] frame)
    {
        frame[14 + 42] = 0;
        frame[14 + 43] = 0;
        final int payloadLength = ((frame[14 + 4] & 0xFF) << 8) | (frame[14 + 5] & 0xFF);
        final byte[] pseudo = new byte[40 + payloadLength];
        System.arraycopy(frame, 14 + 8, pseudo, 0, 32);
        pseudo[34] = (byte)(payloadLength >>> 8);
        pseudo[35] = (byte)payloadLength;
        pseudo[39] = 58;
        System.arraycopy(frame, 14 + 40, pseudo, 40, payloadLength);
        final int checksum = PacketBuilder.referenceChecksum(0, pseudo);
        frame[14 + 42] = (byte)(checksum >>> 8);
        frame[14 + 43] = (byte)checksum;
    }
}
