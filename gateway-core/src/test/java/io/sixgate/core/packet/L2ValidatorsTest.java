package io.sixgate.core.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.sixgate.core.packet.TestBuffers.directBufferWith;
import static io.sixgate.core.packet.TestBuffers.fromHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Ethernet and ARP input validation. */
class L2ValidatorsTest
{
    private static final int OFFSET = 3;
    private static final long GATEWAY_MAC = 0x0200_0000_00FEL;
    private static final long HOST_MAC = 0x0200_0000_0001L;
    private static final String ARP_REQUEST = "0001 0800 06 04 0001 020000000001 c0000201 000000000000 c00002fe";

    @Test
    void acceptsIpv4Ipv6AndArpFrames()
    {
        assertNull(validateFrame(PacketBuilder.ipv4().udp(1, 2).ethernet(GATEWAY_MAC, HOST_MAC).build()));
        assertNull(validateFrame(PacketBuilder.ipv6().udp(1, 2).ethernet(GATEWAY_MAC, HOST_MAC).build()));
        assertNull(validateFrame(frame(EthernetFlyweight.ETHERTYPE_ARP, HOST_MAC, fromHex(ARP_REQUEST))));
    }

    @Test
    void dropsFrameShorterThanTheEthernetHeader()
    {
        final byte[] frame = PacketBuilder.ipv4().ethernet(GATEWAY_MAC, HOST_MAC).build();
        for (int length = 0; length < EthernetFlyweight.HEADER_LENGTH; length++)
        {
            assertEquals(EthernetInputDropReason.TRUNCATED_FRAME, validateFrame(Arrays.copyOf(frame, length)));
        }
    }

    @Test
    void dropsVlanTaggedFrames()
    {
        assertEquals(EthernetInputDropReason.VLAN_UNSUPPORTED,
            validateFrame(frame(EthernetFlyweight.ETHERTYPE_VLAN, HOST_MAC, fromHex("0064 86dd"))));
        assertEquals(EthernetInputDropReason.VLAN_UNSUPPORTED,
            validateFrame(frame(EthernetFlyweight.ETHERTYPE_QINQ, HOST_MAC, fromHex("0064 8100"))));
    }

    @Test
    void dropsUnsupportedEtherTypesAndLengthFields()
    {
        assertEquals(EthernetInputDropReason.UNSUPPORTED_ETHERTYPE, validateFrame(frame(0x88CC, HOST_MAC, new byte[46])));
        assertEquals(EthernetInputDropReason.UNSUPPORTED_ETHERTYPE, validateFrame(frame(0x002E, HOST_MAC, new byte[46])));
    }

    @Test
    void dropsFramesFromGroupSourceMac()
    {
        assertEquals(EthernetInputDropReason.GROUP_SOURCE_MAC,
            validateFrame(PacketBuilder.ipv4().ethernet(GATEWAY_MAC, 0x0100_5e00_0001L).build()));
        assertEquals(EthernetInputDropReason.GROUP_SOURCE_MAC,
            validateFrame(PacketBuilder.ipv6().ethernet(GATEWAY_MAC, EthernetFlyweight.BROADCAST_MAC).build()));
    }

    @Test
    void acceptsArpRequestReplyAndProbe()
    {
        assertNull(validateArp(fromHex(ARP_REQUEST)));
        assertNull(validateArp(fromHex("0001 0800 06 04 0002 0200000000fe c00002fe 020000000001 c0000201")));
        assertNull(validateArp(fromHex("0001 0800 06 04 0001 020000000001 00000000 000000000000 c0000201")));
        assertNull(validateArp(Arrays.copyOf(fromHex(ARP_REQUEST), 46)), "Ethernet padding is ignored");
    }

    @Test
    void dropsTruncatedArpAtEveryLength()
    {
        final byte[] arp = fromHex(ARP_REQUEST);
        for (int length = 0; length < ArpFlyweight.LENGTH; length++)
        {
            assertEquals(ArpInputDropReason.TRUNCATED_PACKET, validateArp(Arrays.copyOf(arp, length)));
        }
    }

    @Test
    void dropsArpForOtherHardwareTypes()
    {
        assertEquals(ArpInputDropReason.UNSUPPORTED_HARDWARE_TYPE,
            validateArp(fromHex("0006 0800 06 04 0001 020000000001 c0000201 000000000000 c00002fe")));
        assertEquals(ArpInputDropReason.UNSUPPORTED_HARDWARE_TYPE,
            validateArp(fromHex("0001 0800 08 04 0001 020000000001 c0000201 000000000000 c00002fe")));
    }

    @Test
    void dropsArpForOtherProtocolTypes()
    {
        assertEquals(ArpInputDropReason.UNSUPPORTED_PROTOCOL_TYPE,
            validateArp(fromHex("0001 86dd 06 04 0001 020000000001 c0000201 000000000000 c00002fe")));
        assertEquals(ArpInputDropReason.UNSUPPORTED_PROTOCOL_TYPE,
            validateArp(fromHex("0001 0800 06 10 0001 020000000001 c0000201 000000000000 c00002fe")));
    }

    @Test
    void dropsRarpAndOtherOperations()
    {
        assertEquals(ArpInputDropReason.UNSUPPORTED_OPERATION,
            validateArp(fromHex("0001 0800 06 04 0003 020000000001 c0000201 000000000000 c00002fe")));
        assertEquals(ArpInputDropReason.UNSUPPORTED_OPERATION,
            validateArp(fromHex("0001 0800 06 04 0000 020000000001 c0000201 000000000000 c00002fe")));
    }

    @Test
    void dropsArpFromGroupSenderMac()
    {
        assertEquals(ArpInputDropReason.GROUP_SENDER_MAC,
            validateArp(fromHex("0001 0800 06 04 0002 ffffffffffff c0000201 000000000000 c00002fe")));
    }

    @Test
    void everyReasonHasAUniqueKebabCaseLabel()
    {
        for (final EthernetInputDropReason reason : EthernetInputDropReason.values())
        {
            assertEquals(reason.name().toLowerCase().replace('_', '-'), reason.label());
        }
        for (final ArpInputDropReason reason : ArpInputDropReason.values())
        {
            assertEquals(reason.name().toLowerCase().replace('_', '-'), reason.label());
        }
        assertNotNull(EthernetInputDropReason.valueOf("TRUNCATED_FRAME"));
    }

    private static byte[] frame(final int etherType, final long srcMac, final byte[] payload)
    {
        final UnsafeBuffer buffer = TestBuffers.directBuffer(EthernetFlyweight.HEADER_LENGTH + payload.length);
        new EthernetFlyweight().wrap(buffer, 0).dstMac(GATEWAY_MAC).srcMac(srcMac).etherType(etherType);
        buffer.putBytes(EthernetFlyweight.HEADER_LENGTH, payload);
        final byte[] bytes = new byte[buffer.capacity()];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static EthernetInputDropReason validateFrame(final byte[] frame)
    {
        return EthernetValidator.validate(directBufferWith(frame, OFFSET, 0), OFFSET, frame.length);
    }

    private static ArpInputDropReason validateArp(final byte[] arp)
    {
        return ArpValidator.validate(directBufferWith(arp, OFFSET, 0), OFFSET, arp.length);
    }
}
