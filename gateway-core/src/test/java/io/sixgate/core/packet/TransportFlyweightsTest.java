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

/** Round trips for the UDP and TCP flyweights. */
class TransportFlyweightsTest
{
    private static final int OFFSET = 13;
    /** The UDP header of a captured ISO 15118 SDP request (see InternetChecksumTest). */
    private static final String UDP_HEADER = "ccaf 3b0e 0012 895e";
    private static final String TCP_HEADER = "9c40 01bb 01020304 0a0b0c0d 50 12 faf0 beef 0000";

    private final UdpFlyweight udp = new UdpFlyweight();
    private final TcpFlyweight tcp = new TcpFlyweight();

    @Test
    void writesUdpHeader()
    {
        final UnsafeBuffer buffer = directBuffer(32);
        udp.wrap(buffer, OFFSET).srcPort(0xccaf).dstPort(15118).length(18).checksum(0x895e);

        assertEquals(toHex(fromHex(UDP_HEADER)), toHex(buffer, OFFSET, UdpFlyweight.HEADER_LENGTH));
    }

    @Test
    void readsUdpHeader()
    {
        udp.wrap(directBufferWith(fromHex(UDP_HEADER), OFFSET, 0), OFFSET);

        assertEquals(52399, udp.srcPort());
        assertEquals(15118, udp.dstPort());
        assertEquals(18, udp.length());
        assertEquals(0x895e, udp.checksum());
        assertEquals(OFFSET + 8, udp.payloadOffset());
    }

    @Test
    void writesTcpHeader()
    {
        final UnsafeBuffer buffer = directBuffer(64);
        tcp.wrap(buffer, OFFSET)
            .srcPort(40000)
            .dstPort(443)
            .sequenceNumber(0x01020304)
            .acknowledgmentNumber(0x0a0b0c0d)
            .dataOffset(5)
            .flags(TcpFlyweight.SYN | TcpFlyweight.ACK)
            .window(0xfaf0)
            .checksum(0xbeef)
            .urgentPointer(0);

        assertEquals(toHex(fromHex(TCP_HEADER)), toHex(buffer, OFFSET, TcpFlyweight.MIN_HEADER_LENGTH));
    }

    @Test
    void readsTcpHeader()
    {
        tcp.wrap(directBufferWith(fromHex(TCP_HEADER), OFFSET, 0), OFFSET);

        assertEquals(40000, tcp.srcPort());
        assertEquals(443, tcp.dstPort());
        assertEquals(0x01020304, tcp.sequenceNumber());
        assertEquals(0x0a0b0c0d, tcp.acknowledgmentNumber());
        assertEquals(5, tcp.dataOffset());
        assertEquals(20, tcp.headerLength());
        assertEquals(0, tcp.optionsLength());
        assertEquals(OFFSET + 20, tcp.payloadOffset());
        assertTrue(tcp.hasFlags(TcpFlyweight.SYN | TcpFlyweight.ACK));
        assertFalse(tcp.hasFlags(TcpFlyweight.SYN | TcpFlyweight.FIN));
        assertEquals(0xfaf0, tcp.window());
        assertEquals(0xbeef, tcp.checksum());
        assertEquals(0, tcp.urgentPointer());
    }

    @Test
    void tcpDataOffsetKeepsReservedBits()
    {
        final UnsafeBuffer buffer = directBuffer(32);
        tcp.wrap(buffer, 1);
        buffer.putByte(1 + TcpFlyweight.DATA_OFFSET_FIELD_OFFSET, (byte)0x0F);

        tcp.dataOffset(15);
        assertEquals(0xFF, buffer.getByte(1 + TcpFlyweight.DATA_OFFSET_FIELD_OFFSET) & 0xFF);
        assertEquals(60, tcp.headerLength());
        assertEquals(40, tcp.optionsLength());
        assertEquals(1 + 20, tcp.optionsOffset());
    }

    @Test
    void tcpFlagConstantsMatchTheHeaderBits()
    {
        final UnsafeBuffer buffer = directBuffer(32);
        tcp.wrap(buffer, 0).flags(0xFF);
        assertEquals(0xFF, TcpFlyweight.CWR | TcpFlyweight.ECE | TcpFlyweight.URG | TcpFlyweight.ACK |
            TcpFlyweight.PSH | TcpFlyweight.RST | TcpFlyweight.SYN | TcpFlyweight.FIN);
        assertEquals(0xFF, tcp.flags());
    }

    @Test
    void readsSequenceNumbersAsRawModularInts()
    {
        tcp.wrap(directBuffer(32), 2).sequenceNumber(0xFFFF_FFFF).acknowledgmentNumber(0x8000_0000).srcPort(65535);

        assertEquals(-1, tcp.sequenceNumber());
        assertEquals(Integer.MIN_VALUE, tcp.acknowledgmentNumber());
        assertTrue(tcp.sequenceNumber() - tcp.acknowledgmentNumber() > 0, "modular comparison");
        assertEquals(65535, tcp.srcPort());
    }
}
