package io.sixgate.core.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.sixgate.core.packet.TestBuffers.directBuffer;
import static io.sixgate.core.packet.TestBuffers.fromHex;
import static io.sixgate.core.packet.TestBuffers.toHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv6ExtensionHeaderFlyweightsTest
{
    private static final int OFFSET = 3;

    @Test
    void genericHeaderLengthIsInEightOctetUnitsAfterTheFirst()
    {
        final UnsafeBuffer buffer = directBuffer(64);
        final Ipv6ExtensionHeaderFlyweight header = new Ipv6ExtensionHeaderFlyweight().wrap(buffer, OFFSET);

        header.nextHeader(IpProtocol.UDP).headerLength(24);
        assertEquals("1102", toHex(buffer, OFFSET, 2));
        assertEquals(IpProtocol.UDP, header.nextHeader());
        assertEquals(2, header.hdrExtLen());
        assertEquals(24, header.headerLength());

        header.hdrExtLen(255);
        assertEquals(2048, header.headerLength());
    }

    @Test
    void authenticationHeaderLengthIsInFourOctetUnitsMinusTwo()
    {
        final Ipv6ExtensionHeaderFlyweight header = new Ipv6ExtensionHeaderFlyweight().wrap(directBuffer(16), 0);
        header.hdrExtLen(4);
        assertEquals(24, header.authenticationHeaderLength());
    }

    @Test
    void routingHeaderRoundTrip()
    {
        final UnsafeBuffer buffer = directBuffer(64);
        final Ipv6RoutingHeaderFlyweight routing = new Ipv6RoutingHeaderFlyweight().wrap(buffer, OFFSET)
            .nextHeader(IpProtocol.TCP)
            .hdrExtLen(2)
            .routingType(Ipv6RoutingHeaderFlyweight.TYPE_SEGMENT_ROUTING)
            .segmentsLeft(1);

        assertEquals("06020401", toHex(buffer, OFFSET, 4));
        assertEquals(IpProtocol.TCP, routing.nextHeader());
        assertEquals(2, routing.hdrExtLen());
        assertEquals(24, routing.headerLength());
        assertEquals(4, routing.routingType());
        assertEquals(1, routing.segmentsLeft());
    }

    @Test
    void fragmentHeaderRoundTrip()
    {
        final UnsafeBuffer buffer = directBuffer(64);
        final Ipv6FragmentHeaderFlyweight fragment = new Ipv6FragmentHeaderFlyweight().wrap(buffer, OFFSET)
            .nextHeader(IpProtocol.UDP)
            .reserved(0)
            .fragmentOffsetBytes(1448)
            .moreFragments(true)
            .identification(0xDEADBEEF);

        assertEquals(toHex(fromHex("11 00 05a9 deadbeef")), toHex(buffer, OFFSET, 8));
        assertEquals(IpProtocol.UDP, fragment.nextHeader());
        assertEquals(181, fragment.fragmentOffset());
        assertEquals(1448, fragment.fragmentOffsetBytes());
        assertTrue(fragment.moreFragments());
        assertEquals(0xDEADBEEF, fragment.identification());

        fragment.moreFragments(false).fragmentOffset(8191);
        assertEquals(toHex(fromHex("11 00 fff8 deadbeef")), toHex(buffer, OFFSET, 8));
        assertEquals(65528, fragment.fragmentOffsetBytes());
        assertFalse(fragment.moreFragments());

        fragment.fragmentOffset(0).moreFragments(true);
        assertEquals(0, fragment.fragmentOffset());
        assertTrue(fragment.moreFragments());
    }
}
