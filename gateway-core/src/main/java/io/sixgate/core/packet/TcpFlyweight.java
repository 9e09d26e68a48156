package io.sixgate.core.packet;

import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Flyweight over a TCP header (RFC 9293 §3.1). Sequence and acknowledgment numbers are
 * returned as raw {@code int}s: they are compared modulo 2^32 (RFC 9293 §3.4), e.g.
 * {@code (a - b) < 0}, never as magnitudes.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           [Options]                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class TcpFlyweight
{
    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int SEQUENCE_NUMBER_OFFSET = 4;
    public static final int ACKNOWLEDGMENT_NUMBER_OFFSET = 8;
    /** Data offset is the high nibble of this octet. */
    public static final int DATA_OFFSET_FIELD_OFFSET = 12;
    public static final int FLAGS_OFFSET = 13;
    public static final int WINDOW_OFFSET = 14;
    public static final int CHECKSUM_OFFSET = 16;
    public static final int URGENT_POINTER_OFFSET = 18;
    public static final int OPTIONS_OFFSET = 20;

    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;
    /** Data offset of a header without options, in 32-bit words. */
    public static final int MIN_DATA_OFFSET = 5;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    /** ECN-Echo (RFC 3168 §6.1). */
    public static final int ECE = 0x40;
    /** Congestion Window Reduced (RFC 3168 §6.1). */
    public static final int CWR = 0x80;

    private MutableDirectBuffer buffer;
    private int offset;

    public TcpFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
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

    public int srcPort()
    {
        return buffer.getShort(offset + SRC_PORT_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public TcpFlyweight srcPort(final int port)
    {
        buffer.putShort(offset + SRC_PORT_OFFSET, (short)port, BIG_ENDIAN);
        return this;
    }

    public int dstPort()
    {
        return buffer.getShort(offset + DST_PORT_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public TcpFlyweight dstPort(final int port)
    {
        buffer.putShort(offset + DST_PORT_OFFSET, (short)port, BIG_ENDIAN);
        return this;
    }

    public int sequenceNumber()
    {
        return buffer.getInt(offset + SEQUENCE_NUMBER_OFFSET, BIG_ENDIAN);
    }

    public TcpFlyweight sequenceNumber(final int sequenceNumber)
    {
        buffer.putInt(offset + SEQUENCE_NUMBER_OFFSET, sequenceNumber, BIG_ENDIAN);
        return this;
    }

    public int acknowledgmentNumber()
    {
        return buffer.getInt(offset + ACKNOWLEDGMENT_NUMBER_OFFSET, BIG_ENDIAN);
    }

    public TcpFlyweight acknowledgmentNumber(final int acknowledgmentNumber)
    {
        buffer.putInt(offset + ACKNOWLEDGMENT_NUMBER_OFFSET, acknowledgmentNumber, BIG_ENDIAN);
        return this;
    }

    /**
     * @return header length in 32-bit words.
     */
    public int dataOffset()
    {
        return (buffer.getByte(offset + DATA_OFFSET_FIELD_OFFSET) & 0xF0) >>> 4;
    }

    /**
     * Set the data offset, keeping the reserved bits that share its octet.
     *
     * @param words header length in 32-bit words.
     * @return this for a fluent API.
     */
    public TcpFlyweight dataOffset(final int words)
    {
        final int index = offset + DATA_OFFSET_FIELD_OFFSET;
        buffer.putByte(index, (byte)((words << 4) | (buffer.getByte(index) & 0x0F)));
        return this;
    }

    /**
     * @return header length in bytes, options included.
     */
    public int headerLength()
    {
        return dataOffset() << 2;
    }

    /**
     * @return offset in the buffer of the first data byte.
     */
    public int payloadOffset()
    {
        return offset + headerLength();
    }

    /**
     * @return offset in the buffer of the options region.
     */
    public int optionsOffset()
    {
        return offset + OPTIONS_OFFSET;
    }

    /**
     * @return length of the options region in bytes.
     */
    public int optionsLength()
    {
        return headerLength() - MIN_HEADER_LENGTH;
    }

    /**
     * @return the eight control bits CWR..FIN; test with {@link #FIN}, {@link #SYN} and friends.
     */
    public int flags()
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    public TcpFlyweight flags(final int flags)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        return this;
    }

    /**
     * @param mask one or more flag bits.
     * @return true if every bit in the mask is set.
     */
    public boolean hasFlags(final int mask)
    {
        return (flags() & mask) == mask;
    }

    public int window()
    {
        return buffer.getShort(offset + WINDOW_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public TcpFlyweight window(final int window)
    {
        buffer.putShort(offset + WINDOW_OFFSET, (short)window, BIG_ENDIAN);
        return this;
    }

    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public TcpFlyweight checksum(final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, BIG_ENDIAN);
        return this;
    }

    public int urgentPointer()
    {
        return buffer.getShort(offset + URGENT_POINTER_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public TcpFlyweight urgentPointer(final int urgentPointer)
    {
        buffer.putShort(offset + URGENT_POINTER_OFFSET, (short)urgentPointer, BIG_ENDIAN);
        return this;
    }
}
