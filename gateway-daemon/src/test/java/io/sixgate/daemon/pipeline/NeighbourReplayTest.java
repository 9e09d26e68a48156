package io.sixgate.daemon.pipeline;

import static io.sixgate.daemon.replay.TestCaptures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.sixgate.core.packet.ArpFlyweight;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.NdpFlyweight;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.PacketDescriber;
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
 * Next hops resolved by ARP and Neighbor Discovery in the gateway's own pipeline, from a
 * configuration without {@code neighbours}: the first packet each way waits while the gateway
 * asks, the captured answer arrives a millisecond later, and the packet leaves.
 */
class NeighbourReplayTest
{
    private static final String CONFIG = String.join("\n",
        "workers: 1",
        "frame-pool: {frames: 256, slot-size: 2048}",
        "ports:",
        "  - {name: vpc, type: tap, mac: \"02:00:00:00:00:01\", addresses: [\"2001:db8:0:1::1/64\", 192.0.2.1/24]}",
        "  - {name: internet, type: tap, mac: \"02:00:00:00:00:02\","
            + " addresses: [\"2001:db8:ffff::1/64\", 198.51.100.1/24]}",
        "routes:",
        "  - {prefix: \"::/0\", via: \"2001:db8:ffff::2\", port: internet}",
        "  - {prefix: 0.0.0.0/0, via: 198.51.100.2, port: internet}",
        "");
    private static final long T0 = 1_767_225_600_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final long VPC_MAC = 0x02_00_00_00_00_01L;
    private static final long INTERNET_MAC = 0x02_00_00_00_00_02L;
    private static final long HOST_MAC = 0x02_00_00_00_00_10L;
    private static final long ROUTER_MAC = 0x02_00_00_00_00_FEL;

    @TempDir
    Path dir;

    @Test
    void resolvesTheNextHopWhileThePacketWaitsThenSendsIt() throws Exception
    {
        final List<TestCaptures.Record> vpc = List.of(
            record(T0, PacketBuilder.ipv6("2001:db8:0:1::10", "2001:db8:aaaa::53").udp(40000, 53).payload(8)
                .ethernet(VPC_MAC, HOST_MAC).build()),
            record(T0 + 2 * MS, PacketBuilder.ipv4("192.0.2.10", "203.0.113.53").udp(40000, 53).payload(8)
                .ethernet(VPC_MAC, HOST_MAC).build()));
        final List<TestCaptures.Record> internet = List.of(
            record(T0 + MS, PacketBuilder.ipv6("2001:db8:ffff::2", "2001:db8:ffff::1").ttl(255)
                .neighborAdvertisement("2001:db8:ffff::2",
                    NdpFlyweight.FLAG_ROUTER | NdpFlyweight.FLAG_SOLICITED | NdpFlyweight.FLAG_OVERRIDE, ROUTER_MAC)
                .ethernet(INTERNET_MAC, ROUTER_MAC).build()),
            record(T0 + 3 * MS, PacketBuilder.arp(INTERNET_MAC, ArpFlyweight.OPER_REPLY, ROUTER_MAC, "198.51.100.2",
                INTERNET_MAC, "198.51.100.1")));

        final ReplayResult result = replay(vpc, internet);

        assertTrue(result.balanced(), result.mismatches().toString());
        final List<TestCaptures.Record> out = TestCaptures.read(dir.resolve("internet-out.pcap"));
        assertEquals(List.of(
            "IPv6 2001:db8:ffff::1 > ff02::1:ff00:2 ICMPv6 neighbor-solicitation code 0 len 72 hlim 255",
            "IPv6 2001:db8:0:1::10.40000 > 2001:db8:aaaa::53.53 UDP len 56 hlim 63",
            "ARP request who-has 198.51.100.2 tell 198.51.100.1",
            "IPv4 192.0.2.10.40000 > 203.0.113.53.53 UDP len 36 ttl 63"),
            out.stream().map(r -> PacketDescriber.describe(r.data(), true)).toList());
        assertEquals(T0 + MS, out.get(1).timestampNs(), "sent when the advertisement came");
        for (final int data : new int[]{1, 3})
        {
            final EthernetFlyweight ethernet = new EthernetFlyweight().wrap(new UnsafeBuffer(out.get(data).data()), 0);
            assertEquals(ROUTER_MAC, ethernet.dstMac());
            assertEquals(INTERNET_MAC, ethernet.srcMac());
        }
        assertEquals(1, result.counter("event ndp-input/neighbour-resolved worker=0"));
        assertEquals(1, result.counter("event arp-input/neighbour-resolved worker=0"));
        assertEquals(0, result.framesHeld());
    }

    private ReplayResult replay(final List<TestCaptures.Record> fromVpc, final List<TestCaptures.Record> fromInternet)
        throws Exception
    {
        final GatewayConfig config = ConfigLoader.load("neighbours.yaml",
            new ByteArrayInputStream(CONFIG.getBytes(StandardCharsets.UTF_8)));
        final Path vpcIn = TestCaptures.write(dir.resolve("vpc-in.pcap"), DataLinkType.EN10MB, fromVpc);
        final Path internetIn = TestCaptures.write(dir.resolve("internet-in.pcap"), DataLinkType.EN10MB, fromInternet);
        return new ReplayEngine(new GatewayPipelineFactory()).run(config, new ReplayRequest(
            List.of(new CaptureBinding("vpc", vpcIn), new CaptureBinding("internet", internetIn)),
            List.of(new CaptureBinding("vpc", dir.resolve("vpc-out.pcap")),
                new CaptureBinding("internet", dir.resolve("internet-out.pcap"))),
            null));
    }
}
