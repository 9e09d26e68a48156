package io.sixgate.nat64.stateful;

import static io.sixgate.nat64.stateful.StatefulTestbed.CLIENT6;
import static io.sixgate.nat64.stateful.StatefulTestbed.CLIENT6_B;
import static io.sixgate.nat64.stateful.StatefulTestbed.EIP6;
import static io.sixgate.nat64.stateful.StatefulTestbed.INSTANCE;
import static io.sixgate.nat64.stateful.StatefulTestbed.POOL4;
import static io.sixgate.nat64.stateful.StatefulTestbed.POOL4_AS_V6;
import static io.sixgate.nat64.stateful.StatefulTestbed.v4;
import static io.sixgate.nat64.stateful.StatefulTestbed.v6;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.sixgate.core.fuzz.FuzzInvariants;
import io.sixgate.core.fuzz.FuzzRecords;
import io.sixgate.core.fuzz.FuzzSeeds;
import io.sixgate.core.fuzz.GrayboxCorpus;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.nat64.state.PortRange;
import io.sixgate.nat64.state.SessionTableConfig;

import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the stateful NAT64 stages (RFC 6146) with state across the packets
 * of one input (issue 8): each input is a conversation of {@link FuzzRecords} (side 0 = the IPv4
 * side, side 1 = the IPv6 side, time passing between packets, so sessions are made, used, expire
 * and SYNs are held) through a fresh {@link StatefulTestbed} with the IPv6 EIP and two pool4 ports
 * per protocol (40000-40001), so replies can find their session. Whatever the bytes, no
 * exception escapes, every frame but the held SYNs is back in the pool after each packet and
 * all of them once the hold time passed, the counters add up, and every packet emitted is valid
 * IP, with valid checksums when the input's were.
 */
class StatefulNat64FuzzTest
{
    static final int T = 40000;
    private static final int SYN = TcpFlyweight.SYN;
    private static final int ACK = TcpFlyweight.ACK;
    private static final int FIN = TcpFlyweight.FIN;

    @FuzzTest(maxDuration = "60s")
    void statefulNat64KeepsItsInvariants(final byte[] input)
    {
        final List<FuzzRecords.Record> records = FuzzRecords.parse(input, 0);
        // The testbed has no ipv4-input/ipv6-input stage in front of the NAT64 (as in the
        // conformance runner): when the gateway's validation would refuse a packet of the input,
        // what comes out only has to be whole packets; otherwise it must be valid.
        boolean valid = true;
        for (final FuzzRecords.Record record : records)
        {
            valid &= FuzzInvariants.isValidInput(record.frame());
        }
        final boolean checksums = valid && FuzzRecords.allRepaired(records);
        try (StatefulTestbed bed = new StatefulTestbed(new PortRange(T, T + 1), SessionTableConfig.of(64, 64, 16, 42), false))
        {
            if (!checksums)
            {
                bed.withoutChecksumChecks();
            }
            for (final FuzzRecords.Record record : records)
            {
                bed.advance(record.advanceNs(), TimeUnit.NANOSECONDS);
                check(record.side() == 0 ? bed.send4(record.frame()) : bed.send6(record.frame()), valid, checksums);
                FuzzInvariants.assertCountersAddUp(bed.pipeline());
            }
            // RFC 6146 §3.5.2.2: a held SYN is answered after 6 s; then no frame is held.
            bed.advance(7, TimeUnit.SECONDS);
            check(bed.tick(), valid, checksums);
            FuzzInvariants.assertNoFrameLeaked(bed.pool(), 0);
            FuzzInvariants.assertCountersAddUp(bed.pipeline());
        }
    }

    private static void check(final StatefulTestbed.Output output, final boolean valid, final boolean checksums)
    {
        for (final byte[] packet : output.n4())
        {
            assertTrue((packet[0] & 0xF0) == 0x40, "IPv4 on the IPv4 side");
            check(packet, valid, checksums);
        }
        for (final byte[] packet : output.n6())
        {
            assertTrue((packet[0] & 0xF0) == 0x60, "IPv6 on the IPv6 side");
            check(packet, valid, checksums);
        }
    }

    private static void check(final byte[] packet, final boolean valid, final boolean checksums)
    {
        if (valid)
        {
            FuzzInvariants.assertValidIpPacket(packet, checksums);
        }
        else
        {
            FuzzInvariants.assertWholeIpPacket(packet);
        }
    }

