package io.sixgate.egress;

import java.util.concurrent.atomic.AtomicReference;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.Ipv6HeaderChain;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.port.PortAddresses;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;

import org.agrona.concurrent.UnsafeBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The IPv6 gateway between a VPC and the Internet ("ipv6-gateway"), after IPv6 input and before
 * classification and forwarding. Direction comes from the ingress port: the Internet port is
 * outside, every other port inside. For a packet crossing the border, in this order:
 * <ol>
 *   <li>anti-spoofing, RFC 6092 §3.1: inside sources must be in a VPC prefix (REC-2); outside
 *   sources must not be VPC, unique-local or otherwise non-global (REC-3, REC-4); unique-local
 *   destinations do not cross (REC-4);</li>
 *   <li>ICMPv6 transit filtering, RFC 4890 §4.3 ({@link Icmpv6TransitFilter});</li>
 *   <li>per-address policy by longest prefix ({@link Ipv6GatewayPolicy}): VPC-only drops;</li>
 *   <li>egress-only: outbound creates or refreshes state, inbound must match it, an inbound
 *   ICMPv6 error must quote a tracked flow, RFC 6092 §3.2, §3.3 ({@link EgressOnlyTable});</li>
 *   <li>the address's token bucket for the direction.</li>
 * </ol>
 * Packets that do not cross the border pass untouched: to or from the gateway itself, link-local
 * or multicast destinations (Neighbor Discovery), inside to inside, and outside to a destination
 * outside the VPC (an IPv6 client reaching the NAT64 prefix); outside sources are still checked.
 *
 * <p>The policy is swapped at run time with {@link #offer(Ipv6GatewayPolicy)} from any thread;
 * the worker picks it up before its next packet. The hot path allocates nothing.
 */
public final class Ipv6GatewayStage extends Stage
{
    /** Stage name. */
    public static final String NAME = "ipv6-gateway";

    /** Flows the expiry sweep visits per packet. */
    public static final int SWEEP_PER_PACKET = 4;

    /** Flows the expiry sweep visits per idle tick. */
    public static final int SWEEP_PER_TICK = 1024;

    private final FramePool pool;
    private final UnsafeBuffer buffer;
    private final PortAddresses addresses;
    private final EgressOnlyTable table;
    private final int internetPort;
    private final boolean udpEndpointIndependent;
    private final String nextStageName;
    private final AtomicReference<Ipv6GatewayPolicy> pending = new AtomicReference<>();
    private final Ipv6HeaderChain chain = new Ipv6HeaderChain();
    private Ipv6GatewayPolicy policy;
    private int next;

    /**
     * @param pool                   the worker's frames.
     * @param addresses              the gateway's own addresses (their traffic is not policed).
     * @param policy                 the first policy.
     * @param table                  the worker's egress-only state.
     * @param internetPort           id of the Internet (outside) port.
     * @param udpEndpointIndependent RFC 6092 §3.2.3 / RFC 4787 REQ-8: any outside endpoint may
     *                               answer an inside UDP endpoint that sent out.
     * @param nextStageName          where passing packets go.
     */
    public Ipv6GatewayStage(
        final FramePool pool,
        final PortAddresses addresses,
        final Ipv6GatewayPolicy policy,
        final EgressOnlyTable table,
        final int internetPort,
        final boolean udpEndpointIndependent,
        final String nextStageName)
    {
        super(NAME, Ipv6GatewayDropReason.values());
        this.pool = pool;
        this.buffer = pool.buffer();
        this.addresses = addresses;
        this.policy = policy;
        this.table = table;
        this.internetPort = internetPort;
        this.udpEndpointIndependent = udpEndpointIndependent;
        this.nextStageName = nextStageName;
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        next = pipeline.stageId(nextStageName);
    }

    /**
     * Hands a new policy to the worker; any thread. Flow state and unchanged buckets carry over.
     */
    public void offer(final Ipv6GatewayPolicy newPolicy)
    {
        pending.set(newPolicy);
    }

    /**
     * Puts a policy in force at once, dropping any offered one; worker thread only (a worker
     * command that edits the policy must see its own edit in the next command).
     */
    public void policy(final Ipv6GatewayPolicy newPolicy)
    {
        pending.set(null);
        policy = newPolicy;
    }

    /** The policy in force (worker thread view). */
    public Ipv6GatewayPolicy policy()
    {
        return policy;
    }

    public EgressOnlyTable table()
    {
        return table;
    }

    @Override
    public int onTick(final long nowNs)
    {
        takePendingPolicy();
        return table.expire(nowNs, SWEEP_PER_TICK);
    }

    @Override
    public int process(final int frame)
    {
        takePendingPolicy();
        final long nowNs = pool.timestampNs(frame);
        table.expire(nowNs, SWEEP_PER_PACKET);

        final int l3 = pool.l3Offset(frame);
        final long srcHigh = buffer.getLong(l3 + Ipv6Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final long srcLow = buffer.getLong(l3 + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        final long dstHigh = buffer.getLong(l3 + Ipv6Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        final long dstLow = buffer.getLong(l3 + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        final Ipv6GatewayPolicy policy = this.policy;
        final boolean fromInternet = pool.port(frame) == internetPort;

        if (fromInternet && SourceChecks.isBogusOutsideSource(policy, srcHigh, srcLow) &&
            !isLocalTraffic(dstHigh, dstLow))
        {
            return drop(Ipv6GatewayDropReason.SPOOFED_OUTSIDE_SOURCE);
        }
        if (isLocalTraffic(dstHigh, dstLow))
        {
            return Verdict.next(next);
        }
        if (!fromInternet && !policy.isVpc(srcHigh, srcLow))
        {
            return drop(Ipv6GatewayDropReason.SPOOFED_INSIDE_SOURCE);
        }
        final boolean dstInVpc = policy.isVpc(dstHigh, dstLow);
        if (fromInternet != dstInVpc)
        {
            // Inside to inside, or outside to something that is not the VPC (the NAT64 prefix).
            return Verdict.next(next);
        }
        if (SourceChecks.isUniqueLocal(dstHigh))
        {
            return drop(Ipv6GatewayDropReason.UNIQUE_LOCAL_DESTINATION);
        }

        final int protocol = pool.l4Protocol(frame);
        final int l4 = pool.l4Offset(frame);
        final int frameEnd = pool.offset(frame) + pool.length(frame);
        // A non-first fragment carries data, not an upper-layer header: no ICMPv6 type, no ports.
        final boolean nonFirstFragment = isNonFirstFragment(l3, frameEnd, protocol);
        int icmpType = -1;
        if (protocol == IpProtocol.ICMPV6 && !nonFirstFragment)
        {
            if (frameEnd - l4 < 4)
            {
                return drop(Ipv6GatewayDropReason.ICMPV6_UNASSIGNED);
            }
            icmpType = buffer.getByte(l4 + Icmpv6Flyweight.TYPE_OFFSET) & 0xFF;
            final int verdict = transitIcmp(icmpType, buffer.getByte(l4 + Icmpv6Flyweight.CODE_OFFSET) & 0xFF);
            if (verdict != 0)
            {
                return verdict;
            }
        }

        final long insideHigh = fromInternet ? dstHigh : srcHigh;
        final long insideLow = fromInternet ? dstLow : srcLow;
        final int entry = policy.entryOf(insideHigh, insideLow);
        final int mode = policy.mode(entry);
        if (mode == Ipv6GatewayPolicy.MODE_VPC_ONLY)
        {
            return drop(Ipv6GatewayDropReason.VPC_ONLY);
        }
        final int packetBytes = frameEnd - l3;
        if (fromInternet)
        {
            if (mode == Ipv6GatewayPolicy.MODE_EGRESS_ONLY)
            {
                final int verdict = inboundState(nonFirstFragment, l4, frameEnd, protocol, icmpType, srcHigh, srcLow,
                    dstHigh, dstLow, nowNs);
                if (verdict != 0)
                {
                    return verdict;
                }
            }
            return policy.inboundBucket(entry).tryConsume(packetBytes, nowNs) ?
                Verdict.next(next) : drop(Ipv6GatewayDropReason.RATE_LIMITED);
        }
        if (!policy.outboundBucket(entry).tryConsume(packetBytes, nowNs))
        {
            return drop(Ipv6GatewayDropReason.RATE_LIMITED);
        }
        if (mode == Ipv6GatewayPolicy.MODE_EGRESS_ONLY)
        {
            final int verdict = outboundState(nonFirstFragment, l4, frameEnd, protocol, icmpType, srcHigh, srcLow,
                dstHigh, dstLow, nowNs);
            if (verdict != 0)
            {
                return verdict;
            }
        }
        return Verdict.next(next);
    }

    private void takePendingPolicy()
    {
        if (pending.get() != null)
        {
            final Ipv6GatewayPolicy newPolicy = pending.getAndSet(null);
            if (newPolicy != null)
            {
                policy = newPolicy;
            }
        }
    }

    private boolean isLocalTraffic(final long dstHigh, final long dstLow)
    {
        return SourceChecks.isMulticast(dstHigh) || SourceChecks.isLinkLocal(dstHigh) ||
            addresses.isLocalIpv6(dstHigh, dstLow);
    }

    /**
     * RFC 4890 §4.3.
     *
     * @return 0 to go on, else a drop verdict.
     */
    private int transitIcmp(final int type, final int code)
    {
        switch (Icmpv6TransitFilter.classify(type, code))
        {
            case Icmpv6TransitFilter.ALLOW:
                return 0;
            case Icmpv6TransitFilter.LINK_SCOPE:
                return drop(Ipv6GatewayDropReason.ICMPV6_LINK_SCOPE);
            case Icmpv6TransitFilter.NOT_FOR_TRANSIT:
                return drop(Ipv6GatewayDropReason.ICMPV6_NOT_FOR_TRANSIT);
            default:
                return drop(Ipv6GatewayDropReason.ICMPV6_UNASSIGNED);
        }
    }

    private boolean isNonFirstFragment(final int l3, final int frameEnd, final int protocol)
    {
        final int firstNextHeader = buffer.getByte(l3 + Ipv6Flyweight.NEXT_HEADER_OFFSET) & 0xFF;
        if (firstNextHeader == protocol)
        {
            return false;     // no extension headers at all: the common case, no walk
        }
        chain.parse(buffer, l3, frameEnd - l3);
        return chain.isNonFirstFragment();
    }

    /**
     * Outbound from an egress-only address: create or refresh the flow (RFC 6092 §3.2.2, §3.2.3,
     * §3.2.4, §3.3.1). ICMPv6 errors and echo replies make no state; a non-first fragment is
     * passed on the state its first fragment made.
     *
     * @return 0 to pass, else a drop verdict.
     */
    private int outboundState(
        final boolean nonFirstFragment,
        final int l4,
        final int frameEnd,
        final int protocol,
        final int icmpType,
        final long srcHigh,
        final long srcLow,
        final long dstHigh,
        final long dstLow,
        final long nowNs)
    {
        if (nonFirstFragment)
        {
            return 0;
        }
        int inPort = 0;
        int outPort = 0;
        int flags = 0;
        long outHigh = dstHigh;
        long outLow = dstLow;
        switch (protocol)
        {
            case IpProtocol.TCP:
                inPort = buffer.getShort(l4 + TcpFlyweight.SRC_PORT_OFFSET, BIG_ENDIAN) & 0xFFFF;
                outPort = buffer.getShort(l4 + TcpFlyweight.DST_PORT_OFFSET, BIG_ENDIAN) & 0xFFFF;
                flags = buffer.getByte(l4 + TcpFlyweight.FLAGS_OFFSET) & 0xFF;
                break;
            case IpProtocol.UDP:
                inPort = buffer.getShort(l4, BIG_ENDIAN) & 0xFFFF;
                outPort = buffer.getShort(l4 + 2, BIG_ENDIAN) & 0xFFFF;
                if (udpEndpointIndependent)
                {
                    outHigh = 0;
                    outLow = 0;
                    outPort = 0;
                }
                break;
            case IpProtocol.ICMPV6:
                if (icmpType != Icmpv6Flyweight.TYPE_ECHO_REQUEST || frameEnd - l4 < Icmpv6Flyweight.HEADER_LENGTH)
                {
                    return 0;
                }
                inPort = buffer.getShort(l4 + Icmpv6Flyweight.IDENTIFIER_OFFSET, BIG_ENDIAN) & 0xFFFF;
                break;
            default:
                // RFC 6092 §3.2.2, §3.2.4: ESP, AH and other protocols by addresses and protocol.
                break;
        }
        int flow = table.find(protocol, srcHigh, srcLow, inPort, outHigh, outLow, outPort);
        if (flow == EgressOnlyTable.NOT_FOUND)
        {
            flow = table.create(protocol, srcHigh, srcLow, inPort, outHigh, outLow, outPort, nowNs);
            if (flow == EgressOnlyTable.FAILURE_TABLE_FULL)
            {
                return drop(Ipv6GatewayDropReason.STATE_TABLE_FULL);
            }
            if (flow < 0)
            {
                return drop(Ipv6GatewayDropReason.ADDRESS_FLOW_LIMIT);
            }
        }
        if (protocol == IpProtocol.TCP)
        {
            table.onTcp(flow, true, flags, nowNs);
        }
        else
        {
            table.refresh(flow, nowNs);
        }
        return 0;
    }

    /**
     * Inbound to an egress-only address: pass only on state (RFC 6092 §3.2, §3.3.1); an ICMPv6
     * error passes when its quoted packet belongs to a flow and never changes the flow
     * (RFC 6092 §3.2.1: no ICMPv6 message tears state down).
     *
     * @return 0 to pass, else a drop verdict.
     */
    private int inboundState(
        final boolean nonFirstFragment,
        final int l4,
        final int frameEnd,
        final int protocol,
        final int icmpType,
        final long srcHigh,
        final long srcLow,
        final long dstHigh,
        final long dstLow,
        final long nowNs)
    {
        if (nonFirstFragment)
        {
            // RFC 6092 §3.2: inbound passes only on state kept per transport flow, and a non-first
            // fragment has no transport header to find one with (RFC 8200 §4.5); without reassembly
            // at the gateway it cannot be matched, so it is dropped and counted, never passed blind.
            return drop(Ipv6GatewayDropReason.INBOUND_FRAGMENT_UNTRACKED);
        }
        int inPort = 0;
        int outPort = 0;
        int flags = 0;
        switch (protocol)
        {
            case IpProtocol.TCP:
                outPort = buffer.getShort(l4 + TcpFlyweight.SRC_PORT_OFFSET, BIG_ENDIAN) & 0xFFFF;
                inPort = buffer.getShort(l4 + TcpFlyweight.DST_PORT_OFFSET, BIG_ENDIAN) & 0xFFFF;
                flags = buffer.getByte(l4 + TcpFlyweight.FLAGS_OFFSET) & 0xFF;
                break;
            case IpProtocol.UDP:
                outPort = buffer.getShort(l4, BIG_ENDIAN) & 0xFFFF;
                inPort = buffer.getShort(l4 + 2, BIG_ENDIAN) & 0xFFFF;
                break;
            case IpProtocol.ICMPV6:
                if (Icmpv6Flyweight.isError(icmpType))
                {
                    return inboundError(l4, frameEnd, dstHigh, dstLow);
                }
                if (icmpType != Icmpv6Flyweight.TYPE_ECHO_REPLY || frameEnd - l4 < Icmpv6Flyweight.HEADER_LENGTH)
                {
                    return drop(Ipv6GatewayDropReason.UNSOLICITED_INBOUND);
                }
                inPort = buffer.getShort(l4 + Icmpv6Flyweight.IDENTIFIER_OFFSET, BIG_ENDIAN) & 0xFFFF;
                break;
            default:
                break;
        }
        final int flow = find(protocol, dstHigh, dstLow, inPort, srcHigh, srcLow, outPort);
        if (flow == EgressOnlyTable.NOT_FOUND)
        {
            return drop(Ipv6GatewayDropReason.UNSOLICITED_INBOUND);
        }
        if (protocol == IpProtocol.TCP)
        {
            table.onTcp(flow, false, flags, nowNs);
        }
        else if (protocol != IpProtocol.UDP || !udpEndpointIndependent)
        {
            // RFC 4787 REQ-6 / RFC 6092 §3.2.3: with endpoint-independent filtering only outbound
            // packets refresh, so an outside host cannot keep a binding open on its own.
            table.refresh(flow, nowNs);
        }
        return 0;
    }

    private int find(
        final int protocol,
        final long inHigh,
        final long inLow,
        final int inPort,
        final long outHigh,
        final long outLow,
        final int outPort)
    {
        if (protocol == IpProtocol.UDP && udpEndpointIndependent)
        {
            return table.find(protocol, inHigh, inLow, inPort, 0, 0, 0);
        }
        return table.find(protocol, inHigh, inLow, inPort, outHigh, outLow, outPort);
    }

    /**
     * An inbound ICMPv6 error (Destination Unreachable, Packet Too Big, Time Exceeded, Parameter
     * Problem) quotes a packet the inside host sent: its source is the inside address (and must be
     * the error's destination), its destination the outside one. It passes when that flow is
     * tracked (RFC 6092 §3.2.1: Packet Too Big above all, or path MTU discovery breaks).
     */
    private int inboundError(final int l4, final int frameEnd, final long dstHigh, final long dstLow)
    {
        final int inner = l4 + Icmpv6Flyweight.HEADER_LENGTH;
        if (frameEnd - inner < Ipv6Flyweight.HEADER_LENGTH)
        {
            return drop(Ipv6GatewayDropReason.ICMPV6_ERROR_WITHOUT_STATE);
        }
        final long innerSrcHigh = buffer.getLong(inner + Ipv6Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final long innerSrcLow = buffer.getLong(inner + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        if (innerSrcHigh != dstHigh || innerSrcLow != dstLow)
        {
            return drop(Ipv6GatewayDropReason.ICMPV6_ERROR_WITHOUT_STATE);
        }
        final long innerDstHigh = buffer.getLong(inner + Ipv6Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        final long innerDstLow = buffer.getLong(inner + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        chain.parse(buffer, inner, frameEnd - inner);
        if (chain.status() != Ipv6HeaderChain.Status.COMPLETE || chain.isNonFirstFragment())
        {
            return drop(Ipv6GatewayDropReason.ICMPV6_ERROR_WITHOUT_STATE);
        }
        final int protocol = chain.upperLayerProtocol();
        final int innerL4 = chain.upperLayerOffset();
        int inPort = 0;
        int outPort = 0;
        if (protocol == IpProtocol.TCP || protocol == IpProtocol.UDP)
        {
            if (frameEnd - innerL4 < 4)
            {
                return drop(Ipv6GatewayDropReason.ICMPV6_ERROR_WITHOUT_STATE);
            }
            inPort = buffer.getShort(innerL4, BIG_ENDIAN) & 0xFFFF;
            outPort = buffer.getShort(innerL4 + 2, BIG_ENDIAN) & 0xFFFF;
        }
        else if (protocol == IpProtocol.ICMPV6)
        {
            if (frameEnd - innerL4 < Icmpv6Flyweight.HEADER_LENGTH ||
                (buffer.getByte(innerL4) & 0xFF) != Icmpv6Flyweight.TYPE_ECHO_REQUEST)
            {
                return drop(Ipv6GatewayDropReason.ICMPV6_ERROR_WITHOUT_STATE);
            }
            inPort = buffer.getShort(innerL4 + Icmpv6Flyweight.IDENTIFIER_OFFSET, BIG_ENDIAN) & 0xFFFF;
        }
        final int flow = find(protocol, innerSrcHigh, innerSrcLow, inPort, innerDstHigh, innerDstLow, outPort);
        return flow == EgressOnlyTable.NOT_FOUND ? drop(Ipv6GatewayDropReason.ICMPV6_ERROR_WITHOUT_STATE) : 0;
    }
}
