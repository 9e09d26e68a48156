package io.sixgate.egress.acl;

import static java.nio.ByteOrder.BIG_ENDIAN;

import java.util.concurrent.atomic.AtomicReference;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.Icmpv4Flyweight;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.Ipv6HeaderChain;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.StageEvent;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.port.PortAddresses;
import io.sixgate.egress.EgressOnlyTable;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Security groups ("security-group"): stateful, allow-only filtering of the packets the gateway
 * routes to and from member addresses, IPv4 and IPv6. For each packet to or from a member:
 * <ol>
 *   <li>a packet of a tracked flow passes, either way, and refreshes it (TCP states and timeouts
 *   as the egress-only filter's, RFC 6092 §3.3.1: replies need no rule);</li>
 *   <li>an ICMP error quoting a packet of a tracked flow passes (RFC 4890 §4.3.1: Packet Too Big
 *   above all), without changing the flow;</li>
 *   <li>anything else is a new flow: a member sending needs an outbound rule of one of its groups
 *   for the destination, a member receiving needs an inbound rule for the source, both when both
 *   ends are members; the flow is then tracked (echo replies and ICMP messages other than echo
 *   are matched but never start a flow).</li>
 * </ol>
 * The connection table is the egress-only filter's {@link EgressOnlyTable}, keyed with the flow's
 * initiator as the "inside" end (IPv4 addresses as IPv4-mapped IPv6, RFC 4291 §2.5.5.2), so one
 * initiating address can hold only its share of it; a full table refuses new flows and keeps the
 * tracked ones.
 *
 * <p>NAT64: an IPv6 client reaching an IPv4 instance at its IPv6 EIP is matched before
 * translation, on its IPv6 source, against the inbound rules of the instance's private IPv4
 * address; the flow is tracked on the IPv6 side. The instance's packets to pool4 are not matched
 * here: they reach the client only through NAT64, which passes them on a session (RFC 6146
 * §3.5.1.2, §3.5.2.2); the NAT64 session is the reply's state.
 *
 * <p>Packets for the gateway itself (its addresses, multicast, link-local, broadcast) pass
 * untouched. The groups are swapped at run time with {@link #offer(SecurityGroups)}; tracked flows
 * stay. The hot path allocates nothing.
 */
public final class SecurityGroupStage extends Stage
{
    /** Stage name. */
    public static final String NAME = "security-group";

    /** Flows the expiry sweep visits per packet. */
    public static final int SWEEP_PER_PACKET = 4;

    /** Flows the expiry sweep visits per idle tick. */
    public static final int SWEEP_PER_TICK = 1024;

    private static final long IPV4_MAPPED_HIGH = 0L;
    private static final long IPV4_MAPPED_LOW = 0x0000_FFFF_0000_0000L;

    private final FramePool pool;
    private final UnsafeBuffer buffer;
    private final PortAddresses addresses;
    private final EgressOnlyTable flows;
    private final Nat64Addresses nat64;
    private final String nextIpv6Name;
    private final String nextIpv4Name;
    private final AtomicReference<SecurityGroups> pending = new AtomicReference<>();
    private final PacketFields packet = new PacketFields();
    private final Ipv6HeaderChain chain = new Ipv6HeaderChain();
    private SecurityGroups groups;
    private int nextIpv6;
    private int nextIpv4;

    /**
     * @param addresses    the gateway's own addresses (their traffic is not matched).
     * @param groups       the first groups.
     * @param flows        the worker's connection table.
     * @param nat64        what NAT64 translates, or {@link Nat64Addresses#NONE}.
     * @param nextIpv6Name where passing IPv6 packets go.
     * @param nextIpv4Name where passing IPv4 packets go.
     */
    public SecurityGroupStage(
        final FramePool pool,
        final PortAddresses addresses,
        final SecurityGroups groups,
        final EgressOnlyTable flows,
        final Nat64Addresses nat64,
        final String nextIpv6Name,
        final String nextIpv4Name)
    {
        super(NAME, new StageEvent[][]{SecurityGroupEvent.values()}, SecurityGroupDropReason.values());
        this.pool = pool;
        this.buffer = pool.buffer();
        this.addresses = addresses;
        this.groups = groups;
        this.flows = flows;
        this.nat64 = nat64;
        this.nextIpv6Name = nextIpv6Name;
        this.nextIpv4Name = nextIpv4Name;
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        nextIpv6 = pipeline.stageId(nextIpv6Name);
        nextIpv4 = pipeline.stageId(nextIpv4Name);
    }

    /** Hands new groups to the worker; any thread. Tracked flows keep passing. */
    public void offer(final SecurityGroups newGroups)
    {
        pending.set(newGroups);
    }

    /** The groups in force (worker thread view). */
    public SecurityGroups groups()
    {
        return groups;
    }

    public EgressOnlyTable flows()
    {
        return flows;
    }

    @Override
    public int onTick(final long nowNs)
    {
        takePending();
        return flows.expire(nowNs, SWEEP_PER_TICK);
    }

    @Override
    public int process(final int frame)
    {
        takePending();
        final long nowNs = pool.timestampNs(frame);
        flows.expire(nowNs, SWEEP_PER_PACKET);
        final PacketFields packet = this.packet;
        packet.read(pool, buffer, frame, chain);
        final boolean ipv6 = packet.ipv6;
        final int next = Verdict.next(ipv6 ? nextIpv6 : nextIpv4);
        if (packet.isForGateway(addresses))
        {
            return next;
        }
        final SecurityGroups groups = this.groups;
        final int srcMember;
        int dstMember;
        if (ipv6)
        {
            srcMember = groups.memberIpv6(packet.srcHigh, packet.srcLow);
            dstMember = groups.memberIpv6(packet.dstHigh, packet.dstLow);
            if (dstMember == SecurityGroups.NOT_A_MEMBER)
            {
                final long instance = nat64.ipv4Behind(packet.dstHigh, packet.dstLow);
                if (instance != Nat64Addresses.NOT_TRANSLATED)
                {
                    dstMember = groups.memberIpv4((int)instance);
                }
            }
        }
        else
        {
            if (nat64.isPool4(packet.dst4))
            {
                if (groups.memberIpv4(packet.src4) != SecurityGroups.NOT_A_MEMBER)
                {
                    count(SecurityGroupEvent.NAT64_RETURN);
                }
                return next;
            }
            srcMember = groups.memberIpv4(packet.src4);
            dstMember = groups.memberIpv4(packet.dst4);
        }
        if (srcMember == SecurityGroups.NOT_A_MEMBER && dstMember == SecurityGroups.NOT_A_MEMBER)
        {
            return next;
        }

        final long srcHigh = ipv6 ? packet.srcHigh : IPV4_MAPPED_HIGH;
        final long srcLow = ipv6 ? packet.srcLow : IPV4_MAPPED_LOW | (packet.src4 & 0xFFFF_FFFFL);
        final long dstHigh = ipv6 ? packet.dstHigh : IPV4_MAPPED_HIGH;
        final long dstLow = ipv6 ? packet.dstLow : IPV4_MAPPED_LOW | (packet.dst4 & 0xFFFF_FFFFL);
        final int protocol = packet.protocol;
        final boolean trackable = packet.isTrackable();
        if (trackable)
        {
            int flow = flows.find(protocol, srcHigh, srcLow, packet.srcPort, dstHigh, dstLow, packet.dstPort);
            if (flow != EgressOnlyTable.NOT_FOUND)
            {
                onFlowPacket(flow, true, nowNs);
                return next;
            }
            flow = flows.find(protocol, dstHigh, dstLow, packet.dstPort, srcHigh, srcLow, packet.srcPort);
            if (flow != EgressOnlyTable.NOT_FOUND)
            {
                onFlowPacket(flow, false, nowNs);
                return next;
            }
        }
        else if (packet.isIcmpError() && isRelatedError(dstHigh, dstLow))
        {
            count(SecurityGroupEvent.RELATED_ICMP_ERROR);
            return next;
        }

        final int port = packet.rulePort();
        if (srcMember != SecurityGroups.NOT_A_MEMBER && !(ipv6
            ? groups.allowsIpv6(srcMember, SecurityGroups.OUTBOUND, packet.dstHigh, packet.dstLow, protocol, port)
            : groups.allowsIpv4(srcMember, SecurityGroups.OUTBOUND, packet.dst4, protocol, port)))
        {
            return drop(SecurityGroupDropReason.OUTBOUND_NOT_ALLOWED);
        }
        if (dstMember != SecurityGroups.NOT_A_MEMBER && !(ipv6
            ? groups.allowsIpv6(dstMember, SecurityGroups.INBOUND, packet.srcHigh, packet.srcLow, protocol, port)
            : groups.allowsIpv4(dstMember, SecurityGroups.INBOUND, packet.src4, protocol, port)))
        {
            return drop(SecurityGroupDropReason.INBOUND_NOT_ALLOWED);
        }
        if (!trackable || packet.isEchoReply())
        {
            return next;
        }
        final int flow = flows.create(protocol, srcHigh, srcLow, packet.srcPort, dstHigh, dstLow, packet.dstPort,
            nowNs);
        if (flow == EgressOnlyTable.FAILURE_TABLE_FULL)
        {
            return drop(SecurityGroupDropReason.STATE_TABLE_FULL);
        }
        if (flow < 0)
        {
            return drop(SecurityGroupDropReason.ADDRESS_FLOW_LIMIT);
        }
        count(SecurityGroupEvent.FLOW_CREATED);
        onFlowPacket(flow, true, nowNs);
        return next;
    }

    private void onFlowPacket(final int flow, final boolean fromInitiator, final long nowNs)
    {
        if (packet.protocol == IpProtocol.TCP)
        {
            flows.onTcp(flow, fromInitiator, packet.tcpFlags, nowNs);
        }
        else
        {
            flows.refresh(flow, nowNs);
        }
    }

    /**
     * An ICMP error quotes a packet its destination sent (RFC 4443 §2.4 (c), RFC 792): the quoted
     * source must be the error's destination, and the quoted packet must belong to a tracked flow,
     * sent by either end of it.
     *
     * @param dstHigh the error's destination, as the table keys it.
     */
    private boolean isRelatedError(final long dstHigh, final long dstLow)
    {
        final PacketFields packet = this.packet;
        final int inner = packet.l4 + Icmpv6Flyweight.HEADER_LENGTH;
        final int end = packet.frameEnd;
        final long innerSrcHigh;
        final long innerSrcLow;
        final long innerDstHigh;
        final long innerDstLow;
        final int protocol;
        final int innerL4;
        if (packet.ipv6)
        {
            if (end - inner < Ipv6Flyweight.HEADER_LENGTH)
            {
                return false;
            }
            innerSrcHigh = buffer.getLong(inner + Ipv6Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
            innerSrcLow = buffer.getLong(inner + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN);
            innerDstHigh = buffer.getLong(inner + Ipv6Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
            innerDstLow = buffer.getLong(inner + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, BIG_ENDIAN);
            chain.parse(buffer, inner, end - inner);
            if (chain.status() != Ipv6HeaderChain.Status.COMPLETE || chain.isNonFirstFragment())
            {
                return false;
            }
            protocol = chain.upperLayerProtocol();
            innerL4 = chain.upperLayerOffset();
        }
        else
        {
            if (end - inner < Ipv4Flyweight.MIN_HEADER_LENGTH ||
                (buffer.getShort(inner + Ipv4Flyweight.FLAGS_OFFSET, BIG_ENDIAN) & Ipv4Flyweight.FRAGMENT_OFFSET_MASK)
                    != 0)
            {
                return false;
            }
            innerSrcHigh = IPV4_MAPPED_HIGH;
            innerSrcLow = IPV4_MAPPED_LOW | (buffer.getInt(inner + Ipv4Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN)
                & 0xFFFF_FFFFL);
            innerDstHigh = IPV4_MAPPED_HIGH;
            innerDstLow = IPV4_MAPPED_LOW | (buffer.getInt(inner + Ipv4Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN)
                & 0xFFFF_FFFFL);
            protocol = buffer.getByte(inner + Ipv4Flyweight.PROTOCOL_OFFSET) & 0xFF;
            innerL4 = inner + (buffer.getByte(inner) & 0x0F) * 4;
        }
        if (innerSrcHigh != dstHigh || innerSrcLow != dstLow)
        {
            return false;
        }
        int srcPort = 0;
        int dstPort = 0;
        if (protocol == IpProtocol.TCP || protocol == IpProtocol.UDP)
        {
            if (end - innerL4 < 4)
            {
                return false;
            }
            srcPort = buffer.getShort(innerL4, BIG_ENDIAN) & 0xFFFF;
            dstPort = buffer.getShort(innerL4 + 2, BIG_ENDIAN) & 0xFFFF;
        }
        else if (protocol == (packet.ipv6 ? IpProtocol.ICMPV6 : IpProtocol.ICMP))
        {
            if (end - innerL4 < Icmpv6Flyweight.HEADER_LENGTH)
            {
                return false;
            }
            final int type = buffer.getByte(innerL4) & 0xFF;
            final int identifier = buffer.getShort(innerL4 + Icmpv6Flyweight.IDENTIFIER_OFFSET, BIG_ENDIAN) & 0xFFFF;
            if (type == (packet.ipv6 ? Icmpv6Flyweight.TYPE_ECHO_REQUEST : Icmpv4Flyweight.TYPE_ECHO_REQUEST))
            {
                srcPort = identifier;
            }
            else if (type == (packet.ipv6 ? Icmpv6Flyweight.TYPE_ECHO_REPLY : Icmpv4Flyweight.TYPE_ECHO_REPLY))
            {
                dstPort = identifier;
            }
            else
            {
                return false;
            }
        }
        return flows.find(protocol, innerSrcHigh, innerSrcLow, srcPort, innerDstHigh, innerDstLow, dstPort)
            != EgressOnlyTable.NOT_FOUND ||
            flows.find(protocol, innerDstHigh, innerDstLow, dstPort, innerSrcHigh, innerSrcLow, srcPort)
            != EgressOnlyTable.NOT_FOUND;
    }

    private void takePending()
    {
        if (pending.get() != null)
        {
            final SecurityGroups newGroups = pending.getAndSet(null);
            if (newGroups != null)
            {
                groups = newGroups;
            }
        }
    }
}
