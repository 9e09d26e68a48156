package io.sixgate.core.stage;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.frame.Offload;
import io.sixgate.core.icmp.IcmpErrorSender;
import io.sixgate.core.packet.Icmpv4Flyweight;
import io.sixgate.core.packet.InternetChecksum;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.StageEvent;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.port.PortAddresses;
import io.sixgate.core.route.ForwardingTable;
import io.sixgate.core.route.Ipv4RouteTable;

/**
 * Forwards a validated IPv4 packet (RFC 1812 §5.3): packets for the gateway itself (its
 * addresses, broadcast, multicast) go to {@link StageNames#IPV4_LOCAL}; the rest get the TTL
 * check and decrement with an RFC 1624 incremental header checksum update, the route lookup and
 * the MTU check, then go to {@link StageNames#L2_OUTPUT} with the egress port and next hop set.
 *
 * <p>The router's instance ({@link StageNames#IPV4_FORWARD}, built with the gateway's addresses
 * and an {@link IcmpErrorSender}) answers what it drops with ICMP (RFC 792, RFC 1812 §4.3.3):
 * Time Exceeded code 0 for the TTL (RFC 1812 §5.3.1), Destination Unreachable code 0 (net
 * unreachable) for no route (§5.2.7.1), and Fragmentation Needed (code 4) with the next-hop MTU
 * for a packet with DF set that does not fit (RFC 1191 §4). A packet without DF that does not
 * fit is fragmented (RFC 791 §3.2, {@link Ipv4Fragmenter}). The drop is counted under its
 * reason either way; the error is counted as an {@link IcmpErrorSender.Outcome}.
 * {@link StageNames#IPV4_OUTPUT}, which routes packets the gateway made or translated, sends no
 * errors and does not fragment: the translator answers and fragments for its own packets
 * (RFC 7915), and the gateway's own are ICMP errors or replies, small enough.
 */
public final class Ipv4ForwardStage extends Stage
{
    public enum Reason implements DropReason
    {
        /** TTL 0 or 1 on arrival: it would reach 0 here (RFC 1812 §5.3.1). */
        TTL_EXCEEDED("ttl-exceeded"),
        /** No route matches the destination. */
        NO_ROUTE("no-route"),
        /** Larger than the egress port's MTU with DF set, or on a stage that does not fragment. */
        EXCEEDS_MTU("exceeds-mtu"),
        /** A TCP super-packet (TAP offload) without DF whose segments exceed the egress MTU. */
        OFFLOAD_NEEDS_FRAGMENTS("offload-needs-fragments"),
        /** Fragmenting would take more fragments than the pipeline queues at once. */
        TOO_MANY_FRAGMENTS("too-many-fragments"),
        /** The frame pool had too few frames for the fragments. */
        NO_FRAME_FOR_FRAGMENTS("no-frame-for-fragments");

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
        /** A packet without DF was split to fit the egress MTU (RFC 791 §3.2). */
        FRAGMENTED("fragmented");

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
    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();
    private final boolean decrement;
    private final PortAddresses addresses;
    private final IcmpErrorSender errors;
    private final Ipv4Fragmenter fragmenter;
    private Pipeline pipeline;
    private ForwardingTable table;
    private int[] mtu;
    private int l2Output;
    private int local = -1;

    /**
     * Forwarding without local delivery, ICMP errors or fragmentation.
     *
     * @param decrement {@code true} for {@link StageNames#IPV4_FORWARD}, the router's forwarding;
     *                  {@code false} for {@link StageNames#IPV4_OUTPUT}, which routes packets the
     *                  gateway made or translated (the translator already decremented, RFC 7915 §4.1/§5.1).
     */
    public Ipv4ForwardStage(final FramePool pool, final ForwardingTable table, final boolean decrement)
    {
        this(decrement ? StageNames.IPV4_FORWARD : StageNames.IPV4_OUTPUT, pool, table, decrement, null, null);
    }

    /**
     * The router's {@link StageNames#IPV4_FORWARD}: packets to the gateway's addresses, to
     * broadcast and to multicast go to {@link StageNames#IPV4_LOCAL}; drops are answered with
     * ICMP errors; packets without DF are fragmented to fit.
     *
     * @param addresses the gateway's own addresses.
     * @param errors    the worker's ICMP error sender.
     */
    public Ipv4ForwardStage(
        final FramePool pool, final ForwardingTable table, final PortAddresses addresses, final IcmpErrorSender errors)
    {
        this(StageNames.IPV4_FORWARD, pool, table, true, addresses, errors);
    }

