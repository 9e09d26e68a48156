package io.sixgate.egress;

import static io.sixgate.egress.GatewayTestbed.HOST;
import static io.sixgate.egress.GatewayTestbed.INSIDE;
import static io.sixgate.egress.GatewayTestbed.INTERNET;
import static io.sixgate.egress.GatewayTestbed.OTHER_HOST;
import static io.sixgate.egress.GatewayTestbed.REMOTE;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.sixgate.core.fuzz.FuzzInvariants;
import io.sixgate.core.fuzz.FuzzRecords;
import io.sixgate.core.fuzz.FuzzSeeds;
import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.TcpFlyweight;

import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the IPv6 gateway stage (issue 8): anti-spoofing, per-address policy,
 * token buckets, the egress-only state table (small, so it fills) and transit ICMPv6, behind
 * ipv6-input, with state across the packets of one input and time passing between them
 * ({@link FuzzRecords}: side 0 = inside the VPC, side 1 = the Internet). {@code HOST} is
 * egress-only with bandwidth, {@code OTHER_HOST} has bandwidth (reachable both ways), every other
 * VPC address is VPC-only. Whatever the bytes, no exception escapes, every frame returns to the
 * pool, the counters add up, and nothing from the Internet reaches a VPC-only address.
 */
class Ipv6GatewayFuzzTest
{
    private static final Ipv6Prefix HOST_128 = Ipv6Prefix.parse(HOST + "/128");
    private static final Ipv6Prefix OTHER_128 = Ipv6Prefix.parse(OTHER_HOST + "/128");
    private static final long VPC_HIGH = PacketBuilder.ipv6High("2001:db8:100::");

    @FuzzTest(maxDuration = "60s")
    void ipv6GatewayKeepsItsInvariants(final byte[] input)
    {
        final List<FuzzRecords.Record> records = FuzzRecords.parse(input, 0);
        final Ipv6GatewayPolicy policy = GatewayTestbed.policy().bandwidth(HOST_128, 100, 0).egressOnly(HOST_128, true)
            .bandwidth(OTHER_128, 5, 3000).build();
        try (GatewayTestbed bed = new GatewayTestbed(policy, 8, 4, records.size() % 2 == 0))
        {
            long nowNs = 1_000_000_000_000L;
            for (final FuzzRecords.Record record : records)
            {
                nowNs += record.advanceNs();
                bed.pipeline.tick(nowNs);
                final boolean sent = bed.send(record.side() == 0 ? INSIDE : INTERNET, record.frame(), nowNs);
                if (record.side() == 1 && isVpcOnlyDestination(record.frame()))
                {
                    assertFalse(sent, "nothing from the Internet reaches a VPC-only address");
                }
                FuzzInvariants.assertCountersAddUp(bed.pipeline);
                FuzzInvariants.assertNoFrameLeaked(bed.pool, 0);
            }
        }
    }

    private static boolean isVpcOnlyDestination(final byte[] packet)
    {
        if (packet.length < 40)
        {
            return false;
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++)
        {
            high = high << 8 | packet[24 + i] & 0xFF;
            low = low << 8 | packet[32 + i] & 0xFF;
        }
        final boolean inVpc = (high & 0xFFFF_FFFF_FFFF_0000L) == VPC_HIGH;
        final boolean withBandwidth = high == VPC_HIGH && (low == 0x10 || low == 0x11);
        return inVpc && !withBandwidth;
    }

