package io.sixgate.core.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.sixgate.core.packet.Ipv6HeaderChain.NOT_PRESENT;
import static io.sixgate.core.packet.Ipv6HeaderChain.Status.COMPLETE;
import static io.sixgate.core.packet.Ipv6HeaderChain.Status.HOP_BY_HOP_NOT_FIRST;
import static io.sixgate.core.packet.Ipv6HeaderChain.Status.TOO_MANY_EXTENSION_HEADERS;
import static io.sixgate.core.packet.Ipv6HeaderChain.Status.TRUNCATED_EXTENSION_HEADER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv6HeaderChainTest
{
    private static final int OFFSET = 6;

    private final Ipv6HeaderChain chain = new Ipv6HeaderChain();

    @Test
    void findsUpperLayerRightAfterFixedHeader()
    {
        final UnsafeBuffer buffer = PacketBuilder.ipv6().udp(1, 2).payload(10).toDirectBuffer(OFFSET, 4);

        assertEquals(COMPLETE, chain.parse(buffer, OFFSET, 58));
        assertEquals(IpProtocol.UDP, chain.upperLayerProtocol());
        assertEquals(OFFSET + 40, chain.upperLayerOffset());
        assertEquals(18, chain.upperLayerLength());
        assertEquals(OFFSET + Ipv6Flyweight.NEXT_HEADER_OFFSET, chain.upperLayerNextHeaderFieldOffset());
        assertEquals(NOT_PRESENT, chain.fragmentHeaderOffset());
        assertEquals(NOT_PRESENT, chain.routingHeaderOffset());
        assertEquals(0, chain.extensionHeaderCount());
        assertFalse(chain.isFragment());
        assertFalse(chain.isNonFirstFragment());
        assertEquals(58, chain.packetLength());
        assertEquals(OFFSET, chain.ipv6Offset());
    }

    @Test
    void walksEveryKindOfExtensionHeaderToTheUpperLayer()
    {
        final UnsafeBuffer buffer = PacketBuilder.ipv6()
            .hopByHop()                 // 8 bytes at 40
            .destinationOptions()       // 8 bytes at 48
            .routingHeader(4, 0)        // 24 bytes at 56
            .fragmentHeader(0, true, 7) // 8 bytes at 80
            .authenticationHeader(99)   // 16 bytes at 88
            .destinationOptions()       // 8 bytes at 104
            .tcp(1, 2, TcpFlyweight.SYN)
            .toDirectBuffer(OFFSET, 0);
        final int length = 112 + 20;

        assertEquals(COMPLETE, chain.parse(buffer, OFFSET, length));
        assertEquals(IpProtocol.TCP, chain.upperLayerProtocol());
        assertEquals(OFFSET + 112, chain.upperLayerOffset());
        assertEquals(20, chain.upperLayerLength());
        assertEquals(OFFSET + 104, chain.upperLayerNextHeaderFieldOffset());
        assertEquals(OFFSET + 56, chain.routingHeaderOffset());
        assertEquals(OFFSET + 80, chain.fragmentHeaderOffset());
        assertEquals(6, chain.extensionHeaderCount());
        assertTrue(chain.isFragment());
        assertFalse(chain.isNonFirstFragment());
    }

    @Test
    void stopsAtNonFirstFragment()
    {
        final UnsafeBuffer buffer = PacketBuilder.ipv6()
            .destinationOptions()
            .fragmentHeader(1448, false, 7)
            .udp(1, 2)
            .payload(40)
            .toDirectBuffer(OFFSET, 0);

        assertEquals(COMPLETE, chain.parse(buffer, OFFSET, 40 + 16 + 40));
        assertTrue(chain.isNonFirstFragment());
        assertEquals(IpProtocol.UDP, chain.upperLayerProtocol());
        assertEquals(OFFSET + 56, chain.upperLayerOffset());
        assertEquals(40, chain.upperLayerLength());
        assertEquals(OFFSET + 48, chain.fragmentHeaderOffset());
        assertEquals(OFFSET + 48, chain.upperLayerNextHeaderFieldOffset());
        assertEquals(2, chain.extensionHeaderCount());
    }

    @Test
    void atomicFragmentIsAFragmentWithAnUpperLayer()
    {
        final UnsafeBuffer buffer = PacketBuilder.ipv6().fragmentHeader(0, false, 1).icmpEchoRequest(1, 1)
            .toDirectBuffer(OFFSET, 0);

        assertEquals(COMPLETE, chain.parse(buffer, OFFSET, 56));
        assertTrue(chain.isFragment());
        assertFalse(chain.isNonFirstFragment());
        assertEquals(IpProtocol.ICMPV6, chain.upperLayerProtocol());
        assertEquals(OFFSET + 48, chain.upperLayerOffset());
    }

    @Test
    void endsWalkAtEspAndNoNextHeader()
    {
        final UnsafeBuffer esp = PacketBuilder.ipv6().destinationOptions().protocol(IpProtocol.ESP).payload(32)
            .toDirectBuffer(OFFSET, 0);
        assertEquals(COMPLETE, chain.parse(esp, OFFSET, 80));
        assertEquals(IpProtocol.ESP, chain.upperLayerProtocol());
        assertEquals(OFFSET + 48, chain.upperLayerOffset());

        final UnsafeBuffer none = PacketBuilder.ipv6().hopByHop().toDirectBuffer(OFFSET, 0);
        assertEquals(COMPLETE, chain.parse(none, OFFSET, 48));
        assertEquals(IpProtocol.NO_NEXT_HEADER, chain.upperLayerProtocol());
        assertEquals(0, chain.upperLayerLength());
    }

    @Test
    void rejectsHopByHopAfterAnotherHeader()
    {
        final UnsafeBuffer buffer = PacketBuilder.ipv6().routingHeader(4, 0).hopByHop().udp(1, 2)
            .toDirectBuffer(OFFSET, 0);

        assertEquals(HOP_BY_HOP_NOT_FIRST, chain.parse(buffer, OFFSET, 40 + 24 + 8 + 8));
        assertEquals(OFFSET + 40, chain.errorOffset(), "points at the routing header's Next Header");
        assertEquals(NOT_PRESENT, chain.upperLayerProtocol());
        assertEquals(NOT_PRESENT, chain.upperLayerOffset());
        assertEquals(0, chain.upperLayerLength());
    }

    @Test
    void rejectsExtensionHeaderLongerThanThePacket()
    {
        final UnsafeBuffer buffer = PacketBuilder.ipv6().destinationOptions().udp(1, 2).toDirectBuffer(OFFSET, 64);
        buffer.putByte(OFFSET + 40 + 1, (byte)10);

        assertEquals(TRUNCATED_EXTENSION_HEADER, chain.parse(buffer, OFFSET, 56));
        assertEquals(OFFSET + 40, chain.errorOffset());
    }

    @Test
    void rejectsPacketEndingInsideAnExtensionHeader()
    {
        final UnsafeBuffer buffer = PacketBuilder.ipv6().hopByHop().fragmentHeader(0, false, 1).udp(1, 2)
            .toDirectBuffer(OFFSET, 0);

        for (int length = 40; length < 56; length++)
        {
            assertEquals(TRUNCATED_EXTENSION_HEADER, chain.parse(buffer, OFFSET, length), "length " + length);
        }
        assertEquals(COMPLETE, chain.parse(buffer, OFFSET, 56));
    }

    @Test
    void acceptsSixteenExtensionHeadersButNotSeventeen()
    {
        final PacketBuilder sixteen = PacketBuilder.ipv6();
        for (int i = 0; i < Ipv6HeaderChain.MAX_EXTENSION_HEADERS; i++)
        {
            sixteen.destinationOptions();
        }
        final UnsafeBuffer ok = sixteen.udp(1, 2).toDirectBuffer(OFFSET, 0);
        assertEquals(COMPLETE, chain.parse(ok, OFFSET, 40 + 16 * 8 + 8));
        assertEquals(16, chain.extensionHeaderCount());

        final UnsafeBuffer tooMany = sixteen.destinationOptions().udp(1, 2).toDirectBuffer(OFFSET, 0);
        assertEquals(TOO_MANY_EXTENSION_HEADERS, chain.parse(tooMany, OFFSET, 40 + 17 * 8 + 8));
    }

    @Test
    void reusedChainForgetsThePreviousPacket()
    {
        final UnsafeBuffer fragmented = PacketBuilder.ipv6().routingHeader(4, 1).fragmentHeader(8, false, 1)
            .protocol(IpProtocol.UDP).payload(8).toDirectBuffer(0, 0);
        chain.parse(fragmented, 0, 40 + 24 + 8 + 8);
        assertTrue(chain.isNonFirstFragment());

        final UnsafeBuffer plain = PacketBuilder.ipv6().udp(1, 2).toDirectBuffer(0, 0);
        assertEquals(COMPLETE, chain.parse(plain, 0, 48));
        assertFalse(chain.isNonFirstFragment());
        assertFalse(chain.isFragment());
        assertEquals(NOT_PRESENT, chain.routingHeaderOffset());
        assertEquals(NOT_PRESENT, chain.errorOffset());
        assertEquals(0, chain.extensionHeaderCount());
    }

    @Test
    void unknownNextHeaderIsTheUpperLayer()
    {
        final UnsafeBuffer buffer = PacketBuilder.ipv6().destinationOptions().protocol(253 - 100).payload(4)
            .toDirectBuffer(0, 0);
        assertEquals(COMPLETE, chain.parse(buffer, 0, 52));
        assertEquals(153, chain.upperLayerProtocol());
        assertEquals(48, chain.upperLayerOffset());
    }
}
