package io.sixgate.core.packet;

import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Flyweight over an IPv4 header (RFC 791 §3.1). Addresses are {@code int}s, first octet most
 * significant. The TOS octet is read whole or as DSCP (RFC 2474) and ECN (RFC 3168).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |    DSCP   |ECN|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |0|D|M|     Fragment Offset     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Ipv4Flyweight
{
    /** Version is the high nibble of the first octet. */
    public static final int VERSION_OFFSET = 0;
    /** IHL is the low nibble of the first octet. */
    public static final int IHL_OFFSET = 0;
    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    /** Flags are the top three bits of the 16-bit word at this offset. */
    public static final int FLAGS_OFFSET = 6;
    /** Fragment offset is the low 13 bits of the 16-bit word at this offset. */
    public static final int FRAGMENT_OFFSET_FIELD_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int HEADER_CHECKSUM_OFFSET = 10;
    public static final int SRC_ADDRESS_OFFSET = 12;
    public static final int DST_ADDRESS_OFFSET = 16;
    public static final int OPTIONS_OFFSET = 20;

    /** Header without options (IHL 5). */
    public static final int MIN_HEADER_LENGTH = 20;
    /** Header with the most options (IHL 15). */
    public static final int MAX_HEADER_LENGTH = 60;
    public static final int MAX_TOTAL_LENGTH = 0xFFFF;
    public static final int VERSION = 4;
    public static final int MIN_IHL = 5;

    /** Don't Fragment, in the flags/fragment-offset word (RFC 791 §3.1). */
    public static final int FLAG_DF = 0x4000;
    /** More Fragments, in the flags/fragment-offset word (RFC 791 §3.1). */
    public static final int FLAG_MF = 0x2000;
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    private MutableDirectBuffer buffer;
    private int offset;

    public Ipv4Flyweight wrap(final MutableDirectBuffer buffer, final int offset)
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

    public int version()
    {
        return (buffer.getByte(offset + VERSION_OFFSET) & 0xF0) >>> 4;
    }

    public Ipv4Flyweight version(final int version)
    {
        final int index = offset + VERSION_OFFSET;
        buffer.putByte(index, (byte)((version << 4) | (buffer.getByte(index) & 0x0F)));
        return this;
    }

    /**
     * @return Internet Header Length in 32-bit words.
     */
    public int ihl()
    {
        return buffer.getByte(offset + IHL_OFFSET) & 0x0F;
    }

    public Ipv4Flyweight ihl(final int ihl)
    {
        final int index = offset + IHL_OFFSET;
        buffer.putByte(index, (byte)((buffer.getByte(index) & 0xF0) | (ihl & 0x0F)));
        return this;
    }

    /**
     * @return header length in bytes, options included.
     */
    public int headerLength()
    {
        return ihl() << 2;
    }

    /**
     * @param headerLength in bytes; a multiple of 4.
     * @return this for a fluent API.
     */
    public Ipv4Flyweight headerLength(final int headerLength)
    {
        return ihl(headerLength >>> 2);
    }

    public int tos()
    {
        return buffer.getByte(offset + TOS_OFFSET) & 0xFF;
    }

    public Ipv4Flyweight tos(final int tos)
    {
        buffer.putByte(offset + TOS_OFFSET, (byte)tos);
        return this;
    }

    /**
     * @return Differentiated Services Code Point, the top six bits of the TOS octet (RFC 2474 §3).
     */
    public int dscp()
    {
        return tos() >>> 2;
    }

    public Ipv4Flyweight dscp(final int dscp)
    {
        return tos((dscp << 2) | (tos() & 0x03));
    }

    /**
     * @return Explicit Congestion Notification, the bottom two bits of the TOS octet (RFC 3168 §5).
     */
    public int ecn()
    {
        return tos() & 0x03;
    }

    public Ipv4Flyweight ecn(final int ecn)
    {
        return tos((tos() & 0xFC) | (ecn & 0x03));
    }

    /**
     * @return length of the datagram in bytes, header included.
     */
    public int totalLength()
    {
        return buffer.getShort(offset + TOTAL_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Flyweight totalLength(final int totalLength)
    {
        buffer.putShort(offset + TOTAL_LENGTH_OFFSET, (short)totalLength, BIG_ENDIAN);
        return this;
    }

    /**
     * @return bytes after the header: total length less header length.
     */
    public int payloadLength()
    {
        return totalLength() - headerLength();
    }

    /**
     * @return offset in the buffer of the first byte after the header and its options.
     */
    public int payloadOffset()
    {
        return offset + headerLength();
    }

    public int identification()
    {
        return buffer.getShort(offset + IDENTIFICATION_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Flyweight identification(final int identification)
    {
        buffer.putShort(offset + IDENTIFICATION_OFFSET, (short)identification, BIG_ENDIAN);
        return this;
    }

    /**
     * @return the whole 16-bit flags and fragment offset word, for translators that copy it.
     */
    public int flagsAndFragmentOffset()
    {
        return buffer.getShort(offset + FLAGS_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Flyweight flagsAndFragmentOffset(final int word)
    {
        buffer.putShort(offset + FLAGS_OFFSET, (short)word, BIG_ENDIAN);
        return this;
    }

    public boolean dontFragment()
    {
        return (flagsAndFragmentOffset() & FLAG_DF) != 0;
    }

    public Ipv4Flyweight dontFragment(final boolean dontFragment)
    {
        final int word = flagsAndFragmentOffset();
        return flagsAndFragmentOffset(dontFragment ? word | FLAG_DF : word & ~FLAG_DF);
    }

    public boolean moreFragments()
    {
        return (flagsAndFragmentOffset() & FLAG_MF) != 0;
    }

    public Ipv4Flyweight moreFragments(final boolean moreFragments)
    {
        final int word = flagsAndFragmentOffset();
        return flagsAndFragmentOffset(moreFragments ? word | FLAG_MF : word & ~FLAG_MF);
    }

    /**
     * @return fragment offset in 8-byte units (RFC 791 §3.1).
     */
    public int fragmentOffset()
    {
        return flagsAndFragmentOffset() & FRAGMENT_OFFSET_MASK;
    }

    public Ipv4Flyweight fragmentOffset(final int units)
    {
        return flagsAndFragmentOffset((flagsAndFragmentOffset() & ~FRAGMENT_OFFSET_MASK) | (units & FRAGMENT_OFFSET_MASK));
    }

    /**
     * @return fragment offset in bytes.
     */
    public int fragmentOffsetBytes()
    {
        return fragmentOffset() << 3;
    }

    /**
     * @param bytes fragment offset in bytes; a multiple of 8.
     * @return this for a fluent API.
     */
    public Ipv4Flyweight fragmentOffsetBytes(final int bytes)
    {
        return fragmentOffset(bytes >>> 3);
    }

    /**
     * @return true if this datagram is a fragment: MF set or a non-zero offset.
     */
    public boolean isFragment()
    {
        return (flagsAndFragmentOffset() & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public int ttl()
    {
        return buffer.getByte(offset + TTL_OFFSET) & 0xFF;
    }

    public Ipv4Flyweight ttl(final int ttl)
    {
        buffer.putByte(offset + TTL_OFFSET, (byte)ttl);
        return this;
    }

    public int protocol()
    {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xFF;
    }

    public Ipv4Flyweight protocol(final int protocol)
    {
        buffer.putByte(offset + PROTOCOL_OFFSET, (byte)protocol);
        return this;
    }

    public int headerChecksum()
    {
        return buffer.getShort(offset + HEADER_CHECKSUM_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public Ipv4Flyweight headerChecksum(final int checksum)
    {
        buffer.putShort(offset + HEADER_CHECKSUM_OFFSET, (short)checksum, BIG_ENDIAN);
        return this;
    }

    public int srcAddress()
    {
        return buffer.getInt(offset + SRC_ADDRESS_OFFSET, BIG_ENDIAN);
    }

    public Ipv4Flyweight srcAddress(final int address)
    {
        buffer.putInt(offset + SRC_ADDRESS_OFFSET, address, BIG_ENDIAN);
        return this;
    }

    public int dstAddress()
    {
        return buffer.getInt(offset + DST_ADDRESS_OFFSET, BIG_ENDIAN);
    }

    public Ipv4Flyweight dstAddress(final int address)
    {
        buffer.putInt(offset + DST_ADDRESS_OFFSET, address, BIG_ENDIAN);
        return this;
    }

    /**
     * @return offset in the buffer of the options region.
     */
    public int optionsOffset()
    {
        return offset + OPTIONS_OFFSET;
    }

    /**
     * @return length of the options region in bytes, padding included; 0 for IHL 5.
     */
    public int optionsLength()
    {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /**
     * The header checksum as it should be, whatever the checksum field now holds (RFC 791 §3.1).
     *
     * @return the 16-bit checksum over the header and its options.
     */
    public int computeHeaderChecksum()
    {
        return InternetChecksum.complement(
            InternetChecksum.sumSkipping(buffer, offset, headerLength(), HEADER_CHECKSUM_OFFSET));
    }

    /**
     * Store {@link #computeHeaderChecksum()} in the checksum field.
     *
     * @return this for a fluent API.
     */
    public Ipv4Flyweight updateHeaderChecksum()
    {
        return headerChecksum(computeHeaderChecksum());
    }
}
