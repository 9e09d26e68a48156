package io.sixgate.core.packet;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The ip4-input checks (RFC 1812 §5.2.2 and §5.3.7) plus the upper-layer header checks the
 * translators rely on, so that once a packet passes, every fixed-offset field of the IPv4 header
 * and of the TCP/UDP/ICMP header of a first fragment can be read without a bounds check.
 *
 * <p>After a packet passes, the IP packet is {@code totalLength} bytes long
 * ({@link Ipv4Flyweight#totalLength()}); the frame may be longer (Ethernet pads to 60 bytes) and
 * trimming to that length is the caller's job. The upper-layer header, if this is a first
 * fragment, starts at {@link Ipv4Flyweight#payloadOffset()}.
 *
 * <p>Deliberately not checked:
 * <ul>
 *     <li>TCP and UDP checksums: translators update them incrementally (RFC 1624), which keeps a
 *     bad checksum bad for the end host to detect; verifying every packet would cost a pass
 *     over the payload for nothing.</li>
 *     <li>TTL: expiry is the forwarding stage's decision because it answers with ICMP.</li>
 *     <li>Options: carried, not interpreted.</li>
 * </ul>
 */
public final class Ipv4Validator
{
    private Ipv4Validator()
    {
    }

    /**
     * Validate an IPv4 packet. Never throws, never allocates.
     *
     * @param buffer holding the packet.
     * @param offset of the IPv4 header.
     * @param length bytes available from {@code offset} to the end of the frame.
     * @return {@code null} if the packet may be processed, otherwise the reason to drop it. The
     * enum has no "OK" constant on purpose: every constant is a counter.
     */
    public static Ipv4InputDropReason validate(final DirectBuffer buffer, final int offset, final int length)
    {
        // RFC 1812 §5.2.2 (1): the link delivered at least the minimum 20-byte datagram.
        if (length < Ipv4Flyweight.MIN_HEADER_LENGTH)
        {
            return Ipv4InputDropReason.TRUNCATED_HEADER;
        }

        final int versionAndIhl = buffer.getByte(offset + Ipv4Flyweight.VERSION_OFFSET) & 0xFF;
        // RFC 1812 §5.2.2 (3): the version must be 4.
        if ((versionAndIhl >>> 4) != Ipv4Flyweight.VERSION)
        {
            return Ipv4InputDropReason.BAD_VERSION;
        }

        // RFC 1812 §5.2.2 (4): IHL must be at least 5.
        final int headerLength = (versionAndIhl & 0x0F) << 2;
        if (headerLength < Ipv4Flyweight.MIN_HEADER_LENGTH)
        {
            return Ipv4InputDropReason.BAD_IHL;
        }
        // RFC 791 §3.1: IHL counts the options, so they must have arrived too.
        if (headerLength > length)
        {
            return Ipv4InputDropReason.TRUNCATED_HEADER;
        }

        // RFC 1812 §5.2.2 (5): total length at least the header, at most what the link delivered.
        final int totalLength = buffer.getShort(offset + Ipv4Flyweight.TOTAL_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
        if (totalLength < headerLength || totalLength > length)
        {
            return Ipv4InputDropReason.BAD_TOTAL_LENGTH;
        }

        // RFC 1812 §5.2.2 (2), RFC 791 §3.1: the header, checksum included, sums to all ones.
        if (!InternetChecksum.isValid(buffer, offset, headerLength))
        {
            return Ipv4InputDropReason.BAD_HEADER_CHECKSUM;
        }

        if (!isValidSource(buffer.getInt(offset + Ipv4Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN)))
        {
            return Ipv4InputDropReason.BAD_SOURCE_ADDRESS;
        }
        if (!isValidDestination(buffer.getInt(offset + Ipv4Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN)))
        {
            return Ipv4InputDropReason.BAD_DESTINATION_ADDRESS;
        }

        final int protocol = buffer.getByte(offset + Ipv4Flyweight.PROTOCOL_OFFSET) & 0xFF;
        final int payloadLength = totalLength - headerLength;
        final int fragmentWord = buffer.getShort(offset + Ipv4Flyweight.FLAGS_OFFSET, BIG_ENDIAN) & 0xFFFF;
        final int fragmentOffsetUnits = fragmentWord & Ipv4Flyweight.FRAGMENT_OFFSET_MASK;
        final boolean moreFragments = (fragmentWord & Ipv4Flyweight.FLAG_MF) != 0;

        if (moreFragments || fragmentOffsetUnits != 0)
        {
            // RFC 791 §3.1: a datagram, header included, is at most 65535 octets; a fragment
            // ending past that cannot be reassembled (and overflows naive reassembly buffers).
            if ((fragmentOffsetUnits << 3) + totalLength > Ipv4Flyweight.MAX_TOTAL_LENGTH)
            {
                return Ipv4InputDropReason.BAD_FRAGMENT;
            }
            // RFC 791 §3.2: every fragment but the last carries a multiple of 8 data octets.
            if (moreFragments && (payloadLength & 7) != 0)
            {
                return Ipv4InputDropReason.BAD_FRAGMENT;
            }
            // RFC 1858 §4: a TCP fragment at offset 1 can only be an attempt to overwrite the
            // TCP flags of the first fragment.
            if (IpProtocol.TCP == protocol && 1 == fragmentOffsetUnits)
            {
                return Ipv4InputDropReason.BAD_FRAGMENT;
            }
        }

        if (0 == fragmentOffsetUnits)
        {
            return validateUpperLayer(buffer, offset + headerLength, payloadLength, protocol, moreFragments);
        }

        return null;
    }

    private static Ipv4InputDropReason validateUpperLayer(
        final DirectBuffer buffer,
        final int l4Offset,
        final int l4Length,
        final int protocol,
        final boolean moreFragments)
    {
        switch (protocol)
        {
            case IpProtocol.TCP:
            {
                // The first fragment must hold the fixed TCP header (RFC 1858 §4: tiny fragments).
                if (l4Length < TcpFlyweight.MIN_HEADER_LENGTH)
                {
                    return Ipv4InputDropReason.TRUNCATED_L4_HEADER;
                }
                final int dataOffset = (buffer.getByte(l4Offset + TcpFlyweight.DATA_OFFSET_FIELD_OFFSET) & 0xF0) >>> 4;
                // RFC 9293 §3.1: at least 5 words; options may only run past a fragment boundary.
                if (dataOffset < TcpFlyweight.MIN_DATA_OFFSET || (!moreFragments && (dataOffset << 2) > l4Length))
                {
                    return Ipv4InputDropReason.BAD_TCP_DATA_OFFSET;
                }
                return null;
            }

            case IpProtocol.UDP:
            {
                if (l4Length < UdpFlyweight.HEADER_LENGTH)
                {
                    return Ipv4InputDropReason.TRUNCATED_L4_HEADER;
                }
                final int udpLength = buffer.getShort(l4Offset + UdpFlyweight.LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
                // RFC 768: the length counts the 8-byte header. Unfragmented, it may not exceed
                // the IP payload; a shorter one leaves trailing bytes, accepted as Linux does.
                // A first fragment is not held to the fragment's length: a datagram with
                // trailing bytes, fragmented (by this gateway too), has a first fragment longer
                // than its UDP length, and Linux takes it once reassembled.
                if (udpLength < UdpFlyweight.HEADER_LENGTH || (!moreFragments && udpLength > l4Length))
                {
                    return Ipv4InputDropReason.BAD_UDP_LENGTH;
                }
                return null;
            }

            case IpProtocol.ICMP:
                // RFC 792: every ICMP message has the 8-byte header.
                return l4Length < Icmpv4Flyweight.HEADER_LENGTH ? Ipv4InputDropReason.TRUNCATED_L4_HEADER : null;

            default:
                return null;
        }
    }

    /**
     * RFC 1812 §5.3.7: a source is invalid if it is a special address (§4.2.2.11: 0/8 "this
     * network", 127/8 loopback) or not unicast (224/4 multicast, 240/4 class E and the limited
     * broadcast 255.255.255.255). Directed broadcasts need the prefix table and are not seen here.
     *
     * @param address IPv4 source address.
     * @return true if the address may be a source.
     */
    public static boolean isValidSource(final int address)
    {
        final int firstOctet = address >>> 24;
        return firstOctet != 0 && firstOctet != 127 && firstOctet < 224;
    }

    /**
     * RFC 1812 §5.3.7 and §4.2.3.1: a destination is invalid if it is in 0/8 or 127/8, or is
     * class E other than the limited broadcast.
     *
     * @param address IPv4 destination address.
     * @return true if the address may be a destination.
     */
    public static boolean isValidDestination(final int address)
    {
        final int firstOctet = address >>> 24;
        return firstOctet != 0 && firstOctet != 127 && (firstOctet < 240 || address == 0xFFFF_FFFF);
    }
}
