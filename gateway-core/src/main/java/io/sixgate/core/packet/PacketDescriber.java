package io.sixgate.core.packet;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One human line per packet, tcpdump-like, for replay summaries, the demo and test failure
 * messages: {@code IPv6 2001:db8::5.1000 > 64:ff9b::c000:205.53 UDP len 48 hlim 63}.
 *
 * <p>Allocates (it builds strings): never call it on the hot path. Tolerates any bytes:
 * what it cannot parse it calls truncated or unknown, and it never throws.
 */
public final class PacketDescriber
{
    private PacketDescriber()
    {
    }

    /**
     * @param frame        the frame bytes.
     * @param withEthernet whether the frame starts with an Ethernet II header.
     * @return the one-line description.
     */
    public static String describe(final byte[] frame, final boolean withEthernet)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final StringBuilder out = new StringBuilder(96);
        int offset = 0;
        if (withEthernet)
        {
            if (frame.length < EthernetFlyweight.HEADER_LENGTH)
            {
                return out.append("Ethernet truncated (").append(frame.length).append(" bytes)").toString();
            }
            final int etherType = new EthernetFlyweight().wrap(buffer, 0).etherType();
            offset = EthernetFlyweight.HEADER_LENGTH;
            if (etherType == EthernetFlyweight.ETHERTYPE_ARP)
            {
                return arp(out, buffer, offset, frame.length - offset);
            }
            if (etherType != EthernetFlyweight.ETHERTYPE_IPV4 && etherType != EthernetFlyweight.ETHERTYPE_IPV6)
            {
                return out.append("Ethernet type 0x").append(Integer.toHexString(etherType)).toString();
            }
        }
        final int length = frame.length - offset;
        if (length < 1)
        {
            return "empty";
        }
        final int version = (buffer.getByte(offset) & 0xF0) >>> 4;
        if (version == 4 && length >= Ipv4Flyweight.MIN_HEADER_LENGTH)
        {
            final Ipv4Flyweight ipv4 = new Ipv4Flyweight().wrap(buffer, offset);
            final int l4 = offset + ipv4.headerLength();
            final boolean firstFragment = ipv4.fragmentOffset() == 0;
            out.append("IPv4 ");
            endpoints(out, Ipv4Address.format(ipv4.srcAddress()), Ipv4Address.format(ipv4.dstAddress()),
                buffer, ipv4.protocol(), firstFragment ? l4 : -1, frame.length);
            out.append(" len ").append(ipv4.totalLength()).append(" ttl ").append(ipv4.ttl());
            if (ipv4.isFragment())
            {
                out.append(" frag ").append(ipv4.fragmentOffsetBytes()).append(ipv4.moreFragments() ? "+" : "");
            }
            return out.toString();
        }
        if (version == 6 && length >= Ipv6Flyweight.HEADER_LENGTH)
        {
            final Ipv6Flyweight ipv6 = new Ipv6Flyweight().wrap(buffer, offset);
            final Ipv6HeaderChain chain = new Ipv6HeaderChain();
            final boolean parsed = Ipv6Validator.validate(buffer, offset, length, chain) == null;
            out.append("IPv6 ");
            endpoints(out, Ipv6Address.format(ipv6.srcHigh(), ipv6.srcLow()),
                Ipv6Address.format(ipv6.dstHigh(), ipv6.dstLow()), buffer,
                parsed ? chain.upperLayerProtocol() : ipv6.nextHeader(),
                parsed && !chain.isNonFirstFragment() ? chain.upperLayerOffset() : -1, frame.length);
            out.append(" len ").append(Ipv6Flyweight.HEADER_LENGTH + ipv6.payloadLength())
                .append(" hlim ").append(ipv6.hopLimit());
            if (parsed && chain.isFragment())
            {
                out.append(" frag");
            }
            if (!parsed)
            {
                out.append(" (malformed)");
            }
            return out.toString();
        }
        return out.append("IP version ").append(version).append(" truncated or unknown, ")
            .append(length).append(" bytes").toString();
    }

    /**
     * tcpdump's words: {@code ARP request who-has 192.0.2.1 tell 192.0.2.10},
     * {@code ARP reply 192.0.2.1 is-at 02:00:00:00:00:01}.
     */
    private static String arp(final StringBuilder out, final UnsafeBuffer buffer, final int offset, final int length)
    {
        if (ArpValidator.validate(buffer, offset, length) != null)
        {
            return out.append("ARP len ").append(length).append(" (not Ethernet/IPv4)").toString();
        }
        final ArpFlyweight arp = new ArpFlyweight().wrap(buffer, offset);
        if (arp.oper() == ArpFlyweight.OPER_REQUEST)
        {
            return out.append("ARP request who-has ").append(Ipv4Address.format(arp.tpa()))
                .append(" tell ").append(Ipv4Address.format(arp.spa())).toString();
        }
        out.append("ARP reply ").append(Ipv4Address.format(arp.spa())).append(" is-at ");
        final long mac = arp.sha();
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            final int octet = (int)(mac >>> shift) & 0xFF;
            out.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
            if (shift > 0)
            {
                out.append(':');
            }
        }
        return out.toString();
    }

    private static void endpoints(
        final StringBuilder out, final String src, final String dst, final UnsafeBuffer buffer,
        final int protocol, final int l4Offset, final int end)
    {
        final boolean ports = (protocol == IpProtocol.TCP || protocol == IpProtocol.UDP)
            && l4Offset >= 0 && l4Offset + 4 <= end;
        out.append(src);
        if (ports)
        {
            out.append('.').append(new UdpFlyweight().wrap(buffer, l4Offset).srcPort());
        }
        out.append(" > ").append(dst);
        if (ports)
        {
            out.append('.').append(new UdpFlyweight().wrap(buffer, l4Offset).dstPort());
        }
        out.append(' ');
        switch (protocol)
        {
            case IpProtocol.TCP:
                out.append("TCP");
                if (l4Offset >= 0 && l4Offset + TcpFlyweight.MIN_HEADER_LENGTH <= end)
                {
                    tcpFlags(out, new TcpFlyweight().wrap(buffer, l4Offset).flags());
                }
                break;
            case IpProtocol.UDP:
                out.append("UDP");
                break;
            case IpProtocol.ICMP:
            case IpProtocol.ICMPV6:
                out.append(protocol == IpProtocol.ICMP ? "ICMP" : "ICMPv6");
                if (l4Offset >= 0 && l4Offset + 2 <= end)
                {
                    final int type = buffer.getByte(l4Offset) & 0xFF;
                    final String name = protocol == IpProtocol.ICMP ? icmpv4Name(type) : icmpv6Name(type);
                    out.append(' ').append(name != null ? name : "type " + type)
                        .append(" code ").append(buffer.getByte(l4Offset + 1) & 0xFF);
                }
                break;
            default:
                out.append("proto ").append(protocol);
        }
    }

    private static String icmpv4Name(final int type)
    {
        switch (type)
        {
            case Icmpv4Flyweight.TYPE_ECHO_REPLY:
                return "echo-reply";
            case Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE:
                return "unreachable";
            case Icmpv4Flyweight.TYPE_ECHO_REQUEST:
                return "echo-request";
            case Icmpv4Flyweight.TYPE_TIME_EXCEEDED:
                return "time-exceeded";
            case Icmpv4Flyweight.TYPE_PARAMETER_PROBLEM:
                return "parameter-problem";
            default:
                return null;
        }
    }

    private static String icmpv6Name(final int type)
    {
        switch (type)
        {
            case Icmpv6Flyweight.TYPE_DESTINATION_UNREACHABLE:
                return "unreachable";
            case Icmpv6Flyweight.TYPE_PACKET_TOO_BIG:
                return "packet-too-big";
            case Icmpv6Flyweight.TYPE_TIME_EXCEEDED:
                return "time-exceeded";
            case Icmpv6Flyweight.TYPE_PARAMETER_PROBLEM:
                return "parameter-problem";
            case Icmpv6Flyweight.TYPE_ECHO_REQUEST:
                return "echo-request";
            case Icmpv6Flyweight.TYPE_ECHO_REPLY:
                return "echo-reply";
            case Icmpv6Flyweight.TYPE_ROUTER_SOLICITATION:
                return "router-solicitation";
            case Icmpv6Flyweight.TYPE_ROUTER_ADVERTISEMENT:
                return "router-advertisement";
            case Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION:
                return "neighbor-solicitation";
            case Icmpv6Flyweight.TYPE_NEIGHBOR_ADVERTISEMENT:
                return "neighbor-advertisement";
            default:
                return null;
        }
    }

    private static void tcpFlags(final StringBuilder out, final int flags)
    {
        out.append(" [");
        final int start = out.length();
        flag(out, flags, TcpFlyweight.SYN, 'S');
        flag(out, flags, TcpFlyweight.FIN, 'F');
        flag(out, flags, TcpFlyweight.RST, 'R');
        flag(out, flags, TcpFlyweight.PSH, 'P');
        flag(out, flags, TcpFlyweight.ACK, '.');
        if (out.length() == start)
        {
            out.append("none");
        }
        out.append(']');
    }

    private static void flag(final StringBuilder out, final int flags, final int mask, final char symbol)
    {
        if ((flags & mask) != 0)
        {
            out.append(symbol);
        }
    }
}
