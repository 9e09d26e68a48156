package io.sixgate.core.packet;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Checks an ARP packet is an Ethernet/IPv4 request or reply (RFC 826) before the neighbour
 * stage reads it. A zero sender protocol address is allowed: it is an ARP probe (RFC 5227 §2.1.1).
 */
public final class ArpValidator
{
    private ArpValidator()
    {
    }

    /**
     * Validate an ARP packet. Never throws, never allocates.
     *
     * @param buffer holding the packet.
     * @param offset of the ARP header (after the Ethernet header).
     * @param length of the Ethernet payload in bytes; padding after the 28 bytes is ignored.
     * @return {@code null} if the packet is a well-formed Ethernet/IPv4 request or reply,
     * otherwise the reason to drop it.
     */
    public static ArpInputDropReason validate(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < ArpFlyweight.LENGTH)
        {
            return ArpInputDropReason.TRUNCATED_PACKET;
        }

        if ((buffer.getShort(offset + ArpFlyweight.HTYPE_OFFSET, BIG_ENDIAN) & 0xFFFF) != ArpFlyweight.HTYPE_ETHERNET ||
            (buffer.getByte(offset + ArpFlyweight.HLEN_OFFSET) & 0xFF) != ArpFlyweight.HLEN_ETHERNET)
        {
            return ArpInputDropReason.UNSUPPORTED_HARDWARE_TYPE;
        }

        if ((buffer.getShort(offset + ArpFlyweight.PTYPE_OFFSET, BIG_ENDIAN) & 0xFFFF) != ArpFlyweight.PTYPE_IPV4 ||
            (buffer.getByte(offset + ArpFlyweight.PLEN_OFFSET) & 0xFF) != ArpFlyweight.PLEN_IPV4)
        {
            return ArpInputDropReason.UNSUPPORTED_PROTOCOL_TYPE;
        }

        final int oper = buffer.getShort(offset + ArpFlyweight.OPER_OFFSET, BIG_ENDIAN) & 0xFFFF;
        if (oper != ArpFlyweight.OPER_REQUEST && oper != ArpFlyweight.OPER_REPLY)
        {
            return ArpInputDropReason.UNSUPPORTED_OPERATION;
        }

        if ((buffer.getByte(offset + ArpFlyweight.SHA_OFFSET) & 0x01) != 0)
        {
            return ArpInputDropReason.GROUP_SENDER_MAC;
        }

        return null;
    }
}
