package io.sixgate.nat64.siit;

import static io.sixgate.nat64.siit.Siit64StageTest.concat;
import static io.sixgate.nat64.siit.SiitTestbed.CLIENT6;
import static io.sixgate.nat64.siit.SiitTestbed.CLIENT6_AS_V4;
import static io.sixgate.nat64.siit.SiitTestbed.HOST4;
import static io.sixgate.nat64.siit.SiitTestbed.HOST4_AS_V6;
import static io.sixgate.nat64.siit.SiitTestbed.v4;
import static io.sixgate.nat64.siit.SiitTestbed.v6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.sixgate.core.packet.PacketBuilder;

import org.junit.jupiter.api.Test;

/**
 * Truncated, inconsistent and random inputs: each is dropped with a named reason or answered
 * with an ICMP error; nothing throws, every frame returns to the pool, and whatever is emitted
 * carries valid checksums.
 */
class MalformedInputTest
{
    private final SiitTestbed testbed = new SiitTestbed();

    private static List<byte[]> ipv6Samples()
    {
        final byte[] inner6 = v6(HOST4_AS_V6, CLIENT6).ttl(63).udp(4000, 2000).payload(104).build();
        return List.of(
            v6(CLIENT6, HOST4_AS_V6).udp(1, 2).payload(40).build(),
            v6(CLIENT6, HOST4_AS_V6).tcp(1, 2, 0x02).payload(40).build(),
            v6(CLIENT6, HOST4_AS_V6).icmpEchoRequest(1, 1).payload(40).build(),
            v6(CLIENT6, HOST4_AS_V6).hopByHop().routingHeader(0, 0).fragmentHeader(0, true, 3).udp(1, 2).payload(40).build(),
            v6(CLIENT6, HOST4_AS_V6).icmp(1, 4, 0).payload(inner6).build(),
            v6(CLIENT6, HOST4_AS_V6).icmp(1, 4, 19 << 24).payload(concat(inner6, new byte[24])).build(),
            v6(CLIENT6, HOST4_AS_V6).icmp(2, 0, 1300).payload(v6(HOST4_AS_V6, CLIENT6).fragmentHeader(0, true, 1)
                .tcp(1, 2, 0x10).payload(60).build()).build());
    }

    private static List<byte[]> ipv4Samples()
    {
        final byte[] inner4 = v4(CLIENT6_AS_V4, HOST4).ttl(63).udp(2000, 4000).payload(104).build();
        return List.of(
            v4(HOST4, CLIENT6_AS_V4).udp(1, 2).payload(40).build(),
            v4(HOST4, CLIENT6_AS_V4).tcp(1, 2, 0x02).payload(40).build(),
            v4(HOST4, CLIENT6_AS_V4).icmpEchoReply(1, 1).payload(40).build(),
            v4(HOST4, CLIENT6_AS_V4).ipv4Options(new byte[]{7, 7, 4, 0, 0, 0, 0}).udp(1, 2).payload(40).build(),
            v4(HOST4, CLIENT6_AS_V4).icmp(3, 3, 0).payload(inner4).build(),
            v4(HOST4, CLIENT6_AS_V4).icmp(11, 0, 33 << 16).payload(concat(inner4, new byte[16])).build(),
            v4(HOST4, CLIENT6_AS_V4).icmp(3, 4, 1000).payload(v4(CLIENT6_AS_V4, HOST4).ipv4Fragment(0, true)
                .icmpEchoRequest(1, 2).payload(30).build()).build());
    }

    @Test
    void dropsEveryTruncationOfAnIpv6PacketWithANamedReason()
    {
        for (final byte[] sample : ipv6Samples())
        {
            for (int length = 0; length < sample.length; length++)
            {
                final SiitTestbed.Output output = testbed.send6(Arrays.copyOf(sample, length));
                assertEquals(1, output.drops().size(), "one drop for length " + length);
                assertEquals(0, output.n4().size() + output.n6().size());
            }
        }
    }

