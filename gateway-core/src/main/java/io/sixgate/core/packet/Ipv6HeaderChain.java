package io.sixgate.core.packet;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Walks an IPv6 packet's extension header chain (RFC 8200 §4) and remembers where things are:
 * the upper-layer protocol and its offset, the Fragment and Routing headers, and whether the
 * packet is a non-first fragment. Allocate one per worker and call {@link #parse} per packet;
 * it never allocates.
 *
 * <p>Rules followed while walking:
 * <ul>
 *     <li>Hop-by-Hop Options may only follow the fixed header (RFC 8200 §4.1).</li>
 *     <li>Uniform-format headers (HBH, Routing, Destination Options, Mobility, HIP, Shim6,
 *     253, 254) are {@code (hdrExtLen + 1) * 8} bytes (RFC 8200 §4, RFC 6564 §4).</li>
 *     <li>AH is {@code (payloadLen + 2) * 4} bytes (RFC 4302 §2.2) and is walked over.</li>
 *     <li>ESP (RFC 4303) and No Next Header (RFC 8200 §4.7) end the walk and are reported as
 *     the upper layer: nothing readable follows them.</li>
 *     <li>A Fragment header with a non-zero offset ends the walk: the next header it names
 *     starts in an earlier fragment (RFC 8200 §4.5).</li>
 *     <li>Any other value is an upper layer. A forwarding node does not reject values it does
 *     not know (RFC 7045 §2); the stage that terminates the packet decides.</li>
 *     <li>At most {@link #MAX_EXTENSION_HEADERS} headers are walked: RFC 8200 §4.1 allows
 *     each header once (Destination Options twice), so a longer chain is an attack on the
 *     walker, not a real packet. This cap is our choice, not an RFC number.</li>
 * </ul>
 *
 * <p>All offsets recorded are absolute offsets in the buffer that was parsed.
 */
public final class Ipv6HeaderChain
{
    /** Cap on extension headers walked before giving up. */
    public static final int MAX_EXTENSION_HEADERS = 16;
    /** Recorded offsets are {@code NOT_PRESENT} when there is no such header. */
    public static final int NOT_PRESENT = -1;

    /**
     * Outcome of a walk. Everything but {@link #COMPLETE} means the recorded upper layer is not
     * valid; {@link #errorOffset()} then points at the offending octet.
     */
    public enum Status
    {
        /** The walk reached an upper-layer header or a non-first fragment's payload. */
        COMPLETE,
        /** A Next Header field named Hop-by-Hop after the fixed header (RFC 8200 §4.1). */
        HOP_BY_HOP_NOT_FIRST,
        /** An extension header runs past the end of the packet. */
        TRUNCATED_EXTENSION_HEADER,
        /** More than {@link #MAX_EXTENSION_HEADERS} extension headers. */
        TOO_MANY_EXTENSION_HEADERS
    }

    private Status status = Status.COMPLETE;
    private int ipv6Offset;
    private int packetLength;
    private int upperLayerProtocol;
    private int upperLayerOffset;
    private int upperLayerNextHeaderFieldOffset;
    private int fragmentHeaderOffset;
    private int routingHeaderOffset;
    private int extensionHeaderCount;
    private int errorOffset;
    private boolean nonFirstFragment;

    /**
     * Walk the chain of the packet whose IPv6 header starts at {@code offset}.
     *
     * @param buffer       holding the packet.
     * @param offset       of the fixed IPv6 header.
     * @param packetLength length of the IPv6 packet (40 plus Payload Length, not the frame's
     *                     length): nothing beyond it is read. Must be at least 40.
     * @return the outcome, also available as {@link #status()}.
     */
    public Status parse(final DirectBuffer buffer, final int offset, final int packetLength)
    {
        this.ipv6Offset = offset;
        this.packetLength = packetLength;
        upperLayerProtocol = NOT_PRESENT;
        upperLayerOffset = NOT_PRESENT;
        fragmentHeaderOffset = NOT_PRESENT;
        routingHeaderOffset = NOT_PRESENT;
        errorOffset = NOT_PRESENT;
        extensionHeaderCount = 0;
        nonFirstFragment = false;

        final int end = offset + packetLength;
        int nextHeaderFieldOffset = offset + Ipv6Flyweight.NEXT_HEADER_OFFSET;
        int nextHeader = buffer.getByte(nextHeaderFieldOffset) & 0xFF;
        int position = offset + Ipv6Flyweight.HEADER_LENGTH;

        while (IpProtocol.isIpv6ExtensionHeader(nextHeader))
        {
            if (IpProtocol.HOP_BY_HOP == nextHeader && extensionHeaderCount > 0)
            {
                // RFC 8200 §4.1: Hop-by-Hop Options must immediately follow the IPv6 header.
                return fail(Status.HOP_BY_HOP_NOT_FIRST, nextHeaderFieldOffset);
            }

            if (extensionHeaderCount == MAX_EXTENSION_HEADERS)
            {
                return fail(Status.TOO_MANY_EXTENSION_HEADERS, nextHeaderFieldOffset);
            }

            // RFC 8200 §4: every extension header is at least 8 octets.
            if (end - position < Ipv6ExtensionHeaderFlyweight.MIN_LENGTH)
            {
                return fail(Status.TRUNCATED_EXTENSION_HEADER, position);
            }

            final int headerLength;
            switch (nextHeader)
            {
                case IpProtocol.FRAGMENT:
                    headerLength = Ipv6FragmentHeaderFlyweight.HEADER_LENGTH;
                    if (NOT_PRESENT == fragmentHeaderOffset)
                    {
                        fragmentHeaderOffset = position;
                    }
                    // RFC 8200 §4.5: offset non-zero means this fragment carries no headers.
                    final int offsetWord = buffer.getShort(
                        position + Ipv6FragmentHeaderFlyweight.FRAGMENT_OFFSET_FIELD_OFFSET, BIG_ENDIAN) &
                        Ipv6FragmentHeaderFlyweight.FRAGMENT_OFFSET_BYTES_MASK;
                    if (0 != offsetWord)
                    {
                        nonFirstFragment = true;
                        extensionHeaderCount++;
                        return complete(buffer, position, position + headerLength);
                    }
                    break;

                case IpProtocol.AH:
                    // RFC 4302 §2.2: Payload Len is in 32-bit words, minus 2.
                    headerLength = ((buffer.getByte(position + 1) & 0xFF) + 2) << 2;
                    break;

                case IpProtocol.ROUTING:
                    if (NOT_PRESENT == routingHeaderOffset)
                    {
                        routingHeaderOffset = position;
                    }
                    headerLength = ((buffer.getByte(position + 1) & 0xFF) + 1) << 3;
                    break;

                default:
                    // RFC 8200 §4.3, §4.6, RFC 6564 §4: uniform format.
                    headerLength = ((buffer.getByte(position + 1) & 0xFF) + 1) << 3;
                    break;
            }

            if (end - position < headerLength)
            {
                return fail(Status.TRUNCATED_EXTENSION_HEADER, position);
            }

            extensionHeaderCount++;
            nextHeaderFieldOffset = position;
            nextHeader = buffer.getByte(position) & 0xFF;
            position += headerLength;
        }

        upperLayerProtocol = nextHeader;
        upperLayerOffset = position;
        upperLayerNextHeaderFieldOffset = nextHeaderFieldOffset;
        status = Status.COMPLETE;
        return status;
    }

    private Status complete(final DirectBuffer buffer, final int fragmentHeader, final int payloadOffset)
    {
        upperLayerProtocol = buffer.getByte(fragmentHeader) & 0xFF;
        upperLayerOffset = payloadOffset;
        upperLayerNextHeaderFieldOffset = fragmentHeader;
        status = Status.COMPLETE;
        return status;
    }

    private Status fail(final Status failure, final int offendingOffset)
    {
        upperLayerProtocol = NOT_PRESENT;
        upperLayerOffset = NOT_PRESENT;
        upperLayerNextHeaderFieldOffset = NOT_PRESENT;
        errorOffset = offendingOffset;
        status = failure;
        return status;
    }

    /**
     * @return outcome of the last {@link #parse}.
     */
    public Status status()
    {
        return status;
    }

    /**
     * @return offset of the fixed IPv6 header that was parsed.
     */
    public int ipv6Offset()
    {
        return ipv6Offset;
    }

    /**
     * @return length of the IPv6 packet the walk was bounded by (40 plus Payload Length).
     */
    public int packetLength()
    {
        return packetLength;
    }

    /**
     * @return the upper-layer protocol (or ESP, or No Next Header); for a non-first fragment
     * the Next Header of its Fragment header; {@link #NOT_PRESENT} after a failed walk.
     */
    public int upperLayerProtocol()
    {
        return upperLayerProtocol;
    }

    /**
     * @return offset of the upper-layer header, or of a non-first fragment's data;
     * {@link #NOT_PRESENT} after a failed walk.
     */
    public int upperLayerOffset()
    {
        return upperLayerOffset;
    }

    /**
     * @return bytes from the upper-layer offset to the end of the IPv6 packet: the length that
     * goes in the pseudo-header (RFC 8200 §8.1); 0 after a failed walk.
     */
    public int upperLayerLength()
    {
        return NOT_PRESENT == upperLayerOffset ? 0 : ipv6Offset + packetLength - upperLayerOffset;
    }

    /**
     * @return offset of the octet that holds {@link #upperLayerProtocol()}: the fixed header's
     * Next Header or the last extension header's, for translators that rewrite it.
     */
    public int upperLayerNextHeaderFieldOffset()
    {
        return upperLayerNextHeaderFieldOffset;
    }

    /**
     * @return offset of the first Fragment header, or {@link #NOT_PRESENT}.
     */
    public int fragmentHeaderOffset()
    {
        return fragmentHeaderOffset;
    }

    /**
     * @return true if the packet has a Fragment header (an atomic fragment included, RFC 6946).
     */
    public boolean isFragment()
    {
        return NOT_PRESENT != fragmentHeaderOffset;
    }

    /**
     * @return true if the Fragment header's offset is non-zero: no upper-layer header here.
     */
    public boolean isNonFirstFragment()
    {
        return nonFirstFragment;
    }

    /**
     * @return offset of the first Routing header, or {@link #NOT_PRESENT}.
     */
    public int routingHeaderOffset()
    {
        return routingHeaderOffset;
    }

    /**
     * @return number of extension headers walked over.
     */
    public int extensionHeaderCount()
    {
        return extensionHeaderCount;
    }

    /**
     * @return offset of the octet a Parameter Problem would point at after a failed walk
     * (RFC 4443 §3.4), or {@link #NOT_PRESENT}.
     */
    public int errorOffset()
    {
        return errorOffset;
    }
}
