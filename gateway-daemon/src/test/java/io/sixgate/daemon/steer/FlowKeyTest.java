package io.sixgate.daemon.steer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import io.sixgate.core.packet.PacketBuilder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class FlowKeyTest
{
    private static final long MAC_A = 0x02_00_00_00_00_0AL;
    private static final long MAC_B = 0x02_00_00_00_00_0BL;

    private final FlowKey flowKey = new FlowKey(42);

    private long key(final PacketBuilder packet)
    {
        final byte[] frame = packet.ethernet(MAC_A, MAC_B).build();
        return flowKey.of(new UnsafeBuffer(frame), 0, frame.length);
    }

    @Test
    void bothDirectionsOfATcpOrUdpFlowHaveTheSameKey()
    {
        assertEquals(key(PacketBuilder.ipv4("192.0.2.10", "198.51.100.20").tcp(40000, 443, 0x02)),
            key(PacketBuilder.ipv4("198.51.100.20", "192.0.2.10").tcp(443, 40000, 0x12)));
        assertEquals(key(PacketBuilder.ipv6("2001:db8::10", "64:ff9b::c000:20a").udp(5000, 53)),
            key(PacketBuilder.ipv6("64:ff9b::c000:20a", "2001:db8::10").udp(53, 5000)));
    }

    @Test
    void anEchoRequestAndItsReplyHaveTheSameKey()
    {
        assertEquals(key(PacketBuilder.ipv4("192.0.2.10", "198.51.100.20").icmpEchoRequest(77, 1)),
            key(PacketBuilder.ipv4("198.51.100.20", "192.0.2.10").icmpEchoReply(77, 1)));
        assertEquals(key(PacketBuilder.ipv6("2001:db8::10", "2001:db8:1::20").icmpEchoRequest(77, 1)),
            key(PacketBuilder.ipv6("2001:db8:1::20", "2001:db8::10").icmpEchoReply(77, 1)));
    }

    @Test
    void flowsThatDifferInAnyPartOfTheTupleHaveDifferentKeys()
    {
        final long flow = key(PacketBuilder.ipv6("2001:db8::10", "2001:db8:1::20").tcp(40000, 443, 0x10));
        assertNotEquals(flow, key(PacketBuilder.ipv6("2001:db8::11", "2001:db8:1::20").tcp(40000, 443, 0x10)));
        assertNotEquals(flow, key(PacketBuilder.ipv6("2001:db8::10", "2001:db8:1::21").tcp(40000, 443, 0x10)));
        assertNotEquals(flow, key(PacketBuilder.ipv6("2001:db8::10", "2001:db8:1::20").tcp(40001, 443, 0x10)));
        assertNotEquals(flow, key(PacketBuilder.ipv6("2001:db8::10", "2001:db8:1::20").tcp(40000, 444, 0x10)));
        assertNotEquals(flow, key(PacketBuilder.ipv6("2001:db8::10", "2001:db8:1::20").udp(40000, 443)));
        // Swapping only the ports is another flow, not the reverse direction.
        assertNotEquals(flow, key(PacketBuilder.ipv6("2001:db8::10", "2001:db8:1::20").tcp(443, 40000, 0x10)));
    }

    @Test
    void aHundredThousandRandomSourcesGetDistinctKeys()
    {
        final Random random = new Random(8);
        final Set<Long> keys = new HashSet<>();
        for (int i = 0; i < 100_000; i++)
        {
            final String source = String.format("2001:db8:%x:%x::%x", i >>> 16, i & 0xFFFF, random.nextInt(0x10000));
            keys.add(key(PacketBuilder.ipv6(source, "64:ff9b::c000:20a").udp(1024 + random.nextInt(60000), 53)));
        }
        assertEquals(100_000, keys.size());
    }

    @Test
    void framesThatAreNotOfAFlowHaveNoKey()
    {
        final byte[] arp = PacketBuilder.arp(0xFFFF_FFFF_FFFFL, 1, MAC_A, "192.0.2.1", 0, "192.0.2.2");
        assertEquals(FlowKey.NO_FLOW, flowKey.of(new UnsafeBuffer(arp), 0, arp.length));
        final byte[] runt = new byte[20];
        assertEquals(FlowKey.NO_FLOW, flowKey.of(new UnsafeBuffer(runt), 0, runt.length));
    }

    @Test
    void anotherSeedGivesOtherKeys()
    {
        final byte[] frame = PacketBuilder.ipv4("192.0.2.10", "198.51.100.20").udp(1, 2).ethernet(MAC_A, MAC_B).build();
        assertNotEquals(flowKey.of(new UnsafeBuffer(frame), 0, frame.length),
            new FlowKey(43).of(new UnsafeBuffer(frame), 0, frame.length));
    }
}
