package io.sixgate.core.fuzz;

import java.util.Arrays;

import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.PacketBuilder;

/**
 * Makes the checksums of fuzzed bytes right: the IPv4 header checksum and the TCP, UDP, ICMPv4 or
 * ICMPv6 checksum of a packet that is not a fragment, over the lengths its headers declare.
 *
 * <p>Why: the gateway does not verify transport checksums (it updates them incrementally, RFC
 * 1624, so a wrong one stays wrong for the end host), so "every emitted packet has valid
 * checksums" only holds for an input whose own checksums were valid. A fuzz target repairs its
 * input when a control bit says so, then requires valid checksums on everything that comes out.
 * Never throws, whatever the bytes.
 */
public final class ChecksumRepair
{
    private ChecksumRepair()
    {
    }

    /**
     * @param data   the bytes, changed in place.
     * @param offset where the IP header starts.
     */
    public static void repair(final byte[] data, final int offset)
    {
        final int length = data.length - offset;
        if (length < 1)
        {
            return;
        }
        final int version = (data[offset] & 0xF0) >>> 4;
        if (version == 4)
        {
            repairIpv4(data, offset, length);
        }
        else if (version == 6)
        {
            repairIpv6(data, offset, length);
        }
    }

    private static void repairIpv4(final byte[] data, final int offset, final int length)
    {
        final int ihl = (data[offset] & 0x0F) * 4;
        if (length < 20 || ihl < 20 || ihl > length)
        {
            return;
        }
        put16(data, offset + 10, 0);
        put16(data, offset + 10, PacketBuilder.referenceChecksum(0, Arrays.copyOfRange(data, offset, offset + ihl)));
        final int totalLength = u16(data, offset + 2);
        if ((u16(data, offset + 6) & 0x3FFF) != 0 || totalLength < ihl)
        {
            return;     // a fragment's transport checksum covers the whole datagram
        }
        final int l4 = offset + ihl;
        final int l4Length = Math.min(totalLength, length) - ihl;
        final int protocol = data[offset + 9] & 0xFF;
        final byte[] pseudo = new byte[12];
        System.arraycopy(data, offset + 12, pseudo, 0, 8);
        pseudo[9] = (byte)protocol;
        pseudo[10] = (byte)(l4Length >>> 8);
        pseudo[11] = (byte)l4Length;
        if (protocol == IpProtocol.ICMP)
        {
            transport(data, l4, l4Length, 2, 4, 0, false);
        }
        else
        {
            upperLayer(data, l4, l4Length, protocol, pseudo);
        }
    }

    private static void repairIpv6(final byte[] data, final int offset, final int length)
    {
        if (length < 40)
        {
            return;
        }
        final int end = offset + Math.min(40 + u16(data, offset + 4), length);
        int nextHeader = data[offset + 6] & 0xFF;
        int position = offset + 40;
        while (nextHeader == IpProtocol.HOP_BY_HOP || nextHeader == IpProtocol.ROUTING
            || nextHeader == IpProtocol.DESTINATION_OPTIONS || nextHeader == IpProtocol.FRAGMENT)
        {
            if (position + 8 > end)
            {
                return;
            }
            if (nextHeader == IpProtocol.FRAGMENT)
            {
                if ((u16(data, position + 2) & 0xFFF9) != 0)
                {
                    return;     // a real fragment
                }
                nextHeader = data[position] & 0xFF;
                position += 8;
                continue;
            }
            final int headerLength = ((data[position + 1] & 0xFF) + 1) * 8;
            nextHeader = data[position] & 0xFF;
            position += headerLength;
        }
        if (position > end)
        {
            return;
        }
        final int l4Length = end - position;
        final byte[] pseudo = new byte[40];
        System.arraycopy(data, offset + 8, pseudo, 0, 32);
        pseudo[34] = (byte)(l4Length >>> 8);
        pseudo[35] = (byte)l4Length;
        pseudo[39] = (byte)nextHeader;
        if (nextHeader == IpProtocol.ICMPV6)
        {
            transport(data, position, l4Length, 2, 4, ~PacketBuilder.referenceChecksum(0, pseudo) & 0xFFFF, false);
        }
        else
        {
            upperLayer(data, position, l4Length, nextHeader, pseudo);
        }
    }

    private static void upperLayer(final byte[] data, final int l4, final int l4Length, final int protocol,
        final byte[] pseudo)
    {
        final int pseudoSum = ~PacketBuilder.referenceChecksum(0, pseudo) & 0xFFFF;
        if (protocol == IpProtocol.TCP)
        {
            transport(data, l4, l4Length, 16, 20, pseudoSum, false);
        }
        else if (protocol == IpProtocol.UDP)
        {
            transport(data, l4, l4Length, 6, 8, pseudoSum, true);
        }
    }

    private static void transport(final byte[] data, final int l4, final int l4Length, final int checksumOffset,
        final int minimumLength, final int pseudoSum, final boolean zeroMeansNone)
    {
        if (l4Length < minimumLength || l4 + l4Length > data.length)
        {
            return;
        }
        put16(data, l4 + checksumOffset, 0);
        int checksum = PacketBuilder.referenceChecksum(pseudoSum, Arrays.copyOfRange(data, l4, l4 + l4Length));
        if (checksum == 0 && zeroMeansNone)
        {
            checksum = 0xFFFF;      // RFC 768: a computed zero is sent as all ones
        }
        put16(data, l4 + checksumOffset, checksum);
    }

    private static int u16(final byte[] data, final int offset)
    {
        return (data[offset] & 0xFF) << 8 | data[offset + 1] & 0xFF;
    }

    private static void put16(final byte[] data, final int offset, final int value)
    {
        data[offset] = (byte)(value >>> 8);
        data[offset + 1] = (byte)value;
    }
}
