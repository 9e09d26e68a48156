package io.sixgate.core.packet;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The Internet checksum: the 16-bit one's complement of the one's complement sum of the data
 * taken as 16-bit big-endian words (RFC 1071), with RFC 1624 incremental updates.
 *
 * <p>Sums are carried around as "partial sums": one's complement sums folded to 16 bits but not
 * yet complemented, so that regions and pseudo-headers can be summed separately and combined
 * with {@link #add(int, int)}. {@link #sum(DirectBuffer, int, int)} reads 64-bit words and adds
 * their two 32-bit halves into a {@code long}, folding once at the end: one's complement
 * addition is associative and commutative, so summing wider words and folding gives the same
 * result as summing 16-bit words (RFC 1071 §2(C), "parallel summation").
 *
 * <p>A region summed on its own must start at an even distance from the start of the data the
 * checksum covers; only the last region may have an odd length (it is padded with a zero byte,
 * RFC 1071 §4.1).
 *
 * <p>TCP and UDP checksums are not verified on input (see the validators): the translators
 * update them incrementally with {@link #update16(int, int, int)} and friends, which keeps a
 * bad checksum bad, so the end host still detects the corruption (RFC 1624 §1).
 */
public final class InternetChecksum
{
    private static final long MASK_32 = 0xFFFF_FFFFL;
    private static final int MASK_16 = 0xFFFF;

    private InternetChecksum()
    {
    }

    /**
     * One's complement sum of a region, folded to 16 bits (RFC 1071 §4.1).
     *
     * @param buffer holding the region.
     * @param offset of the first byte.
     * @param length in bytes; an odd length is padded with one zero byte.
     * @return the partial sum in [0, 0xFFFF]; 0 only if every byte is zero.
     */
    public static int sum(final DirectBuffer buffer, final int offset, final int length)
    {
        long acc = 0;
        int i = offset;
        final int endOfWords = offset + (length & ~7);
        while (i < endOfWords)
        {
            final long word = buffer.getLong(i, BIG_ENDIAN);
            acc += (word >>> 32) + (word & MASK_32);
            i += 8;
        }

        final int remaining = length & 7;
        if ((remaining & 4) != 0)
        {
            acc += buffer.getInt(i, BIG_ENDIAN) & MASK_32;
            i += 4;
        }
        if ((remaining & 2) != 0)
        {
            acc += buffer.getShort(i, BIG_ENDIAN) & MASK_16;
            i += 2;
        }
        if ((remaining & 1) != 0)
        {
            acc += (buffer.getByte(i) & 0xFF) << 8;
        }

        return fold(acc);
    }

    /**
     * Fold a wide sum to 16 bits with end-around carry (RFC 1071 §4.1, "fold 32-bit sum to
     * 16 bits"). The result is zero only if the input is zero.
     *
     * @param sum an unsigned sum of 16- or 32-bit words.
     * @return the folded partial sum in [0, 0xFFFF].
     */
    public static int fold(final long sum)
    {
        long s = (sum >>> 32) + (sum & MASK_32);
        s = (s >>> 32) + (s & MASK_32);
        s = (s >>> 16) + (s & MASK_16);
        s = (s >>> 16) + (s & MASK_16);
        return (int)s;
    }

    /**
     * One's complement addition of two partial sums.
     *
     * @param sumA a partial sum.
     * @param sumB another partial sum.
     * @return the folded partial sum.
     */
    public static int add(final int sumA, final int sumB)
    {
        return fold((sumA & MASK_32) + (sumB & MASK_32));
    }

    /**
     * Turn a partial sum into the checksum to store: its one's complement (RFC 1071 §1).
     *
     * @param sum a partial sum.
     * @return the 16-bit checksum.
     */
    public static int complement(final int sum)
    {
        return ~sum & MASK_16;
    }

    /**
     * The header checksum of an IPv4 header without options (RFC 791 §3.1, summed per RFC 1071)
     * from its field values, for a stage that writes the header: summing the values it holds
     * avoids reading back bytes it has just stored, a load that spans several smaller recent
     * stores and waits for them (no store-to-load forwarding), which cost a translated packet
     * more than the rest of its header.
     *
     * @param tos                 the type-of-service byte (version 4, IHL 5 are implied).
     * @param totalLength         total length.
     * @param identification      identification.
     * @param flagsFragmentOffset flags and fragment offset, as the 16-bit field.
     * @param ttl                 time to live.
     * @param protocol            protocol.
     * @param src                 source address.
     * @param dst                 destination address.
     * @return the 16-bit checksum to store.
     */
    public static int ipv4HeaderChecksum(
        final int tos, final int totalLength, final int identification, final int flagsFragmentOffset,
        final int ttl, final int protocol, final int src, final int dst)
    {
        final long sum = (0x4500 | (tos & 0xFF)) + (totalLength & MASK_16) + (identification & MASK_16) +
            (flagsFragmentOffset & MASK_16) + ((ttl & 0xFF) << 8 | (protocol & 0xFF)) +
            (src & MASK_32) + (dst & MASK_32);
        return complement(fold(sum));
    }

    /**
     * The checksum of a region, for headers that carry no pseudo-header (IPv4 header, ICMPv4):
     * the region's checksum field must be zero, or use {@link #sumSkipping} instead.
     *
     * @param buffer holding the region.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return the 16-bit checksum.
     */
    public static int checksum(final DirectBuffer buffer, final int offset, final int length)
    {
        return complement(sum(buffer, offset, length));
    }

    /**
     * Partial sum of a region as if its 16-bit checksum field were zero, without writing to it.
     *
     * @param buffer              holding the region.
     * @param offset              of the first byte.
     * @param length              in bytes, at least {@code checksumFieldOffset + 2}.
     * @param checksumFieldOffset of the checksum field relative to {@code offset}; must be even.
     * @return the folded partial sum.
     */
    public static int sumSkipping(
        final DirectBuffer buffer, final int offset, final int length, final int checksumFieldOffset)
    {
        final int afterField = checksumFieldOffset + 2;
        return add(
            sum(buffer, offset, checksumFieldOffset),
            sum(buffer, offset + afterField, length - afterField));
    }

    /**
     * Whether a region that contains its own checksum field sums to all ones, i.e. is intact
     * (RFC 1071 §1, "to check a checksum").
     *
     * @param buffer holding the region.
     * @param offset of the first byte.
     * @param length in bytes.
     * @return true if the checksum over the region verifies.
     */
    public static boolean isValid(final DirectBuffer buffer, final int offset, final int length)
    {
        return sum(buffer, offset, length) == MASK_16;
    }

    /**
     * Partial sum of the IPv4 pseudo-header used by TCP and UDP (RFC 9293 §3.1, RFC 768).
     *
     * @param srcAddress IPv4 source address.
     * @param dstAddress IPv4 destination address.
     * @param protocol   IP protocol number.
     * @param l4Length   length of the TCP or UDP header plus data in bytes.
     * @return the folded partial sum.
     */
    public static int ipv4PseudoHeaderSum(
        final int srcAddress, final int dstAddress, final int protocol, final int l4Length)
    {
        return fold((srcAddress & MASK_32) + (dstAddress & MASK_32) + protocol + (l4Length & MASK_32));
    }

    /**
     * Partial sum of the IPv6 pseudo-header used by every upper layer (RFC 8200 §8.1).
     *
     * @param srcHigh             first 64 bits of the source address.
     * @param srcLow              last 64 bits of the source address.
     * @param dstHigh             first 64 bits of the final destination address.
     * @param dstLow              last 64 bits of the final destination address.
     * @param nextHeader          upper-layer protocol number.
     * @param upperLayerLength    length of the upper-layer header plus data in bytes.
     * @return the folded partial sum.
     */
    public static int ipv6PseudoHeaderSum(
        final long srcHigh,
        final long srcLow,
        final long dstHigh,
        final long dstLow,
        final int nextHeader,
        final int upperLayerLength)
    {
        return fold(
            sumOfHalves(srcHigh) + sumOfHalves(srcLow) + sumOfHalves(dstHigh) + sumOfHalves(dstLow) +
            nextHeader + (upperLayerLength & MASK_32));
    }

    /**
     * Partial sum of the IPv6 pseudo-header with the addresses read from a buffer
     * (RFC 8200 §8.1).
     *
     * @param buffer           holding both addresses.
     * @param srcOffset        of the 16-byte source address.
     * @param dstOffset        of the 16-byte final destination address (the last segment when
     *                         a Routing header is present, RFC 8200 §8.1).
     * @param nextHeader       upper-layer protocol number.
     * @param upperLayerLength length of the upper-layer header plus data in bytes.
     * @return the folded partial sum.
     */
    public static int ipv6PseudoHeaderSum(
        final DirectBuffer buffer,
        final int srcOffset,
        final int dstOffset,
        final int nextHeader,
        final int upperLayerLength)
    {
        return ipv6PseudoHeaderSum(
            buffer.getLong(srcOffset, BIG_ENDIAN),
            buffer.getLong(srcOffset + 8, BIG_ENDIAN),
            buffer.getLong(dstOffset, BIG_ENDIAN),
            buffer.getLong(dstOffset + 8, BIG_ENDIAN),
            nextHeader,
            upperLayerLength);
    }

    /**
     * TCP checksum over IPv4 (RFC 9293 §3.1), ignoring the value now in the checksum field.
     *
     * @param buffer     holding the packet.
     * @param ipv4Offset of the IPv4 header, for the pseudo-header addresses.
     * @param tcpOffset  of the TCP header.
     * @param tcpLength  TCP header plus data in bytes.
     * @return the checksum to store.
     */
    public static int tcpIpv4Checksum(
        final DirectBuffer buffer, final int ipv4Offset, final int tcpOffset, final int tcpLength)
    {
        return ipv4UpperLayerChecksum(
            buffer, ipv4Offset, tcpOffset, tcpLength, IpProtocol.TCP, TcpFlyweight.CHECKSUM_OFFSET);
    }

    /**
     * UDP checksum over IPv4 (RFC 768), ignoring the value now in the checksum field. A
     * computed zero is returned as 0xFFFF because zero on the wire means "no checksum".
     *
     * @param buffer     holding the packet.
     * @param ipv4Offset of the IPv4 header, for the pseudo-header addresses.
     * @param udpOffset  of the UDP header.
     * @param udpLength  UDP header plus data in bytes.
     * @return the checksum to store, never zero.
     */
    public static int udpIpv4Checksum(
        final DirectBuffer buffer, final int ipv4Offset, final int udpOffset, final int udpLength)
    {
        return udpWireChecksum(ipv4UpperLayerChecksum(
            buffer, ipv4Offset, udpOffset, udpLength, IpProtocol.UDP, UdpFlyweight.CHECKSUM_OFFSET));
    }

    /**
     * ICMPv4 checksum (RFC 792): over the ICMP message only, no pseudo-header.
     *
     * @param buffer     holding the message.
     * @param icmpOffset of the ICMP header.
     * @param icmpLength ICMP header plus data in bytes.
     * @return the checksum to store.
     */
    public static int icmpv4Checksum(final DirectBuffer buffer, final int icmpOffset, final int icmpLength)
    {
        return complement(sumSkipping(buffer, icmpOffset, icmpLength, Icmpv4Flyweight.CHECKSUM_OFFSET));
    }

    /**
     * TCP checksum over IPv6 (RFC 8200 §8.1), pseudo-header from the IPv6 header's addresses.
     *
     * @param buffer     holding the packet.
     * @param ipv6Offset of the IPv6 header.
     * @param tcpOffset  of the TCP header.
     * @param tcpLength  TCP header plus data in bytes.
     * @return the checksum to store.
     */
    public static int tcpIpv6Checksum(
        final DirectBuffer buffer, final int ipv6Offset, final int tcpOffset, final int tcpLength)
    {
        return ipv6UpperLayerChecksum(
            buffer, ipv6Offset, tcpOffset, tcpLength, IpProtocol.TCP, TcpFlyweight.CHECKSUM_OFFSET);
    }

    /**
     * UDP checksum over IPv6 (RFC 8200 §8.1): mandatory, and a computed zero is sent as 0xFFFF.
     *
     * @param buffer     holding the packet.
     * @param ipv6Offset of the IPv6 header.
     * @param udpOffset  of the UDP header.
     * @param udpLength  UDP header plus data in bytes.
     * @return the checksum to store, never zero.
     */
    public static int udpIpv6Checksum(
        final DirectBuffer buffer, final int ipv6Offset, final int udpOffset, final int udpLength)
    {
        return udpWireChecksum(ipv6UpperLayerChecksum(
            buffer, ipv6Offset, udpOffset, udpLength, IpProtocol.UDP, UdpFlyweight.CHECKSUM_OFFSET));
    }

    /**
     * ICMPv6 checksum (RFC 4443 §2.3): includes the IPv6 pseudo-header.
     *
     * @param buffer     holding the packet.
     * @param ipv6Offset of the IPv6 header.
     * @param icmpOffset of the ICMPv6 header.
     * @param icmpLength ICMPv6 header plus data in bytes.
     * @return the checksum to store.
     */
    public static int icmpv6Checksum(
        final DirectBuffer buffer, final int ipv6Offset, final int icmpOffset, final int icmpLength)
    {
        return ipv6UpperLayerChecksum(
            buffer, ipv6Offset, icmpOffset, icmpLength, IpProtocol.ICMPV6, Icmpv6Flyweight.CHECKSUM_OFFSET);
    }

    /**
     * RFC 768 and RFC 8200 §8.1: a UDP checksum that computes to zero is transmitted as all
     * ones, because zero means "no checksum" over IPv4. Apply after an incremental update too.
     *
     * @param checksum a computed UDP checksum.
     * @return 0xFFFF for 0, otherwise the checksum unchanged.
     */
    public static int udpWireChecksum(final int checksum)
    {
        return 0 == checksum ? MASK_16 : checksum;
    }

    /**
     * RFC 1624 eqn. 3 for a changed 16-bit field: {@code HC' = ~(~HC + ~m + m')}. Equation 3
     * (not eqn. 2) is the one that yields the same 0x0000 as a full recomputation (RFC 1624 §3).
     *
     * <p>For UDP over IPv4, leave a zero checksum ("none") alone and pass the result through
     * {@link #udpWireChecksum(int)}.
     *
     * @param checksum the checksum now stored.
     * @param oldValue the field's old 16-bit value.
     * @param newValue the field's new 16-bit value.
     * @return the checksum to store.
     */
    public static int update16(final int checksum, final int oldValue, final int newValue)
    {
        return ~fold((~checksum & MASK_16) + (~oldValue & MASK_16) + (newValue & MASK_16)) & MASK_16;
    }

    /**
     * RFC 1624 eqn. 3 for a changed 32-bit field (an IPv4 address, a TCP sequence number), taken
     * as two 16-bit words.
     *
     * @param checksum the checksum now stored.
     * @param oldValue the field's old value.
     * @param newValue the field's new value.
     * @return the checksum to store.
     */
    public static int update32(final int checksum, final int oldValue, final int newValue)
    {
        return ~fold((~checksum & MASK_16) + (~oldValue & MASK_32) + (newValue & MASK_32)) & MASK_16;
    }

    /**
     * RFC 1624 eqn. 3 for a changed 128-bit field (an IPv6 address), taken as eight 16-bit words.
     *
     * @param checksum the checksum now stored.
     * @param oldHigh  first 64 bits of the old address.
     * @param oldLow   last 64 bits of the old address.
     * @param newHigh  first 64 bits of the new address.
     * @param newLow   last 64 bits of the new address.
     * @return the checksum to store.
     */
    public static int update128(
        final int checksum, final long oldHigh, final long oldLow, final long newHigh, final long newLow)
    {
        return ~fold(
            (~checksum & MASK_16) +
            sumOfHalves(~oldHigh) + sumOfHalves(~oldLow) +
            sumOfHalves(newHigh) + sumOfHalves(newLow)) & MASK_16;
    }

    /**
     * RFC 1624 eqn. 3 generalised to any change whose before and after are known as partial
     * sums: {@code HC' = ~(~HC + ~oldSum + newSum)}. Use it when a translation swaps a whole
     * pseudo-header (RFC 7915 §5.1: IPv6 to IPv4 pseudo-header) without recomputing the data.
     *
     * @param checksum the checksum now stored.
     * @param oldSum   partial sum of everything removed.
     * @param newSum   partial sum of everything added.
     * @return the checksum to store.
     */
    public static int update(final int checksum, final int oldSum, final int newSum)
    {
        return ~fold((~checksum & MASK_16) + (~oldSum & MASK_16) + (newSum & MASK_16)) & MASK_16;
    }

    private static int ipv4UpperLayerChecksum(
        final DirectBuffer buffer,
        final int ipv4Offset,
        final int l4Offset,
        final int l4Length,
        final int protocol,
        final int checksumFieldOffset)
    {
        final int pseudoHeaderSum = ipv4PseudoHeaderSum(
            buffer.getInt(ipv4Offset + Ipv4Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN),
            buffer.getInt(ipv4Offset + Ipv4Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN),
            protocol,
            l4Length);

        return complement(add(pseudoHeaderSum, sumSkipping(buffer, l4Offset, l4Length, checksumFieldOffset)));
    }

    private static int ipv6UpperLayerChecksum(
        final DirectBuffer buffer,
        final int ipv6Offset,
        final int l4Offset,
        final int l4Length,
        final int nextHeader,
        final int checksumFieldOffset)
    {
        final int pseudoHeaderSum = ipv6PseudoHeaderSum(
            buffer,
            ipv6Offset + Ipv6Flyweight.SRC_ADDRESS_OFFSET,
            ipv6Offset + Ipv6Flyweight.DST_ADDRESS_OFFSET,
            nextHeader,
            l4Length);

        return complement(add(pseudoHeaderSum, sumSkipping(buffer, l4Offset, l4Length, checksumFieldOffset)));
    }

    private static long sumOfHalves(final long value)
    {
        return (value >>> 32) + (value & MASK_32);
    }
}
