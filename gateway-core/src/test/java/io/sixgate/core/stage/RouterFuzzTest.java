package io.sixgate.core.stage;

import static io.sixgate.core.stage.RouterTestbed.HOST_MAC;
import static io.sixgate.core.stage.RouterTestbed.LAN;
import static io.sixgate.core.stage.RouterTestbed.LAN_MAC;
import static io.sixgate.core.stage.RouterTestbed.ROUTER_MAC;
import static io.sixgate.core.stage.RouterTestbed.SECONDS;
import static io.sixgate.core.stage.RouterTestbed.WAN;
import static io.sixgate.core.stage.RouterTestbed.WAN_MAC;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.sixgate.core.fuzz.FuzzInvariants;
import io.sixgate.core.fuzz.FuzzRecords;
import io.sixgate.core.fuzz.FuzzSeeds;
import io.sixgate.core.packet.ArpFlyweight;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.NdpFlyweight;
import io.sixgate.core.packet.PacketBuilder;

import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of frame parsing and validation (issue 8): Ethernet, ARP, IPv4 and IPv6
 * input with extension headers, local delivery, NDP, forwarding and neighbour resolution, in the
 * router the daemon wires ({@link RouterTestbed}). Inputs are {@link FuzzRecords}: frames on
 * either port with time passing between them. Whatever the bytes, no exception escapes, the
 * counters add up, every frame comes back to the pool once the neighbour timers ran out, and
 * every frame sent parses again (with valid checksums when the input's were).
 *
 * <p>{@code ./mvnw verify} runs the target over its seeds ({@code RouterFuzzTestInputs}); {@code
 * scripts/fuzz.sh RouterFuzzTest 60} fuzzes it.
 */
class RouterFuzzTest
{
    private final RouterTestbed testbed = new RouterTestbed();
    private long nowNs = 1_000 * SECONDS;

    @FuzzTest(maxDuration = "60s")
    void routerKeepsItsInvariants(final byte[] input)
    {
        final List<FuzzRecords.Record> records = FuzzRecords.parse(input, EthernetFlyweight.HEADER_LENGTH);
        testbed.clearTx();
        for (final FuzzRecords.Record record : records)
        {
            nowNs += record.advanceNs();
            testbed.tick(nowNs);
            testbed.receive(record.side(), record.frame(), nowNs);
            testbed.assertConserved();
        }
        // Unanswered solicitations give up after MAX_MULTICAST_SOLICIT retransmissions, a second
        // apart (RFC 4861 §7.2.2), and a stale entry is probed again: half a minute later nothing waits.
        for (int second = 0; second < 30; second++)
        {
            nowNs += SECONDS;
            testbed.tick(nowNs);
        }
        FuzzInvariants.assertCountersAddUp(testbed.pipeline);
        FuzzInvariants.assertNoFrameLeaked(testbed.pool, 0);
        final boolean checksums = FuzzRecords.allRepaired(records);
        for (final byte[] frame : testbed.txFrames)
        {
            FuzzInvariants.assertValidEthernetFrame(frame, checksums);
        }
        nowNs += 3600 * SECONDS;    // what the next input finds learned has expired
    }

    /** The seeds: the router tests' own packets, one conversation per file. */
    static Map<String, byte[]> seeds()
    {
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("ipv6-udp-lan-to-wan", FuzzRecords.single(LAN, PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:99::5")
            .udp(4000, 53).payload(20).ethernet(LAN_MAC, HOST_MAC).build()));
        seeds.put("ipv6-extension-headers", FuzzRecords.single(LAN, PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:99::5")
            .hopByHop().destinationOptions().routingHeader(0, 0).fragmentHeader(0, false, 7).tcp(4000, 80, 0x02)
            .payload(10).ethernet(LAN_MAC, HOST_MAC).build()));
        seeds.put("ipv6-fragment", FuzzRecords.single(WAN, PacketBuilder.ipv6("2001:db8:99::5", "2001:db8:1::10")
            .fragmentHeader(8, true, 9).udp(53, 4000).payload(40).ethernet(WAN_MAC, ROUTER_MAC).build()));
        seeds.put("ipv4-tcp-wan-to-lan", FuzzRecords.single(WAN, PacketBuilder.ipv4("203.0.113.5", "192.0.2.10")
            .tcp(80, 4000, 0x12).payload(30).ethernet(WAN_MAC, ROUTER_MAC).build()));
        seeds.put("ipv4-options-ttl1", FuzzRecords.single(LAN, PacketBuilder.ipv4("192.0.2.10", "203.0.113.5").ttl(1)
            .ipv4Options(new byte[]{7, 7, 4, 0, 0, 0, 0, 0}).udp(1, 2).payload(8).ethernet(LAN_MAC, HOST_MAC).build()));
        seeds.put("ipv4-too-big-df", FuzzRecords.single(LAN, PacketBuilder.ipv4("192.0.2.10", "203.0.113.5")
            .dontFragment(true).udp(1, 2).payload(1400).ethernet(LAN_MAC, HOST_MAC).build()));
        seeds.put("ipv4-fragmented-on-wan", FuzzRecords.single(LAN, PacketBuilder.ipv4("192.0.2.10", "203.0.113.5")
            .udp(1, 2).payload(1400).ethernet(LAN_MAC, HOST_MAC).build()));
        seeds.put("ping-gateway", FuzzRecords.builder()
            .frame(LAN, PacketBuilder.ipv4("192.0.2.10", "192.0.2.1").icmpEchoRequest(1, 1).payload(16)
                .ethernet(LAN_MAC, HOST_MAC).build())
            .frame(LAN, PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:1::1").icmpEchoRequest(1, 1).payload(16)
                .ethernet(LAN_MAC, HOST_MAC).build())
            .build());
        seeds.put("arp-then-forward", FuzzRecords.builder()
            .frame(LAN, PacketBuilder.ipv4("192.0.2.10", "198.51.100.9").udp(1, 2).payload(8)
                .ethernet(LAN_MAC, HOST_MAC).build())
            .frame(WAN, 1, PacketBuilder.arp(WAN_MAC, ArpFlyweight.OPER_REPLY, 0x02_00_00_00_00_99L, "198.51.100.9",
                WAN_MAC, "198.51.100.1"))
            .build());
        seeds.put("ndp-then-forward", FuzzRecords.builder()
            .frame(LAN, PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:2::9").udp(1, 2).payload(8)
                .ethernet(LAN_MAC, HOST_MAC).build())
            .frame(WAN, 1, PacketBuilder.ipv6("2001:db8:2::9", "2001:db8:2::1").ttl(255)
                .neighborAdvertisement("2001:db8:2::9", NdpFlyweight.FLAG_SOLICITED | NdpFlyweight.FLAG_OVERRIDE,
                    0x02_00_00_00_00_99L).ethernet(WAN_MAC, 0x02_00_00_00_00_99L).build())
            .build());
        seeds.put("neighbour-solicitation", FuzzRecords.single(LAN, PacketBuilder.ipv6("2001:db8:1::10", "ff02::1:ff00:1")
            .ttl(255).neighborSolicitation("2001:db8:1::1", HOST_MAC).ethernet(0x33_33_FF_00_00_01L, HOST_MAC).build()));
        seeds.put("icmpv6-error-in", FuzzRecords.single(WAN, PacketBuilder.ipv6("2001:db8:99::5", "2001:db8:1::10")
            .icmp(1, 4, 0).payload(PacketBuilder.ipv6("2001:db8:1::10", "2001:db8:99::5").udp(4000, 53).payload(20)
                .build()).ethernet(WAN_MAC, ROUTER_MAC).build()));
        return seeds;
    }

    @Test
    void seedFilesAreTheTestPacketsOfTheCode()
    {
        FuzzSeeds.assertUpToDate(RouterFuzzTest.class, "routerKeepsItsInvariants", seeds());
    }
}
