package io.sixgate.core.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.sixgate.core.packet.TestBuffers.directBuffer;
import static io.sixgate.core.packet.TestBuffers.fromHex;
import static io.sixgate.core.packet.TestBuffers.toHex;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ArpFlyweightTest
{
    private static final int OFFSET = 14;
    /** Who has 192.0.2.254? Tell 192.0.2.1 (02:00:00:00:00:01). */
    private static final String REQUEST =
        "0001 0800 06 04 0001 020000000001 c0000201 000000000000 c00002fe";

    private final ArpFlyweight arp = new ArpFlyweight();

    @Test
    void writesRequestInNetworkByteOrder()
    {
        final UnsafeBuffer buffer = directBuffer(64);
        arp.wrap(buffer, OFFSET)
            .ethernetIpv4()
            .oper(ArpFlyweight.OPER_REQUEST)
            .sha(0x0200_0000_0001L)
            .spa(0xC000_0201)
            .tha(0)
            .tpa(0xC000_02FE);

        assertEquals(toHex(fromHex(REQUEST)), toHex(buffer, OFFSET, ArpFlyweight.LENGTH));
    }

    @Test
    void readsRequestFields()
    {
        arp.wrap(TestBuffers.directBufferWith(fromHex(REQUEST), OFFSET, 0), OFFSET);

        assertEquals(ArpFlyweight.HTYPE_ETHERNET, arp.htype());
        assertEquals(ArpFlyweight.PTYPE_IPV4, arp.ptype());
        assertEquals(6, arp.hlen());
        assertEquals(4, arp.plen());
        assertEquals(ArpFlyweight.OPER_REQUEST, arp.oper());
        assertEquals(0x0200_0000_0001L, arp.sha());
        assertEquals(PacketBuilder.ipv4Address("192.0.2.1"), arp.spa());
        assertEquals(0L, arp.tha());
        assertEquals(PacketBuilder.ipv4Address("192.0.2.254"), arp.tpa());
    }

    @Test
    void turnsRequestIntoReplyInPlace()
    {
        final UnsafeBuffer buffer = TestBuffers.directBufferWith(fromHex(REQUEST), OFFSET, 0);
        arp.wrap(buffer, OFFSET);
        final long requesterMac = arp.sha();
        final int requesterIp = arp.spa();
        final int targetIp = arp.tpa();

        arp.oper(ArpFlyweight.OPER_REPLY).tha(requesterMac).tpa(requesterIp).sha(0x0200_0000_00FEL).spa(targetIp);

        assertEquals(toHex(fromHex("0001 0800 06 04 0002 0200000000fe c00002fe 020000000001 c0000201")),
            toHex(buffer, OFFSET, ArpFlyweight.LENGTH));
    }
}
