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

/** Round trips for the ICMPv4 and ICMPv6 flyweights. */
class IcmpFlyweightsTest
{
    private static final int OFFSET = 21;
    /** The ICMPv6 part of a Linux echo request (see InternetChecksumTest). */
    private static final String ICMPV6_ECHO = "80 00 91c1 1234 0001 736978676174652d6563686f";

    private final Icmpv4Flyweight icmpv4 = new Icmpv4Flyweight();
    private final Icmpv6Flyweight icmpv6 = new Icmpv6Flyweight();

    @Test
    void writesIcmpv4EchoRequest()
    {
        final UnsafeBuffer buffer = directBuffer(64);
        icmpv4.wrap(buffer, OFFSET)
            .type(Icmpv4Flyweight.TYPE_ECHO_REQUEST)
            .code(0)
            .checksum(0)
            .identifier(0x1234)
            .sequenceNumber(0xFFFE);
        icmpv4.checksum(InternetChecksum.icmpv4Checksum(buffer, OFFSET, 8));

        assertEquals(toHex(fromHex("08 00 " + String.format("%04x", icmpv4.checksum()) + " 1234 fffe")),
            toHex(buffer, OFFSET, 8));
        assertTrue(InternetChecksum.isValid(buffer, OFFSET, 8));
        assertEquals(0x1234, icmpv4.identifier());
        assertEquals(0xFFFE, icmpv4.sequenceNumber());
        assertEquals(0x1234_FFFE, icmpv4.restOfHeader());
        assertEquals(OFFSET + 8, icmpv4.payloadOffset());
    }

    @Test
    void readsIcmpv4FragmentationNeededMtuAndRfc4884Length()
    {
        icmpv4.wrap(directBufferWith(fromHex("03 04 0000 00 20 05dc"), OFFSET, 0), OFFSET);

        assertEquals(Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, icmpv4.type());
        assertEquals(Icmpv4Flyweight.CODE_FRAGMENTATION_NEEDED, icmpv4.code());
        assertEquals(1500, icmpv4.nextHopMtu());
        assertEquals(32, icmpv4.length());
        assertTrue(Icmpv4Flyweight.isError(icmpv4.type()));
    }

    @Test
    void writesIcmpv4ParameterProblemPointerAndLength()
    {
        final UnsafeBuffer buffer = directBuffer(32);
        icmpv4.wrap(buffer, 3).type(Icmpv4Flyweight.TYPE_PARAMETER_PROBLEM).code(0).restOfHeader(0).pointer(9).length(7);

        assertEquals("0c00000009070000", toHex(buffer, 3, 8));
        assertEquals(9, icmpv4.pointer());
        assertEquals(7, icmpv4.length());
        assertFalse(Icmpv4Flyweight.isError(Icmpv4Flyweight.TYPE_ECHO_REPLY));
    }

    @Test
    void writesIcmpv6EchoRequest()
    {
        final UnsafeBuffer buffer = directBuffer(64);
        icmpv6.wrap(buffer, OFFSET)
            .type(Icmpv6Flyweight.TYPE_ECHO_REQUEST)
            .code(0)
            .checksum(0x91c1)
            .identifier(0x1234)
            .sequenceNumber(1);
        buffer.putBytes(icmpv6.payloadOffset(), "sixgate-echo".getBytes(java.nio.charset.StandardCharsets.US_ASCII));

        assertEquals(toHex(fromHex(ICMPV6_ECHO)), toHex(buffer, OFFSET, 20));
    }

    @Test
    void readsIcmpv6EchoRequest()
    {
        icmpv6.wrap(directBufferWith(fromHex(ICMPV6_ECHO), OFFSET, 0), OFFSET);

        assertEquals(128, icmpv6.type());
        assertEquals(0, icmpv6.code());
        assertEquals(0x91c1, icmpv6.checksum());
        assertEquals(0x1234, icmpv6.identifier());
        assertEquals(1, icmpv6.sequenceNumber());
        assertFalse(Icmpv6Flyweight.isError(icmpv6.type()));
    }

    @Test
    void icmpv6SecondWordMeaningsShareOffsets()
    {
        final UnsafeBuffer buffer = directBuffer(32);
        icmpv6.wrap(buffer, 1).type(Icmpv6Flyweight.TYPE_PACKET_TOO_BIG).code(0).mtu(0xFFFF_FFF0L);
        assertEquals("02000000fffffff0", toHex(buffer, 1, 8));
        assertEquals(0xFFFF_FFF0L, icmpv6.mtu());
        assertTrue(Icmpv6Flyweight.isError(icmpv6.type()));

        icmpv6.type(Icmpv6Flyweight.TYPE_PARAMETER_PROBLEM).pointer(40);
        assertEquals(40, icmpv6.pointer());
        assertEquals(40, icmpv6.restOfHeader());

        icmpv6.type(Icmpv6Flyweight.TYPE_DESTINATION_UNREACHABLE).restOfHeader(0).length(16);
        assertEquals("0100000010000000", toHex(buffer, 1, 8));
        assertEquals(16, icmpv6.length());
    }
}
