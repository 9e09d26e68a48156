package io.sixgate.core.stage;

import static io.sixgate.core.packet.PacketBuilder.ipv4Address;
import static io.sixgate.core.stage.RouterTestbed.LAN;
import static io.sixgate.core.stage.RouterTestbed.LAN_MAC;
import static io.sixgate.core.stage.RouterTestbed.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import io.sixgate.core.neighbour.NeighbourCache;
import io.sixgate.core.packet.ArpFlyweight;
import io.sixgate.core.packet.ArpInputDropReason;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.PacketBuilder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * ARP (RFC 826) through the real pipeline of {@link RouterTestbed}.
 */
class ArpInputStageTest
{
    private static final long ASKER_MAC = 0x02_00_00_00_00_20L;
    private static final long OTHER_MAC = 0x02_00_00_00_00_21L;
    private static final long BROADCAST = EthernetFlyweight.BROADCAST_MAC;

    private final RouterTestbed router = new RouterTestbed();

    private int slotOf(final String address)
    {
        return router.cache.findIpv4(LAN, ipv4Address(address));
    }

    @Test
    void answersArpForGatewayAddress()
    {
        router.receive(LAN, PacketBuilder.arp(BROADCAST, ArpFlyweight.OPER_REQUEST, ASKER_MAC, "192.0.2.20", 0,
            "192.0.2.1"), SECONDS);

        assertEquals(List.of(LAN), router.txPorts, "straight back out of the port");
        final UnsafeBuffer reply = new UnsafeBuffer(router.tx(0));
        final EthernetFlyweight ethernet = new EthernetFlyweight().wrap(reply, 0);
        assertEquals(ASKER_MAC, ethernet.dstMac(), "RFC 826: to the new target hardware address");
        assertEquals(LAN_MAC, ethernet.srcMac());
        assertEquals(EthernetFlyweight.ETHERTYPE_ARP, ethernet.etherType());
        final ArpFlyweight arp = new ArpFlyweight().wrap(reply, 14);
        assertEquals(ArpFlyweight.OPER_REPLY, arp.oper());
        assertEquals(LAN_MAC, arp.sha());
        assertEquals(ipv4Address("192.0.2.1"), arp.spa());
        assertEquals(ASKER_MAC, arp.tha());
        assertEquals(ipv4Address("192.0.2.20"), arp.tpa());
        assertEquals(42, router.tx(0).length);
        assertEquals(1, router.event(StageNames.ARP_INPUT, ArpInputStage.Event.REQUEST_ANSWERED));

        final int slot = slotOf("192.0.2.20");
        assertEquals(NeighbourCache.STALE, router.cache.state(slot), "RFC 826: the asker is added");
        assertEquals(ASKER_MAC, router.cache.mac(slot));
        router.assertConserved();
    }

    @Test
    void aWorkerThatLeavesAnswersToAnotherLearnsTheAskerAndSendsNothing()
    {
        final RouterTestbed copy = RouterTestbed.notAnswering();
        copy.receive(LAN, PacketBuilder.arp(BROADCAST, ArpFlyweight.OPER_REQUEST, ASKER_MAC, "192.0.2.20", 0,
            "192.0.2.1"), SECONDS);

        assertTrue(copy.txFrames.isEmpty(), "the answering worker replies; this copy only teaches the cache");
        assertEquals(1, copy.event(StageNames.ARP_INPUT, ArpInputStage.Event.LEFT_TO_ANSWERING_WORKER));
        assertEquals(0, copy.event(StageNames.ARP_INPUT, ArpInputStage.Event.REQUEST_ANSWERED));
        final int slot = copy.cache.findIpv4(LAN, ipv4Address("192.0.2.20"));
        assertEquals(ASKER_MAC, copy.cache.mac(slot), "learned all the same");
        assertEquals(1, copy.pipeline.counters().consumed());
        copy.assertConserved();
    }

    @Test
    void answersPaddedRequestWithoutThePadding()
    {
        final byte[] padded = Arrays.copyOf(PacketBuilder.arp(BROADCAST, ArpFlyweight.OPER_REQUEST, ASKER_MAC,
            "192.0.2.20", 0, "192.0.2.1"), 60);
        router.receive(LAN, padded, SECONDS);

        assertEquals(42, router.tx(0).length);
    }

    @Test
    void ignoresArpForOtherAddress()
    {
        router.receive(LAN, PacketBuilder.arp(BROADCAST, ArpFlyweight.OPER_REQUEST, ASKER_MAC, "192.0.2.20", 0,
            "192.0.2.99"), SECONDS);

        assertTrue(router.txFrames.isEmpty());
        assertEquals(1, router.dropped(StageNames.ARP_INPUT, ArpInputStage.Reason.TARGET_NOT_OURS));
        assertEquals(NeighbourCache.NOT_FOUND, slotOf("192.0.2.20"), "RFC 826: only merged, never added");
        router.assertConserved();
    }

