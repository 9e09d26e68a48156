package io.sixgate.core.stage;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.InternetChecksum;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.route.ForwardingTable;
import io.sixgate.core.route.Ipv4RouteTable;

/**
 * Forwards a validated IPv4 packet (RFC 1812 §5.3): TTL check and decrement with an RFC 1624
 * incremental header checksum update, route lookup, MTU check, then
 * {@link StageNames#L2_OUTPUT} with the egress port and next hop set.
 *
 * <p>Deliberate gap, counted: ICMP Time Exceeded, Destination Unreachable and Fragmentation
 * Needed are not generated yet, and DF=0 packets above the MTU are dropped, not fragmented.
 */
public final class Ipv4ForwardStage extends Stage
{
    public enum Reason implements DropReason
    {
        /** TTL 0 or 1 on arrival: it would reach 0 here (RFC 1812 §5.3.1). */
        TTL_EXCEEDED("ttl-exceeded"),
        /** No route matches the destination. */
        NO_ROUTE("no-route"),
        /** Larger than the egress port's MTU. */
        EXCEEDS_MTU("exceeds-mtu");

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
    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();
    private final boolean decrement;
    private ForwardingTable table;
    private int[] mtu;
    private int l2Output;

    /**
     * @param decrement {@code true} for {@link StageNames#IPV4_FORWARD}, the router's forwarding;
     *                  {@code false} for {@link StageNames#IPV4_OUTPUT}, which routes packets the
     *                  gateway made or translated (the translator already decremented, RFC 7915 §4.1/§5.1).
     */
    public Ipv4ForwardStage(final FramePool pool, final ForwardingTable table, final boolean decrement)
    {
        super(decrement ? StageNames.IPV4_FORWARD : StageNames.IPV4_OUTPUT, Reason.values());
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
        ipv4.wrap(pool.buffer(), l3Offset);
        final int ttl = ipv4.ttl();
        if (decrement && ttl <= 1)
        {
            return drop(Reason.TTL_EXCEEDED);
        }
        final int destination = ipv4.dstAddress();
        final int route = table.lookupIpv4(destination);
        if (route == Ipv4RouteTable.NO_ROUTE)
        {
            return drop(Reason.NO_ROUTE);
        }
        final int egress = table.port(route);
        if (ipv4.totalLength() > mtu[egress])
        {
            return drop(Reason.EXCEEDS_MTU);
        }
        if (decrement)
        {
            // TTL shares a 16-bit word with the protocol; RFC 1624 eqn. 3 updates the checksum for it.
            final int oldWord = (ttl << 8) | ipv4.protocol();
            ipv4.ttl(ttl - 1);
            ipv4.headerChecksum(InternetChecksum.update16(ipv4.headerChecksum(), oldWord, oldWord - 0x100));
        }
        pool.route(frame, egress, 0, table.isConnected(route)
            ? destination & 0xFFFF_FFFFL
            : table.nextHopLow(route));
        return Verdict.next(l2Output);
    }
}
