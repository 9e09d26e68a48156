package io.sixgate.core.packet;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The ip6-input checks: the fixed header (RFC 8200 §3), addresses that may never appear on a
 * link (RFC 4291 §2.5.2, §2.5.3, §2.7), the extension header chain (RFC 8200 §4, walked by
 * {@link Ipv6HeaderChain}), fragments (RFC 8200 §4.5) and the upper-layer header the
 * translators read. Once a packet passes, every fixed-offset field of the IPv6 header and,
 * unless it is a non-first fragment, of its TCP/UDP/ICMPv6 header can be read without a bounds
 * check.
 *
 * <p>After a packet passes, the chain given to {@link #validate} describes it:
 * {@link Ipv6HeaderChain#packetLength()} is the IP packet length (40 plus Payload Length). The
 * frame may be longer (Ethernet padding); trimming is the caller's job.
 *
 * <p>Deliberately not checked:
 * <ul>
 *     <li>TCP, UDP and ICMPv6 checksums: the translators update them incrementally
 *     (RFC 1624), which keeps a bad checksum bad for the end host to detect.</li>
 *     <li>Hop limit: expiry is the forwarding stage's decision because it answers with ICMPv6.</li>
 *     <li>Unknown Next Header values: a forwarding node passes them (RFC 7045 §2).</li>
 *     <li>The unspecified source {@code ::}: Duplicate Address Detection sends it
 *     (RFC 4861 §7.2.2); the forwarding stage must not forward it (RFC 4291 §2.5.2).</li>
 * </ul>
 */
public final class Ipv6Validator
{
    private static final long MULTICAST_PREFIX_BYTE = 0xFFL;
    private static final int SCOPE_RESERVED = 0x0;
    private static final int SCOPE_INTERFACE_LOCAL = 0x1;

    private Ipv6Validator()
    {
    }

    /**
     * Validate an IPv6 packet and walk its header chain. Never throws, never allocates.
     *
     * @param buffer holding the packet.
     * @param offset of the fixed IPv6 header.
     * @param length bytes available from {@code offset} to the end of the frame.
     * @param chain  reusable walker, filled in with the packet's layout; its contents are
     *               meaningful when this returns {@code null}, and after a chain error its
     *               {@link Ipv6HeaderChain#errorOffset()} points at the offending octet.
     * @return {@code null} if the packet may be processed, otherwise the reason to drop it. The
     * enum has no "OK" constant on purpose: every constant is a counter.
     */
    public static Ipv6InputDropReason validate(
        final DirectBuffer buffer, final int offset, final int length, final Ipv6HeaderChain chain)
    {
        // RFC 8200 §3: the fixed header is 40 octets.
        if (length < Ipv6Flyweight.HEADER_LENGTH)
        {
            return Ipv6InputDropReason.TRUNCATED_HEADER;
        }

        // RFC 8200 §3: version 6.
        if (((buffer.getByte(offset + Ipv6Flyweight.VERSION_OFFSET) & 0xF0) >>> 4) != Ipv6Flyweight.VERSION)
        {
            return Ipv6InputDropReason.BAD_VERSION;
        }

        final int payloadLength = buffer.getShort(offset + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
        final int packetLength = Ipv6Flyweight.HEADER_LENGTH + payloadLength;
        // RFC 8200 §3: Payload Length counts every octet after the fixed header; they must
        // all have arrived. Extra octets are link padding.
        if (packetLength > length)
        {
            return Ipv6InputDropReason.BAD_PAYLOAD_LENGTH;
        }
        // RFC 2675 §3: zero Payload Length with Hop-by-Hop announces a jumbogram; unsupported.
        if (0 == payloadLength &&
            IpProtocol.HOP_BY_HOP == (buffer.getByte(offset + Ipv6Flyweight.NEXT_HEADER_OFFSET) & 0xFF))
        {
            return Ipv6InputDropReason.BAD_PAYLOAD_LENGTH;
        }

        if (!isValidSource(
            buffer.getLong(offset + Ipv6Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN),
            buffer.getLong(offset + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN)))
        {
            return Ipv6InputDropReason.BAD_SOURCE_ADDRESS;
        }
        if (!isValidDestination(
            buffer.getLong(offset + Ipv6Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN),
            buffer.getLong(offset + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, BIG_ENDIAN)))
        {
            return Ipv6InputDropReason.BAD_DESTINATION_ADDRESS;
        }

        switch (chain.parse(buffer, offset, packetLength))
        {
            case HOP_BY_HOP_NOT_FIRST:
                return Ipv6InputDropReason.HOP_BY_HOP_NOT_FIRST;

            case TRUNCATED_EXTENSION_HEADER:
                return Ipv6InputDropReason.TRUNCATED_EXTENSION_HEADER;

            case TOO_MANY_EXTENSION_HEADERS:
                return Ipv6InputDropReason.TOO_MANY_EXTENSION_HEADERS;

            default:
                break;
        }

        boolean moreFragments = false;
        final int fragmentHeader = chain.fragmentHeaderOffset();
        if (Ipv6HeaderChain.NOT_PRESENT != fragmentHeader)
        {
            final int offsetWord = buffer.getShort(
                fragmentHeader + Ipv6FragmentHeaderFlyweight.FRAGMENT_OFFSET_FIELD_OFFSET, BIG_ENDIAN) & 0xFFFF;
            moreFragments = (offsetWord & Ipv6FragmentHeaderFlyweight.M_FLAG) != 0;
            final int fragmentOffsetBytes = offsetWord & Ipv6FragmentHeaderFlyweight.FRAGMENT_OFFSET_BYTES_MASK;
            final int fragmentLength =
                offset + packetLength - (fragmentHeader + Ipv6FragmentHeaderFlyweight.HEADER_LENGTH);

            // RFC 8200 §4.5: with M set, the fragment's length must be a multiple of 8 octets.
            if (moreFragments && (fragmentLength & 7) != 0)
            {
                return Ipv6InputDropReason.BAD_FRAGMENT;
            }
            // RFC 8200 §4.5: the reassembled Payload Length (unfragmentable extension headers,
            // plus offset, plus this fragment's length) must not exceed 65535.
            final int unfragmentableLength = fragmentHeader - (offset + Ipv6Flyweight.HEADER_LENGTH);
            if (unfragmentableLength + fragmentOffsetBytes + fragmentLength > Ipv6Flyweight.MAX_PAYLOAD_LENGTH)
            {
                return Ipv6InputDropReason.BAD_FRAGMENT;
            }
        }

        if (chain.isNonFirstFragment())
        {
            return null;
        }

        return validateUpperLayer(buffer, chain.upperLayerOffset(), chain.upperLayerLength(),
            chain.upperLayerProtocol(), moreFragments);
    }

    private static Ipv6InputDropReason validateUpperLayer(
        final DirectBuffer buffer,
        final int l4Offset,
        final int l4Length,
        final int protocol,
        final boolean moreFragments)
    {
        // RFC 8200 §4.5 and RFC 7112 §5: a first fragment carries the whole header chain, the
        // upper-layer header included, so "too short" is the same drop with or without M.
        switch (protocol)
        {
            case IpProtocol.TCP:
            {
                if (l4Length < TcpFlyweight.MIN_HEADER_LENGTH)
                {
                    return Ipv6InputDropReason.TRUNCATED_L4_HEADER;
                }
                final int dataOffset = (buffer.getByte(l4Offset + TcpFlyweight.DATA_OFFSET_FIELD_OFFSET) & 0xF0) >>> 4;
                // RFC 9293 §3.1: at least 5 words; options may only run past a fragment boundary.
                if (dataOffset < TcpFlyweight.MIN_DATA_OFFSET || (!moreFragments && (dataOffset << 2) > l4Length))
                {
                    return Ipv6InputDropReason.BAD_TCP_DATA_OFFSET;
                }
                return null;
            }

            case IpProtocol.UDP:
            {
                if (l4Length < UdpFlyweight.HEADER_LENGTH)
                {
                    return Ipv6InputDropReason.TRUNCATED_L4_HEADER;
                }
                final int udpLength = buffer.getShort(l4Offset + UdpFlyweight.LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
                // RFC 768: the length counts the 8-byte header, so 0 can only be a jumbogram
                // (RFC 2675 §4), unsupported. Unfragmented, it may not exceed the payload (a
                // shorter one leaves trailing bytes, accepted as Linux does). A first fragment is
                // not held to the fragment's length: a datagram with trailing bytes, fragmented
                // (by a translator too), has a first fragment longer than its UDP length.
                if (udpLength < UdpFlyweight.HEADER_LENGTH || (!moreFragments && udpLength > l4Length))
                {
                    return Ipv6InputDropReason.BAD_UDP_LENGTH;
                }
                return null;
            }

            case IpProtocol.ICMPV6:
                // RFC 4443 §2.1: every message has type, code, checksum and a 32-bit body word.
                return l4Length < Icmpv6Flyweight.HEADER_LENGTH ? Ipv6InputDropReason.TRUNCATED_L4_HEADER : null;

            default:
                return null;
        }
    }

    /**
     * A multicast address is never a source (RFC 4291 §2.7), nor is loopback on a link
     * (RFC 4291 §2.5.3). The unspecified address is allowed, see the class comment.
     *
     * @param high first 64 bits of the source.
     * @param low  last 64 bits of the source.
     * @return true if the address may be a source on the wire.
     */
    public static boolean isValidSource(final long high, final long low)
    {
        return (high >>> 56) != MULTICAST_PREFIX_BYTE && !(0 == high && 1 == low);
    }

    /**
     * Neither the unspecified (RFC 4291 §2.5.2) nor the loopback (§2.5.3) address is ever a
     * destination on a link; multicast of reserved scope 0 must be dropped, and interface-local
     * scope 1 is for loopback only (RFC 4291 §2.7).
     *
     * @param high first 64 bits of the destination.
     * @param low  last 64 bits of the destination.
     * @return true if the address may be a destination on the wire.
     */
    public static boolean isValidDestination(final long high, final long low)
    {
        if (0 == high && (0 == low || 1 == low))
        {
            return false;
        }
        if ((high >>> 56) == MULTICAST_PREFIX_BYTE)
        {
            final int scope = (int)(high >>> 48) & 0x0F;
            return scope != SCOPE_RESERVED && scope != SCOPE_INTERFACE_LOCAL;
        }
        return true;
    }
}