    @Test
    void ignoresArpForTheGatewayAddressOfAnotherPort()
    {
        router.receive(LAN, PacketBuilder.arp(BROADCAST, ArpFlyweight.OPER_REQUEST, ASKER_MAC, "192.0.2.20", 0,
            "198.51.100.1"), SECONDS);

        assertTrue(router.txFrames.isEmpty());
        assertEquals(1, router.dropped(StageNames.ARP_INPUT, ArpInputStage.Reason.TARGET_NOT_OURS));
    }

    @Test
    void gratuitousArpUpdatesKnownNeighbour()
    {
        router.receive(LAN, PacketBuilder.arp(BROADCAST, ArpFlyweight.OPER_REQUEST, ASKER_MAC, "192.0.2.20", 0,
            "192.0.2.1"), SECONDS);
        router.receive(LAN, PacketBuilder.arp(BROADCAST, ArpFlyweight.OPER_REQUEST, OTHER_MAC, "192.0.2.20", 0,
            "192.0.2.20"), 2 * SECONDS);

        assertEquals(OTHER_MAC, router.cache.mac(slotOf("192.0.2.20")));
        assertEquals(1, router.event(StageNames.ARP_INPUT, ArpInputStage.Event.GRATUITOUS));
        assertEquals(1, router.event(StageNames.ARP_INPUT, ArpInputStage.Event.NEIGHBOUR_UPDATED));
        assertEquals(1, router.pipeline.counters().consumed());
        router.assertConserved();
    }

    @Test
    void gratuitousArpForUnknownAddressLearnsNothing()
    {
        router.receive(LAN, PacketBuilder.arp(BROADCAST, ArpFlyweight.OPER_REPLY, OTHER_MAC, "192.0.2.30", BROADCAST,
            "192.0.2.30"), SECONDS);

        assertEquals(NeighbourCache.NOT_FOUND, slotOf("192.0.2.30"));
        assertEquals(1, router.dropped(StageNames.ARP_INPUT, ArpInputStage.Reason.TARGET_NOT_OURS));
    }

    @Test
    void configuredNeighbourKeepsItsMac()
    {
        router.receive(LAN, PacketBuilder.arp(BROADCAST, ArpFlyweight.OPER_REQUEST, OTHER_MAC, "192.0.2.10", 0,
            "192.0.2.1"), SECONDS);

        assertEquals(RouterTestbed.HOST_MAC, router.cache.mac(slotOf("192.0.2.10")));
        assertEquals(1, router.event(StageNames.ARP_INPUT, ArpInputStage.Event.STATIC_NEIGHBOUR_KEPT));
        assertEquals(1, router.txFrames.size(), "still answered");
    }

    @Test
    void dropsArpClaimingGatewayAddress()
    {
        router.receive(LAN, PacketBuilder.arp(BROADCAST, ArpFlyweight.OPER_REQUEST, OTHER_MAC, "192.0.2.1", 0,
            "192.0.2.1"), SECONDS);

        assertTrue(router.txFrames.isEmpty());
        assertEquals(1, router.dropped(StageNames.ARP_INPUT, ArpInputStage.Reason.SENDER_IS_OURS));
    }

    @Test
    void answersArpProbeWithoutLearningTheUnspecifiedSender()
    {
        router.receive(LAN, PacketBuilder.arp(BROADCAST, ArpFlyweight.OPER_REQUEST, ASKER_MAC, "0.0.0.0", 0,
            "192.0.2.1"), SECONDS);

        assertEquals(1, router.txFrames.size(), "RFC 5227 §2.1.1: a probe for our address is answered");
        assertEquals(NeighbourCache.NOT_FOUND, slotOf("0.0.0.0"));
    }

    @Test
    void dropsMalformedArpWithItsReason()
    {
        final byte[] request = PacketBuilder.arp(BROADCAST, ArpFlyweight.OPER_REQUEST, ASKER_MAC, "192.0.2.20", 0,
            "192.0.2.1");
        request[21] = 3;
        router.receive(LAN, request, SECONDS);
        router.receive(LAN, Arrays.copyOf(request, 30), SECONDS);

        assertEquals(1, router.dropped(StageNames.ARP_INPUT, ArpInputDropReason.UNSUPPORTED_OPERATION));
        assertEquals(1, router.dropped(StageNames.ETHERNET_INPUT, io.sixgate.core.packet.EthernetInputDropReason.TRUNCATED_FRAME)
            + router.dropped(StageNames.ARP_INPUT, ArpInputDropReason.TRUNCATED_PACKET));
        router.assertConserved();
    }

    @Test
    void dropsOwnArpLoopedBack()
    {
        router.receive(LAN, PacketBuilder.arp(BROADCAST, ArpFlyweight.OPER_REQUEST, LAN_MAC, "192.0.2.20", 0,
            "192.0.2.1"), SECONDS);

        assertEquals(1, router.dropped(StageNames.ARP_INPUT, ArpInputStage.Reason.LOOPED_BACK));
    }
}