    private Ipv4ForwardStage(
        final String name,
        final FramePool pool,
        final ForwardingTable table,
        final boolean decrement,
        final PortAddresses addresses,
        final IcmpErrorSender errors)
    {
        super(name, new StageEvent[][]{Event.values(), IcmpErrorSender.Outcome.values()}, Reason.values());
        this.pool = pool;
        this.table = table;
        this.decrement = decrement;
        this.addresses = addresses;
        this.errors = errors;
        this.fragmenter = errors == null ? null : new Ipv4Fragmenter(pool);
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        this.pipeline = pipeline;
        l2Output = pipeline.stageId(StageNames.L2_OUTPUT);
        mtu = new int[pipeline.portCount()];
        for (int i = 0; i < mtu.length; i++)
        {
            mtu[i] = pipeline.port(i).mtu();
        }
        if (addresses != null)
        {
            local = pipeline.stageId(StageNames.IPV4_LOCAL);
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
        ipv4.wrap(pool.buffer(), l3Offset);
        final int destination = ipv4.dstAddress();
        // RFC 1812 §5.3.5: the limited broadcast, the subnets' directed broadcasts (not forwarded,
        // RFC 2644) and multicast (no multicast routing here) end here, like the gateway's own
        // addresses, before the TTL matters.
        if (local >= 0 && (destination == -1 || (destination >>> 28) == 0xE
            || addresses.isLocalIpv4(destination) || addresses.isDirectedBroadcast(destination)))
        {
            return Verdict.next(local);
        }
        final int ttl = ipv4.ttl();
        if (decrement && ttl <= 1)
        {
            // RFC 792, RFC 1812 §5.3.1: Time Exceeded, code 0, about the packet as it arrived.
            error(frame, Icmpv4Flyweight.TYPE_TIME_EXCEEDED, Icmpv4Flyweight.CODE_TTL_EXCEEDED, 0);
            return drop(Reason.TTL_EXCEEDED);
        }
        final int route = table.lookupIpv4(destination);
        if (route == Ipv4RouteTable.NO_ROUTE)
        {
            // RFC 792, RFC 1812 §5.2.7.1: Destination Unreachable, code 0 (net unreachable).
            error(frame, Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, Icmpv4Flyweight.CODE_NET_UNREACHABLE, 0);
            return drop(Reason.NO_ROUTE);
        }
        final int egress = table.port(route);
        // A TCP super-packet (TAP offload) is forwarded whole; its segments must fit.
        final long offload = pool.offload(frame);
        final boolean tooBig = Offload.lengthOnLink(pool.buffer(), l3Offset, offload, ipv4.totalLength())
            > mtu[egress];
        if (tooBig && Offload.isGso(offload) && !ipv4.dontFragment())
        {
            // Its segments would each need fragments: not segmented in software here.
            return drop(Reason.OFFLOAD_NEEDS_FRAGMENTS);
        }
        if (tooBig && (fragmenter == null || ipv4.dontFragment()))
        {
            // RFC 1191 §4: Fragmentation Needed and DF set, with the next-hop MTU in the low 16 bits.
            error(frame, Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, Icmpv4Flyweight.CODE_FRAGMENTATION_NEEDED,
                mtu[egress] & 0xFFFF);
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
        if (tooBig)
        {
            switch (fragmenter.fragment(frame, mtu[egress], pipeline, l2Output))
            {
                case Ipv4Fragmenter.TOO_MANY_FRAGMENTS:
                    return drop(Reason.TOO_MANY_FRAGMENTS);
                case Ipv4Fragmenter.NO_FRAME:
                    return drop(Reason.NO_FRAME_FOR_FRAGMENTS);
                default:
                    count(Event.FRAGMENTED);
            }
        }
        return Verdict.next(l2Output);
    }

    private void error(final int frame, final int type, final int code, final int restOfHeader)
    {
        if (errors != null)
        {
            count(errors.ipv4Error(frame, type, code, restOfHeader, pool.timestampNs(frame)));
        }
    }
}
