package io.sixgate.core.packet;

import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Flyweight over an ICMPv6 header (RFC 4443 §2.1). As for ICMPv4, the second 32-bit word has
 * one accessor per meaning: identifier and sequence for echo (§4), the MTU of Packet Too Big
 * (§3.2), the pointer of Parameter Problem (§3.4), and the RFC 4884 §4.2 length of the original
 * datagram in 64-bit words for Destination Unreachable and Time Exceeded. The checksum covers
 * the IPv6 pseudo-header (RFC 4443 §2.3, see {@link InternetChecksum}).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Identifier          |        Sequence Number        |  echo
 * |                              MTU                              |  packet too big
 * |                            Pointer                            |  parameter problem
 * |    Length     |                    unused                     |  unreachable, time exceeded
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Message body ...                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Icmpv6Flyweight
{
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int REST_OF_HEADER_OFFSET = 4;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_NUMBER_OFFSET = 6;
    public static final int MTU_OFFSET = 4;
    public static final int POINTER_OFFSET = 4;
    /** RFC 4884 §4.2: length of the original datagram in 64-bit words. */
    public static final int LENGTH_OFFSET = 4;
    public static final int HEADER_LENGTH = 8;

    public static final int TYPE_DESTINATION_UNREACHABLE = 1;
    public static final int TYPE_PACKET_TOO_BIG = 2;
    public static final int TYPE_TIME_EXCEEDED = 3;
    public static final int TYPE_PARAMETER_PROBLEM = 4;
    public static final int TYPE_ECHO_REQUEST = 128;
    public static final int TYPE_ECHO_REPLY = 129;
    public static final int TYPE_MLD_QUERY = 130;
    public static final int TYPE_MLD_REPORT = 131;
    public static final int TYPE_MLD_DONE = 132;
    /** RFC 4861 §4.1. */
    public static final int TYPE_ROUTER_SOLICITATION = 133;
    /** RFC 4861 §4.2. */
    public static final int TYPE_ROUTER_ADVERTISEMENT = 134;
    /** RFC 4861 §4.3. */
    public static final int TYPE_NEIGHBOR_SOLICITATION = 135;
    /** RFC 4861 §4.4. */
    public static final int TYPE_NEIGHBOR_ADVERTISEMENT = 136;
    /** RFC 4861 §4.5. */
    public static final int TYPE_REDIRECT = 137;
    /** RFC 3810 §5.2. */
    public static final int TYPE_MLDV2_REPORT = 143;

    public static final int CODE_NO_ROUTE = 0;
    public static final int CODE_ADMINISTRATIVELY_PROHIBITED = 1;
    public static final int CODE_BEYOND_SCOPE = 2;
    public static final int CODE_ADDRESS_UNREACHABLE = 3;
    public static final int CODE_PORT_UNREACHABLE = 4;
    public static final int CODE_SOURCE_POLICY_FAILED = 5;
    public static final int CODE_REJECT_ROUTE = 6;
    public static final int CODE_HOP_LIMIT_EXCEEDED = 0;
    public static final int CODE_FRAGMENT_REASSEMBLY_TIME_EXCEEDED = 1;
    public static final int CODE_ERRONEOUS_HEADER_FIELD = 0;
    public static final int CODE_UNRECOGNIZED_NEXT_HEADER = 1;
    public static final int CODE_UNRECOGNIZED_OPTION = 2;
    /** RFC 7112 §6: first fragment lacks the upper-layer header. */
    public static final int CODE_INCOMPLETE_HEADER_CHAIN = 3;

    private MutableDirectBuffer buffer;
    private int offset;

    public Icmpv6Flyweight wrap(final MutableDirectBuffer buffer, final int offset)
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
     * @return offset in the buffer of the message body after the 8-byte header.
     */
    public int payloadOffset()
    {
        return offset + HEADER_LENGTH;
    }

    public int type()
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    public Icmpv6Flyweight type(final int type)
    {
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        return this;
    }

    public int code()
    {
        return buffer.getByte(offset + CODE_OFFSET) & 0xFF;
    }

    public Icmpv6Flyweight code(final int code)
    {
        buffer.putByte(offset + CODE_OFFSET, (byte)code);
        return this;
    }

    public int checksum()
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public Icmpv6Flyweight checksum(final int checksum)
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

    public Icmpv6Flyweight restOfHeader(final int word)
    {
        buffer.putInt(offset + REST_OF_HEADER_OFFSET, word, BIG_ENDIAN);
        return this;
    }

    public int identifier()
    {
        return buffer.getShort(offset + IDENTIFIER_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public Icmpv6Flyweight identifier(final int identifier)
    {
        buffer.putShort(offset + IDENTIFIER_OFFSET, (short)identifier, BIG_ENDIAN);
        return this;
    }

    public int sequenceNumber()
    {
        return buffer.getShort(offset + SEQUENCE_NUMBER_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public Icmpv6Flyweight sequenceNumber(final int sequenceNumber)
    {
        buffer.putShort(offset + SEQUENCE_NUMBER_OFFSET, (short)sequenceNumber, BIG_ENDIAN);
        return this;
    }

    /**
     * @return the MTU of a Packet Too Big message (RFC 4443 §3.2), a full 32-bit field.
     */
    public long mtu()
    {
        return buffer.getInt(offset + MTU_OFFSET, BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    public Icmpv6Flyweight mtu(final long mtu)
    {
        buffer.putInt(offset + MTU_OFFSET, (int)mtu, BIG_ENDIAN);
        return this;
    }

    /**
     * @return the octet offset of the error in a Parameter Problem message (RFC 4443 §3.4),
     * a full 32-bit field.
     */
    public long pointer()
    {
        return buffer.getInt(offset + POINTER_OFFSET, BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    public Icmpv6Flyweight pointer(final long pointer)
    {
        buffer.putInt(offset + POINTER_OFFSET, (int)pointer, BIG_ENDIAN);
        return this;
    }

    /**
     * @return the RFC 4884 §4.2 length of the original datagram in 64-bit words (0: legacy).
     */
    public int length()
    {
        return buffer.getByte(offset + LENGTH_OFFSET) & 0xFF;
    }

    public Icmpv6Flyweight length(final int words)
    {
        buffer.putByte(offset + LENGTH_OFFSET, (byte)words);
        return this;
    }

    /**
     * @param type an ICMPv6 type.
     * @return true for error messages, types 0 to 127 (RFC 4443 §2.1).
     */
    public static boolean isError(final int type)
    {
        return type < 128;
    }
}
