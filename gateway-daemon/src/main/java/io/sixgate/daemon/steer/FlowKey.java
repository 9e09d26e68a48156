package io.sixgate.daemon.steer;

import static java.nio.ByteOrder.BIG_ENDIAN;

import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.Icmpv4Flyweight;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.state.StateHash;

import org.agrona.DirectBuffer;

/**
 * A keyed 64-bit hash of an Ethernet frame's flow that is the same in both directions: the
 * protocol and the two endpoints (address and port, or the ICMP echo identifier in place of both
 * ports), taken in a fixed order. What the worker transmits and what comes back on the same flow
 * get the same key, so the key of a frame the worker sent names the flow its replies belong to
 * ({@link KnownFlowHints}).
 *
 * <p>Reads IPv4 and IPv6 frames without VLAN tags; TCP, UDP, ICMP and ICMPv6 right after the fixed
 * header (IPv6 extension headers, IPv4 non-first fragments and ICMP errors are keyed by
 * addresses and protocol only: a coarser key, which only ever means a shared queueing priority).
 * Anything else is {@link #NO_FLOW}. Pure, no allocation, no exceptions: any thread.
 */
public final class FlowKey
{
    /** The key of a frame that is not of a flow (ARP, too short, not IP). */
    public static final long NO_FLOW = 0;

    private static final int IP = EthernetFlyweight.HEADER_LENGTH;
    private static final int ICMP_ECHO_ID_OFFSET = 4;

    private final long seed4;
    private final long seed6;

    /**
     * @param seed secret, so that a remote host cannot aim its flows at one hint slot.
     */
    public FlowKey(final long seed)
    {
        this.seed4 = StateHash.derive(seed, 4);
        this.seed6 = StateHash.derive(seed, 6);
    }

