package io.sixgate.core.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packet model's promise: validating, walking, reading, writing and checksumming allocate
 * nothing. Measured with the JVM's per-thread allocation counter over many packets, so one
 * allocation per packet (16 bytes at least) would show as megabytes.
 */
class HotPathAllocationTest
{
    private static final int PACKETS = 200_000;
    /** Slack for the counter's own bookkeeping; far below one object per packet. */
    private static final long TOLERANCE_BYTES = 64 * 1024;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private final Ipv6HeaderChain chain = new Ipv6HeaderChain();
    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();
    private final Ipv6Flyweight ipv6 = new Ipv6Flyweight();
    private final UdpFlyweight udp = new UdpFlyweight();
    private final TcpFlyweight tcp = new TcpFlyweight();
    private final NdpFlyweight ndp = new NdpFlyweight();

    private final UnsafeBuffer v4Frame = PacketBuilder.ipv4().udp(1000, 53).payload(64)
        .ethernet(0x0200_0000_00FEL, 0x0200_0000_0001L).toDirectBuffer(0, 0);
    private final UnsafeBuffer v6Packet = PacketBuilder.ipv6().hopByHop().routingHeader(4, 0)
        .fragmentHeader(0, true, 5).tcp(40000, 443, TcpFlyweight.SYN).payload(4).toDirectBuffer(0, 0);
    private final UnsafeBuffer badV6Packet = PacketBuilder.ipv6().routingHeader(4, 0).hopByHop().udp(1, 2)
        .toDirectBuffer(0, 0);
    private final UnsafeBuffer nsPacket = PacketBuilder.ipv6("fe80::1", "ff02::1:ff00:2").ttl(255)
        .neighborSolicitation("2001:db8::2", 0x0200_0000_0001L).toDirectBuffer(0, 0);

    @Test
    void processingPacketsAllocatesNothing()
    {
        assertTrue(threads.isThreadAllocatedMemorySupported());
        long sink = 0;
        for (int i = 0; i < PACKETS; i++)
        {
            sink += processOnePacketOfEachKind(i);
        }

        final long threadId = Thread.currentThread().getId();
        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < PACKETS; i++)
        {
            sink += processOnePacketOfEachKind(i);
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertTrue(sink != 42, "keeps the work alive");
        assertTrue(allocated < TOLERANCE_BYTES, "allocated " + allocated + " bytes for " + PACKETS + " packets");
    }

    private long processOnePacketOfEachKind(final int i)
    {
        long result = 0;

        assertEquals(null, EthernetValidator.validate(v4Frame, 0, v4Frame.capacity()));
        assertEquals(null, Ipv4Validator.validate(v4Frame, 14, v4Frame.capacity() - 14));
        ipv4.wrap(v4Frame, 14);
        udp.wrap(v4Frame, ipv4.payloadOffset());
        final int oldAddress = ipv4.srcAddress();
        final int newAddress = oldAddress ^ (i & 0xFF);
        ipv4.srcAddress(newAddress).headerChecksum(InternetChecksum.update32(ipv4.headerChecksum(), oldAddress, newAddress));
        udp.checksum(InternetChecksum.udpWireChecksum(InternetChecksum.update32(udp.checksum(), oldAddress, newAddress)));
        result += InternetChecksum.udpIpv4Checksum(v4Frame, 14, ipv4.payloadOffset(), udp.length());
        ipv4.srcAddress(oldAddress).updateHeaderChecksum();

        assertEquals(null, Ipv6Validator.validate(v6Packet, 0, v6Packet.capacity(), chain));
        ipv6.wrap(v6Packet, 0);
        tcp.wrap(v6Packet, chain.upperLayerOffset());
        result += ipv6.srcLow() + tcp.sequenceNumber() + tcp.flags();
        result += InternetChecksum.tcpIpv6Checksum(v6Packet, 0, chain.upperLayerOffset(), chain.upperLayerLength());
        result += InternetChecksum.update128(tcp.checksum(), ipv6.srcHigh(), ipv6.srcLow(), 1L, i);

        result += Ipv6Validator.validate(badV6Packet, 0, badV6Packet.capacity(), chain).ordinal();

        assertEquals(null, Ipv6Validator.validate(nsPacket, 0, nsPacket.capacity(), chain));
        assertEquals(null, NdpValidator.validate(nsPacket, chain));
        ndp.wrap(nsPacket, chain.upperLayerOffset(), chain.upperLayerLength());
        result += ndp.sourceLinkLayerAddress() + ndp.targetLow() + (ndp.hasValidOptions() ? 1 : 0);

        return result;
    }
}
