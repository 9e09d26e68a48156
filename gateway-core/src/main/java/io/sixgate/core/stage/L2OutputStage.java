package io.sixgate.core.stage;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.icmp.IcmpErrorSender;
import io.sixgate.core.neighbour.NeighbourCache;
import io.sixgate.core.neighbour.NeighbourSolicitor;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.Icmpv4Flyweight;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.StageEvent;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.core.port.PortAddresses;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Last stage before a port: frames the IP packet at {@link FramePool#l3Offset(int)} for the
 * egress port chosen by routing. Ethernet ports get a fresh Ethernet II header (RFC 894 for
 * IPv4, RFC 2464 for IPv6) addressed to the next hop's MAC from the {@link NeighbourCache};
 * RAW ports get the bare packet.
 *
 * <p>A next hop with no MAC yet is resolved (RFC 826, RFC 4861 §7.2.2): the frame waits in the
 * cache (verdict {@link Verdict#CONSUMED}) while an ARP request or Neighbor Solicitation goes
 * out; {@link #onTick(long)} resends it every second, three times in all. When the answer comes
 * (the ARP and NDP stages update the cache), the waiting frames come back here through
 * {@link Pipeline#emit(int, int)}, stamped with the answer's time, and leave. When it does not, they are dropped as
 * {@link Reason#NEIGHBOUR_UNRESOLVED} and each source gets an ICMPv6 Address Unreachable
 * (RFC 4861 §7.2.2) or ICMPv4 Host Unreachable (RFC 1812 §5.2.7.1). A cached MAC that is no
 * longer confirmed is used and re-checked with unicast solicitations.
 */
public final class L2OutputStage extends Stage implements NeighbourCache.TimerHandler
{
    public enum Reason implements DropReason
    {
        /** Routing chose no egress port. */
        NO_EGRESS_PORT("no-egress-port"),
        /**
         * No MAC for the next hop: resolution failed, or the port has no address of the packet's
         * family to ask from.
         */
        NEIGHBOUR_UNRESOLVED("neighbour-unresolved"),
        /** Not enough headroom to prepend the Ethernet header. */
        NO_HEADROOM("no-headroom"),
        /**
         * Too many frames waiting for resolution: the oldest for that neighbour (RFC 4861 §7.2.2:
         * the new arrival replaces it), or the new one when all neighbours' queues are full.
         */
        NEIGHBOUR_QUEUE_FULL("neighbour-queue-full"),
        /** The neighbour cache has no room for another address being resolved. */
        NEIGHBOUR_CACHE_FULL("neighbour-cache-full"),
        /** The frame pool was empty when the first solicitation had to be built. */
        NO_FRAME_FOR_SOLICITATION("no-frame-for-solicitation");

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
        /** A frame waits for its next hop to be resolved. */
        FRAME_QUEUED("frame-queued"),
        /** A broadcast ARP request or a multicast Neighbor Solicitation went out. */
        SOLICITATION_SENT("solicitation-sent"),
        /** A unicast ARP request or Neighbor Solicitation re-checked a cached MAC. */
        PROBE_SENT("probe-sent"),
        /** A solicitation or probe could not be built: no frame, or no source address. */
        SOLICITATION_NOT_SENT("solicitation-not-sent"),
        /** Every solicitation went unanswered. */
        RESOLUTION_FAILED("resolution-failed");

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
    private final NeighbourCache cache;
    private final NeighbourSolicitor solicitor;
    private final IcmpErrorSender errors;
    private final EthernetFlyweight ethernet = new EthernetFlyweight();
    private Pipeline pipeline;
    private Port[] ports;
    private long nowNs;

    /**
     * Static neighbours only: a next hop that is not in the cache is dropped as
     * {@link Reason#NEIGHBOUR_UNRESOLVED} at once, nothing is asked on the link.
     */
    public L2OutputStage(final FramePool pool, final NeighbourCache cache)
    {
        this(pool, cache, PortAddresses.none(0), null);
    }

    /**
     * @param cache     the worker's neighbour cache, shared with the ARP and NDP stages.
     * @param addresses the gateway's addresses, sources of the solicitations.
     * @param errors    the worker's ICMP error sender, for the unreachable errors; {@code null}
     *                  for none.
     */
    public L2OutputStage(
        final FramePool pool, final NeighbourCache cache, final PortAddresses addresses, final IcmpErrorSender errors)
    {
        super(StageNames.L2_OUTPUT,
            new StageEvent[][]{Event.values(), IcmpErrorSender.Outcome.values()},
            Reason.values());
        this.pool = pool;
        this.cache = cache;
        this.solicitor = new NeighbourSolicitor(pool, addresses);
        this.errors = errors;
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        this.pipeline = pipeline;
        ports = new Port[pipeline.portCount()];
        for (int i = 0; i < ports.length; i++)
        {
            ports[i] = pipeline.port(i);
        }
        if (errors != null)
        {
            errors.link(pipeline);
        }
    }

    public NeighbourCache cache()
    {
        return cache;
    }

    @Override
    public int process(final int frame)
    {
        final int portId = pool.egressPort(frame);
        if (portId < 0 || portId >= ports.length)
        {
            return drop(Reason.NO_EGRESS_PORT);
        }
        final Port port = ports[portId];
        final int l3Offset = pool.l3Offset(frame);
        final int end = pool.offset(frame) + pool.length(frame);
        if (port.linkType() == LinkType.RAW)
        {
            pool.setData(frame, l3Offset, end - l3Offset);
            return Verdict.tx(portId);
        }

        final long timestampNs = pool.timestampNs(frame);
        if (timestampNs > nowNs)
        {
            nowNs = timestampNs;
        }
        final UnsafeBuffer buffer = pool.buffer();
        final boolean isIpv6 = (buffer.getByte(l3Offset) & 0xF0) == 0x60;
        final long nextHopHigh = isIpv6 ? pool.nextHopHigh(frame) : 0;
        final long nextHopLow = isIpv6 ? pool.nextHopLow(frame) : pool.nextHopLow(frame) & 0xFFFF_FFFFL;
        int slot = cache.find(portId, isIpv6, nextHopHigh, nextHopLow);
        if (slot == NeighbourCache.NOT_FOUND)
        {
            return startResolution(frame, port, isIpv6, nextHopHigh, nextHopLow);
        }
        final long mac = cache.macForTransmit(slot, nowNs);
        if (mac == NeighbourCache.NO_MAC)
        {
            return wait(frame, slot);
        }
        if (cache.needsProbe(slot))
        {
            // RFC 4861 §7.3.3 (without DELAY): a STALE entry in use is re-checked by unicast.
            cache.startProbe(slot, nowNs);
            solicit(slot, true);
        }
        final int l2Offset = l3Offset - EthernetFlyweight.HEADER_LENGTH;
        if (!pool.setData(frame, l2Offset, end - l2Offset))
        {
            return drop(Reason.NO_HEADROOM);
        }
        ethernet.wrap(buffer, l2Offset)
            .dstMac(mac)
            .srcMac(port.mac())
            .etherType(isIpv6 ? EthernetFlyweight.ETHERTYPE_IPV6 : EthernetFlyweight.ETHERTYPE_IPV4);
        return Verdict.tx(portId);
    }

    @Override
    public int onTick(final long tickNs)
    {
        if (tickNs > nowNs)
        {
            nowNs = tickNs;
        }
        return cache.onTimer(nowNs, this);
    }

    @Override
    public void solicit(final int slot, final boolean unicast)
    {
        final int portId = cache.portId(slot);
        final long portMac = ports[portId].mac();
        final int frame;
        if (cache.isIpv6(slot))
        {
            frame = solicitor.neighborSolicitation(portId, portMac, cache.addressHigh(slot), cache.addressLow(slot),
                unicast ? cache.mac(slot) : NeighbourCache.NO_MAC);
        }
        else
        {
            frame = solicitor.arpRequest(portId, portMac, cache.ipv4Address(slot),
                unicast ? cache.mac(slot) : EthernetFlyweight.BROADCAST_MAC);
        }
        if (frame == FramePool.NO_FRAME)
        {
            count(Event.SOLICITATION_NOT_SENT);
            return;
        }
        pool.timestampNs(frame, nowNs);
        count(unicast ? Event.PROBE_SENT : Event.SOLICITATION_SENT);
        pipeline.emit(frame, Verdict.tx(portId));
    }

    @Override
    public void unresolved(final int slot)
    {
        count(Event.RESOLUTION_FAILED);
        final boolean isIpv6 = cache.isIpv6(slot);
        int frame;
        while ((frame = cache.dequeue(slot)) != FramePool.NO_FRAME)
        {
            if (errors != null)
            {
                count(isIpv6
                    ? errors.ipv6Error(frame, Icmpv6Flyweight.TYPE_DESTINATION_UNREACHABLE,
                        Icmpv6Flyweight.CODE_ADDRESS_UNREACHABLE, 0, nowNs)
                    : errors.ipv4Error(frame, Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE,
                        Icmpv4Flyweight.CODE_HOST_UNREACHABLE, 0, nowNs));
            }
            pipeline.emit(frame, drop(Reason.NEIGHBOUR_UNRESOLVED));
        }
    }

    private int startResolution(
        final int frame, final Port port, final boolean isIpv6, final long nextHopHigh, final long nextHopLow)
    {
        final int portId = port.id();
        final boolean canAsk = isIpv6
            ? solicitor.canSolicitIpv6(portId, nextHopHigh, nextHopLow)
            : solicitor.canSolicitIpv4(portId, (int)nextHopLow);
        if (!canAsk)
        {
            return drop(Reason.NEIGHBOUR_UNRESOLVED);
        }
        final int slot = cache.createIncomplete(portId, isIpv6, nextHopHigh, nextHopLow, nowNs);
        if (slot == NeighbourCache.NOT_FOUND)
        {
            return drop(Reason.NEIGHBOUR_CACHE_FULL);
        }
        final int request = isIpv6
            ? solicitor.neighborSolicitation(portId, port.mac(), nextHopHigh, nextHopLow, NeighbourCache.NO_MAC)
            : solicitor.arpRequest(portId, port.mac(), (int)nextHopLow, EthernetFlyweight.BROADCAST_MAC);
        if (request == FramePool.NO_FRAME)
        {
            // Nothing asked: forget the entry so the next packet tries again.
            cache.remove(slot);
            return drop(Reason.NO_FRAME_FOR_SOLICITATION);
        }
        pool.timestampNs(request, nowNs);
        count(Event.SOLICITATION_SENT);
        pipeline.emit(request, Verdict.tx(portId));
        return wait(frame, slot);
    }

    private int wait(final int frame, final int slot)
    {
        if (cache.isQueueFull(slot))
        {
            // RFC 4861 §7.2.2: when the queue overflows, the new arrival replaces the oldest entry.
            pipeline.emit(cache.dequeue(slot), drop(Reason.NEIGHBOUR_QUEUE_FULL));
        }
        if (!cache.enqueue(slot, frame))
        {
            return drop(Reason.NEIGHBOUR_QUEUE_FULL);
        }
        count(Event.FRAME_QUEUED);
        return Verdict.CONSUMED;
    }
}
