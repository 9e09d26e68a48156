package io.sixgate.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

/**
 * Checks every checksum of an emitted IP packet with the reference (textbook) checksum of
 * {@link PacketBuilder}, independent of the gateway's incremental updates: the IPv4 header, and
 * the TCP, UDP, ICMPv4 or ICMPv6 checksum of any packet that is not a fragment. Shared through
 * gateway-core's test-jar so every module checks what it emits the same way.
 */
public final class PacketChecks
{
    private PacketChecks()
    {
    }

    public static void assertValidChecksums(final byte[] packet)
    {
        final int version = (packet[0] & 0xF0) >>> 4;
        if (version == 4)
        {
            final int ihl = (packet[0] & 0x0F) * 4;
            assertEquals(0, PacketBuilder.referenceChecksum(0, Arrays.copyOf(packet, ihl)), "IPv4 header checksum");
            assertEquals(packet.length, u16(packet, 2), "IPv4 total length");
            final int flags = u16(packet, 6);
            if ((flags & 0x3FFF) != 0)
            {
                return;     // a fragment: its transport checksum covers other fragments too
            }
            final int protocol = packet[9] & 0xFF;
            final byte[] l4 = Arrays.copyOfRange(packet, ihl, packet.length);
            if (protocol == IpProtocol.ICMP)
            {
                assertEquals(0, PacketBuilder.referenceChecksum(0, l4), "ICMPv4 checksum");
            }
            else if (protocol == IpProtocol.TCP || protocol == IpProtocol.UDP && u16(l4, 6) != 0)
            {
                final byte[] pseudo = new byte[12];
                System.arraycopy(packet, 12, pseudo, 0, 8);
                pseudo[9] = (byte)protocol;
                pseudo[10] = (byte)(l4.length >>> 8);
                pseudo[11] = (byte)l4.length;
                assertEquals(0, PacketBuilder.referenceChecksum(~PacketBuilder.referenceChecksum(0, pseudo) & 0xFFFF, l4),
                    "transport checksum over IPv4");
            }
            return;
        }
        assertEquals(6, version, "IP version");
        assertEquals(packet.length, 40 + u16(packet, 4), "IPv6 payload length");
        int nextHeader = packet[6] & 0xFF;
        int position = 40;
        while (nextHeader == IpProtocol.HOP_BY_HOP || nextHeader == IpProtocol.ROUTING
            || nextHeader == IpProtocol.DESTINATION_OPTIONS || nextHeader == IpProtocol.FRAGMENT)
        {
            if (nextHeader == IpProtocol.FRAGMENT)
            {
                if ((u16(packet, position + 2) & 0xFFF9) != 0)
                {
                    return;     // a real fragment
                }
                nextHeader = packet[position] & 0xFF;
                position += 8;
                continue;
            }
            final int length = ((packet[position + 1] & 0xFF) + 1) * 8;
            nextHeader = packet[position] & 0xFF;
            position += length;
        }
        if (nextHeader == IpProtocol.TCP || nextHeader == IpProtocol.UDP || nextHeader == IpProtocol.ICMPV6)
        {
            final byte[] l4 = Arrays.copyOfRange(packet, position, packet.length);
            final byte[] pseudo = new byte[40];
            System.arraycopy(packet, 8, pseudo, 0, 32);
            pseudo[34] = (byte)(l4.length >>> 8);
            pseudo[35] = (byte)l4.length;
            pseudo[39] = (byte)nextHeader;
            assertEquals(0, PacketBuilder.referenceChecksum(~PacketBuilder.referenceChecksum(0, pseudo) & 0xFFFF, l4),
                "transport checksum over IPv6");
        }
    }

    private static int u16(final byte[] packet, final int offset)
    {
        return (packet[offset] & 0xFF) << 8 | packet[offset + 1] & 0xFF;
    }
}
