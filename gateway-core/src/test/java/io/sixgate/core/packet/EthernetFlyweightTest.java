package io.sixgate.core.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.sixgate.core.packet.TestBuffers.directBuffer;
import static io.sixgate.core.packet.TestBuffers.fromHex;
import static io.sixgate.core.packet.TestBuffers.toHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EthernetFlyweightTest
{
    private static final int OFFSET = 5;
    private static final String HEADER = "333300000001 04656500 64c3 86dd";

    private final EthernetFlyweight ethernet = new EthernetFlyweight();

    @Test
    void writesHeaderInNetworkByteOrder()
    {
        final UnsafeBuffer buffer = directBuffer(64);
        ethernet.wrap(buffer, OFFSET)
            .dstMac(0x3333_0000_0001L)
            .srcMac(0x0465_6500_64c3L)
            .etherType(EthernetFlyweight.ETHERTYPE_IPV6);

        assertEquals(toHex(fromHex(HEADER)), toHex(buffer, OFFSET, EthernetFlyweight.HEADER_LENGTH));
        assertEquals(0, buffer.getByte(OFFSET - 1));
        assertEquals(0, buffer.getByte(OFFSET + EthernetFlyweight.HEADER_LENGTH));
    }

    @Test
    void readsHeaderFields()
    {
        ethernet.wrap(TestBuffers.directBufferWith(fromHex(HEADER), OFFSET, 0), OFFSET);

        assertEquals(0x3333_0000_0001L, ethernet.dstMac());
        assertEquals(0x0465_6500_64c3L, ethernet.srcMac());
        assertEquals(EthernetFlyweight.ETHERTYPE_IPV6, ethernet.etherType());
        assertEquals(OFFSET + 14, ethernet.payloadOffset());
    }

    @Test
    void readsMacWithHighBitsSetAsPositive48BitValue()
    {
        final UnsafeBuffer buffer = directBuffer(32);
        ethernet.wrap(buffer, 1).dstMac(EthernetFlyweight.BROADCAST_MAC).srcMac(0xFE_DC_BA_98_76_54L);

        assertEquals(0xFFFF_FFFF_FFFFL, ethernet.dstMac());
        assertEquals(0xFEDC_BA98_7654L, ethernet.srcMac());
    }

    @Test
    void copiesMacsBetweenBuffers()
    {
        final UnsafeBuffer frame = TestBuffers.directBufferWith(fromHex(HEADER), OFFSET, 0);
        final UnsafeBuffer other = directBuffer(32);
        ethernet.wrap(frame, OFFSET);

        ethernet.getSrcMac(other, 3);
        ethernet.getDstMac(other, 9);
        assertEquals("0465650064c3333300000001", toHex(other, 3, 12));

        ethernet.putDstMac(other, 3).putSrcMac(other, 9);
        assertEquals(0x0465_6500_64c3L, ethernet.dstMac());
        assertEquals(0x3333_0000_0001L, ethernet.srcMac());
    }

    @Test
    void recognisesGroupAddresses()
    {
        assertTrue(EthernetFlyweight.isGroupMac(EthernetFlyweight.BROADCAST_MAC));
        assertTrue(EthernetFlyweight.isGroupMac(0x3333_0000_0001L));
        assertTrue(EthernetFlyweight.isGroupMac(0x0100_5e00_0001L));
        assertFalse(EthernetFlyweight.isGroupMac(0x0465_6500_64c3L));
        assertFalse(EthernetFlyweight.isGroupMac(0x0200_0000_0001L));
    }
}