    @Test
    void dropsEveryTruncationOfAnIpv4PacketWithANamedReason()
    {
        for (final byte[] sample : ipv4Samples())
        {
            for (int length = 0; length < sample.length; length++)
            {
                final SiitTestbed.Output output = testbed.send4(Arrays.copyOf(sample, length));
                assertEquals(1, output.drops().size(), "one drop for length " + length);
                assertEquals(0, output.n4().size() + output.n6().size());
            }
        }
    }

    @Test
    void translatesOrDropsIcmpErrorsWhoseInnerPacketIsCutAnywhere()
    {
        final byte[] inner6 = v6(HOST4_AS_V6, CLIENT6).ttl(63).hopByHop().fragmentHeader(0, false, 4).udp(4000, 2000)
            .payload(60).build();
        for (int cut = 0; cut <= inner6.length; cut++)
        {
            final byte[] in = v6(CLIENT6, HOST4_AS_V6).icmp(3, 0, 0).payload(Arrays.copyOf(inner6, cut)).build();
            final SiitTestbed.Output output = testbed.send6(in);
            assertEquals(output.n4().size() == 1 ? 0 : 1, output.drops().size(), "cut at " + cut);
        }
        final byte[] inner4 = v4(CLIENT6_AS_V4, HOST4).ttl(63).ipv4Options(new byte[]{1, 1, 1, 0}).udp(2000, 4000)
            .payload(60).build();
        for (int cut = 0; cut <= inner4.length; cut++)
        {
            final byte[] in = v4(HOST4, CLIENT6_AS_V4).icmp(11, 0, 0).payload(Arrays.copyOf(inner4, cut)).build();
            final SiitTestbed.Output output = testbed.send4(in);
            assertEquals(output.n6().size() == 1 ? 0 : 1, output.drops().size(), "cut at " + cut);
        }
    }

    @Test
    void dropsLengthFieldsThatLie()
    {
        final byte[] v6 = v6(CLIENT6, HOST4_AS_V6).udp(1, 2).payload(10).build();
        v6[5] = (byte)200;      // payload length past the frame
        testbed.send6(v6).assertDroppedSilently("siit-6to4/truncated-packet");

        final byte[] v4 = v4(HOST4, CLIENT6_AS_V4).udp(1, 2).payload(10).build();
        v4[3] = (byte)200;      // total length past the frame
        fixIpv4HeaderChecksum(v4);
        testbed.send4(v4).assertDroppedSilently("siit-4to6/truncated-packet");

        final byte[] ihl = v4(HOST4, CLIENT6_AS_V4).udp(1, 2).payload(10).build();
        ihl[0] = 0x44;          // IHL 4
        testbed.send4(ihl).assertDroppedSilently("siit-4to6/bad-header-length");
    }

    @Test
    void survivesRandomCorruptionOfEveryByte()
    {
        final SiitTestbed lenient = new SiitTestbed().withoutChecksumChecks();
        final Random random = new Random(7915);
        for (int round = 0; round < 3000; round++)
        {
            final boolean six = random.nextBoolean();
            final List<byte[]> samples = six ? ipv6Samples() : ipv4Samples();
            final byte[] packet = samples.get(random.nextInt(samples.size())).clone();
            final int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++)
            {
                packet[random.nextInt(packet.length)] = (byte)random.nextInt(256);
            }
            packet[0] = (byte)((six ? 0x60 : 0x40) | (packet[0] & 0x0F));
            final SiitTestbed.Output output = six ? lenient.send6(packet) : lenient.send4(packet);
            assertTrue(output.drops().size() + output.n4().size() + output.n6().size() >= 1, "a verdict for every packet");
            for (final byte[] emitted : six ? output.n4() : output.n6())
            {
                assertTrue(emitted.length >= 20, "emitted packets are whole IP packets");
            }
        }
    }

    private static void fixIpv4HeaderChecksum(final byte[] packet)
    {
        packet[10] = 0;
        packet[11] = 0;
        final int checksum = PacketBuilder.referenceChecksum(0, Arrays.copyOf(packet, (packet[0] & 0x0F) * 4));
        packet[10] = (byte)(checksum >>> 8);
        packet[11] = (byte)checksum;
    }
}
