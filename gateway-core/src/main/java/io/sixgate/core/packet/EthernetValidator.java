package io.sixgate.core.packet;

import org.agrona.DirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Checks an Ethernet II header before anything reads it. Whether the destination MAC is ours is
 * not checked here: that needs the port's address and is the l2-input stage's decision.
 */
public final class EthernetValidator
{
    private EthernetValidator()
    {
    }

    /**
     * Validate the header of a received frame. Never throws, never allocates.
     *
     * @param buffer holding the frame.
     * @param offset of the frame's first byte.
     * @param length of the frame in bytes (without FCS).
     * @return {@code null} if the frame may go on to the stage for its EtherType, otherwise the
     * reason to drop it. The enum has no "OK" constant on purpose: every constant is a counter.
     */
    public static EthernetInputDropReason validate(final DirectBuffer buffer, final int offset, final int length)
    {
        // IEEE 802.3 §3.1.1: two addresses and the Length/Type field, 14 octets.
        if (length < EthernetFlyweight.HEADER_LENGTH)
        {
            return EthernetInputDropReason.TRUNCATED_FRAME;
        }

        // IEEE 802 §8.2: the I/G bit of a source address is always 0 (individual).
        if ((buffer.getByte(offset + EthernetFlyweight.SRC_MAC_OFFSET) & 0x01) != 0)
        {
            return EthernetInputDropReason.GROUP_SOURCE_MAC;
        }

        final int etherType = buffer.getShort(offset + EthernetFlyweight.ETHERTYPE_OFFSET, BIG_ENDIAN) & 0xFFFF;
        switch (etherType)
        {
            case EthernetFlyweight.ETHERTYPE_IPV4:
            case EthernetFlyweight.ETHERTYPE_IPV6:
            case EthernetFlyweight.ETHERTYPE_ARP:
                return null;

            case EthernetFlyweight.ETHERTYPE_VLAN:
            case EthernetFlyweight.ETHERTYPE_QINQ:
                return EthernetInputDropReason.VLAN_UNSUPPORTED;

            default:
                // IEEE 802.3 §3.2.6: below 0x0600 the field is a length (LLC frames), not a type.
                return EthernetInputDropReason.UNSUPPORTED_ETHERTYPE;
        }
    }
}
