package io.sixgate.core.stage;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.frame.Offload;
import io.sixgate.core.icmp.IcmpErrorSender;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.StageEvent;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.port.PortAddresses;
import io.sixgate.core.route.ForwardingTable;
import io.sixgate.core.route.Ipv6RouteTable;

/**
 * Forwards a validated IPv6 packet (RFC 8200 §3): packets for the gateway itself go to
 * {@link StageNames#IPV6_LOCAL}; the rest get the hop limit check and decrement, the route
 * lookup and the MTU check, then go to {@link StageNames#L2_OUTPUT} with the egress port and
 * next hop set.
 *
 * <p>The router's instance ({@link StageNames#IPV6_FORWARD}, built with the gateway's addresses
 * and an {@link IcmpErrorSender}) answers what it drops with ICMPv6 (RFC 4443 §3): Time
 * Exceeded code 0 for the hop limit (§3.3), Destination Unreachable code 0 for no route (§3.1)
 * and code 2 for a link-local source that would leave its link (RFC 4291 §2.5.6), and Packet Too
 * Big with the egress MTU (§3.2; routers never fragment IPv6, RFC 8200 §5). The drop is counted
 * under its reason either way; the error is counted as an {@link IcmpErrorSender.Outcome}.
 * {@link StageNames#IPV6_OUTPUT}, which routes packets the gateway made or translated, sends no
 * errors: the translator answers for its own packets (RFC 7915), and the gateway's own are
 * ICMP errors or replies already.
 */
public final class Ipv6ForwardStage extends Stage
{
    public enum Reason implements DropReason
    {
        /** Hop limit 0 or 1 on arrival: it would reach 0 here (RFC 8200 §3). */
        HOP_LIMIT_EXCEEDED("hop-limit-exceeded"),
        /** No route matches the destination. */
        NO_ROUTE("no-route"),
        /** Larger than the egress port's MTU; IPv6 routers never fragment (RFC 8200 §5). */
        EXCEEDS_MTU("exceeds-mtu"),
        /** The route would send the packet back out of the port it came from to itself. */
        ROUTE_LOOP("route-loop"),
        /** A link-local source must not leave its link (RFC 4291 §2.5.6). */
        LINK_LOCAL_SOURCE("link-local-source"),
        /** A link-local destination that is not the gateway's: not forwarded (RFC 4291 §2.5.6). */
        LINK_LOCAL_DESTINATION("link-local-destination");

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

    private final FramePool pool;
    private final Ipv6Flyweight ipv6 = new Ipv6Flyweight();
    private final boolean decrement;
    private final PortAddresses addresses;
    private final IcmpErrorSender errors;
    private ForwardingTable table;
    private int[] mtu;
    private int l2Output;
    private int local = -1;

    /**
     * Forwarding without local delivery or ICMP errors.
     *
     * @param decrement {@code true} for {@link StageNames#IPV6_FORWARD}, the router's forwarding;
     *                  {@code false} for {@link StageNames#IPV6_OUTPUT}, which routes packets the
     *                  gateway made or translated (the translator already decremented, RFC 7915 §4.1/§5.1).
     */
    public Ipv6ForwardStage(final FramePool pool, final ForwardingTable table, final boolean decrement)
    {
        this(decrement ? StageNames.IPV6_FORWARD : StageNames.IPV6_OUTPUT, pool, table, decrement, null, null);
    }

    /**
     * The router's {@link StageNames#IPV6_FORWARD}: packets to the gateway's addresses and to
     * multicast groups go to {@link StageNames#IPV6_LOCAL}; drops are answered with ICMPv6 errors.
     *
     * @param addresses the gateway's own addresses.
     * @param errors    the worker's ICMP error sender.
     */
    public Ipv6ForwardStage(
        final FramePool pool, final ForwardingTable table, final PortAddresses addresses, final IcmpErrorSender errors)
    {
        this(StageNames.IPV6_FORWARD, pool, table, true, addresses, errors);
    }

