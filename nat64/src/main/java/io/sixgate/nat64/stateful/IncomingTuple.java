package io.sixgate.nat64.stateful;

import static java.nio.ByteOrder.BIG_ENDIAN;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.InternetChecksum;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.packet.Ipv4Validator;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.Ipv6HeaderChain;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.nat64.address.Rfc6052Prefix;
import io.sixgate.nat64.icmp.IcmpTranslation;
import io.sixgate.nat64.state.Pool4;
import io.sixgate.nat64.state.SessionProtocol;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * RFC 6146 §3.4, "Determining the Incoming Tuple": reads the packet's protocol, addresses and
 * ports (ICMP identifiers) into the {@link Nat64Xlation}; for an ICMP error, those of the packet
 * inside it, reversed, since the error belongs to that packet's flow. Reads only; the packet is
 * not changed.
 *
 * <p>Deliberate deviation: fragments are not reassembled. A first fragment carries the ports and
 * is translated; a non-first fragment has none and is dropped (counted).
 */
final class IncomingTuple
{
    private static final int ICMP_ID = 4;

    private final FramePool pool;
    private final UnsafeBuffer buffer;
    private final Rfc6052Prefix pool6;
    private final Pool4 pool4;
    private final Nat64Shard shard;
    private final Ipv6HeaderChain chain = new Ipv6HeaderChain();
    private final Ipv6HeaderChain innerChain = new Ipv6HeaderChain();

    IncomingTuple(final FramePool pool, final Nat64Shard shard)
    {
        this.pool = pool;
        this.buffer = pool.buffer();
        this.pool6 = shard.pool6();
        this.pool4 = shard.pool4();
        this.shard = shard;
    }

