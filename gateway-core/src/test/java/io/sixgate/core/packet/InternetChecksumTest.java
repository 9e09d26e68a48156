package io.sixgate.core.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.sixgate.core.packet.TestBuffers.directBufferWith;
import static io.sixgate.core.packet.TestBuffers.fromHex;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InternetChecksumTest
{
    /** RFC 1071 §3 example: 0001 + f203 + f4f5 + f6f7 = 2ddf0, folded ddf2. */
    private static final String RFC_1071_EXAMPLE = "0001f203f4f5f6f7";

    /** A textbook IPv4 header (UDP, 192.168.0.1 to 192.168.0.199) whose checksum is b861. */
    private static final String IPV4_HEADER = "4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7";

    /**
     * A captured ISO 15118 SDP request: UDP over IPv6 from fe80::665:65ff:fe00:64c3 to ff02::1,
     * checksum 895e, as sent by a charging controller.
     */
    private static final String CAPTURED_UDP_IPV6 =
        "60000000 0012 11 0a fe80000000000000066565fffe0064c3 ff020000000000000000000000000001" +
        "ccaf3b0e0012895e 01fe9000000000021000";

    /** Echo request 2001:db8::1 to 2001:db8::2 as the Linux kernel checksummed it (91c1). */
    private static final String LINUX_ICMPV6_ECHO_REQUEST =
        "600b471700143a40 20010db8000000000000000000000001 20010db8000000000000000000000002" +
        "800091c112340001736978676174652d6563686f";

    /** The kernel's echo reply to it (90c1). */
    private static final String LINUX_ICMPV6_ECHO_REPLY =
        "600db73700143a40 20010db8000000000000000000000002 20010db8000000000000000000000001" +
        "810090c112340001736978676174652d6563686f";

    private static final int ITERATIONS = 20_000;

    @Test
    void sumsRfc1071ExampleTo0xddf2AtAnyOffset()
    {
        for (int offset = 0; offset < 9; offset++)
        {
            final UnsafeBuffer buffer = directBufferWith(fromHex(RFC_1071_EXAMPLE), offset, 3);
            assertEquals(0xddf2, InternetChecksum.sum(buffer, offset, 8));
            assertEquals(0x220d, InternetChecksum.checksum(buffer, offset, 8));
        }
    }

    @Test
    void computesKnownIpv4HeaderChecksum()
    {
        final byte[] header = fromHex(IPV4_HEADER);
        final UnsafeBuffer buffer = directBufferWith(header, 5, 0);

        assertTrue(InternetChecksum.isValid(buffer, 5, 20));
        assertEquals(0xb861, InternetChecksum.complement(
            InternetChecksum.sumSkipping(buffer, 5, 20, Ipv4Flyweight.HEADER_CHECKSUM_OFFSET)));

        buffer.putShort(5 + Ipv4Flyweight.HEADER_CHECKSUM_OFFSET, (short)0);
        assertEquals(0xb861, InternetChecksum.checksum(buffer, 5, 20));
    }

    @Test
    void ipv4HeaderChecksumFromFieldsMatchesTheChecksumOfTheWrittenHeader()
    {
        // The textbook header above.
        assertEquals(0xb861, InternetChecksum.ipv4HeaderChecksum(0, 0x73, 0, 0x4000, 0x40, 0x11, 0xc0a80001, 0xc0a800c7));

        final Random random = new Random(0x1B4);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[20]);
        for (int i = 0; i < ITERATIONS; i++)
        {
            final int tos = random.nextInt(256);
            final int totalLength = random.nextInt(65536);
            final int id = random.nextInt(65536);
            final int flags = random.nextInt(65536);
            final int ttl = random.nextInt(256);
            final int protocol = random.nextInt(256);
            final int src = i % 7 == 0 ? -1 : random.nextInt();
            final int dst = i % 5 == 0 ? -1 : random.nextInt();
            buffer.putShort(0, (short)(0x4500 | tos), BIG_ENDIAN);
            buffer.putShort(2, (short)totalLength, BIG_ENDIAN);
            buffer.putShort(4, (short)id, BIG_ENDIAN);
            buffer.putShort(6, (short)flags, BIG_ENDIAN);
            buffer.putShort(8, (short)(ttl << 8 | protocol), BIG_ENDIAN);
            buffer.putShort(10, (short)0, BIG_ENDIAN);
            buffer.putInt(12, src, BIG_ENDIAN);
            buffer.putInt(16, dst, BIG_ENDIAN);
            assertEquals(InternetChecksum.checksum(buffer, 0, 20),
                InternetChecksum.ipv4HeaderChecksum(tos, totalLength, id, flags, ttl, protocol, src, dst));
        }
    }

    @Test
    void computesChecksumOfCapturedUdpOverIpv6Packet()
    {
        final UnsafeBuffer buffer = directBufferWith(fromHex(CAPTURED_UDP_IPV6), 7, 0);
        assertEquals(0x895e, InternetChecksum.udpIpv6Checksum(buffer, 7, 7 + 40, 18));
    }

    @Test
    void computesIcmpv6EchoChecksumsLikeTheLinuxKernel()
    {
        final UnsafeBuffer request = directBufferWith(fromHex(LINUX_ICMPV6_ECHO_REQUEST), 3, 0);
        assertEquals(0x91c1, InternetChecksum.icmpv6Checksum(request, 3, 3 + 40, 20));

        final UnsafeBuffer reply = directBufferWith(fromHex(LINUX_ICMPV6_ECHO_REPLY), 3, 0);
        assertEquals(0x90c1, InternetChecksum.icmpv6Checksum(reply, 3, 3 + 40, 20));
    }

    @Test
    void sumMatchesReferenceForEveryLengthAndAlignment()
    {
        final Random random = new Random(1071);
        for (int length = 0; length < 150; length++)
        {
            final byte[] data = new byte[length];
            random.nextBytes(data);
            final int expected = PacketBuilder.referenceChecksum(0, data);
            for (int offset = 0; offset < 8; offset++)
            {
                final UnsafeBuffer buffer = directBufferWith(data, offset, 0);
                assertEquals(expected, InternetChecksum.checksum(buffer, offset, length),
                    "length " + length + " offset " + offset);
            }
        }
    }

    @Test
    void largeAllOnesRegionDoesNotOverflow()
    {
        final byte[] data = new byte[65535];
        java.util.Arrays.fill(data, (byte)0xFF);
        final UnsafeBuffer buffer = directBufferWith(data, 1, 0);
        assertEquals(PacketBuilder.referenceChecksum(0, data), InternetChecksum.checksum(buffer, 1, data.length));
    }

    @Test
    void foldReturnsZeroOnlyForZero()
    {
        assertEquals(0, InternetChecksum.fold(0));
        assertEquals(0xFFFF, InternetChecksum.fold(0xFFFF));
        assertEquals(0xFFFF, InternetChecksum.fold(0xFFFF_FFFFL));
        assertEquals(0xFFFF, InternetChecksum.fold(-1L));
        assertEquals(1, InternetChecksum.fold(0x1_0000));
    }

    @Test
    void l4HelpersMatchReferenceChecksumsOfBuiltPackets()
    {
        final int offset = 11;
        assertL4ChecksumMatches(PacketBuilder.ipv4().udp(1234, 53).payload(33).toDirectBuffer(offset, 0), offset);
        assertL4ChecksumMatches(PacketBuilder.ipv4().tcp(40000, 80, TcpFlyweight.SYN).toDirectBuffer(offset, 0), offset);
        assertL4ChecksumMatches(PacketBuilder.ipv4().icmpEchoRequest(7, 9).payload(17).toDirectBuffer(offset, 0), offset);
        assertL4ChecksumMatches(PacketBuilder.ipv6().udp(1234, 53).payload(31).toDirectBuffer(offset, 0), offset);
        assertL4ChecksumMatches(PacketBuilder.ipv6().tcp(40000, 443, TcpFlyweight.ACK).payload(5).toDirectBuffer(offset, 0), offset);
        assertL4ChecksumMatches(PacketBuilder.ipv6().icmpEchoReply(1, 2).payload(56).toDirectBuffer(offset, 0), offset);
    }

    @Test
    void udpChecksumThatComputesToZeroIsSentAsAllOnes()
    {
        for (final boolean ipv6 : new boolean[]{ false, true })
        {
            final PacketBuilder builder = ipv6 ? PacketBuilder.ipv6() : PacketBuilder.ipv4();
            final int offset = 2;
            final UnsafeBuffer buffer = builder.udp(5000, 6000).payload(new byte[2]).toDirectBuffer(offset, 0);
            final int ipHeaderLength = ipv6 ? 40 : 20;
            final int udpOffset = offset + ipHeaderLength;

            // Choose the 2 payload bytes so that the whole sum is 0xFFFF: the checksum computes to 0.
            final int checksum = udpChecksum(buffer, offset, udpOffset, 10, ipv6);
            final int sumWithoutPayload = checksum == 0xFFFF ? 0xFFFF : ~checksum & 0xFFFF;
            buffer.putShort(udpOffset + 8, (short)(~sumWithoutPayload & 0xFFFF), BIG_ENDIAN);

            assertEquals(0xFFFF, udpChecksum(buffer, offset, udpOffset, 10, ipv6));
            assertEquals(0xFFFF, InternetChecksum.udpWireChecksum(0));
        }
    }

    @Test
    void incremental16BitUpdateEqualsRecomputation()
    {
        final Random random = new Random(1624);
        for (int i = 0; i < ITERATIONS; i++)
        {
            final UnsafeBuffer buffer = randomRegion(random);
            final int length = buffer.capacity();
            final int checksum = InternetChecksum.checksum(buffer, 0, length);
            final int index = random.nextInt(length / 2) * 2;
            final int oldValue = buffer.getShort(index, BIG_ENDIAN) & 0xFFFF;
            final int newValue = pickNewValue(random, oldValue);

            buffer.putShort(index, (short)newValue, BIG_ENDIAN);
            assertEquals(InternetChecksum.checksum(buffer, 0, length),
                InternetChecksum.update16(checksum, oldValue, newValue), "iteration " + i);
        }
    }

    @Test
    void incremental32BitUpdateEqualsRecomputation()
    {
        final Random random = new Random(791);
        for (int i = 0; i < ITERATIONS; i++)
        {
            final UnsafeBuffer buffer = randomRegion(random);
            final int length = buffer.capacity();
            final int checksum = InternetChecksum.checksum(buffer, 0, length);
            final int index = random.nextInt(length / 2 - 1) * 2;
            final int oldValue = buffer.getInt(index, BIG_ENDIAN);
            final int newValue = random.nextInt(4) == 0 ? ~oldValue : random.nextInt();

            buffer.putInt(index, newValue, BIG_ENDIAN);
            assertEquals(InternetChecksum.checksum(buffer, 0, length),
                InternetChecksum.update32(checksum, oldValue, newValue), "iteration " + i);
        }
    }

    @Test
    void incremental128BitUpdateEqualsRecomputation()
    {
        final Random random = new Random(8200);
        for (int i = 0; i < ITERATIONS; i++)
        {
            final UnsafeBuffer buffer = randomRegion(random);
            final int length = buffer.capacity();
            final int checksum = InternetChecksum.checksum(buffer, 0, length);
            final int index = random.nextInt((length - 16) / 2 + 1) * 2;
            final long oldHigh = buffer.getLong(index, BIG_ENDIAN);
            final long oldLow = buffer.getLong(index + 8, BIG_ENDIAN);
            final long newHigh = random.nextLong();
            final long newLow = random.nextLong();

            buffer.putLong(index, newHigh, BIG_ENDIAN);
            buffer.putLong(index + 8, newLow, BIG_ENDIAN);
            assertEquals(InternetChecksum.checksum(buffer, 0, length),
                InternetChecksum.update128(checksum, oldHigh, oldLow, newHigh, newLow), "iteration " + i);
        }
    }

    @Test
    void incrementalUpdateYieldsZeroWhereRecomputationDoes()
    {
        // RFC 1624 §3: when the new data sums to 0xFFFF the checksum is 0x0000; eqn. 2 would give
        // 0xFFFF, eqn. 3 must give 0x0000 like a full recomputation.
        final Random random = new Random(3);
        for (int i = 0; i < 2_000; i++)
        {
            final UnsafeBuffer buffer = randomRegion(random);
            final int length = buffer.capacity();
            final int checksum = InternetChecksum.checksum(buffer, 0, length);
            final int index = random.nextInt(length / 2) * 2;
            final int oldValue = buffer.getShort(index, BIG_ENDIAN) & 0xFFFF;
            final int sumOfOthers = InternetChecksum.add(InternetChecksum.sum(buffer, 0, length), ~oldValue & 0xFFFF);
            final int newValue = ~sumOfOthers & 0xFFFF;
            if (0 == newValue && 0 == sumOfOthers)
            {
                continue;
            }

            buffer.putShort(index, (short)newValue, BIG_ENDIAN);
            assertEquals(0xFFFF, InternetChecksum.sum(buffer, 0, length));
            assertEquals(0x0000, InternetChecksum.checksum(buffer, 0, length));
            assertEquals(0x0000, InternetChecksum.update16(checksum, oldValue, newValue), "iteration " + i);
        }
    }

    @Test
    void incrementalUpdateFromAllOnesChecksum()
    {
        // 0xFFFF as a stored checksum (a UDP zero sent as all ones) behaves as the other zero.
        assertEquals(InternetChecksum.update16(0x0000, 0x1234, 0x4321), InternetChecksum.update16(0xFFFF, 0x1234, 0x4321));
    }

    @Test
    void pseudoHeaderSwapTurnsUdpOverIpv6ChecksumIntoUdpOverIpv4()
    {
        // What a NAT64 does (RFC 7915 §5.1): swap the pseudo-header, keep ports and data.
        final Random random = new Random(7915);
        for (int i = 0; i < 500; i++)
        {
            final byte[] payload = new byte[random.nextInt(100)];
            random.nextBytes(payload);
            final UnsafeBuffer v6 = PacketBuilder.ipv6().udp(1000 + i, 53).payload(payload).toDirectBuffer(0, 0);
            final UnsafeBuffer v4 = PacketBuilder.ipv4().udp(1000 + i, 53).payload(payload).toDirectBuffer(0, 0);
            final int udpLength = 8 + payload.length;

            final int v6Checksum = v6.getShort(40 + UdpFlyweight.CHECKSUM_OFFSET, BIG_ENDIAN) & 0xFFFF;
            final int oldSum = InternetChecksum.ipv6PseudoHeaderSum(
                v6, Ipv6Flyweight.SRC_ADDRESS_OFFSET, Ipv6Flyweight.DST_ADDRESS_OFFSET, IpProtocol.UDP, udpLength);
            final int newSum = InternetChecksum.ipv4PseudoHeaderSum(
                v4.getInt(12, BIG_ENDIAN), v4.getInt(16, BIG_ENDIAN), IpProtocol.UDP, udpLength);

            final int translated = InternetChecksum.udpWireChecksum(InternetChecksum.update(v6Checksum, oldSum, newSum));
            assertEquals(v4.getShort(20 + UdpFlyweight.CHECKSUM_OFFSET, BIG_ENDIAN) & 0xFFFF, translated, "iteration " + i);
        }
    }

    @Test
    void ipv6PseudoHeaderSumFromLongsMatchesFromBuffer()
    {
        final UnsafeBuffer buffer = directBufferWith(fromHex(LINUX_ICMPV6_ECHO_REQUEST), 0, 0);
        assertEquals(
            InternetChecksum.ipv6PseudoHeaderSum(buffer, 8, 24, IpProtocol.ICMPV6, 20),
            InternetChecksum.ipv6PseudoHeaderSum(
                buffer.getLong(8, BIG_ENDIAN), buffer.getLong(16, BIG_ENDIAN),
                buffer.getLong(24, BIG_ENDIAN), buffer.getLong(32, BIG_ENDIAN), IpProtocol.ICMPV6, 20));
    }

    private static void assertL4ChecksumMatches(final UnsafeBuffer buffer, final int offset)
    {
        final int version = (buffer.getByte(offset) & 0xF0) >>> 4;
        if (4 == version)
        {
            final int headerLength = (buffer.getByte(offset) & 0x0F) * 4;
            final int l4Offset = offset + headerLength;
            final int l4Length = (buffer.getShort(offset + 2, BIG_ENDIAN) & 0xFFFF) - headerLength;
            switch (buffer.getByte(offset + 9))
            {
                case IpProtocol.TCP:
                    assertEquals(stored(buffer, l4Offset + 16), InternetChecksum.tcpIpv4Checksum(buffer, offset, l4Offset, l4Length));
                    break;
                case IpProtocol.UDP:
                    assertEquals(stored(buffer, l4Offset + 6), InternetChecksum.udpIpv4Checksum(buffer, offset, l4Offset, l4Length));
                    break;
                default:
                    assertEquals(stored(buffer, l4Offset + 2), InternetChecksum.icmpv4Checksum(buffer, l4Offset, l4Length));
                    break;
            }
            assertTrue(InternetChecksum.isValid(buffer, offset, headerLength));
        }
        else
        {
            final int l4Offset = offset + 40;
            final int l4Length = buffer.getShort(offset + 4, BIG_ENDIAN) & 0xFFFF;
            switch (buffer.getByte(offset + 6))
            {
                case IpProtocol.TCP:
                    assertEquals(stored(buffer, l4Offset + 16), InternetChecksum.tcpIpv6Checksum(buffer, offset, l4Offset, l4Length));
                    break;
                case IpProtocol.UDP:
                    assertEquals(stored(buffer, l4Offset + 6), InternetChecksum.udpIpv6Checksum(buffer, offset, l4Offset, l4Length));
                    break;
                default:
                    assertEquals(stored(buffer, l4Offset + 2), InternetChecksum.icmpv6Checksum(buffer, offset, l4Offset, l4Length));
                    break;
            }
        }
    }

    private static int udpChecksum(
        final UnsafeBuffer buffer, final int ipOffset, final int udpOffset, final int udpLength, final boolean ipv6)
    {
        return ipv6 ?
            InternetChecksum.udpIpv6Checksum(buffer, ipOffset, udpOffset, udpLength) :
            InternetChecksum.udpIpv4Checksum(buffer, ipOffset, udpOffset, udpLength);
    }

    private static int stored(final UnsafeBuffer buffer, final int index)
    {
        return buffer.getShort(index, BIG_ENDIAN) & 0xFFFF;
    }

    private static UnsafeBuffer randomRegion(final Random random)
    {
        final byte[] data = new byte[16 + 2 * random.nextInt(40)];
        random.nextBytes(data);
        if (random.nextInt(8) == 0)
        {
            java.util.Arrays.fill(data, 0, data.length / 2, (byte)(random.nextBoolean() ? 0x00 : 0xFF));
        }
        return directBufferWith(data, 0, 0);
    }

    private static int pickNewValue(final Random random, final int oldValue)
    {
        switch (random.nextInt(5))
        {
            case 0:
                return 0x0000;
            case 1:
                return 0xFFFF;
            case 2:
                return ~oldValue & 0xFFFF;
            default:
                return random.nextInt(0x10000);
        }
    }
}
