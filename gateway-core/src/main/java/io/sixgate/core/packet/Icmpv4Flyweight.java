package io.sixgate.core.packet;

import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Flyweight over an ICMPv4 header (RFC 792). The second 32-bit word means different things
 * per type, so it has one accessor per meaning: identifier and sequence for echo, next-hop MTU
 * for Fragmentation Needed (RFC 1191 §4), the pointer for Parameter Problem, and the RFC 4884
 * length of the original datagram for Destination Unreachable, Time Exceeded and Parameter
 * Problem.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |  echo
 * |    unused     |    Length     |          Next-Hop MTU         |  dest. unreachable
 * |    Pointer    |    Length     |            unused             |  parameter problem
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Data (echo) or Internet Header + leading octets (errors)  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Icmpv4Flyweight
{
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int REST_OF_HEADER_OFFSET = 4;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_NUMBER_OFFSET = 6;
    public static final int POINTER_OFFSET = 4;
    /** RFC 4884 §4.1: length of the original datagram in 32-bit words. */
    public static final int LENGTH_OFFSET = 5;
    public static final int NEXT_HOP_MTU_OFFSET = 6;
    public static final int HEADER_LENGTH = 8;

    public static final int TYPE_ECHO_REPLY = 0;
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;
    public static final int TYPE_SOURCE_QUENCH = 4;
    public static final int TYPE_REDIRECT = 5;
    public static final int TYPE_ECHO_REQUEST = 8;
    public static final int TYPE_ROUTER_ADVERTISEMENT = 9;
    public static final int TYPE_ROUTER_SOLICITATION = 10;
    public static final int TYPE_TIME_EXCEEDED = 11;
    public static final int TYPE_PARAMETER_PROBLEM = 12;
    public static final int TYPE_TIMESTAMP = 13;
    public static final int TYPE_TIMESTAMP_REPLY = 14;

    public static final int CODE_NET_UNREACHABLE = 0;
    public static final int CODE_HOST_UNREACHABLE = 1;
    public static final int CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int CODE_PORT_UNREACHABLE = 3;
    public static final int CODE_FRAGMENTATION_NEEDED = 4;
    public static final int CODE_SOURCE_ROUTE_FAILED = 5;
    public static final int CODE_NET_PROHIBITED = 9;
    public static final int CODE_HOST_PROHIBITED = 10;
    /** RFC 1812 §5.2.7.1. */
    public static final int CODE_ADMINISTRATIVELY_PROHIBITED = 13;
    public static final int CODE_TTL_EXCEEDED = 0;
    public static final int CODE_FRAGMENT_REASSEMBLY_TIME_EXCEEDED = 1;
    public static final int CODE_POINTER_INDICATES_ERROR = 0;
    public static final int CODE_BAD_LENGTH = 2;

    private MutableDirectBuffer buffer;
    private int offset;

    public Icmpv4Flyweight wrap(final MutableDirectBuffer buffer, final int offset)
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
     * @return offset in the buffer of the data after the 8-byte header (for errors: the
     * original datagram).
     */
    public int payloadOffset()
    {
        return offset + HEADER_LENGTH;
    }

    public int type()
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    public Icmpv4Flyweight type(final int type)
    {
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        return this;
    }

    public int code()
    {
        return buffer.getByte(offset + CODE_OFFSET) & 0xFF;
    }

    public Icmpv4Flyweight code(final int code)
    {
        buffer.putByte(offset + CODE_OFFSET, (byte)code);
        return this;
    }

    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public Icmpv4Flyweight checksum(final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, BIG_ENDIAN);
        return this;
    }

    /**
     * @return the whole second 32-bit word, whatever the type makes of it.
     */
    public int restOfHeader()
    {
        return buffer.getInt(offset + REST_OF_HEADER_OFFSET, BIG_ENDIAN);
    }

    public Icmpv4Flyweight restOfHeader(final int word)
    {
        buffer.putInt(offset + REST_OF_HEADER_OFFSET, word, BIG_ENDIAN);
        return this;
    }

    public int identifier()
    {
        return buffer.getShort(offset + IDENTIFIER_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public Icmpv4Flyweight identifier(final int identifier)
    {
        buffer.putShort(offset + IDENTIFIER_OFFSET, (short)identifier, BIG_ENDIAN);
        return this;
    }

    public int sequenceNumber()
    {
        return buffer.getShort(offset + SEQUENCE_NUMBER_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public Icmpv4Flyweight sequenceNumber(final int sequenceNumber)
    {
        buffer.putShort(offset + SEQUENCE_NUMBER_OFFSET, (short)sequenceNumber, BIG_ENDIAN);
        return this;
    }

    /**
     * @return the next-hop MTU of a Fragmentation Needed message (RFC 1191 §4).
     */
    public int nextHopMtu()
    {
        return buffer.getShort(offset + NEXT_HOP_MTU_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public Icmpv4Flyweight nextHopMtu(final int mtu)
    {
        buffer.putShort(offset + NEXT_HOP_MTU_OFFSET, (short)mtu, BIG_ENDIAN);
        return this;
    }

    /**
     * @return the octet offset of the error in a Parameter Problem message (RFC 792).
     */
    public int pointer()
    {
        return buffer.getByte(offset + POINTER_OFFSET) & 0xFF;
    }

    public Icmpv4Flyweight pointer(final int pointer)
    {
        buffer.putByte(offset + POINTER_OFFSET, (byte)pointer);
        return this;
    }

    /**
     * @return the RFC 4884 §4.1 length of the original datagram in 32-bit words (0: no
     * extension structure, the legacy format).
     */
    public int length()
    {
        return buffer.getByte(offset + LENGTH_OFFSET) & 0xFF;
    }

    public Icmpv4Flyweight length(final int words)
    {
        buffer.putByte(offset + LENGTH_OFFSET, (byte)words);
        return this;
    }

    /**
     * @param type an ICMPv4 type.
     * @return true for the error messages that quote an original datagram (RFC 1812 §4.3.2.3).
     */
    public static boolean isError(final int type)
    {
        switch (type)
        {
            case TYPE_DESTINATION_UNREACHABLE:
            case TYPE_SOURCE_QUENCH:
            case TYPE_REDIRECT:
            case TYPE_TIME_EXCEEDED:
            case TYPE_PARAMETER_PROBLEM:
                return true;

            default:
                return false;
        }
    }
}
