package io.sixgate.core.packet;

import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Flyweight over the IPv6 Fragment header (RFC 8200 §4.5), always 8 octets. The stateful
 * translator keeps fragments on a slow path; this flyweight lets it read and write them.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Next Header  |   Reserved    |      Fragment Offset    |Res|M|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Identification                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv6FragmentHeaderFlyweight
{
    public static final int NEXT_HEADER_OFFSET = 0;
    public static final int RESERVED_OFFSET = 1;
    /** Fragment offset is the top 13 bits of the 16-bit word at this offset. */
    public static final int FRAGMENT_OFFSET_FIELD_OFFSET = 2;
    /** The M flag is the lowest bit of the 16-bit word at this offset. */
    public static final int M_FLAG_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int HEADER_LENGTH = 8;

    /** The M flag in the 16-bit word at {@link #M_FLAG_OFFSET}. */
    public static final int M_FLAG = 0x0001;
    /** The fragment offset, already in bytes, in the 16-bit word at {@link #FRAGMENT_OFFSET_FIELD_OFFSET}. */
    public static final int FRAGMENT_OFFSET_BYTES_MASK = 0xFFF8;

    private MutableDirectBuffer buffer;
    private int offset;

    public Ipv6FragmentHeaderFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
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

    public Ipv6FragmentHeaderFlyweight nextHeader(final int nextHeader)
    {
        buffer.putByte(offset + NEXT_HEADER_OFFSET, (byte)nextHeader);
        return this;
    }

    public int reserved()
    {
        return buffer.getByte(offset + RESERVED_OFFSET) & 0xFF;
    }

    public Ipv6FragmentHeaderFlyweight reserved(final int reserved)
    {
        buffer.putByte(offset + RESERVED_OFFSET, (byte)reserved);
        return this;
    }

    private int offsetWord()
    {
        return buffer.getShort(offset + FRAGMENT_OFFSET_FIELD_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    private Ipv6FragmentHeaderFlyweight offsetWord(final int word)
    {
        buffer.putShort(offset + FRAGMENT_OFFSET_FIELD_OFFSET, (short)word, BIG_ENDIAN);
        return this;
    }

    /**
     * @return fragment offset in 8-octet units.
     */
    public int fragmentOffset()
    {
        return offsetWord() >>> 3;
    }

    public Ipv6FragmentHeaderFlyweight fragmentOffset(final int units)
    {
        return offsetWord(((units << 3) & FRAGMENT_OFFSET_BYTES_MASK) | (offsetWord() & ~FRAGMENT_OFFSET_BYTES_MASK));
    }

    /**
     * @return fragment offset in bytes (the 8-octet units times 8, i.e. the word with its low
     * three bits cleared).
     */
    public int fragmentOffsetBytes()
    {
        return offsetWord() & FRAGMENT_OFFSET_BYTES_MASK;
    }

    /**
     * @param bytes fragment offset in bytes; a multiple of 8.
     * @return this for a fluent API.
     */
    public Ipv6FragmentHeaderFlyweight fragmentOffsetBytes(final int bytes)
    {
        return offsetWord((bytes & FRAGMENT_OFFSET_BYTES_MASK) | (offsetWord() & ~FRAGMENT_OFFSET_BYTES_MASK));
    }

    /**
     * @return the M flag: more fragments follow.
     */
    public boolean moreFragments()
    {
        return (offsetWord() & M_FLAG) != 0;
    }

    public Ipv6FragmentHeaderFlyweight moreFragments(final boolean moreFragments)
    {
        final int word = offsetWord();
        return offsetWord(moreFragments ? word | M_FLAG : word & ~M_FLAG);
    }

    public int identification()
    {
        return buffer.getInt(offset + IDENTIFICATION_OFFSET, BIG_ENDIAN);
    }

    public Ipv6FragmentHeaderFlyweight identification(final int identification)
    {
        buffer.putInt(offset + IDENTIFICATION_OFFSET, identification, BIG_ENDIAN);
        return this;
    }
}