    /** The seeds: the stage tests' flows, one conversation per file. */
    static Map<String, byte[]> seeds()
    {
        final int syn = TcpFlyweight.SYN;
        final int ack = TcpFlyweight.ACK;
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("egress-only-tcp", FuzzRecords.builder()
            .frame(0, PacketBuilder.ipv6(HOST, REMOTE).tcp(40000, 443, syn).build())
            .frame(1, 1, PacketBuilder.ipv6(REMOTE, HOST).tcp(443, 40000, syn | ack).build())
            .frame(0, 1, PacketBuilder.ipv6(HOST, REMOTE).tcp(40000, 443, ack).payload(100).build())
            .frame(1, 1, PacketBuilder.ipv6(REMOTE, HOST).tcp(443, 40000, TcpFlyweight.FIN | ack).build())
            .frame(1, 6, PacketBuilder.ipv6(REMOTE, HOST).tcp(443, 40000, ack).build())
            .build());
        seeds.put("unsolicited-inbound", FuzzRecords.single(1, PacketBuilder.ipv6(REMOTE, HOST).tcp(443, 22, syn).build()));
        seeds.put("egress-only-udp-and-ptb", FuzzRecords.builder()
            .frame(0, PacketBuilder.ipv6(HOST, REMOTE).udp(5000, 53).payload(20).build())
            .frame(1, 1, PacketBuilder.ipv6(REMOTE, HOST).udp(53, 5000).payload(20).build())
            .frame(1, 1, PacketBuilder.ipv6("2001:db8:ffff::fe", HOST).icmp(2, 0, 1280)
                .payload(PacketBuilder.ipv6(HOST, REMOTE).udp(5000, 53).payload(20).build()).build())
            .frame(1, 5, PacketBuilder.ipv6(REMOTE, HOST).udp(53, 5000).payload(20).build())
            .build());
        seeds.put("internet-address-both-ways", FuzzRecords.builder()
            .frame(1, PacketBuilder.ipv6(REMOTE, OTHER_HOST).icmpEchoRequest(1, 1).payload(32).build())
            .frame(0, PacketBuilder.ipv6(OTHER_HOST, REMOTE).icmpEchoReply(1, 1).payload(32).build())
            .frame(0, PacketBuilder.ipv6(OTHER_HOST, REMOTE).udp(1, 9).payload(1200).build())
            .frame(0, PacketBuilder.ipv6(OTHER_HOST, REMOTE).udp(1, 9).payload(1200).build())
            .frame(0, PacketBuilder.ipv6(OTHER_HOST, REMOTE).udp(1, 9).payload(1200).build())
            .build());
        seeds.put("vpc-only-and-spoofing", FuzzRecords.builder()
            .frame(0, PacketBuilder.ipv6("2001:db8:100::12", REMOTE).udp(1, 2).build())
            .frame(1, PacketBuilder.ipv6(REMOTE, "2001:db8:100::12").udp(1, 2).build())
            .frame(0, PacketBuilder.ipv6("2001:db8:9::1", REMOTE).udp(1, 2).build())
            .frame(1, PacketBuilder.ipv6("fd00::1", HOST).udp(1, 2).build())
            .frame(1, PacketBuilder.ipv6(OTHER_HOST, HOST).udp(1, 2).build())
            .build());
        seeds.put("transit-icmpv6", FuzzRecords.builder()
            .frame(1, PacketBuilder.ipv6(REMOTE, HOST).icmp(138, 0, 0).build())
            .frame(0, PacketBuilder.ipv6(HOST, REMOTE).icmp(137, 0, 0).build())
            .frame(0, PacketBuilder.ipv6(HOST, REMOTE).icmp(150, 0, 0).build())
            .build());
        seeds.put("esp-and-fragments", FuzzRecords.builder()
            .frame(0, PacketBuilder.ipv6(HOST, REMOTE).protocol(50).payload(40).build())
            .frame(1, 1, PacketBuilder.ipv6(REMOTE, HOST).protocol(50).payload(40).build())
            .frame(0, PacketBuilder.ipv6(HOST, REMOTE).fragmentHeader(0, true, 3).udp(5000, 53).payload(48).build())
            .frame(1, 1, PacketBuilder.ipv6(REMOTE, HOST).fragmentHeader(8, false, 4).udp(53, 5000).payload(16).build())
            .build());
        return seeds;
    }

    @Test
    void seedFilesAreTheTestPacketsOfTheCode()
    {
        FuzzSeeds.assertUpToDate(Ipv6GatewayFuzzTest.class, "ipv6GatewayKeepsItsInvariants", seeds());
    }
}