    /**
     * @return the flow's key, never {@link #NO_FLOW} for an IP frame; {@link #NO_FLOW} otherwise.
     */
    public long of(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < IP + Ipv4Flyweight.MIN_HEADER_LENGTH)
        {
            return NO_FLOW;
        }
        final int etherType = buffer.getShort(offset + EthernetFlyweight.ETHERTYPE_OFFSET, BIG_ENDIAN) & 0xFFFF;
        if (etherType == EthernetFlyweight.ETHERTYPE_IPV4)
        {
            return ipv4(buffer, offset + IP, length - IP);
        }
        if (etherType == EthernetFlyweight.ETHERTYPE_IPV6 && length >= IP + Ipv6Flyweight.HEADER_LENGTH)
        {
            return ipv6(buffer, offset + IP, length - IP);
        }
        return NO_FLOW;
    }

    private long ipv4(final DirectBuffer buffer, final int ip, final int length)
    {
        final long src = buffer.getInt(ip + Ipv4Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN) & 0xFFFF_FFFFL;
        final long dst = buffer.getInt(ip + Ipv4Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN) & 0xFFFF_FFFFL;
        final int protocol = buffer.getByte(ip + Ipv4Flyweight.PROTOCOL_OFFSET) & 0xFF;
        final int headerLength = (buffer.getByte(ip) & 0x0F) << 2;
        final boolean nonFirstFragment =
            (buffer.getShort(ip + Ipv4Flyweight.FLAGS_OFFSET, BIG_ENDIAN) & Ipv4Flyweight.FRAGMENT_OFFSET_MASK) != 0;
        int srcPort = 0;
        int dstPort = 0;
        if (headerLength >= Ipv4Flyweight.MIN_HEADER_LENGTH && !nonFirstFragment)
        {
            final int l4 = ip + headerLength;
            final int l4Length = length - headerLength;
            if ((protocol == IpProtocol.TCP || protocol == IpProtocol.UDP) && l4Length >= 4)
            {
                srcPort = buffer.getShort(l4, BIG_ENDIAN) & 0xFFFF;
                dstPort = buffer.getShort(l4 + 2, BIG_ENDIAN) & 0xFFFF;
            }
            else if (protocol == IpProtocol.ICMP && l4Length >= Icmpv4Flyweight.HEADER_LENGTH)
            {
                final int type = buffer.getByte(l4 + Icmpv4Flyweight.TYPE_OFFSET) & 0xFF;
                if (type == Icmpv4Flyweight.TYPE_ECHO_REQUEST || type == Icmpv4Flyweight.TYPE_ECHO_REPLY)
                {
                    // RFC 6146 §3.5.3: the echo identifier is the query's "port", the same both ways.
                    srcPort = buffer.getShort(l4 + ICMP_ECHO_ID_OFFSET, BIG_ENDIAN) & 0xFFFF;
                    dstPort = srcPort;
                }
            }
        }
        final long a = src << 16 | srcPort;
        final long b = dst << 16 | dstPort;
        final long low = Math.min(a, b);
        final long high = Math.max(a, b);
        return nonZero(StateHash.mix(StateHash.mix(StateHash.mix(seed4 ^ low) ^ high) ^ protocol));
    }

    private long ipv6(final DirectBuffer buffer, final int ip, final int length)
    {
        final long srcHigh = buffer.getLong(ip + Ipv6Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final long srcLow = buffer.getLong(ip + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        final long dstHigh = buffer.getLong(ip + Ipv6Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        final long dstLow = buffer.getLong(ip + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        final int nextHeader = buffer.getByte(ip + Ipv6Flyweight.NEXT_HEADER_OFFSET) & 0xFF;
        final int l4 = ip + Ipv6Flyweight.HEADER_LENGTH;
        final int l4Length = length - Ipv6Flyweight.HEADER_LENGTH;
        int srcPort = 0;
        int dstPort = 0;
        if ((nextHeader == IpProtocol.TCP || nextHeader == IpProtocol.UDP) && l4Length >= 4)
        {
            srcPort = buffer.getShort(l4, BIG_ENDIAN) & 0xFFFF;
            dstPort = buffer.getShort(l4 + 2, BIG_ENDIAN) & 0xFFFF;
        }
        else if (nextHeader == IpProtocol.ICMPV6 && l4Length >= Icmpv6Flyweight.HEADER_LENGTH)
        {
            final int type = buffer.getByte(l4 + Icmpv6Flyweight.TYPE_OFFSET) & 0xFF;
            if (type == Icmpv6Flyweight.TYPE_ECHO_REQUEST || type == Icmpv6Flyweight.TYPE_ECHO_REPLY)
            {
                srcPort = buffer.getShort(l4 + ICMP_ECHO_ID_OFFSET, BIG_ENDIAN) & 0xFFFF;
                dstPort = srcPort;
            }
        }
        // The endpoints in a fixed order (address, then port; unsigned), so both directions agree.
        final boolean srcFirst = srcHigh != dstHigh ? Long.compareUnsigned(srcHigh, dstHigh) < 0
            : srcLow != dstLow ? Long.compareUnsigned(srcLow, dstLow) < 0 : srcPort <= dstPort;
        final long firstHigh = srcFirst ? srcHigh : dstHigh;
        final long firstLow = srcFirst ? srcLow : dstLow;
        final long secondHigh = srcFirst ? dstHigh : srcHigh;
        final long secondLow = srcFirst ? dstLow : srcLow;
        final long ports = srcFirst ? (long)srcPort << 16 | dstPort : (long)dstPort << 16 | srcPort;
        long h = StateHash.mix(seed6 ^ firstHigh);
        h = StateHash.mix(h ^ firstLow);
        h = StateHash.mix(h ^ secondHigh);
        h = StateHash.mix(h ^ secondLow);
        return nonZero(StateHash.mix(h ^ (ports << 8 | nextHeader)));
    }

    private static long nonZero(final long key)
    {
        return key == NO_FLOW ? 1 : key;
    }
}
