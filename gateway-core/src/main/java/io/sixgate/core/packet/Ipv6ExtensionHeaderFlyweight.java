package io.sixgate.core.packet;

import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over the two octets every "uniform format" IPv6 extension header starts with
 * (RFC 8200 §4, RFC 6564 §4): Hop-by-Hop Options (0), Routing (43), Destination Options (60)
 * and the later ones built the same way. Hdr Ext Len counts 8-octet units after the first
 * eight octets, so the header is {@code (hdrExtLen + 1) * 8} bytes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |  Hdr Ext Len  |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                                                               |
 * .                                                               .
 * .            Options or type-specific data                      .
 * .                                                               .
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The Authentication Header (RFC 4302 §2.2) counts its length differently, in 4-octet units
 * minus 2; use {@link #authenticationHeaderLength()} for it.
 */
public final class Ipv6ExtensionHeaderFlyweight
{
    public static final int NEXT_HEADER_OFFSET = 0;
    public static final int HDR_EXT_LEN_OFFSET = 1;
    /** Every extension header is a multiple of 8 octets long, so at least 8 (RFC 8200 §4). */
    public static final int MIN_LENGTH = 8;
    /** RFC 4302 §2.2: an AH is at least 12 octets (Payload Len 1). */
    public static final int MIN_AUTHENTICATION_HEADER_LENGTH = 12;

    private MutableDirectBuffer buffer;
    private int offset;

    public Ipv6ExtensionHeaderFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    public MutableDirectBuffer buffer()
    {
        return buffer;
    }

    public int offset()
    {
        return offset;
    }

    public int nextHeader()
    {
        return buffer.getByte(offset + NEXT_HEADER_OFFSET) & 0xFF;
    }

    public Ipv6ExtensionHeaderFlyweight nextHeader(final int nextHeader)
    {
        buffer.putByte(offset + NEXT_HEADER_OFFSET, (byte)nextHeader);
        return this;
    }

    public int hdrExtLen()
    {
        return buffer.getByte(offset + HDR_EXT_LEN_OFFSET) & 0xFF;
    }

    public Ipv6ExtensionHeaderFlyweight hdrExtLen(final int hdrExtLen)
    {
        buffer.putByte(offset + HDR_EXT_LEN_OFFSET, (byte)hdrExtLen);
        return this;
    }

    /**
     * @return length of the header in bytes, {@code (hdrExtLen + 1) * 8} (RFC 8200 §4.3).
     */
    public int headerLength()
    {
        return (hdrExtLen() + 1) << 3;
    }

    /**
     * @param headerLength in bytes: a non-zero multiple of 8.
     * @return this for a fluent API.
     */
    public Ipv6ExtensionHeaderFlyweight headerLength(final int headerLength)
    {
        return hdrExtLen((headerLength >>> 3) - 1);
    }

    /**
     * @return length of an Authentication Header in bytes, {@code (payloadLen + 2) * 4}
     * (RFC 4302 §2.2), reading the same octet as {@link #hdrExtLen()}.
     */
    public int authenticationHeaderLength()
    {
        return (hdrExtLen() + 2) << 2;
    }
}
