package io.sixgate.daemon.replay;

import java.nio.ByteBuffer;

/**
 * Small, well-formed enough IPv4/IPv6 UDP packets and Ethernet frames for replay tests.
 * Checksums are left zero: the test stages do not look at them.
 */
public final class TestFrames
{
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_IPV6 = 0x86DD;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERNET_HEADER = 14;

    private TestFrames()
    {
    }

    /**
     * @return a raw IPv4/UDP packet 192.0.2.10 -> 198.51.100.10, the sequence number in the payload.
     */
    public static byte[] ipv4(final int ttl, final int sequence, final int payloadLength)
    {
        final int total = 20 + 8 + payloadLength;
        final ByteBuffer packet = ByteBuffer.allocate(total);
        packet.put((byte)0x45).put((byte)0).putShort((short)total).putShort((short)sequence).putShort((short)0);
        packet.put((byte)ttl).put((byte)17).putShort((short)0);
        packet.put(new byte[]{(byte)192, 0, 2, 10}).put(new byte[]{(byte)198, 51, 100, 10});
        udp(packet, sequence, payloadLength);
        return packet.array();
    }

    /**
     * @return a raw IPv6/UDP packet 2001:db8::10 -> 2001:db8:1::10, the sequence number in the payload.
     */
    public static byte[] ipv6(final int hopLimit, final int sequence, final int payloadLength)
    {
        final ByteBuffer packet = ByteBuffer.allocate(40 + 8 + payloadLength);
        packet.putInt(0x6000_0000).putShort((short)(8 + payloadLength)).put((byte)17).put((byte)hopLimit);
        packet.put(address6(0x2001_0db8_0000_0000L, 0x10)).put(address6(0x2001_0db8_0001_0000L, 0x10));
        udp(packet, sequence, payloadLength);
        return packet.array();
    }

    private static void udp(final ByteBuffer packet, final int sequence, final int payloadLength)
    {
        packet.putShort((short)40000).putShort((short)9).putShort((short)(8 + payloadLength)).putShort((short)0);
        for (int i = 0; i < payloadLength; i++)
        {
            packet.put((byte)(i < 4 ? sequence >>> (24 - 8 * i) : i));
        }
    }

    private static byte[] address6(final long high, final long low)
    {
        return ByteBuffer.allocate(16).putLong(high).putLong(low).array();
    }

    /**
     * @return the packet in an Ethernet II frame 02:00:00:00:00:aa -> 02:00:00:00:00:01.
     */
    public static byte[] ethernet(final int etherType, final byte[] payload)
    {
        return ByteBuffer.allocate(ETHERNET_HEADER + payload.length)
            .put(new byte[]{2, 0, 0, 0, 0, 1}).put(new byte[]{2, 0, 0, 0, 0, (byte)0xAA})
            .putShort((short)etherType).put(payload).array();
    }

    /**
     * @return the packet's sequence number, from the first four payload bytes.
     */
    public static int sequence(final byte[] ipPacket)
    {
        final int payload = (ipPacket[0] >>> 4) == 4 ? 28 : 48;
        return ByteBuffer.wrap(ipPacket, payload, 4).getInt();
    }
}
