package io.sixgate.nat64.siit;

import static io.sixgate.nat64.siit.Siit64StageTest.concat;
import static io.sixgate.nat64.siit.SiitTestbed.CLIENT6;
import static io.sixgate.nat64.siit.SiitTestbed.CLIENT6_AS_V4;
import static io.sixgate.nat64.siit.SiitTestbed.HOST4;
import static io.sixgate.nat64.siit.SiitTestbed.HOST4_AS_V6;
import static io.sixgate.nat64.siit.SiitTestbed.v4;
import static io.sixgate.nat64.siit.SiitTestbed.v6;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.sixgate.core.fuzz.FuzzInvariants;
import io.sixgate.core.fuzz.FuzzRecords;
import io.sixgate.core.fuzz.FuzzSeeds;
import io.sixgate.core.fuzz.GrayboxCorpus;

import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the RFC 7915 translator both ways, ICMP error translation included
 * (issue 8), in {@link SiitTestbed} (the corpus's siit setup: pool6, EAMT, RFC 6791 pool). Inputs
 * are {@link FuzzRecords} of raw IP packets: side 0 enters from the IPv4 side, side 1 from the
 * IPv6 side. Whatever the bytes, no exception escapes, every frame returns to the pool, the
 * counters add up, and every packet emitted is valid IP for the gateway's own validators, with
 * valid checksums when the input's were.
 */
class SiitFuzzTest
{
    private final SiitTestbed checked = new SiitTestbed();
    private final SiitTestbed lenient = new SiitTestbed().withoutChecksumChecks();

    @FuzzTest(maxDuration = "60s")
    void translatorKeepsItsInvariants(final byte[] input)
    {
        for (final FuzzRecords.Record record : FuzzRecords.parse(input, 0))
        {
            // The testbed has no ipv4-input/ipv6-input stage in front of the translator (as in the
            // conformance runner): what the gateway's validation would refuse only has to come
            // out as whole packets; what it takes must come out valid.
            final boolean valid = FuzzInvariants.isValidInput(record.frame());
            final SiitTestbed testbed = record.repair() && valid ? checked : lenient;
            final SiitTestbed.Output output = testbed.send(record.side() == 0 ? 0 : 1, record.frame());
            for (final byte[] packet : output.n4())
            {
                assertTrue((packet[0] & 0xF0) == 0x40, "IPv4 on the IPv4 side");
                check(packet, valid, record.repair());
            }
            for (final byte[] packet : output.n6())
            {
                assertTrue((packet[0] & 0xF0) == 0x60, "IPv6 on the IPv6 side");
                check(packet, valid, record.repair());
            }
            FuzzInvariants.assertCountersAddUp(testbed.pipeline());
        }
    }

    private static void check(final byte[] packet, final boolean validInput, final boolean checksums)
    {
        if (validInput)
        {
            FuzzInvariants.assertValidIpPacket(packet, checksums);
        }
        else
        {
            FuzzInvariants.assertWholeIpPacket(packet);
        }
    }

    /** The seeds: the translator tests' packets, both ways, ICMP errors with their inner packets. */
    static Map<String, byte[]> seeds()
    {
        final byte[] inner6 = v6(HOST4_AS_V6, CLIENT6).ttl(63).udp(4000, 2000).payload(104).build();
        final byte[] inner4 = v4(CLIENT6_AS_V4, HOST4).ttl(63).udp(2000, 4000).payload(104).build();
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("6to4-udp", six(v6(CLIENT6, HOST4_AS_V6).udp(1, 2).payload(40).build()));
        seeds.put("6to4-tcp", six(v6(CLIENT6, HOST4_AS_V6).tcp(1, 2, 0x02).payload(40).build()));
        seeds.put("6to4-echo", six(v6(CLIENT6, HOST4_AS_V6).icmpEchoRequest(1, 1).payload(40).build()));
        seeds.put("6to4-extension-headers", six(v6(CLIENT6, HOST4_AS_V6).hopByHop().routingHeader(0, 0)
            .fragmentHeader(0, true, 3).udp(1, 2).payload(40).build()));
        seeds.put("6to4-unreachable", six(v6(CLIENT6, HOST4_AS_V6).icmp(1, 4, 0).payload(inner6).build()));
        seeds.put("6to4-unreachable-rfc4884", six(v6(CLIENT6, HOST4_AS_V6).icmp(1, 4, 19 << 24)
            .payload(concat(inner6, new byte[24])).build()));
        seeds.put("6to4-packet-too-big", six(v6(CLIENT6, HOST4_AS_V6).icmp(2, 0, 1300)
            .payload(v6(HOST4_AS_V6, CLIENT6).fragmentHeader(0, true, 1).tcp(1, 2, 0x10).payload(60).build()).build()));
        seeds.put("6to4-too-big-for-ipv4", six(v6(CLIENT6, HOST4_AS_V6).udp(1, 2).payload(1600).build()));
        seeds.put("4to6-udp", four(v4(HOST4, CLIENT6_AS_V4).udp(1, 2).payload(40).build()));
        seeds.put("4to6-tcp", four(v4(HOST4, CLIENT6_AS_V4).tcp(1, 2, 0x02).payload(40).build()));
        seeds.put("4to6-echo-reply", four(v4(HOST4, CLIENT6_AS_V4).icmpEchoReply(1, 1).payload(40).build()));
        seeds.put("4to6-options", four(v4(HOST4, CLIENT6_AS_V4).ipv4Options(new byte[]{7, 7, 4, 0, 0, 0, 0})
            .udp(1, 2).payload(40).build()));
        seeds.put("4to6-port-unreachable", four(v4(HOST4, CLIENT6_AS_V4).icmp(3, 3, 0).payload(inner4).build()));
        seeds.put("4to6-time-exceeded-rfc4884", four(v4(HOST4, CLIENT6_AS_V4).icmp(11, 0, 33 << 16)
            .payload(concat(inner4, new byte[16])).build()));
        seeds.put("4to6-fragmentation-needed", four(v4(HOST4, CLIENT6_AS_V4).icmp(3, 4, 1000)
            .payload(v4(CLIENT6_AS_V4, HOST4).ipv4Fragment(0, true).icmpEchoRequest(1, 2).payload(30).build()).build()));
        seeds.put("4to6-fragment", four(v4(HOST4, CLIENT6_AS_V4).ipv4Fragment(8, true).udp(1, 2).payload(48).build()));
        seeds.put("4to6-fragmented-to-fit", four(v4(HOST4, CLIENT6_AS_V4).udp(1, 2).payload(1400).build()));
        seeds.put("4to6-eam", four(v4(HOST4, "1.0.0.7").udp(1, 2).payload(20).build()));
        return seeds;
    }

    private static byte[] six(final byte[] packet)
    {
        return FuzzRecords.single(1, packet);
    }

    private static byte[] four(final byte[] packet)
    {
        return FuzzRecords.single(0, packet);
    }

    @Test
    void seedFilesAreTheTestPacketsOfTheCode()
    {
        FuzzSeeds.assertUpToDate(SiitFuzzTest.class, "translatorKeepsItsInvariants", seeds());
    }

    @Test
    void holdsOverEveryPacketOfTheConformanceCorpus()
    {
        final List<Path> packets = GrayboxCorpus.packets("siit");
        for (final Path packet : packets)
        {
            final byte[] bytes = GrayboxCorpus.read(packet);
            final int side = bytes.length > 0 && (bytes[0] & 0xF0) == 0x60 ? 1 : 0;
            try
            {
                translatorKeepsItsInvariants(FuzzRecords.single(side, bytes));
            }
            catch (final AssertionError ex)
            {
                throw new AssertionError(packet + ": " + ex.getMessage(), ex);
            }
        }
        assertTrue(packets.size() > 100, "the corpus's siit packets: " + packets.size());
    }
}
