package io.sixgate.core.packet;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Flyweight over the fixed IPv6 header (RFC 8200 §3). Each 128-bit address is two
 * {@code long}s, high then low, so that it can be compared, hashed and stored without
 * allocating.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +                         Source Address                        +
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +                      Destination Address                      +
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv6Flyweight
{
    /** Version, traffic class and flow label share the first 32-bit word. */
    public static final int VERSION_OFFSET = 0;
    /** Traffic class spans bits 4..11 of the first 32-bit word. */
    public static final int TRAFFIC_CLASS_OFFSET = 0;
    /** Flow label is the low 20 bits of the first 32-bit word. */
    public static final int FLOW_LABEL_OFFSET = 0;
    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SRC_ADDRESS_OFFSET = 8;
    public static final int DST_ADDRESS_OFFSET = 24;

    public static final int HEADER_LENGTH = 40;
    public static final int ADDRESS_LENGTH = 16;
    public static final int VERSION = 6;
    public static final int MAX_PAYLOAD_LENGTH = 0xFFFF;
    public static final int FLOW_LABEL_MASK = 0xF_FFFF;
    /** RFC 8200 §5: every link carries at least 1280-byte packets. */
    public static final int MIN_MTU = 1280;

    private MutableDirectBuffer buffer;
    private int offset;

    public Ipv6Flyweight wrap(final MutableDirectBuffer buffer, final int offset)
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

    /**
     * @return offset in the buffer of the first byte after the fixed header.
     */
    public int payloadOffset()
    {
        return offset + HEADER_LENGTH;
    }

    private int firstWord()
    {
        return buffer.getInt(offset + VERSION_OFFSET, BIG_ENDIAN);
    }

    private Ipv6Flyweight firstWord(final int word)
    {
        buffer.putInt(offset + VERSION_OFFSET, word, BIG_ENDIAN);
        return this;
    }

    public int version()
    {
        return firstWord() >>> 28;
    }

    public Ipv6Flyweight version(final int version)
    {
        return firstWord((firstWord() & 0x0FFF_FFFF) | (version << 28));
    }

    public int trafficClass()
    {
        return (firstWord() >>> 20) & 0xFF;
    }

    public Ipv6Flyweight trafficClass(final int trafficClass)
    {
        return firstWord((firstWord() & 0xF00F_FFFF) | ((trafficClass & 0xFF) << 20));
    }

    public int flowLabel()
    {
        return firstWord() & FLOW_LABEL_MASK;
    }

    public Ipv6Flyweight flowLabel(final int flowLabel)
    {
        return firstWord((firstWord() & ~FLOW_LABEL_MASK) | (flowLabel & FLOW_LABEL_MASK));
    }

    /**
     * Write version, traffic class and flow label in one store.
     *
     * @param trafficClass the 8-bit traffic class.
     * @param flowLabel    the 20-bit flow label.
     * @return this for a fluent API.
     */
    public Ipv6Flyweight versionClassAndFlow(final int trafficClass, final int flowLabel)
    {
        return firstWord((VERSION << 28) | ((trafficClass & 0xFF) << 20) | (flowLabel & FLOW_LABEL_MASK));
    }

    /**
     * @return bytes after the fixed header, extension headers included (RFC 8200 §3).
     */
    public int payloadLength()
    {
        return buffer.getShort(offset + PAYLOAD_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv6Flyweight payloadLength(final int payloadLength)
    {
        buffer.putShort(offset + PAYLOAD_LENGTH_OFFSET, (short)payloadLength, BIG_ENDIAN);
        return this;
    }

    public int nextHeader()
    {
        return buffer.getByte(offset + NEXT_HEADER_OFFSET) & 0xFF;
    }

    public Ipv6Flyweight nextHeader(final int nextHeader)
    {
        buffer.putByte(offset + NEXT_HEADER_OFFSET, (byte)nextHeader);
        return this;
    }

    public int hopLimit()
    {
        return buffer.getByte(offset + HOP_LIMIT_OFFSET) & 0xFF;
    }

    public Ipv6Flyweight hopLimit(final int hopLimit)
    {
        buffer.putByte(offset + HOP_LIMIT_OFFSET, (byte)hopLimit);
        return this;
    }

    public long srcHigh()
    {
        return buffer.getLong(offset + SRC_ADDRESS_OFFSET, BIG_ENDIAN);
    }

    public long srcLow()
    {
        return buffer.getLong(offset + SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN);
    }

    public Ipv6Flyweight src(final long high, final long low)
    {
        buffer.putLong(offset + SRC_ADDRESS_OFFSET, high, BIG_ENDIAN);
        buffer.putLong(offset + SRC_ADDRESS_OFFSET + 8, low, BIG_ENDIAN);
        return this;
    }

    public long dstHigh()
    {
        return buffer.getLong(offset + DST_ADDRESS_OFFSET, BIG_ENDIAN);
    }

    public long dstLow()
    {
        return buffer.getLong(offset + DST_ADDRESS_OFFSET + 8, BIG_ENDIAN);
    }

    public Ipv6Flyweight dst(final long high, final long low)
    {
        buffer.putLong(offset + DST_ADDRESS_OFFSET, high, BIG_ENDIAN);
        buffer.putLong(offset + DST_ADDRESS_OFFSET + 8, low, BIG_ENDIAN);
        return this;
    }

    /**
     * Copy the 16-byte source address into another buffer.
     *
     * @param dst       buffer to copy into.
     * @param dstOffset where the address goes.
     */
    public void getSrc(final MutableDirectBuffer dst, final int dstOffset)
    {
        buffer.getBytes(offset + SRC_ADDRESS_OFFSET, dst, dstOffset, ADDRESS_LENGTH);
    }

    /**
     * Copy a 16-byte address from another buffer into the source address.
     *
     * @param src       buffer to copy from.
     * @param srcOffset of the address.
     * @return this for a fluent API.
     */
    public Ipv6Flyweight putSrc(final DirectBuffer src, final int srcOffset)
    {
        buffer.putBytes(offset + SRC_ADDRESS_OFFSET, src, srcOffset, ADDRESS_LENGTH);
        return this;
    }

    public void getDst(final MutableDirectBuffer dst, final int dstOffset)
    {
        buffer.getBytes(offset + DST_ADDRESS_OFFSET, dst, dstOffset, ADDRESS_LENGTH);
    }

    public Ipv6Flyweight putDst(final DirectBuffer src, final int srcOffset)
    {
        buffer.putBytes(offset + DST_ADDRESS_OFFSET, src, srcOffset, ADDRESS_LENGTH);
        return this;
    }
}