    private Ipv6ForwardStage(
        final String name,
        final FramePool pool,
        final ForwardingTable table,
        final boolean decrement,
        final PortAddresses addresses,
        final IcmpErrorSender errors)
    {
        super(name, new StageEvent[][]{IcmpErrorSender.Outcome.values()}, Reason.values());
        this.pool = pool;
        this.table = table;
        this.decrement = decrement;
        this.addresses = addresses;
        this.errors = errors;
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        l2Output = pipeline.stageId(StageNames.L2_OUTPUT);
        mtu = new int[pipeline.portCount()];
        for (int i = 0; i < mtu.length; i++)
        {
            mtu[i] = pipeline.port(i).mtu();
        }
        if (addresses != null)
        {
            local = pipeline.stageId(StageNames.IPV6_LOCAL);
        }
        if (errors != null)
        {
            errors.link(pipeline);
        }
    }

    /**
     * Swaps in a new forwarding table; call on the worker thread (through its command queue).
     */
    public void forwardingTable(final ForwardingTable newTable)
    {
        table = newTable;
    }

    @Override
    public int process(final int frame)
    {
        final int l3Offset = pool.l3Offset(frame);
        ipv6.wrap(pool.buffer(), l3Offset);
        final long dstHigh = ipv6.dstHigh();
        final long dstLow = ipv6.dstLow();
        if (local >= 0)
        {
            // RFC 8200 §3, RFC 4291 §2.7: the gateway's own addresses and every multicast group
            // end here, before the hop limit matters (NDP arrives with 255, multicast ping with 1).
            if ((dstHigh >>> 56) == 0xFF || addresses.isLocalIpv6(dstHigh, dstLow))
            {
                return Verdict.next(local);
            }
            // RFC 4291 §2.5.6: link-local addresses are not forwarded.
            if (PortAddresses.isLinkLocal(ipv6.srcHigh()))
            {
                error(frame, Icmpv6Flyweight.TYPE_DESTINATION_UNREACHABLE, Icmpv6Flyweight.CODE_BEYOND_SCOPE, 0);
                return drop(Reason.LINK_LOCAL_SOURCE);
            }
            if (PortAddresses.isLinkLocal(dstHigh))
            {
                return drop(Reason.LINK_LOCAL_DESTINATION);
            }
        }
        final int hopLimit = ipv6.hopLimit();
        if (decrement && hopLimit <= 1)
        {
            // RFC 4443 §3.3: Time Exceeded, code 0, about the packet as it arrived.
            error(frame, Icmpv6Flyweight.TYPE_TIME_EXCEEDED, Icmpv6Flyweight.CODE_HOP_LIMIT_EXCEEDED, 0);
            return drop(Reason.HOP_LIMIT_EXCEEDED);
        }
        final int route = table.lookupIpv6(dstHigh, dstLow);
        if (route == Ipv6RouteTable.NO_ROUTE)
        {
            // RFC 4443 §3.1: Destination Unreachable, code 0 "no route to destination".
            error(frame, Icmpv6Flyweight.TYPE_DESTINATION_UNREACHABLE, Icmpv6Flyweight.CODE_NO_ROUTE, 0);
            return drop(Reason.NO_ROUTE);
        }
        final int egress = table.port(route);
        // A TCP super-packet (TAP offload) is forwarded whole, header as it is; its segments must fit.
        final int packetLength = Offload.lengthOnLink(pool.buffer(), l3Offset, pool.offload(frame),
            pool.offset(frame) + pool.length(frame) - l3Offset);
        if (packetLength > mtu[egress])
        {
            // RFC 4443 §3.2: Packet Too Big with the MTU of the next-hop link.
            error(frame, Icmpv6Flyweight.TYPE_PACKET_TOO_BIG, 0, mtu[egress]);
            return drop(Reason.EXCEEDS_MTU);
        }
        if (decrement)
        {
            ipv6.hopLimit(hopLimit - 1);
        }
        if (table.isConnected(route))
        {
            pool.route(frame, egress, dstHigh, dstLow);
        }
        else
        {
            pool.route(frame, egress, table.nextHopHigh(route), table.nextHopLow(route));
        }
        return Verdict.next(l2Output);
    }

    private void error(final int frame, final int type, final int code, final int restOfHeader)
    {
        if (errors != null)
        {
            count(errors.ipv6Error(frame, type, code, restOfHeader, pool.timestampNs(frame)));
        }
    }
}
