package io.sixgate.core.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import io.sixgate.core.packet.PacketBuilder;

/**
 * Checksum checks for frames the gateway sends, with {@link PacketBuilder#referenceChecksum}, the
 * textbook RFC 1071 loop, so the code under test is not checked by itself.
 */
final class IcmpChecks
{
    private IcmpChecks()
    {
    }

    /**
     * The IPv4 header checksum and the ICMP checksum of the IPv4/ICMP packet at {@code l3} verify.
     */
    static void assertIcmpv4Valid(final byte[] frame, final int l3)
    {
        final int headerLength = (frame[l3] & 0x0F) * 4;
        final int totalLength = ((frame[l3 + 2] & 0xFF) << 8) | (frame[l3 + 3] & 0xFF);
        assertEquals(l3 + totalLength, frame.length, "IPv4 total length");
        assertEquals(0, PacketBuilder.referenceChecksum(0, Arrays.copyOfRange(frame, l3, l3 + headerLength)),
            "IPv4 header checksum");
        assertEquals(0, PacketBuilder.referenceChecksum(0, Arrays.copyOfRange(frame, l3 + headerLength, frame.length)),
            "ICMP checksum");
    }

    /**
     * The ICMPv6 checksum (with the RFC 8200 §8.1 pseudo-header) of the IPv6/ICMPv6 packet at
     * {@code l3}, with no extension headers, verifies.
     */
    static void assertIcmpv6ChecksumValid(final byte[] frame, final int l3)
    {
        final int payloadLength = ((frame[l3 + 4] & 0xFF) << 8) | (frame[l3 + 5] & 0xFF);
        assertEquals(l3 + 40 + payloadLength, frame.length, "IPv6 payload length");
        assertEquals(58, frame[l3 + 6], "next header ICMPv6");
        final byte[] pseudo = new byte[40 + payloadLength];
        System.arraycopy(frame, l3 + 8, pseudo, 0, 32);
        pseudo[34] = (byte)(payloadLength >>> 8);
        pseudo[35] = (byte)payloadLength;
        pseudo[39] = 58;
        System.arraycopy(frame, l3 + 40, pseudo, 40, payloadLength);
        assertEquals(0, PacketBuilder.referenceChecksum(0, pseudo), "ICMPv6 checksum");
    }
}
