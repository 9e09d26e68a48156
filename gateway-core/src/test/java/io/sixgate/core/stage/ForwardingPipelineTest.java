package io.sixgate.core.stage;

import static io.sixgate.core.packet.PacketBuilder.ipv4Address;
import static io.sixgate.core.packet.PacketBuilder.ipv6High;
import static io.sixgate.core.packet.PacketBuilder.ipv6Low;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.neighbour.NeighbourCache;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.EthernetInputDropReason;
import io.sixgate.core.packet.InternetChecksum;
import io.sixgate.core.packet.Ipv6InputDropReason;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.core.route.ForwardingTable;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * The core stages wired as the default routing pipeline: Ethernet port "lan" (MAC ...01),
 * RAW port "wan", Ethernet port "dmz" (MAC ...03) with one static neighbour.
 */
class ForwardingPipelineTest
{
    private static final long LAN_MAC = 0x02_00_00_00_00_01L;
    private static final long CLIENT_MAC = 0x02_00_00_00_00_99L;
    private static final long DMZ_MAC = 0x02_00_00_00_00_03L;
    private static final long DMZ_HOST_MAC = 0x02_00_00_00_00_33L;

    private final FramePool pool = new FramePool(64);
    private final List<Integer> txPorts = new ArrayList<>();
    private final List<byte[]> txFrames = new ArrayList<>();
    private final Pipeline pipeline;

    ForwardingPipelineTest()
    {
        final ForwardingTable table = ForwardingTable.builder()
            .ipv6(ipv6High("2001:db8:1::"), ipv6Low("2001:db8:1::"), 64, 1, true, 0, 0)
            .ipv6(ipv6High("2001:db8:3::"), ipv6Low("2001:db8:3::"), 64, 2, false,
                ipv6High("2001:db8:2::33"), ipv6Low("2001:db8:2::33"))
            .ipv6(ipv6High("2001:db8:2::"), ipv6Low("2001:db8:2::"), 64, 2, true, 0, 0)
            .ipv4(ipv4Address("198.51.100.0"), 24, 1, true, 0)
            .build();
        final NeighbourCache neighbours = new NeighbourCache(16, pool.capacity());
        neighbours.addPermanent(2, true, ipv6High("2001:db8:2::33"), ipv6Low("2001:db8:2::33"), DMZ_HOST_MAC);

        pipeline = Pipeline.builder()
            .pool(pool)
            .txSink((port, frame) ->
            {
                txPorts.add(port);
                txFrames.add(pool.copyOut(frame));
                pool.release(frame);
            })
            .port(new Port(0, "lan", LinkType.ETHERNET, LAN_MAC, 1500), StageNames.ETHERNET_INPUT)
            .port(new Port(1, "wan", LinkType.RAW, 0, 1280), StageNames.RAW_INPUT)
            .port(new Port(2, "dmz", LinkType.ETHERNET, DMZ_MAC, 1500), StageNames.ETHERNET_INPUT)
            .stage(new EthernetInputStage(pool))
            .stage(new RawInputStage(pool))
            .stage(new Ipv4InputStage(pool, StageNames.IPV4_FORWARD))
            .stage(new Ipv6InputStage(pool, StageNames.IPV6_FORWARD))
            .stage(new Ipv4ForwardStage(pool, table, true))
            .stage(new Ipv6ForwardStage(pool, table, true))
            .stage(new L2OutputStage(pool, neighbours))
            .build(InMemoryCounters.create(512), 0);
    }

    private void receive(final int port, final byte[] bytes)
    {
        final int frame = pool.allocateCopy(bytes, 0, bytes.length);
        pool.port(frame, port);
        pipeline.receive(frame);
    }

    private long dropped(final String stage, final DropReason reason)
    {
        return pipeline.counters().dropped(pipeline.dropReasonId(stage, reason));
    }

    private void assertConserved()
    {
        final var c = pipeline.counters();
        assertEquals(c.totalReceived() + c.generated(), c.totalTransmitted() + c.totalDropped() + c.consumed());
        assertEquals(pool.capacity(), pool.available(), "no frame leaked");
    }

    @Test
    void forwardsIpv6FromEthernetToRawAndDecrementsHopLimit()
    {
        final byte[] ip = PacketBuilder.ipv6("2001:db8:2::5", "2001:db8:1::7").ttl(64).udp(1000, 53).payload(8).build();
        receive(0, PacketBuilder.ipv6("2001:db8:2::5", "2001:db8:1::7").ttl(64).udp(1000, 53).payload(8)
            .ethernet(LAN_MAC, CLIENT_MAC).build());

        assertEquals(List.of(1), txPorts);
        final byte[] expected = ip.clone();
        expected[7] = 63;
        assertArrayEquals(expected, txFrames.get(0));
        assertConserved();
    }

