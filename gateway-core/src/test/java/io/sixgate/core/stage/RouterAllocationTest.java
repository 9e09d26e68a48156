package io.sixgate.core.stage;

import static io.sixgate.core.stage.RouterTestbed.HOST_MAC;
import static io.sixgate.core.stage.RouterTestbed.LAN;
import static io.sixgate.core.stage.RouterTestbed.LAN_MAC;
import static io.sixgate.core.stage.RouterTestbed.SECONDS;
import static io.sixgate.core.stage.RouterTestbed.WAN;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sixgate.core.packet.ArpFlyweight;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.NdpFlyweight;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.testing.AllocationMeter;

import org.junit.jupiter.api.Test;

/**
 * The router's per-packet paths allocate nothing: forwarding through resolved and configured
 * neighbours, answering ARP, NDP and ping, the ICMP errors, and a resolution from miss to
 * answer to queued packets sent.
 */
class RouterAllocationTest
{
    private static final int ROUNDS = 2_000;
    private static final long NEIGHBOUR_MAC = 0x02_00_00_00_00_50L;

    private final RouterTestbed router = new RouterTestbed(false, 4, Integer.MAX_VALUE / 2, Integer.MAX_VALUE / 2);
    private final byte[] forward6 = PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:99::5").udp(1, 2).payload(64)
        .ethernet(LAN_MAC, HOST_MAC).build();
    private final byte[] forward4 = PacketBuilder.ipv4("192.0.2.10", "203.0.113.5").udp(1, 2).payload(64)
        .ethernet(LAN_MAC, HOST_MAC).build();
    private final byte[] toConnected6 = PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:2::50").udp(1, 2).payload(64)
        .ethernet(LAN_MAC, HOST_MAC).build();
    private final byte[] advertisement = PacketBuilder.ipv6("2001:db8:2::50", "2001:db8:2::1").ttl(255)
        .neighborAdvertisement("2001:db8:2::50", NdpFlyweight.FLAG_SOLICITED | NdpFlyweight.FLAG_OVERRIDE, NEIGHBOUR_MAC)
        .ethernet(RouterTestbed.WAN_MAC, NEIGHBOUR_MAC).build();
    private final byte[] arpRequest = PacketBuilder.arp(EthernetFlyweight.BROADCAST_MAC, ArpFlyweight.OPER_REQUEST,
        HOST_MAC, "192.0.2.10", 0, "192.0.2.1");
    private final byte[] solicitation = PacketBuilder.ipv6("2001:db8:1::10", "ff02::1:ff00:1").ttl(255)
        .neighborSolicitation("2001:db8:1::1", HOST_MAC).ethernet(0x3333_FF00_0001L, HOST_MAC).build();
    private final byte[] ping4 = PacketBuilder.ipv4("192.0.2.10", "192.0.2.1").icmpEchoRequest(1, 1).payload(32)
        .ethernet(LAN_MAC, HOST_MAC).build();
    private final byte[] ping6 = PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:1::1").icmpEchoRequest(1, 1).payload(32)
        .ethernet(LAN_MAC, HOST_MAC).build();
    private final byte[] expiring6 = PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:99::5").ttl(1).udp(1, 2)
        .ethernet(LAN_MAC, HOST_MAC).build();
    private final byte[] expiring4 = PacketBuilder.ipv4("192.0.2.10", "203.0.113.5").ttl(1).udp(1, 2)
        .ethernet(LAN_MAC, HOST_MAC).build();
    private long nowNs = SECONDS;

    @Test
    void forwardingAllocatesNothing()
    {
        final long bytes = AllocationMeter.leastBytesAllocatedBy(() ->
        {
            for (int i = 0; i < ROUNDS; i++)
            {
                router.receive(LAN, forward6, nowNs);
                router.receive(LAN, forward4, nowNs);
            }
        });
        assertEquals(0, bytes);
        assertEquals(0, router.totalDropped());
    }

    @Test
    void answeringArpNdpAndPingAndSendingErrorsAllocatesNothing()
    {
        final long bytes = AllocationMeter.leastBytesAllocatedBy(() ->
        {
            for (int i = 0; i < ROUNDS; i++)
            {
                router.receive(LAN, arpRequest, nowNs);
                router.receive(LAN, solicitation, nowNs);
                router.receive(LAN, ping4, nowNs);
                router.receive(LAN, ping6, nowNs);
                router.receive(LAN, expiring6, nowNs);
                router.receive(LAN, expiring4, nowNs);
            }
        });
        assertEquals(0, bytes);
        assertEquals(10L * ROUNDS, router.event(StageNames.ARP_INPUT, ArpInputStage.Event.REQUEST_ANSWERED));
        assertEquals(10L * ROUNDS, router.event(StageNames.NDP_INPUT, NdpInputStage.Event.SOLICITATION_ANSWERED));
        assertEquals(20L * ROUNDS, router.event(StageNames.IPV6_FORWARD, io.sixgate.core.icmp.IcmpErrorSender.Outcome.SENT)
            + router.event(StageNames.IPV4_FORWARD, io.sixgate.core.icmp.IcmpErrorSender.Outcome.SENT));
    }

    @Test
    void resolvingANeighbourAllocatesNothing()
    {
        final long bytes = AllocationMeter.leastBytesAllocatedBy(() ->
        {
            for (int i = 0; i < ROUNDS; i++)
            {
                // Miss, solicitation, queued; the answer sends it; 60 s later the entry is collected.
                router.receive(LAN, toConnected6, nowNs);
                router.receive(WAN, advertisement, nowNs);
                nowNs += 100 * SECONDS;
                router.tick(nowNs);
            }
        });
        assertEquals(0, bytes);
        assertEquals(10L * ROUNDS, router.event(StageNames.NDP_INPUT, NdpInputStage.Event.NEIGHBOUR_RESOLVED),
            "every round resolved the neighbour anew");
        router.assertConserved();
    }
}
