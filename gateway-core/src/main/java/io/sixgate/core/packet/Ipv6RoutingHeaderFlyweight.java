package io.sixgate.core.packet;

import org.agrona.MutableDirectBuffer;

/**
 * Flyweight over the common part of an IPv6 Routing header (RFC 8200 §4.4). The gateway does
 * not act on any routing type; it needs the segments left to decide whether the destination
 * in the fixed header is final (RFC 8200 §8.1, upper-layer checksums) and to report an
 * unrecognised type (RFC 8200 §4.4).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |  Hdr Ext Len  |  Routing Type | Segments Left |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * .                                                               .
 * .                       type-specific data                      .
 * .                                                               .
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv6RoutingHeaderFlyweight
{
    public static final int NEXT_HEADER_OFFSET = 0;
    public static final int HDR_EXT_LEN_OFFSET = 1;
    public static final int ROUTING_TYPE_OFFSET = 2;
    public static final int SEGMENTS_LEFT_OFFSET = 3;
    public static final int MIN_LENGTH = 8;

    /** Type 0, deprecated by RFC 5095. */
    public static final int TYPE_SOURCE_ROUTE = 0;
    /** Type 4, Segment Routing Header (RFC 8754). */
    public static final int TYPE_SEGMENT_ROUTING = 4;

    private MutableDirectBuffer buffer;
    private int offset;

    public Ipv6RoutingHeaderFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
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

    public Ipv6RoutingHeaderFlyweight nextHeader(final int nextHeader)
    {
        buffer.putByte(offset + NEXT_HEADER_OFFSET, (byte)nextHeader);
        return this;
    }

    public int hdrExtLen()
    {
        return buffer.getByte(offset + HDR_EXT_LEN_OFFSET) & 0xFF;
    }

    public Ipv6RoutingHeaderFlyweight hdrExtLen(final int hdrExtLen)
    {
        buffer.putByte(offset + HDR_EXT_LEN_OFFSET, (byte)hdrExtLen);
        return this;
    }

    /**
     * @return length of the header in bytes, {@code (hdrExtLen + 1) * 8}.
     */
    public int headerLength()
    {
        return (hdrExtLen() + 1) << 3;
    }

    public int routingType()
    {
        return buffer.getByte(offset + ROUTING_TYPE_OFFSET) & 0xFF;
    }

    public Ipv6RoutingHeaderFlyweight routingType(final int routingType)
    {
        buffer.putByte(offset + ROUTING_TYPE_OFFSET, (byte)routingType);
        return this;
    }

    public int segmentsLeft()
    {
        return buffer.getByte(offset + SEGMENTS_LEFT_OFFSET) & 0xFF;
    }

    public Ipv6RoutingHeaderFlyweight segmentsLeft(final int segmentsLeft)
    {
        buffer.putByte(offset + SEGMENTS_LEFT_OFFSET, (byte)segmentsLeft);
        return this;
    }
}