    @Test
    void forwardsIpv4WithTtlDecrementedAndHeaderChecksumStillValid()
    {
        receive(0, PacketBuilder.ipv4("192.0.2.5", "198.51.100.9").ttl(10).udp(1, 2).payload(4)
            .ethernet(LAN_MAC, CLIENT_MAC).build());

        final byte[] out = txFrames.get(0);
        assertEquals(9, out[8]);
        assertTrue(InternetChecksum.isValid(new UnsafeBuffer(out), 0, 20), "header checksum after RFC 1624 update");
        assertConserved();
    }

    @Test
    void addsEthernetHeaderForStaticNeighbourOnEthernetEgress()
    {
        receive(1, PacketBuilder.ipv6("2001:db8:1::7", "2001:db8:3::1").udp(1, 2).build());

        assertEquals(List.of(2), txPorts);
        final EthernetFlyweight ethernet = new EthernetFlyweight().wrap(new UnsafeBuffer(txFrames.get(0)), 0);
        assertEquals(DMZ_HOST_MAC, ethernet.dstMac());
        assertEquals(DMZ_MAC, ethernet.srcMac());
        assertEquals(EthernetFlyweight.ETHERTYPE_IPV6, ethernet.etherType());
        assertConserved();
    }

    @Test
    void trimsEthernetPaddingToTheIpLength()
    {
        final byte[] ip = PacketBuilder.ipv4("192.0.2.5", "198.51.100.9").udp(1, 2).build();
        final byte[] frame = PacketBuilder.ipv4("192.0.2.5", "198.51.100.9").udp(1, 2).ethernet(LAN_MAC, CLIENT_MAC).build();
        receive(0, Arrays.copyOf(frame, 60));
        assertEquals(ip.length, txFrames.get(0).length);
    }

    @Test
    void dropsEachBadFrameWithItsNamedReason()
    {
        receive(0, PacketBuilder.ipv6("2001:db8:2::5", "2001:db8:1::7").udp(1, 2)
            .ethernet(0x02_00_00_00_00_77L, CLIENT_MAC).build());
        receive(0, new byte[10]);
        receive(1, Arrays.copyOf(PacketBuilder.ipv6("2001:db8:2::5", "2001:db8:1::7").udp(1, 2).build(), 30));
        receive(1, PacketBuilder.ipv6("2001:db8:2::5", "2001:db8:1::7").ttl(1).udp(1, 2).build());
        receive(1, PacketBuilder.ipv6("2001:db8:2::5", "2001:db8:9::7").udp(1, 2).build());
        receive(0, PacketBuilder.ipv6("2001:db8:2::5", "2001:db8:1::7").udp(1, 2).payload(1300)
            .ethernet(LAN_MAC, CLIENT_MAC).build());
        receive(1, PacketBuilder.ipv4("192.0.2.5", "198.51.100.9").ttl(1).udp(1, 2).build());
        receive(1, new byte[]{0x50, 0, 0, 0});

        assertEquals(1, dropped(StageNames.ETHERNET_INPUT, EthernetInputStage.Reason.NOT_FOR_THIS_PORT));
        assertEquals(1, dropped(StageNames.ETHERNET_INPUT, EthernetInputDropReason.TRUNCATED_FRAME));
        assertEquals(1, dropped(StageNames.IPV6_INPUT, Ipv6InputDropReason.TRUNCATED_HEADER)
            + dropped(StageNames.IPV6_INPUT, Ipv6InputDropReason.BAD_PAYLOAD_LENGTH));
        assertEquals(1, dropped(StageNames.IPV6_FORWARD, Ipv6ForwardStage.Reason.HOP_LIMIT_EXCEEDED));
        assertEquals(1, dropped(StageNames.IPV6_FORWARD, Ipv6ForwardStage.Reason.NO_ROUTE));
        assertEquals(1, dropped(StageNames.IPV6_FORWARD, Ipv6ForwardStage.Reason.EXCEEDS_MTU));
        assertEquals(1, dropped(StageNames.IPV4_FORWARD, Ipv4ForwardStage.Reason.TTL_EXCEEDED));
        assertEquals(1, dropped(StageNames.RAW_INPUT, RawInputStage.Reason.UNKNOWN_IP_VERSION));
        assertEquals(0, txFrames.size());
        assertEquals(8, pipeline.counters().totalDropped());
        assertConserved();
    }

    @Test
    void dropsWhenEthernetNextHopHasNoNeighbour()
    {
        receive(1, PacketBuilder.ipv6("2001:db8:1::7", "2001:db8:2::44").udp(1, 2).build());

        assertEquals(0, txFrames.size());
        assertEquals(1, dropped(StageNames.L2_OUTPUT, L2OutputStage.Reason.NEIGHBOUR_UNRESOLVED));
        assertConserved();
    }
}
