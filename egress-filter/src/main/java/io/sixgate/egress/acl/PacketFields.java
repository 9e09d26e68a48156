package io.sixgate.egress.acl;

import static java.nio.ByteOrder.BIG_ENDIAN;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.Icmpv4Flyweight;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.Ipv6HeaderChain;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.port.PortAddresses;
import io.sixgate.egress.SourceChecks;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The fields network ACLs and security groups match on, read from one validated frame (after
 * ipv4-input or ipv6-input set its upper-layer offset and protocol). One instance per stage,
 * refilled for every packet, so nothing is allocated.
 *
 * <p>Ports: TCP and UDP carry theirs; an ICMP echo request carries its identifier as the source
 * port and 0 as the destination port, an echo reply the other way round, so that a reply has the
 * request's tuple reversed (as RFC 6092 §3.2.1 and RFC 5508 treat the identifier). A non-first
 * fragment, or a TCP or UDP header cut short, carries {@link AclClassifier#NO_PORT}.
 */
final class PacketFields
{
    boolean ipv6;
    long srcHigh;
    long srcLow;
    long dstHigh;
    long dstLow;
    int src4;
    int dst4;
    int protocol;
    int srcPort;
    int dstPort;
    /** ICMP type (ICMPv4 in IPv4, ICMPv6 in IPv6), or -1. */
    int icmpType;
    int tcpFlags;
    int l4;
    int frameEnd;

    void read(final FramePool pool, final UnsafeBuffer buffer, final int frame, final Ipv6HeaderChain chain)
    {
        final int l3 = pool.l3Offset(frame);
        frameEnd = pool.offset(frame) + pool.length(frame);
        protocol = pool.l4Protocol(frame);
        l4 = pool.l4Offset(frame);
        ipv6 = (buffer.getByte(l3) & 0xF0) == 0x60;
        srcPort = 0;
        dstPort = 0;
        icmpType = -1;
        tcpFlags = 0;
        boolean nonFirstFragment = false;
        if (ipv6)
        {
            srcHigh = buffer.getLong(l3 + Ipv6Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
            srcLow = buffer.getLong(l3 + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN);
            dstHigh = buffer.getLong(l3 + Ipv6Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
            dstLow = buffer.getLong(l3 + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, BIG_ENDIAN);
            if ((buffer.getByte(l3 + Ipv6Flyweight.NEXT_HEADER_OFFSET) & 0xFF) != protocol)
            {
                // Extension headers: walk them (without any, the common case, there is nothing to walk).
                chain.parse(buffer, l3, frameEnd - l3);
                nonFirstFragment = chain.isNonFirstFragment();
            }
        }
        else
        {
            src4 = buffer.getInt(l3 + Ipv4Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
            dst4 = buffer.getInt(l3 + Ipv4Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
            nonFirstFragment = (buffer.getShort(l3 + Ipv4Flyweight.FLAGS_OFFSET, BIG_ENDIAN) &
                Ipv4Flyweight.FRAGMENT_OFFSET_MASK) != 0;
        }
        if (protocol == IpProtocol.TCP || protocol == IpProtocol.UDP)
        {
            if (nonFirstFragment || frameEnd - l4 < 4)
            {
                srcPort = AclClassifier.NO_PORT;
                dstPort = AclClassifier.NO_PORT;
                return;
            }
            srcPort = buffer.getShort(l4, BIG_ENDIAN) & 0xFFFF;
            dstPort = buffer.getShort(l4 + 2, BIG_ENDIAN) & 0xFFFF;
            if (protocol == IpProtocol.TCP && frameEnd - l4 > TcpFlyweight.FLAGS_OFFSET)
            {
                tcpFlags = buffer.getByte(l4 + TcpFlyweight.FLAGS_OFFSET) & 0xFF;
            }
        }
        else if (isIcmp() && !nonFirstFragment && frameEnd - l4 >= 1)
        {
            icmpType = buffer.getByte(l4) & 0xFF;
            if ((isEchoRequest() || isEchoReply()) && frameEnd - l4 >= Icmpv6Flyweight.HEADER_LENGTH)
            {
                final int identifier = buffer.getShort(l4 + Icmpv6Flyweight.IDENTIFIER_OFFSET, BIG_ENDIAN) & 0xFFFF;
                srcPort = isEchoRequest() ? identifier : 0;
                dstPort = isEchoRequest() ? 0 : identifier;
            }
            else if (isEchoRequest() || isEchoReply())
            {
                icmpType = -1;      // too short to be tracked: matched by the rules as plain ICMP
            }
        }
    }

    /**
     * @return whether the packet is for the gateway itself or a group rather than crossing it:
     * multicast, link-local (RFC 4291 §2.5.6, §2.7), broadcast, or one of the gateway's addresses.
     * The filters leave such packets to the local stages.
     */
    boolean isForGateway(final PortAddresses addresses)
    {
        if (ipv6)
        {
            return SourceChecks.isMulticast(dstHigh) || SourceChecks.isLinkLocal(dstHigh) ||
                addresses.isLocalIpv6(dstHigh, dstLow);
        }
        return (dst4 & 0xF000_0000) == 0xE000_0000 || dst4 == -1 || addresses.isLocalIpv4(dst4) ||
            addresses.isDirectedBroadcast(dst4);
    }

    /** The ICMP of the packet's family: ICMPv4 in IPv4, ICMPv6 in IPv6. */
    boolean isIcmp()
    {
        return protocol == (ipv6 ? IpProtocol.ICMPV6 : IpProtocol.ICMP);
    }

    boolean isEchoRequest()
    {
        return icmpType == (ipv6 ? Icmpv6Flyweight.TYPE_ECHO_REQUEST : Icmpv4Flyweight.TYPE_ECHO_REQUEST);
    }

    boolean isEchoReply()
    {
        return icmpType == (ipv6 ? Icmpv6Flyweight.TYPE_ECHO_REPLY : Icmpv4Flyweight.TYPE_ECHO_REPLY);
    }

    /** RFC 4443 §2.1: types 0-127 are errors; RFC 792: Destination Unreachable, Source Quench, Redirect, Time Exceeded, Parameter Problem. */
    boolean isIcmpError()
    {
        if (icmpType < 0)
        {
            return false;
        }
        if (ipv6)
        {
            return Icmpv6Flyweight.isError(icmpType);
        }
        return icmpType == Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE ||
            icmpType == Icmpv4Flyweight.TYPE_SOURCE_QUENCH || icmpType == Icmpv4Flyweight.TYPE_REDIRECT ||
            icmpType == Icmpv4Flyweight.TYPE_TIME_EXCEEDED || icmpType == Icmpv4Flyweight.TYPE_PARAMETER_PROBLEM;
    }

    /**
     * @return whether the packet can belong to a tracked flow: TCP and UDP with ports, ICMP echo,
     * and protocols without ports (ESP, AH, GRE..., tracked by addresses as in RFC 6092 §3.2.4).
     */
    boolean isTrackable()
    {
        if (protocol == IpProtocol.TCP || protocol == IpProtocol.UDP)
        {
            return srcPort != AclClassifier.NO_PORT;
        }
        if (protocol == IpProtocol.ICMP || protocol == IpProtocol.ICMPV6)
        {
            return isEchoRequest() || isEchoReply();
        }
        return true;
    }

    /** The port the rules match: the destination port of TCP and UDP, any for the rest. */
    int rulePort()
    {
        return protocol == IpProtocol.TCP || protocol == IpProtocol.UDP ? dstPort : 0;
    }
}
