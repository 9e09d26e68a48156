package io.sixgate.core.packet;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Flyweight over an Ethernet II header (IEEE 802.3 §3.1.1, type interpretation of the
 * Length/Type field). MAC addresses are handled as the low 48 bits of a {@code long}, first
 * transmitted octet most significant, so they can be keys in off-heap tables without copying.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination MAC address                    |
 * +                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                               |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               +
 * |                       Source MAC address                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           EtherType           |  payload ...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class EthernetFlyweight
{
    public static final int DST_MAC_OFFSET = 0;
    public static final int SRC_MAC_OFFSET = 6;
    public static final int ETHERTYPE_OFFSET = 12;
    public static final int HEADER_LENGTH = 14;
    public static final int MAC_LENGTH = 6;

    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_VLAN = 0x8100;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    /** IEEE 802.1ad service tag (Q-in-Q). */
    public static final int ETHERTYPE_QINQ = 0x88A8;
    /** Values below this are an IEEE 802.3 length, not an EtherType (IEEE 802.3 §3.2.6). */
    public static final int ETHERTYPE_MIN = 0x0600;

    public static final long BROADCAST_MAC = 0xFFFF_FFFF_FFFFL;

    private MutableDirectBuffer buffer;
    private int offset;

    /**
     * Point this flyweight at a header.
     *
     * @param buffer holding the frame.
     * @param offset of the first byte of the frame.
     * @return this for a fluent API.
     */
    public EthernetFlyweight wrap(final MutableDirectBuffer buffer, final int offset)
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
     * @return offset in the buffer of the first byte after the header.
     */
    public int payloadOffset()
    {
        return offset + HEADER_LENGTH;
    }

    public long dstMac()
    {
        return readMac(buffer, offset + DST_MAC_OFFSET);
    }

    public EthernetFlyweight dstMac(final long mac)
    {
        writeMac(buffer, offset + DST_MAC_OFFSET, mac);
        return this;
    }

    public long srcMac()
    {
        return readMac(buffer, offset + SRC_MAC_OFFSET);
    }

    public EthernetFlyweight srcMac(final long mac)
    {
        writeMac(buffer, offset + SRC_MAC_OFFSET, mac);
        return this;
    }

    /**
     * Copy the destination MAC's six bytes into another buffer.
     *
     * @param dst       buffer to copy into.
     * @param dstOffset where the six bytes go.
     */
    public void getDstMac(final MutableDirectBuffer dst, final int dstOffset)
    {
        buffer.getBytes(offset + DST_MAC_OFFSET, dst, dstOffset, MAC_LENGTH);
    }

    /**
     * Copy six bytes from another buffer into the destination MAC.
     *
     * @param src       buffer to copy from.
     * @param srcOffset of the six bytes.
     * @return this for a fluent API.
     */
    public EthernetFlyweight putDstMac(final DirectBuffer src, final int srcOffset)
    {
        buffer.putBytes(offset + DST_MAC_OFFSET, src, srcOffset, MAC_LENGTH);
        return this;
    }

    public void getSrcMac(final MutableDirectBuffer dst, final int dstOffset)
    {
        buffer.getBytes(offset + SRC_MAC_OFFSET, dst, dstOffset, MAC_LENGTH);
    }

    public EthernetFlyweight putSrcMac(final DirectBuffer src, final int srcOffset)
    {
        buffer.putBytes(offset + SRC_MAC_OFFSET, src, srcOffset, MAC_LENGTH);
        return this;
    }

    public int etherType()
    {
        return buffer.getShort(offset + ETHERTYPE_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    public EthernetFlyweight etherType(final int etherType)
    {
        buffer.putShort(offset + ETHERTYPE_OFFSET, (short)etherType, BIG_ENDIAN);
        return this;
    }

    /**
     * Read a 48-bit MAC address.
     *
     * @param buffer holding the address.
     * @param index  of its first byte.
     * @return the address in the low 48 bits.
     */
    public static long readMac(final DirectBuffer buffer, final int index)
    {
        return ((buffer.getInt(index, BIG_ENDIAN) & 0xFFFF_FFFFL) << 16) |
            (buffer.getShort(index + 4, BIG_ENDIAN) & 0xFFFFL);
    }

    /**
     * Write a 48-bit MAC address.
     *
     * @param buffer to write into.
     * @param index  of the first byte.
     * @param mac    the address in the low 48 bits.
     */
    public static void writeMac(final MutableDirectBuffer buffer, final int index, final long mac)
    {
        buffer.putInt(index, (int)(mac >>> 16), BIG_ENDIAN);
        buffer.putShort(index + 4, (short)mac, BIG_ENDIAN);
    }

    /**
     * The I/G bit, the least significant bit of the first octet (IEEE 802 §8.2): set for group
     * (multicast and broadcast) addresses.
     *
     * @param mac the address in the low 48 bits.
     * @return true for multicast or broadcast.
     */
    public static boolean isGroupMac(final long mac)
    {
        return ((mac >>> 40) & 1) != 0;
    }
}
