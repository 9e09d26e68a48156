package io.sixgate.core.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.sixgate.core.packet.TestBuffers.directBuffer;
import static io.sixgate.core.packet.TestBuffers.directBufferWith;
import static io.sixgate.core.packet.TestBuffers.fromHex;
import static io.sixgate.core.packet.TestBuffers.toHex;
import static org.junit.jupiter.api.Assertions.assertEquals;

class Ipv6FlyweightTest
{
    private static final int OFFSET = 9;
    /** The fixed header of a Linux ICMPv6 echo request, 2001:db8::1 to 2001:db8::2. */
    private static final String HEADER =
        "600b4717 0014 3a 40 20010db8000000000000000000000001 20010db8000000000000000000000002";

    private final Ipv6Flyweight ipv6 = new Ipv6Flyweight();

    @Test
    void writesKnownHeaderWithSetters()
    {
        final UnsafeBuffer buffer = directBuffer(64);
        ipv6.wrap(buffer, OFFSET)
            .version(6)
            .trafficClass(0)
            .flowLabel(0xb4717)
            .payloadLength(20)
            .nextHeader(IpProtocol.ICMPV6)
            .hopLimit(64)
            .src(0x2001_0db8_0000_0000L, 1)
            .dst(0x2001_0db8_0000_0000L, 2);

        assertEquals(toHex(fromHex(HEADER)), toHex(buffer, OFFSET, Ipv6Flyweight.HEADER_LENGTH));
    }

    @Test
    void readsKnownHeader()
    {
        ipv6.wrap(directBufferWith(fromHex(HEADER), OFFSET, 0), OFFSET);

        assertEquals(6, ipv6.version());
        assertEquals(0, ipv6.trafficClass());
        assertEquals(0xb4717, ipv6.flowLabel());
        assertEquals(20, ipv6.payloadLength());
        assertEquals(IpProtocol.ICMPV6, ipv6.nextHeader());
        assertEquals(64, ipv6.hopLimit());
        assertEquals(PacketBuilder.ipv6High("2001:db8::1"), ipv6.srcHigh());
        assertEquals(PacketBuilder.ipv6Low("2001:db8::1"), ipv6.srcLow());
        assertEquals(PacketBuilder.ipv6High("2001:db8::2"), ipv6.dstHigh());
        assertEquals(PacketBuilder.ipv6Low("2001:db8::2"), ipv6.dstLow());
        assertEquals(OFFSET + 40, ipv6.payloadOffset());
    }

    @Test
    void versionTrafficClassAndFlowLabelAreIndependent()
    {
        ipv6.wrap(directBuffer(64), 1).versionClassAndFlow(0xFF, 0xF_FFFF);
        assertEquals(6, ipv6.version());
        assertEquals(0xFF, ipv6.trafficClass());
        assertEquals(0xF_FFFF, ipv6.flowLabel());

        ipv6.trafficClass(0xB8);
        assertEquals(6, ipv6.version());
        assertEquals(0xB8, ipv6.trafficClass());
        assertEquals(0xF_FFFF, ipv6.flowLabel());

        ipv6.flowLabel(0x12345);
        assertEquals(0xB8, ipv6.trafficClass());
        assertEquals(0x12345, ipv6.flowLabel());

        ipv6.version(0);
        assertEquals(0xB8, ipv6.trafficClass());
        ipv6.version(6);
        assertEquals("6b812345", toHex(ipv6.buffer(), 1, 4));
    }

    @Test
    void readsHighValuesAsUnsigned()
    {
        ipv6.wrap(directBuffer(64), 3).payloadLength(0xFFFF).nextHeader(255).hopLimit(255);

        assertEquals(0xFFFF, ipv6.payloadLength());
        assertEquals(255, ipv6.nextHeader());
        assertEquals(255, ipv6.hopLimit());
    }

    @Test
    void copiesAddressesBetweenBuffers()
    {
        final UnsafeBuffer packet = directBufferWith(fromHex(HEADER), OFFSET, 0);
        final UnsafeBuffer other = directBuffer(64);
        ipv6.wrap(packet, OFFSET);

        ipv6.getSrc(other, 5);
        ipv6.getDst(other, 21);
        assertEquals("20010db8000000000000000000000001" + "20010db8000000000000000000000002", toHex(other, 5, 32));

        ipv6.putSrc(other, 21).putDst(other, 5);
        assertEquals(2L, ipv6.srcLow());
        assertEquals(1L, ipv6.dstLow());
        assertEquals(0x2001_0db8_0000_0000L, ipv6.srcHigh());
    }
}
