package io.sixgate.core.packet;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Flyweight over a Neighbor Discovery message (RFC 4861 §4), wrapped at its ICMPv6 header with
 * the message length so that options can be walked without reading past the end. Type, code and
 * checksum are the ICMPv6 ones ({@link Icmpv6Flyweight}); this class adds the target address and
 * R/S/O flags of Neighbor Solicitation and Advertisement, and the options of every ND message.
 *
 * <pre>
 * Neighbor Solicitation (135) and Neighbor Advertisement (136):
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|S|O|                     Reserved                            |  (NS: all reserved)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +                       Target Address                          +
 * |                                                               |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |   Options ...
 * +-+-+-+-+-+-+-+-+-+-+-+-
 *
 * Option (RFC 4861 §4.6), Length in units of 8 octets, type and length included:
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |    Length     |    Link-Layer Address ...     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Options are walked with a cursor of absolute offsets:
 * <pre>
 * for (int o = ndp.firstOption(); o != NdpFlyweight.NO_OPTION; o = ndp.nextOption(o))
 * {
 *     switch (ndp.optionType(o)) ...
 * }
 * </pre>
 * The walk stops at the end of the message, at an option that would run past it, and at an
 * option whose length is zero; {@link #hasValidOptions()} tells the last two apart from a clean
 * end, because RFC 4861 §4.6 makes a zero-length option a reason to discard the packet.
 */
public final class NdpFlyweight
{
    public static final int FLAGS_OFFSET = 4;
    public static final int TARGET_ADDRESS_OFFSET = 8;
    /** Options of NS and NA start after the target address. */
    public static final int NEIGHBOR_OPTIONS_OFFSET = 24;
    /** Length of an NS or NA without options (RFC 4861 §7.1.1: at least 24 octets). */
    public static final int NEIGHBOR_MESSAGE_LENGTH = 24;
    public static final int ROUTER_SOLICITATION_OPTIONS_OFFSET = 8;
    public static final int ROUTER_ADVERTISEMENT_OPTIONS_OFFSET = 16;
    public static final int REDIRECT_OPTIONS_OFFSET = 40;

    /** NA Router flag (RFC 4861 §4.4). */
    public static final int FLAG_ROUTER = 0x80;
    /** NA Solicited flag (RFC 4861 §4.4). */
    public static final int FLAG_SOLICITED = 0x40;
    /** NA Override flag (RFC 4861 §4.4). */
    public static final int FLAG_OVERRIDE = 0x20;

    public static final int OPTION_TYPE_OFFSET = 0;
    public static final int OPTION_LENGTH_OFFSET = 1;
    public static final int OPTION_LINK_LAYER_ADDRESS_OFFSET = 2;
    public static final int OPTION_SOURCE_LINK_LAYER_ADDRESS = 1;
    public static final int OPTION_TARGET_LINK_LAYER_ADDRESS = 2;
    public static final int OPTION_PREFIX_INFORMATION = 3;
    public static final int OPTION_REDIRECTED_HEADER = 4;
    public static final int OPTION_MTU = 5;
    /** A link-layer address option for Ethernet is one 8-octet unit (RFC 4861 §4.6.1). */
    public static final int LINK_LAYER_ADDRESS_OPTION_LENGTH = 8;

    /** Returned by the option cursor when there is no (further) option. */
    public static final int NO_OPTION = -1;
    /** Returned by the link-layer address getters when the option is absent. */
    public static final long NO_LINK_LAYER_ADDRESS = -1L;

    private MutableDirectBuffer buffer;
    private int offset;
    private int length;

    /**
     * Point this flyweight at an ND message.
     *
     * @param buffer holding the message.
     * @param offset of its ICMPv6 header.
     * @param length of the ICMPv6 message in bytes.
     * @return this for a fluent API.
     */
    public NdpFlyweight wrap(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
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

    public int length()
    {
        return length;
    }

    public int type()
    {
        return buffer.getByte(offset + Icmpv6Flyweight.TYPE_OFFSET) & 0xFF;
    }

    public long targetHigh()
    {
        return buffer.getLong(offset + TARGET_ADDRESS_OFFSET, BIG_ENDIAN);
    }

    public long targetLow()
    {
        return buffer.getLong(offset + TARGET_ADDRESS_OFFSET + 8, BIG_ENDIAN);
    }

    public NdpFlyweight target(final long high, final long low)
    {
        buffer.putLong(offset + TARGET_ADDRESS_OFFSET, high, BIG_ENDIAN);
        buffer.putLong(offset + TARGET_ADDRESS_OFFSET + 8, low, BIG_ENDIAN);
        return this;
    }

    public void getTarget(final MutableDirectBuffer dst, final int dstOffset)
    {
        buffer.getBytes(offset + TARGET_ADDRESS_OFFSET, dst, dstOffset, Ipv6Flyweight.ADDRESS_LENGTH);
    }

    public NdpFlyweight putTarget(final DirectBuffer src, final int srcOffset)
    {
        buffer.putBytes(offset + TARGET_ADDRESS_OFFSET, src, srcOffset, Ipv6Flyweight.ADDRESS_LENGTH);
        return this;
    }

    /**
     * @return the 32-bit word after the checksum: NA flags in the top octet, otherwise reserved.
     */
    public int flagsWord()
    {
        return buffer.getInt(offset + FLAGS_OFFSET, BIG_ENDIAN);
    }

    public NdpFlyweight flagsWord(final int word)
    {
        buffer.putInt(offset + FLAGS_OFFSET, word, BIG_ENDIAN);
        return this;
    }

    private boolean flag(final int mask)
    {
        return (buffer.getByte(offset + FLAGS_OFFSET) & mask) != 0;
    }

    private NdpFlyweight flag(final int mask, final boolean value)
    {
        final int index = offset + FLAGS_OFFSET;
        final int octet = buffer.getByte(index) & 0xFF;
        buffer.putByte(index, (byte)(value ? octet | mask : octet & ~mask));
        return this;
    }

    public boolean routerFlag()
    {
        return flag(FLAG_ROUTER);
    }

    public NdpFlyweight routerFlag(final boolean value)
    {
        return flag(FLAG_ROUTER, value);
    }

    public boolean solicitedFlag()
    {
        return flag(FLAG_SOLICITED);
    }

    public NdpFlyweight solicitedFlag(final boolean value)
    {
        return flag(FLAG_SOLICITED, value);
    }

    public boolean overrideFlag()
    {
        return flag(FLAG_OVERRIDE);
    }

    public NdpFlyweight overrideFlag(final boolean value)
    {
        return flag(FLAG_OVERRIDE, value);
    }

    /**
     * @return offset in the buffer where options start for this message's type, or
     * {@link #NO_OPTION} for a type that is not an ND message.
     */
    public int optionsOffset()
    {
        switch (type())
        {
            case Icmpv6Flyweight.TYPE_ROUTER_SOLICITATION:
                return offset + ROUTER_SOLICITATION_OPTIONS_OFFSET;

            case Icmpv6Flyweight.TYPE_ROUTER_ADVERTISEMENT:
                return offset + ROUTER_ADVERTISEMENT_OPTIONS_OFFSET;

            case Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION:
            case Icmpv6Flyweight.TYPE_NEIGHBOR_ADVERTISEMENT:
                return offset + NEIGHBOR_OPTIONS_OFFSET;

            case Icmpv6Flyweight.TYPE_REDIRECT:
                return offset + REDIRECT_OPTIONS_OFFSET;

            default:
                return NO_OPTION;
        }
    }

    /**
     * @return absolute offset of the first whole, non-empty option, or {@link #NO_OPTION}.
     */
    public int firstOption()
    {
        final int first = optionsOffset();
        return NO_OPTION == first ? NO_OPTION : checkedOption(first);
    }

    /**
     * @param optionOffset an offset returned by {@link #firstOption()} or this method.
     * @return absolute offset of the following whole, non-empty option, or {@link #NO_OPTION}.
     */
    public int nextOption(final int optionOffset)
    {
        return checkedOption(optionOffset + optionLengthBytes(optionOffset));
    }

    public int optionType(final int optionOffset)
    {
        return buffer.getByte(optionOffset + OPTION_TYPE_OFFSET) & 0xFF;
    }

    /**
     * @param optionOffset absolute offset of an option.
     * @return the option's length in bytes (its Length field times 8).
     */
    public int optionLengthBytes(final int optionOffset)
    {
        return (buffer.getByte(optionOffset + OPTION_LENGTH_OFFSET) & 0xFF) << 3;
    }

    /**
     * Walk every option and check it: RFC 4861 §4.6 says an ND message with a zero-length option
     * must be discarded, and an option cannot run past the message.
     *
     * @return true if the options tile the rest of the message exactly.
     */
    public boolean hasValidOptions()
    {
        int position = optionsOffset();
        if (NO_OPTION == position)
        {
            return false;
        }

        final int end = offset + length;
        while (position < end)
        {
            if (end - position < 2)
            {
                return false;
            }
            final int optionLength = optionLengthBytes(position);
            if (0 == optionLength || optionLength > end - position)
            {
                return false;
            }
            position += optionLength;
        }

        return position == end;
    }

    /**
     * @return the Ethernet address in the Source Link-Layer Address option (RFC 4861 §4.6.1),
     * or {@link #NO_LINK_LAYER_ADDRESS}.
     */
    public long sourceLinkLayerAddress()
    {
        return linkLayerAddress(OPTION_SOURCE_LINK_LAYER_ADDRESS);
    }

    /**
     * @return the Ethernet address in the Target Link-Layer Address option (RFC 4861 §4.6.1),
     * or {@link #NO_LINK_LAYER_ADDRESS}.
     */
    public long targetLinkLayerAddress()
    {
        return linkLayerAddress(OPTION_TARGET_LINK_LAYER_ADDRESS);
    }

    /**
     * Write an Ethernet link-layer address option at a given offset; the caller sizes the
     * message.
     *
     * @param optionOffset absolute offset where the option goes.
     * @param optionType   {@link #OPTION_SOURCE_LINK_LAYER_ADDRESS} or
     *                     {@link #OPTION_TARGET_LINK_LAYER_ADDRESS}.
     * @param mac          the address in the low 48 bits.
     * @return offset just after the option, where the next one may go.
     */
    public int putLinkLayerAddressOption(final int optionOffset, final int optionType, final long mac)
    {
        buffer.putByte(optionOffset + OPTION_TYPE_OFFSET, (byte)optionType);
        buffer.putByte(optionOffset + OPTION_LENGTH_OFFSET, (byte)(LINK_LAYER_ADDRESS_OPTION_LENGTH >>> 3));
        EthernetFlyweight.writeMac(buffer, optionOffset + OPTION_LINK_LAYER_ADDRESS_OFFSET, mac);
        return optionOffset + LINK_LAYER_ADDRESS_OPTION_LENGTH;
    }

    private long linkLayerAddress(final int wantedType)
    {
        for (int o = firstOption(); o != NO_OPTION; o = nextOption(o))
        {
            if (optionType(o) == wantedType && optionLengthBytes(o) >= LINK_LAYER_ADDRESS_OPTION_LENGTH)
            {
                return EthernetFlyweight.readMac(buffer, o + OPTION_LINK_LAYER_ADDRESS_OFFSET);
            }
        }

        return NO_LINK_LAYER_ADDRESS;
    }

    private int checkedOption(final int optionOffset)
    {
        final int remaining = offset + length - optionOffset;
        if (remaining < 2)
        {
            return NO_OPTION;
        }
        final int optionLength = optionLengthBytes(optionOffset);
        if (0 == optionLength || optionLength > remaining)
        {
            return NO_OPTION;
        }
        return optionOffset;
    }
}