    /** The seeds: the stateful tests' conversations through the IPv6 EIP. */
    static Map<String, byte[]> seeds()
    {
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("tcp-connection", FuzzRecords.builder()
            .frame(1, v6(CLIENT6, EIP6).tcp(50000, 80, SYN).build())
            .frame(0, 1, v4(INSTANCE, POOL4).tcp(80, T, SYN | ACK).build())
            .frame(1, 1, v6(CLIENT6, EIP6).tcp(50000, 80, ACK).payload(100).build())
            .frame(0, 1, v4(INSTANCE, POOL4).tcp(80, T, ACK).payload(1000).build())
            .frame(1, 1, v6(CLIENT6, EIP6).tcp(50000, 80, FIN | ACK).build())
            .frame(0, 1, v4(INSTANCE, POOL4).tcp(80, T, FIN | ACK).build())
            .frame(1, 1, v6(CLIENT6, EIP6).tcp(50000, 80, ACK).build())
            .build());
        seeds.put("udp-and-expiry", FuzzRecords.builder()
            .frame(1, v6(CLIENT6, EIP6).udp(40000, 53).payload(12).build())
            .frame(0, 1, v4(INSTANCE, POOL4).udp(53, T).payload(30).build())
            .frame(0, 5, v4(INSTANCE, POOL4).udp(53, T).payload(30).build())
            .build());
        seeds.put("ping", FuzzRecords.builder()
            .frame(1, v6(CLIENT6, EIP6).icmpEchoRequest(777, 1).payload(8).build())
            .frame(0, 1, v4(INSTANCE, POOL4).icmpEchoReply(T, 1).payload(8).build())
            .build());
        seeds.put("held-syn-then-simultaneous-open", FuzzRecords.builder()
            .frame(0, v4(INSTANCE, POOL4).tcp(80, T, SYN).build())
            .frame(1, 2, v6(CLIENT6, EIP6).tcp(50000, 80, SYN).build())
            .build());
        seeds.put("unsolicited-syn-answered", FuzzRecords.single(0, v4(INSTANCE, POOL4).tcp(80, T + 1, SYN).build()));
        seeds.put("pool-exhaustion", FuzzRecords.builder()
            .frame(1, v6(CLIENT6, EIP6).udp(5000, 53).build())
            .frame(1, v6(CLIENT6, EIP6).udp(5001, 53).build())
            .frame(1, v6(CLIENT6_B, EIP6).udp(5002, 53).build())
            .build());
        seeds.put("icmp-errors-of-a-session", FuzzRecords.builder()
            .frame(1, v6(CLIENT6, EIP6).udp(40000, 53).payload(12).build())
            .frame(0, 1, v4(INSTANCE, POOL4).icmp(3, 3, 0).payload(v4(POOL4, INSTANCE).ttl(63).udp(T, 53).payload(12)
                .build()).build())
            .frame(0, 1, v4(INSTANCE, POOL4).icmp(3, 4, 1000).payload(v4(POOL4, INSTANCE).ttl(63).udp(T, 53)
                .payload(12).build()).build())
            .frame(1, 1, v6(CLIENT6, EIP6).icmp(1, 4, 0).payload(v6(EIP6, CLIENT6).udp(53, 40000).payload(12).build())
                .build())
            .build());
        seeds.put("hairpin", FuzzRecords.builder()
            .frame(1, v6(CLIENT6, EIP6).udp(40000, 53).payload(12).build())
            .frame(1, 1, v6(CLIENT6_B, POOL4_AS_V6).udp(40001, T).payload(12).build())
            .build());
        seeds.put("fragments", FuzzRecords.builder()
            .frame(1, v6(CLIENT6, EIP6).fragmentHeader(0, true, 9).udp(40000, 53).payload(48).build())
            .frame(1, v6(CLIENT6, EIP6).fragmentHeader(56, false, 9).udp(40000, 53).payload(8).build())
            .frame(0, 1, v4(INSTANCE, POOL4).ipv4Fragment(0, true).udp(53, T).payload(48).build())
            .build());
        return seeds;
    }

    @Test
    void seedFilesAreTheTestPacketsOfTheCode()
    {
        FuzzSeeds.assertUpToDate(StatefulNat64FuzzTest.class, "statefulNat64KeepsItsInvariants", seeds());
    }

    @Test
    void holdsOverEveryPacketOfTheConformanceCorpus()
    {
        final List<Path> packets = GrayboxCorpus.packets("nat64");
        // Each packet alone, then in corpus order as conversations of FuzzRecords.MAX_RECORDS packets.
        FuzzRecords.Builder conversation = FuzzRecords.builder();
        for (int i = 0; i < packets.size(); i++)
        {
            final byte[] bytes = GrayboxCorpus.read(packets.get(i));
            final int side = bytes.length > 0 && (bytes[0] & 0xF0) == 0x60 ? 1 : 0;
            try
            {
                statefulNat64KeepsItsInvariants(FuzzRecords.single(side, bytes));
            }
            catch (final AssertionError ex)
            {
                throw new AssertionError(packets.get(i) + ": " + ex.getMessage(), ex);
            }
            conversation.frame(side, 1, bytes);
            if (i % FuzzRecords.MAX_RECORDS == FuzzRecords.MAX_RECORDS - 1 || i == packets.size() - 1)
            {
                statefulNat64KeepsItsInvariants(conversation.build());
                conversation = FuzzRecords.builder();
            }
        }
        assertTrue(packets.size() > 50, "the corpus's nat64 packets: " + packets.size());
    }
}
