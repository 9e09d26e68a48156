package io.sixgate.core.packet;

import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Flyweight over an ARP packet for IPv4 over Ethernet (RFC 826), the only combination the
 * gateway speaks: hardware addresses are 6 bytes and protocol addresses 4, so every field has
 * a fixed offset.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Hardware Type (htype)    |     Protocol Type (ptype)     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  hlen (6)     |   plen (4)    |        Operation (oper)       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Sender Hardware Address (sha)                  |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |       Sender Protocol Address (spa)                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                Target Hardware Address (tha)                  |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |       Target Protocol Address (tpa)                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ArpFlyweight
{
    public static final int HTYPE_OFFSET = 0;
    public static final int PTYPE_OFFSET = 2;
    public static final int HLEN_OFFSET = 4;
    public static final int PLEN_OFFSET = 5;
    public static final int OPER_OFFSET = 6;
    public static final int SHA_OFFSET = 8;
    public static final int SPA_OFFSET = 14;
    public static final int THA_OFFSET = 18;
    public static final int TPA_OFFSET = 24;
    /** Length of an Ethernet/IPv4 ARP packet. */
    public static final int LENGTH = 28;

    /** ares_hrd$Ethernet (RFC 826, IANA "Hardware Types"). */
    public static final int HTYPE_ETHERNET = 1;
    /** The protocol type is an EtherType (RFC 826). */
    public static final int PTYPE_IPV4 = EthernetFlyweight.ETHERTYPE_IPV4;
    public static final int HLEN_ETHERNET = 6;
    public static final int PLEN_IPV4 = 4;
    public static final int OPER_REQUEST = 1;
    public static final int OPER_REPLY = 2;

    private MutableDirectBuffer buffer;
    private int offset;

    public ArpFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
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

    public int htype()
    {
        return buffer.getShort(offset + HTYPE_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public ArpFlyweight htype(final int htype)
    {
        buffer.putShort(offset + HTYPE_OFFSET, (short)htype, BIG_ENDIAN);
        return this;
    }

    public int ptype()
    {
        return buffer.getShort(offset + PTYPE_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public ArpFlyweight ptype(final int ptype)
    {
        buffer.putShort(offset + PTYPE_OFFSET, (short)ptype, BIG_ENDIAN);
        return this;
    }

    public int hlen()
    {
        return buffer.getByte(offset + HLEN_OFFSET) & 0xFF;
    }

    public ArpFlyweight hlen(final int hlen)
    {
        buffer.putByte(offset + HLEN_OFFSET, (byte)hlen);
        return this;
    }

    public int plen()
    {
        return buffer.getByte(offset + PLEN_OFFSET) & 0xFF;
    }

    public ArpFlyweight plen(final int plen)
    {
        buffer.putByte(offset + PLEN_OFFSET, (byte)plen);
        return this;
    }

    public int oper()
    {
        return buffer.getShort(offset + OPER_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public ArpFlyweight oper(final int oper)
    {
        buffer.putShort(offset + OPER_OFFSET, (short)oper, BIG_ENDIAN);
        return this;
    }

    public long sha()
    {
        return EthernetFlyweight.readMac(buffer, offset + SHA_OFFSET);
    }

    public ArpFlyweight sha(final long mac)
    {
        EthernetFlyweight.writeMac(buffer, offset + SHA_OFFSET, mac);
        return this;
    }

    public int spa()
    {
        return buffer.getInt(offset + SPA_OFFSET, BIG_ENDIAN);
    }

    public ArpFlyweight spa(final int address)
    {
        buffer.putInt(offset + SPA_OFFSET, address, BIG_ENDIAN);
        return this;
    }

    public long tha()
    {
        return EthernetFlyweight.readMac(buffer, offset + THA_OFFSET);
    }

    public ArpFlyweight tha(final long mac)
    {
        EthernetFlyweight.writeMac(buffer, offset + THA_OFFSET, mac);
        return this;
    }

    public int tpa()
    {
        return buffer.getInt(offset + TPA_OFFSET, BIG_ENDIAN);
    }

    public ArpFlyweight tpa(final int address)
    {
        buffer.putInt(offset + TPA_OFFSET, address, BIG_ENDIAN);
        return this;
    }

    /**
     * Write the fixed Ethernet/IPv4 preamble: htype, ptype, hlen and plen.
     *
     * @return this for a fluent API.
     */
    public ArpFlyweight ethernetIpv4()
    {
        return htype(HTYPE_ETHERNET).ptype(PTYPE_IPV4).hlen(HLEN_ETHERNET).plen(PLEN_IPV4);
    }
}
