package io.sixgate.core.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.sixgate.core.packet.TestBuffers.directBuffer;
import static io.sixgate.core.packet.TestBuffers.directBufferWith;
import static io.sixgate.core.packet.TestBuffers.fromHex;
import static io.sixgate.core.packet.TestBuffers.toHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4FlyweightTest
{
    private static final int OFFSET = 7;
    private static final String HEADER = "4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7";

    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();

    @Test
    void writesKnownHeaderWithSettersAndChecksum()
    {
        final UnsafeBuffer buffer = directBuffer(64);
        ipv4.wrap(buffer, OFFSET)
            .version(4)
            .ihl(5)
            .tos(0)
            .totalLength(0x73)
            .identification(0)
            .dontFragment(true)
            .ttl(64)
            .protocol(IpProtocol.UDP)
            .srcAddress(PacketBuilder.ipv4Address("192.168.0.1"))
            .dstAddress(PacketBuilder.ipv4Address("192.168.0.199"))
            .updateHeaderChecksum();

        assertEquals(toHex(fromHex(HEADER)), toHex(buffer, OFFSET, 20));
    }

    @Test
    void readsKnownHeader()
    {
        ipv4.wrap(directBufferWith(fromHex(HEADER), OFFSET, 0), OFFSET);

        assertEquals(4, ipv4.version());
        assertEquals(5, ipv4.ihl());
        assertEquals(20, ipv4.headerLength());
        assertEquals(0, ipv4.tos());
        assertEquals(0x73, ipv4.totalLength());
        assertEquals(0x73 - 20, ipv4.payloadLength());
        assertEquals(OFFSET + 20, ipv4.payloadOffset());
        assertEquals(0, ipv4.identification());
        assertTrue(ipv4.dontFragment());
        assertFalse(ipv4.moreFragments());
        assertEquals(0, ipv4.fragmentOffset());
        assertFalse(ipv4.isFragment());
        assertEquals(64, ipv4.ttl());
        assertEquals(IpProtocol.UDP, ipv4.protocol());
        assertEquals(0xb861, ipv4.headerChecksum());
        assertEquals(0xb861, ipv4.computeHeaderChecksum());
        assertEquals(0xC0A8_0001, ipv4.srcAddress());
        assertEquals(0xC0A8_00C7, ipv4.dstAddress());
        assertEquals(0, ipv4.optionsLength());
    }

    @Test
    void splitsTosIntoDscpAndEcn()
    {
        ipv4.wrap(directBuffer(32), 1).tos(0);
        ipv4.dscp(46).ecn(1);

        assertEquals(0xB9, ipv4.tos());
        assertEquals(46, ipv4.dscp());
        assertEquals(1, ipv4.ecn());

        ipv4.dscp(0);
        assertEquals(1, ipv4.tos());
    }

    @Test
    void versionAndIhlShareAnOctetWithoutClobbering()
    {
        ipv4.wrap(directBuffer(32), 3).ihl(15).version(4);
        assertEquals(0x4F, ipv4.buffer().getByte(3) & 0xFF);

        ipv4.ihl(6);
        assertEquals(4, ipv4.version());
        assertEquals(24, ipv4.headerLength());

        ipv4.headerLength(60);
        assertEquals(15, ipv4.ihl());
        assertEquals(3 + 20, ipv4.optionsOffset());
        assertEquals(40, ipv4.optionsLength());
    }

    @Test
    void fragmentFieldsAreIndependent()
    {
        ipv4.wrap(directBuffer(32), 2).flagsAndFragmentOffset(0);

        ipv4.moreFragments(true).fragmentOffsetBytes(1480).dontFragment(false);
        assertEquals(0x2000 | 185, ipv4.flagsAndFragmentOffset());
        assertEquals(185, ipv4.fragmentOffset());
        assertEquals(1480, ipv4.fragmentOffsetBytes());
        assertTrue(ipv4.isFragment());

        ipv4.fragmentOffset(0x1FFF).moreFragments(false).dontFragment(true);
        assertEquals(0x4000 | 0x1FFF, ipv4.flagsAndFragmentOffset());
        assertEquals(65528, ipv4.fragmentOffsetBytes());

        ipv4.fragmentOffset(0).dontFragment(true);
        assertFalse(ipv4.isFragment());
    }

    @Test
    void readsHighValuesAsUnsigned()
    {
        ipv4.wrap(directBuffer(32), 1)
            .totalLength(0xFFFF).identification(0xFFFF).ttl(255).protocol(255).tos(255)
            .srcAddress(0xFFFF_FFFF);

        assertEquals(0xFFFF, ipv4.totalLength());
        assertEquals(0xFFFF, ipv4.identification());
        assertEquals(255, ipv4.ttl());
        assertEquals(255, ipv4.protocol());
        assertEquals(255, ipv4.tos());
        assertEquals(-1, ipv4.srcAddress());
    }

    @Test
    void headerChecksumCoversOptions()
    {
        final UnsafeBuffer buffer = PacketBuilder.ipv4()
            .ipv4Options(new byte[]{ (byte)0x94, 0x04, 0x00, 0x00 })
            .udp(1, 2)
            .toDirectBuffer(OFFSET, 0);
        ipv4.wrap(buffer, OFFSET);

        assertEquals(24, ipv4.headerLength());
        assertEquals(OFFSET + 20, ipv4.optionsOffset());
        assertEquals(4, ipv4.optionsLength());
        assertEquals(ipv4.headerChecksum(), ipv4.computeHeaderChecksum());

        ipv4.ttl(ipv4.ttl() - 1).updateHeaderChecksum();
        assertTrue(InternetChecksum.isValid(buffer, OFFSET, 24));
    }
}
