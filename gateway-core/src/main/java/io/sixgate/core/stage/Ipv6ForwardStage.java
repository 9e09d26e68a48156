package io.sixgate.core.stage;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.route.ForwardingTable;
import io.sixgate.core.route.Ipv6RouteTable;

/**
 * Forwards a validated IPv6 packet (RFC 8200 §3): hop limit check and decrement, route
 * lookup, MTU check, then {@link StageNames#L2_OUTPUT} with the egress port and next hop set.
 *
 * <p>Deliberate gap, counted: ICMPv6 Time Exceeded, Destination Unreachable and Packet Too
 * Big (RFC 4443 §3) are not generated yet; those packets are dropped with their reason.
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
        ROUTE_LOOP("route-loop");

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
    private ForwardingTable table;
    private int[] mtu;
    private int l2Output;

    /**
     * @param decrement {@code true} for {@link StageNames#IPV6_FORWARD}, the router's forwarding;
     *                  {@code false} for {@link StageNames#IPV6_OUTPUT}, which routes packets the
     *                  gateway made or translated (the translator already decremented, RFC 7915 §4.1/§5.1).
     */
    public Ipv6ForwardStage(final FramePool pool, final ForwardingTable table, final boolean decrement)
    {
        super(decrement ? StageNames.IPV6_FORWARD : StageNames.IPV6_OUTPUT, Reason.values());
        this.pool = pool;
        this.table = table;
        this.decrement = decrement;
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
        final int hopLimit = ipv6.hopLimit();
        if (decrement && hopLimit <= 1)
        {
            return drop(Reason.HOP_LIMIT_EXCEEDED);
        }
        final long dstHigh = ipv6.dstHigh();
        final long dstLow = ipv6.dstLow();
        final int route = table.lookupIpv6(dstHigh, dstLow);
        if (route == Ipv6RouteTable.NO_ROUTE)
        {
            return drop(Reason.NO_ROUTE);
        }
        final int egress = table.port(route);
        final int packetLength = pool.offset(frame) + pool.length(frame) - l3Offset;
        if (packetLength > mtu[egress])
        {
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
}
