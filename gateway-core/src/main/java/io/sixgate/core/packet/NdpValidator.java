package io.sixgate.core.packet;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Validation of received Neighbor Solicitations and Advertisements (RFC 4861 §7.1.1, §7.1.2),
 * run by the neighbour stage after {@link Ipv6Validator} accepted the packet. Unlike forwarded
 * traffic, ND messages end at the gateway, so their ICMPv6 checksum is verified here.
 *
 * <p>Not checked: an IP Authentication Header's validity (SEND and AH are not supported).
 */
public final class NdpValidator
{
    /** ff02::1:ff00:0/104, the solicited-node multicast prefix (RFC 4291 §2.7.1). */
    private static final long SOLICITED_NODE_HIGH = 0xFF02_0000_0000_0000L;
    private static final long SOLICITED_NODE_LOW_PREFIX = 0x0000_0001_FF00_0000L;
    private static final long SOLICITED_NODE_LOW_MASK = 0xFFFF_FFFF_FF00_0000L;
    private static final int REQUIRED_HOP_LIMIT = 255;

    private NdpValidator()
    {
    }

    /**
     * Validate an NS or NA. Never throws, never allocates.
     *
     * @param buffer holding the packet.
     * @param chain  the walk {@link Ipv6Validator} made of it: complete, with ICMPv6 as the upper
     *               layer, so the fixed header and the 8-byte ICMPv6 header can be read.
     * @return {@code null} if the message may be processed, otherwise the reason to drop it.
     */
    public static NdpInputDropReason validate(final DirectBuffer buffer, final Ipv6HeaderChain chain)
    {
        final int ipv6Offset = chain.ipv6Offset();
        final int icmpOffset = chain.upperLayerOffset();
        final int icmpLength = chain.upperLayerLength();
        final int type = buffer.getByte(icmpOffset + Icmpv6Flyweight.TYPE_OFFSET) & 0xFF;

        if (type != Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION && type != Icmpv6Flyweight.TYPE_NEIGHBOR_ADVERTISEMENT)
        {
            return NdpInputDropReason.UNSUPPORTED_TYPE;
        }

        // RFC 6980 §5: ND messages must not be fragmented; a receiver silently ignores them.
        if (chain.isFragment())
        {
            return NdpInputDropReason.FRAGMENTED;
        }

        // RFC 4861 §7.1.1, §7.1.2: hop limit 255 proves the sender is on-link.
        if ((buffer.getByte(ipv6Offset + Ipv6Flyweight.HOP_LIMIT_OFFSET) & 0xFF) != REQUIRED_HOP_LIMIT)
        {
            return NdpInputDropReason.BAD_HOP_LIMIT;
        }

        // RFC 4861 §7.1.1, §7.1.2: ICMP Code is 0.
        if ((buffer.getByte(icmpOffset + Icmpv6Flyweight.CODE_OFFSET) & 0xFF) != 0)
        {
            return NdpInputDropReason.BAD_CODE;
        }

        // RFC 4861 §7.1.1, §7.1.2: ICMP length is 24 or more octets.
        if (icmpLength < NdpFlyweight.NEIGHBOR_MESSAGE_LENGTH)
        {
            return NdpInputDropReason.TRUNCATED_MESSAGE;
        }

        // RFC 4861 §7.1.1, §7.1.2: the ICMP checksum is valid (RFC 4443 §2.3: with pseudo-header).
        final int pseudoHeaderSum = InternetChecksum.ipv6PseudoHeaderSum(
            buffer,
            ipv6Offset + Ipv6Flyweight.SRC_ADDRESS_OFFSET,
            ipv6Offset + Ipv6Flyweight.DST_ADDRESS_OFFSET,
            IpProtocol.ICMPV6,
            icmpLength);
        if (InternetChecksum.add(pseudoHeaderSum, InternetChecksum.sum(buffer, icmpOffset, icmpLength)) != 0xFFFF)
        {
            return NdpInputDropReason.BAD_CHECKSUM;
        }

        // RFC 4861 §7.1.1, §7.1.2: the target address is not multicast.
        if ((buffer.getByte(icmpOffset + NdpFlyweight.TARGET_ADDRESS_OFFSET) & 0xFF) == 0xFF)
        {
            return NdpInputDropReason.MULTICAST_TARGET;
        }

        // RFC 4861 §7.1.1, §7.1.2 and §4.6: every option has a length greater than zero, and
        // none may run past the message.
        int sourceLinkLayerOptions = 0;
        int position = icmpOffset + NdpFlyweight.NEIGHBOR_OPTIONS_OFFSET;
        final int end = icmpOffset + icmpLength;
        while (position < end)
        {
            if (end - position < 2)
            {
                return NdpInputDropReason.BAD_OPTION_LENGTH;
            }
            final int optionLength = (buffer.getByte(position + NdpFlyweight.OPTION_LENGTH_OFFSET) & 0xFF) << 3;
            if (0 == optionLength || optionLength > end - position)
            {
                return NdpInputDropReason.BAD_OPTION_LENGTH;
            }
            if ((buffer.getByte(position) & 0xFF) == NdpFlyweight.OPTION_SOURCE_LINK_LAYER_ADDRESS)
            {
                sourceLinkLayerOptions++;
            }
            position += optionLength;
        }

        final long dstHigh = buffer.getLong(ipv6Offset + Ipv6Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        final long dstLow = buffer.getLong(ipv6Offset + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, BIG_ENDIAN);

        if (Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION == type)
        {
            final boolean unspecifiedSource =
                0 == buffer.getLong(ipv6Offset + Ipv6Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN) &&
                0 == buffer.getLong(ipv6Offset + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN);
            // RFC 4861 §7.1.1: from the unspecified address (DAD), the destination is a
            // solicited-node group and there is no Source Link-Layer Address option.
            if (unspecifiedSource && (!isSolicitedNodeMulticast(dstHigh, dstLow) || sourceLinkLayerOptions > 0))
            {
                return NdpInputDropReason.BAD_DUPLICATE_ADDRESS_DETECTION;
            }
        }
        else
        {
            // RFC 4861 §7.1.2: to a multicast destination, the Solicited flag is zero.
            if ((dstHigh >>> 56) == 0xFF &&
                (buffer.getByte(icmpOffset + NdpFlyweight.FLAGS_OFFSET) & NdpFlyweight.FLAG_SOLICITED) != 0)
            {
                return NdpInputDropReason.SOLICITED_ADVERTISEMENT_TO_MULTICAST;
            }
        }

        return null;
    }

    /**
     * @param high first 64 bits of an address.
     * @param low  last 64 bits of an address.
     * @return true if the address is in ff02::1:ff00:0/104 (RFC 4291 §2.7.1).
     */
    public static boolean isSolicitedNodeMulticast(final long high, final long low)
    {
        return SOLICITED_NODE_HIGH == high && SOLICITED_NODE_LOW_PREFIX == (low & SOLICITED_NODE_LOW_MASK);
    }
}
