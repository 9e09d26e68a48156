package io.sixgate.core.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.Random;

import io.sixgate.core.packet.InternetChecksum;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class OffloadTest
{
    /** A TSO frame's header as tun_put_user writes it: NEEDS_CSUM, TCPV6, hdr_len 86, MSS 1440, TCP at 54 + 16. */
    private static final byte[] TCPV6_HEADER = {1, 4, 86, 0, (byte)0xA0, 5, 54, 0, 16, 0};

    @Test
    void readsTheKernelsLittleEndianHeaderWithCsumStartFromTheIpHeader()
    {
        final long offload = Offload.read(new UnsafeBuffer(TCPV6_HEADER), 0, 14);
        assertEquals(Offload.F_NEEDS_CSUM, Offload.flags(offload));
        assertEquals(Offload.GSO_TCPV6, Offload.gsoType(offload));
        assertEquals(1440, Offload.gsoSize(offload));
        assertEquals(40, Offload.csumStartFromIp(offload));
        assertEquals(16, Offload.csumOffset(offload));
        assertTrue(Offload.isGso(offload));
        assertTrue(Offload.isTcpGso(offload));
    }

    @Test
    void writesTheHeaderBackWithHdrLenLeftToTheKernel()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[10]);
        Offload.write(buffer, 0, Offload.read(new UnsafeBuffer(TCPV6_HEADER), 0, 14), 14);
        final byte[] expected = TCPV6_HEADER.clone();
        expected[2] = 0;
        assertArrayEquals(expected, buffer.byteArray());
    }

    @Test
    void writesAnAllZeroHeaderForAPlainFrame()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[10]);
        buffer.setMemory(0, 10, (byte)0x55);
        Offload.write(buffer, 0, Offload.NONE, 14);
        assertArrayEquals(new byte[10], buffer.byteArray());
    }

    @Test
    void aDataValidFrameIsNeitherPartialNorGso()
    {
        final long offload = Offload.read(new UnsafeBuffer(new byte[]{2, 0, 0, 0, 0, 0, 0, 0, 0, 0}), 0, 14);
        assertFalse(Offload.needsChecksum(offload));
        assertFalse(Offload.isGso(offload));
        assertFalse(Offload.isGso(Offload.pack(0, Offload.GSO_ECN, 0, 0, 0)));
    }

    @Test
    void translatedSwitchesTheTcpGsoTypeAndKeepsEcnAndTheSegmentSize()
    {
        final long v6 = Offload.pack(Offload.F_NEEDS_CSUM, Offload.GSO_TCPV6 | Offload.GSO_ECN, 1440, 48, 16);
        final long v4 = Offload.translated(v6, true, 20);
        assertEquals(Offload.GSO_TCPV4 | Offload.GSO_ECN, Offload.gsoType(v4));
        assertEquals(1440, Offload.gsoSize(v4));
        assertEquals(20, Offload.csumStartFromIp(v4));
        assertEquals(16, Offload.csumOffset(v4));
        assertEquals(Offload.GSO_TCPV6 | Offload.GSO_ECN, Offload.gsoType(Offload.translated(v4, false, 40)));
    }

    @Test
    void partialUpdateBothWaysCompletesToTheFullSoftwareChecksum()
    {
        final Random random = new Random(7);
        for (int round = 0; round < 500; round++)
        {
            final int length = 20 + random.nextInt(3000);
            final byte[] tcp = new byte[length];
            random.nextBytes(tcp);
            final UnsafeBuffer segment = new UnsafeBuffer(tcp);
            final long sHigh = random.nextLong();
            final long sLow = random.nextLong();
            final long dHigh = random.nextLong();
            final long dLow = random.nextLong();
            final int src4 = random.nextInt();
            final int dst4 = random.nextInt();

            // IPv6 partial: the pseudo-header sum itself (RFC 8200 §8.1 pseudo-header).
            segment.putShort(16, (short)InternetChecksum.ipv6PseudoHeaderSum(sHigh, sLow, dHigh, dLow, 6, length),
                ByteOrder.BIG_ENDIAN);
            // 6 -> 4: addresses out, IPv4 ones in; length and protocol weigh the same.
            final int to4 = Offload.updatePartial(segment.getShort(16, ByteOrder.BIG_ENDIAN) & 0xFFFF,
                InternetChecksum.ipv6PseudoHeaderSum(sHigh, sLow, dHigh, dLow, 0, 0),
                InternetChecksum.ipv4PseudoHeaderSum(src4, dst4, 0, 0));
            segment.putShort(16, (short)to4, ByteOrder.BIG_ENDIAN);
            final byte[] as4 = tcp.clone();
            Offload.complete(new UnsafeBuffer(as4), 0, 16, length);
            assertEquals(0xFFFF, InternetChecksum.add(InternetChecksum.ipv4PseudoHeaderSum(src4, dst4, 6, length),
                InternetChecksum.sum(new UnsafeBuffer(as4), 0, length)), "IPv4 checksum verifies, round " + round);

            // 4 -> 6 back from the IPv4 partial.
            final int to6 = Offload.updatePartial(to4, InternetChecksum.ipv4PseudoHeaderSum(src4, dst4, 0, 0),
                InternetChecksum.ipv6PseudoHeaderSum(sHigh, sLow, dHigh, dLow, 0, 0));
            segment.putShort(16, (short)to6, ByteOrder.BIG_ENDIAN);
            Offload.complete(segment, 0, 16, length);
            assertEquals(0xFFFF, InternetChecksum.add(
                InternetChecksum.ipv6PseudoHeaderSum(sHigh, sLow, dHigh, dLow, 6, length),
                InternetChecksum.sum(segment, 0, length)), "IPv6 checksum verifies, round " + round);
        }
    }

    @Test
    void lengthOnLinkIsTheLargestSegmentOfASuperPacket()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[200]);
        buffer.putByte(40 + 12, (byte)(8 << 4));   // TCP data offset 8: 32 bytes with options
        final long offload = Offload.pack(Offload.F_NEEDS_CSUM, Offload.GSO_TCPV6, 1428, 40, 16);
        assertEquals(40 + 32 + 1428, Offload.lengthOnLink(buffer, 0, offload, 40 + 32 + 4 * 1428));
        assertEquals(999, Offload.lengthOnLink(buffer, 0, Offload.NONE, 999));
    }
}