    /**
     * The tuple of an IPv6 packet: (X', x) to (Z, z), Z extracted from the pool6 destination and
     * mapped to its instance address when it is an IPv6 EIP.
     */
    Nat64Stateful64DropReason from6(final int frame, final Nat64Xlation x)
    {
        final int off = pool.offset(frame);
        final int frameLength = pool.length(frame);
        if (frameLength < Ipv6Flyweight.HEADER_LENGTH || (buffer.getByte(off) & 0xF0) != 0x60)
        {
            return Nat64Stateful64DropReason.MALFORMED;
        }
        final int packetLength = Ipv6Flyweight.HEADER_LENGTH + u16(off + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET);
        if (packetLength > frameLength)
        {
            return Nat64Stateful64DropReason.MALFORMED;
        }
        // Nearly every packet has no extension header: its upper layer follows the fixed header
        // and there is no chain to walk (RFC 8200 §4). The walk is for the others.
        final int nextHeader = buffer.getByte(off + Ipv6Flyweight.NEXT_HEADER_OFFSET) & 0xFF;
        final boolean walked = !isPlainUpperLayer(nextHeader);
        if (walked && chain.parse(buffer, off, packetLength) != Ipv6HeaderChain.Status.COMPLETE)
        {
            return Nat64Stateful64DropReason.MALFORMED;
        }
        final Nat64Stateful64DropReason notOurs = destination6(off, x);
        if (notOurs != null)
        {
            return notOurs;
        }
        if (walked && chain.isNonFirstFragment())
        {
            return Nat64Stateful64DropReason.NON_FIRST_FRAGMENT;
        }
        x.src6High = buffer.getLong(off + Ipv6Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        x.src6Low = buffer.getLong(off + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        final int l4 = walked ? chain.upperLayerOffset() : off + Ipv6Flyweight.HEADER_LENGTH;
        return transport6(l4, off + packetLength - l4, walked ? chain.upperLayerProtocol() : nextHeader, x);
    }

    /**
     * Z from the pool6 destination (RFC 6052), mapped to its instance address when it is an
     * IPv6 EIP, into {@code x.remote4}.
     */
    private Nat64Stateful64DropReason destination6(final int off, final Nat64Xlation x)
    {
        final long dstHigh = buffer.getLong(off + Ipv6Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        final long dstLow = buffer.getLong(off + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        if (!pool6.matches(dstHigh, dstLow))
        {
            return Nat64Stateful64DropReason.NOT_POOL6;
        }
        final int dst4 = pool6.extract(dstHigh, dstLow);
        // RFC 1812 §5.3.7, RFC 7915 §1.2: 0/8, 127/8, multicast and class E are no destination of
        // a translated flow, whatever wkp-global-only lets through (found by fuzzing: 254.x.x.x).
        if (!pool6.isTranslatable(dst4) || !Ipv4Validator.isValidSource(dst4))
        {
            return Nat64Stateful64DropReason.DESTINATION_NOT_TRANSLATABLE;
        }
        x.remote4 = shard.eip().toPrivate(dst4);
        return null;
    }

    /**
     * RFC 6146 §3.4: the ports (or ICMPv6 identifier) of the upper layer at {@code l4}; for an
     * ICMPv6 error, the tuple of the packet inside. Apart from {@link #from6} so that both stay
     * small enough for C2 to inline into the stage.
     */
    private Nat64Stateful64DropReason transport6(
        final int l4, final int l4Length, final int protocol, final Nat64Xlation x)
    {
        switch (protocol)
        {
            case IpProtocol.TCP:
                if (l4Length < TcpFlyweight.MIN_HEADER_LENGTH)
                {
                    return Nat64Stateful64DropReason.TRUNCATED_TRANSPORT;
                }
                x.protocol = SessionProtocol.TCP;
                x.src6Port = u16(l4);
                x.remotePort = u16(l4 + 2);
                x.tcpFlags = buffer.getByte(l4 + TcpFlyweight.FLAGS_OFFSET) & 0xFF;
                return null;

            case IpProtocol.UDP:
                if (l4Length < 8)
                {
                    return Nat64Stateful64DropReason.TRUNCATED_TRANSPORT;
                }
                x.protocol = SessionProtocol.UDP;
                x.src6Port = u16(l4);
                x.remotePort = u16(l4 + 2);
                return null;

            case IpProtocol.ICMPV6:
            {
                if (l4Length < 8)
                {
                    return Nat64Stateful64DropReason.TRUNCATED_TRANSPORT;
                }
                final int type = buffer.getByte(l4) & 0xFF;
                if (type == IcmpTranslation.ICMPV6_ECHO_REQUEST || type == IcmpTranslation.ICMPV6_ECHO_REPLY)
                {
                    // RFC 6146 §3.4: for ICMP queries the identifier stands for both ports.
                    x.protocol = SessionProtocol.ICMP;
                    x.src6Port = u16(l4 + ICMP_ID);
                    x.remotePort = 0;
                    return null;
                }
                if (!IcmpTranslation.isIcmpv6Error(type))
                {
                    return Nat64Stateful64DropReason.ICMP_NOT_QUERY;
                }
                x.icmpError = true;
                x.errorPeer4 = x.remote4;
                return inner6(l4 + 8, l4Length - 8, x);
            }

            default:
                return Nat64Stateful64DropReason.UNSUPPORTED_PROTOCOL;
        }
    }

    /**
     * @return whether {@code nextHeader}, in the fixed IPv6 header, names an upper layer this
     * step reads: then it starts right after the fixed header, which is what a walk of the
     * chain would find (none of the three is an extension header, RFC 8200 §4).
     */
    private static boolean isPlainUpperLayer(final int nextHeader)
    {
        return nextHeader == IpProtocol.UDP || nextHeader == IpProtocol.TCP || nextHeader == IpProtocol.ICMPV6;
    }

    /**
     * RFC 6146 §3.4: the packet inside an ICMPv6 error went from (Z, z) (under pool6) to (X', x);
     * the tuple is that flow's as seen from the IPv6 side.
     */
    private Nat64Stateful64DropReason inner6(final int inner, final int available, final Nat64Xlation x)
    {
        if (available < Ipv6Flyweight.HEADER_LENGTH || (buffer.getByte(inner) & 0xF0) != 0x60)
        {
            return Nat64Stateful64DropReason.ICMP_ERROR_INNER_MALFORMED;
        }
        final int innerLength = Math.min(available,
            Ipv6Flyweight.HEADER_LENGTH + u16(inner + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET));
        if (innerChain.parse(buffer, inner, innerLength) != Ipv6HeaderChain.Status.COMPLETE ||
            innerChain.isNonFirstFragment())
        {
            return Nat64Stateful64DropReason.ICMP_ERROR_INNER_MALFORMED;
        }
        final long innerSrcHigh = buffer.getLong(inner + Ipv6Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final long innerSrcLow = buffer.getLong(inner + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        if (!pool6.matches(innerSrcHigh, innerSrcLow))
        {
            return Nat64Stateful64DropReason.ICMP_ERROR_INNER_MALFORMED;
        }
        x.remote4 = shard.eip().toPrivate(pool6.extract(innerSrcHigh, innerSrcLow));
        x.src6High = buffer.getLong(inner + Ipv6Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        x.src6Low = buffer.getLong(inner + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        final int l4 = innerChain.upperLayerOffset();
        final int l4Available = inner + innerLength - l4;
        switch (innerChain.upperLayerProtocol())
        {
            case IpProtocol.TCP:
            case IpProtocol.UDP:
                if (l4Available < 4)
                {
                    return Nat64Stateful64DropReason.ICMP_ERROR_INNER_MALFORMED;
                }
                x.protocol = innerChain.upperLayerProtocol() == IpProtocol.TCP ? SessionProtocol.TCP : SessionProtocol.UDP;
                x.remotePort = u16(l4);
                x.src6Port = u16(l4 + 2);
                return null;

            case IpProtocol.ICMPV6:
            {
                if (l4Available < 6)
                {
                    return Nat64Stateful64DropReason.ICMP_ERROR_INNER_MALFORMED;
                }
                final int type = buffer.getByte(l4) & 0xFF;
                if (type != IcmpTranslation.ICMPV6_ECHO_REQUEST && type != IcmpTranslation.ICMPV6_ECHO_REPLY)
                {
                    return Nat64Stateful64DropReason.ICMP_ERROR_INNER_MALFORMED;
                }
                x.protocol = SessionProtocol.ICMP;
                x.src6Port = u16(l4 + ICMP_ID);
                x.remotePort = 0;
                return null;
            }

            default:
                return Nat64Stateful64DropReason.ICMP_ERROR_INNER_MALFORMED;
        }
    }

    /**
     * The tuple of an IPv4 packet: (Z, z) to (T, t).
     *
     * @param hairpin the packet is the IPv4 form of a hairpinned IPv6 packet (RFC 6146 §3.8),
     *                written by us: its header checksum is not checked.
     */
    Nat64Stateful46DropReason from4(final int frame, final Nat64Xlation x, final boolean hairpin)
    {
        final int off = pool.offset(frame);
        final int frameLength = pool.length(frame);
        if (frameLength < Ipv4Flyweight.MIN_HEADER_LENGTH || (buffer.getByte(off) & 0xF0) != 0x40)
        {
            return Nat64Stateful46DropReason.MALFORMED;
        }
        final int ihl = (buffer.getByte(off) & 0x0F) << 2;
        final int totalLength = u16(off + Ipv4Flyweight.TOTAL_LENGTH_OFFSET);
        if (ihl < 20 || totalLength < ihl || totalLength > frameLength ||
            (!hairpin && InternetChecksum.sum(buffer, off, ihl) != 0xFFFF))
        {
            return Nat64Stateful46DropReason.MALFORMED;
        }
        x.pool4Address = buffer.getInt(off + Ipv4Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        x.remote4 = buffer.getInt(off + Ipv4Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        if (!pool4.contains(x.pool4Address))
        {
            return Nat64Stateful46DropReason.NOT_POOL4;
        }
        if ((u16(off + Ipv4Flyweight.FLAGS_OFFSET) & 0x1FFF) != 0)
        {
            return Nat64Stateful46DropReason.NON_FIRST_FRAGMENT;
        }
        return transport4(off + ihl, totalLength - ihl, buffer.getByte(off + Ipv4Flyweight.PROTOCOL_OFFSET) & 0xFF, x);
    }

    /**
     * RFC 6146 §3.4: the ports (or ICMPv4 identifier) of the upper layer at {@code l4}; for an
     * ICMPv4 error, the tuple of the packet inside. Apart from {@link #from4} so that both stay
     * small enough for C2 to inline into the stage.
     */
    private Nat64Stateful46DropReason transport4(
        final int l4, final int l4Length, final int protocol, final Nat64Xlation x)
    {
        switch (protocol)
        {
            case IpProtocol.TCP:
                if (l4Length < TcpFlyweight.MIN_HEADER_LENGTH)
                {
                    return Nat64Stateful46DropReason.TRUNCATED_TRANSPORT;
                }
                x.protocol = SessionProtocol.TCP;
                x.remotePort = u16(l4);
                x.pool4Port = u16(l4 + 2);
                x.tcpFlags = buffer.getByte(l4 + TcpFlyweight.FLAGS_OFFSET) & 0xFF;
                return null;

            case IpProtocol.UDP:
                if (l4Length < 8)
                {
                    return Nat64Stateful46DropReason.TRUNCATED_TRANSPORT;
                }
                x.protocol = SessionProtocol.UDP;
                x.remotePort = u16(l4);
                x.pool4Port = u16(l4 + 2);
                return null;

            case IpProtocol.ICMP:
            {
                if (l4Length < 8)
                {
                    return Nat64Stateful46DropReason.TRUNCATED_TRANSPORT;
                }
                final int type = buffer.getByte(l4) & 0xFF;
                if (type == IcmpTranslation.ICMPV4_ECHO_REQUEST || type == IcmpTranslation.ICMPV4_ECHO_REPLY)
                {
                    x.protocol = SessionProtocol.ICMP;
                    x.pool4Port = u16(l4 + ICMP_ID);
                    x.remotePort = 0;
                    return null;
                }
                if (!IcmpTranslation.isIcmpv4Error(type))
                {
                    return Nat64Stateful46DropReason.ICMP_NOT_QUERY;
                }
                x.icmpError = true;
                x.errorPeer4 = x.remote4;
                return inner4(l4 + 8, l4Length - 8, x);
            }

            default:
                return Nat64Stateful46DropReason.UNSUPPORTED_PROTOCOL;
        }
    }

    /**
     * RFC 6146 §3.4: the packet inside an ICMPv4 error went from (T, t) to (Z, z).
     */
    private Nat64Stateful46DropReason inner4(final int inner, final int available, final Nat64Xlation x)
    {
        if (available < Ipv4Flyweight.MIN_HEADER_LENGTH || (buffer.getByte(inner) & 0xF0) != 0x40)
        {
            return Nat64Stateful46DropReason.ICMP_ERROR_INNER_MALFORMED;
        }
        final int ihl = (buffer.getByte(inner) & 0x0F) << 2;
        if (ihl < 20 || ihl > available || (u16(inner + Ipv4Flyweight.FLAGS_OFFSET) & 0x1FFF) != 0)
        {
            return Nat64Stateful46DropReason.ICMP_ERROR_INNER_MALFORMED;
        }
        x.pool4Address = buffer.getInt(inner + Ipv4Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        x.remote4 = buffer.getInt(inner + Ipv4Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        if (!pool4.contains(x.pool4Address))
        {
            return Nat64Stateful46DropReason.ICMP_ERROR_INNER_MALFORMED;
        }
        final int l4 = inner + ihl;
        final int l4Available = available - ihl;
        switch (buffer.getByte(inner + Ipv4Flyweight.PROTOCOL_OFFSET) & 0xFF)
        {
            case IpProtocol.TCP:
            case IpProtocol.UDP:
                if (l4Available < 4)
                {
                    return Nat64Stateful46DropReason.ICMP_ERROR_INNER_MALFORMED;
                }
                x.protocol = (buffer.getByte(inner + Ipv4Flyweight.PROTOCOL_OFFSET) & 0xFF) == IpProtocol.TCP
                    ? SessionProtocol.TCP : SessionProtocol.UDP;
                x.pool4Port = u16(l4);
                x.remotePort = u16(l4 + 2);
                return null;

            case IpProtocol.ICMP:
            {
                if (l4Available < 6)
                {
                    return Nat64Stateful46DropReason.ICMP_ERROR_INNER_MALFORMED;
                }
                final int type = buffer.getByte(l4) & 0xFF;
                if (type != IcmpTranslation.ICMPV4_ECHO_REQUEST && type != IcmpTranslation.ICMPV4_ECHO_REPLY)
                {
                    return Nat64Stateful46DropReason.ICMP_ERROR_INNER_MALFORMED;
                }
                x.protocol = SessionProtocol.ICMP;
                x.pool4Port = u16(l4 + ICMP_ID);
                x.remotePort = 0;
                return null;
            }

            default:
                return Nat64Stateful46DropReason.ICMP_ERROR_INNER_MALFORMED;
        }
    }

    private int u16(final int index)
    {
        return buffer.getShort(index, BIG_ENDIAN) & 0xFFFF;
    }
}
