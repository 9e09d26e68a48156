package io.sixgate.core.stage;

import static java.nio.ByteOrder.BIG_ENDIAN;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.InternetChecksum;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.Ipv6HeaderChain;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.StageEvent;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.port.PortAddresses;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * IPv6 packets {@link StageNames#IPV6_FORWARD} found to be for the gateway itself: to one of its
 * addresses, or to a multicast group. Groups the receiving port has joined (all-nodes,
 * all-routers, the solicited-node group of each of its addresses, RFC 4291 §2.8) are accepted,
 * other groups dropped. Of what is accepted, Neighbor Discovery (RFC 4861 types 133-137) goes to
 * {@link StageNames#NDP_INPUT}, an Echo Request is answered in place (RFC 4443 §4.2), and the
 * rest is dropped under a named reason: the gateway is a router, not a host.
 *
 * <p>The echo reply comes from the address the request was sent to, or, for a request to a
 * group, from the receiving port's address (RFC 4443 §4.2); extension headers of the request are
 * not echoed. It goes back through {@link StageNames#IPV6_OUTPUT}, or, to a link-local
 * requester (not routable), straight to the port it came in on.
 */
public final class Ipv6LocalStage extends Stage
{
    /** Hop limit of the gateway's own packets (Linux's default). */
    public static final int HOP_LIMIT = 64;

    public enum Reason implements DropReason
    {
        /** A link-scope group the port has not joined (others' solicited-node groups, MLD...). */
        MULTICAST_NOT_JOINED("multicast-not-joined"),
        /** A multicast group beyond the link: sixgate does not route multicast. */
        MULTICAST_NOT_ROUTED("multicast-not-routed"),
        /** For the gateway, but neither ICMPv6 nor anything else it serves (TCP, UDP...). */
        UNSUPPORTED_PROTOCOL("for-gateway-unsupported-protocol"),
        /** ICMPv6 for the gateway other than echo request and ND (replies, errors, MLD...). */
        UNSUPPORTED_ICMP("for-gateway-unsupported-icmp"),
        /** A fragment for the gateway: nothing is reassembled. */
        FRAGMENT("for-gateway-fragment"),
        /** An ICMPv6 message for the gateway whose checksum does not verify (RFC 4443 §2.3). */
        BAD_ICMP_CHECKSUM("bad-icmp-checksum"),
        /** An echo request from the unspecified address: there is no one to answer. */
        UNSPECIFIED_SOURCE("for-gateway-unspecified-source"),
        /** An echo request to a group on a port with no IPv6 address to answer from. */
        NO_SOURCE_ADDRESS("no-source-address");

        private final String label;

        Reason(final String label)
        {
            this.label = label;
        }

        @Override
        public String label()
        {
            return label;
        }
    }

    public enum Event implements StageEvent
    {
        /** An echo request to a gateway address or group was answered. */
        ECHO_ANSWERED("echo-answered");

        private final String label;

        Event(final String label)
        {
            this.label = label;
        }

        @Override
        public String label()
        {
            return label;
        }
    }

    private final FramePool pool;
    private final PortAddresses addresses;
    private final Ipv6Flyweight ipv6 = new Ipv6Flyweight();
    private final Ipv6HeaderChain chain = new Ipv6HeaderChain();
    private int ipv6Output;
    private int l2Output;
    private int ndpInput;

    /**
     * @param addresses the gateway's addresses (the same table the forward stage uses).
     */
    public Ipv6LocalStage(final FramePool pool, final PortAddresses addresses)
    {
        super(StageNames.IPV6_LOCAL, new StageEvent[][]{Event.values()}, Reason.values());
        this.pool = pool;
        this.addresses = addresses;
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        ipv6Output = pipeline.stageId(StageNames.IPV6_OUTPUT);
        l2Output = pipeline.stageId(StageNames.L2_OUTPUT);
        ndpInput = pipeline.stageId(StageNames.NDP_INPUT);
    }

    @Override
    public int process(final int frame)
    {
        final UnsafeBuffer buffer = pool.buffer();
        final int l3 = pool.l3Offset(frame);
        final int portId = pool.port(frame);
        ipv6.wrap(buffer, l3);
        final long dstHigh = ipv6.dstHigh();
        final long dstLow = ipv6.dstLow();
        final boolean multicast = (dstHigh >>> 56) == 0xFF;
        if (multicast && !addresses.isJoinedIpv6Group(portId, dstHigh, dstLow))
        {
            // RFC 4291 §2.7: scope 2 is link-local.
            return drop(((dstHigh >>> 48) & 0x0F) == 2 ? Reason.MULTICAST_NOT_JOINED : Reason.MULTICAST_NOT_ROUTED);
        }
        chain.parse(buffer, l3, Ipv6Flyweight.HEADER_LENGTH + ipv6.payloadLength());
        if (chain.isFragment())
        {
            return drop(Reason.FRAGMENT);
        }
        if (chain.upperLayerProtocol() != IpProtocol.ICMPV6)
        {
            return drop(Reason.UNSUPPORTED_PROTOCOL);
        }
        final int icmp = chain.upperLayerOffset();
        final int icmpLength = chain.upperLayerLength();
        final int type = buffer.getByte(icmp + Icmpv6Flyweight.TYPE_OFFSET) & 0xFF;
        if (type >= Icmpv6Flyweight.TYPE_ROUTER_SOLICITATION && type <= Icmpv6Flyweight.TYPE_REDIRECT)
        {
            return Verdict.next(ndpInput);
        }
        if (type != Icmpv6Flyweight.TYPE_ECHO_REQUEST)
        {
            return drop(Reason.UNSUPPORTED_ICMP);
        }
        final long srcHigh = ipv6.srcHigh();
        final long srcLow = ipv6.srcLow();
        // RFC 4443 §2.3: a message that ends here has its checksum verified.
        final int pseudo = InternetChecksum.ipv6PseudoHeaderSum(srcHigh, srcLow, dstHigh, dstLow, IpProtocol.ICMPV6, icmpLength);
        if (InternetChecksum.add(pseudo, InternetChecksum.sum(buffer, icmp, icmpLength)) != 0xFFFF)
        {
            return drop(Reason.BAD_ICMP_CHECKSUM);
        }
        if (srcHigh == 0 && srcLow == 0)
        {
            return drop(Reason.UNSPECIFIED_SOURCE);
        }
        long replySrcHigh = dstHigh;
        long replySrcLow = dstLow;
        if (multicast)
        {
            // RFC 4443 §4.2: to a group, the reply's source is a unicast address of the receiving interface.
            final int source = addresses.ipv6OnPort(portId, srcHigh, srcLow);
            if (source == PortAddresses.NONE)
            {
                return drop(Reason.NO_SOURCE_ADDRESS);
            }
            replySrcHigh = addresses.ipv6High(source);
            replySrcLow = addresses.ipv6Low(source);
        }

        // RFC 4443 §4.2 Echo Reply: type 129, identifier, sequence and data as received; the
        // request's extension headers are not echoed, so the message moves up behind the header.
        final int reply = l3 + Ipv6Flyweight.HEADER_LENGTH;
        if (icmp != reply)
        {
            buffer.putBytes(reply, buffer, icmp, icmpLength);
        }
        ipv6.payloadLength(icmpLength)
            .nextHeader(IpProtocol.ICMPV6)
            .hopLimit(HOP_LIMIT)
            .src(replySrcHigh, replySrcLow)
            .dst(srcHigh, srcLow);
        buffer.putByte(reply + Icmpv6Flyweight.TYPE_OFFSET, (byte)Icmpv6Flyweight.TYPE_ECHO_REPLY);
        buffer.putShort(reply + Icmpv6Flyweight.CHECKSUM_OFFSET, (short)0, BIG_ENDIAN);
        final int sum = InternetChecksum.add(
            InternetChecksum.ipv6PseudoHeaderSum(replySrcHigh, replySrcLow, srcHigh, srcLow, IpProtocol.ICMPV6, icmpLength),
            InternetChecksum.sum(buffer, reply, icmpLength));
        buffer.putShort(reply + Icmpv6Flyweight.CHECKSUM_OFFSET, (short)InternetChecksum.complement(sum), BIG_ENDIAN);
        pool.setLength(frame, reply + icmpLength - pool.offset(frame));
        pool.l4Offset(frame, reply);
        pool.l4Protocol(frame, IpProtocol.ICMPV6);
        count(Event.ECHO_ANSWERED);
        if (PortAddresses.isLinkLocal(srcHigh))
        {
            // A link-local requester is on the link it asked from; no route leads there.
            pool.route(frame, portId, srcHigh, srcLow);
            return Verdict.next(l2Output);
        }
        return Verdict.next(ipv6Output);
    }
}
