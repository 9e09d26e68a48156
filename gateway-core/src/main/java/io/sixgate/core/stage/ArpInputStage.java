package io.sixgate.core.stage;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.neighbour.NeighbourCache;
import io.sixgate.core.packet.ArpFlyweight;
import io.sixgate.core.packet.ArpInputDropReason;
import io.sixgate.core.packet.ArpValidator;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.StageEvent;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.port.PortAddresses;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * ARP for the gateway's IPv4 addresses (RFC 826, "Packet Reception"), on the frames
 * {@link EthernetInputStage} hands over:
 * <ol>
 *   <li>validate ({@link ArpValidator}: Ethernet/IPv4, request or reply);</li>
 *   <li>"merge": if the sender's address has an entry on this port, its MAC is updated from the
 *   packet (a gratuitous ARP, RFC 5227 §3, moves an address this way);</li>
 *   <li>if the target is one of the port's addresses: add the sender when it was not merged; a
 *   reply resolves or confirms the entry (our request's answer); a request is answered in place,
 *   sender and target swapped, straight out of the port it came in on.</li>
 * </ol>
 * Frames that waited for a neighbour resolved here go back to {@link StageNames#L2_OUTPUT}.
 * With several workers every worker gets a copy of each ARP frame, so that each neighbour
 * cache learns; only the worker built to answer ({@code answersRequests}) sends replies, the
 * others learn and count {@link Event#LEFT_TO_ANSWERING_WORKER}, so a host gets one reply.
 * A sender of 0.0.0.0 (an ARP probe, RFC 5227 §2.1.1) is answered but not learned.
 * Configured neighbours never change ({@link NeighbourCache#PERMANENT}).
 */
public final class ArpInputStage extends Stage
{
    public enum Reason implements DropReason
    {
        /** Neither for one of the port's addresses nor about a known neighbour: nothing to do. */
        TARGET_NOT_OURS("target-not-ours"),
        /** Another station claims one of the gateway's addresses (RFC 5227 §2.4 conflict). */
        SENDER_IS_OURS("sender-is-ours"),
        /** Our own port's MAC as the sender: our frame looped back. */
        LOOPED_BACK("looped-back");

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
        /** A request for one of the gateway's addresses was answered. */
        REQUEST_ANSWERED("request-answered"),
        /** A reply to the gateway resolved an address it was asking for. */
        NEIGHBOUR_RESOLVED("neighbour-resolved"),
        /** A new neighbour entry from a packet addressed to the gateway. */
        NEIGHBOUR_LEARNED("neighbour-learned"),
        /** A known neighbour's MAC or state changed. */
        NEIGHBOUR_UPDATED("neighbour-updated"),
        /** A configured neighbour was left as configured. */
        STATIC_NEIGHBOUR_KEPT("static-neighbour-kept"),
        /** Sender and target address equal: a gratuitous ARP (RFC 5227 §3). */
        GRATUITOUS("gratuitous"),
        /** The neighbour cache had no room for the sender; it is not learned. */
        CACHE_FULL("cache-full"),
        /** A request for a gateway address learned from, and left to the one worker that answers. */
        LEFT_TO_ANSWERING_WORKER("left-to-answering-worker");

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
    private final PortAddresses addresses;
    private final boolean answersRequests;
    private final ArpFlyweight arp = new ArpFlyweight();
    private final EthernetFlyweight ethernet = new EthernetFlyweight();
    private Pipeline pipeline;
    private long[] portMac;
    private int l2Output;

    /**
     * @param cache     the worker's neighbour cache, shared with {@link L2OutputStage}.
     * @param addresses the gateway's addresses, what ARP answers for.
     */
    public ArpInputStage(final FramePool pool, final NeighbourCache cache, final PortAddresses addresses)
    {
        this(pool, cache, addresses, true);
    }

    /**
     * @param answersRequests whether this worker replies to requests for the gateway's addresses
     *                        (exactly one worker does; the others only learn).
     */
    public ArpInputStage(
        final FramePool pool, final NeighbourCache cache, final PortAddresses addresses, final boolean answersRequests)
    {
        super(StageNames.ARP_INPUT, new StageEvent[][]{Event.values()}, ArpInputDropReason.values(), Reason.values());
        this.pool = pool;
        this.cache = cache;
        this.addresses = addresses;
        this.answersRequests = answersRequests;
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        this.pipeline = pipeline;
        l2Output = pipeline.stageId(StageNames.L2_OUTPUT);
        portMac = new long[pipeline.portCount()];
        for (int i = 0; i < portMac.length; i++)
        {
            portMac[i] = pipeline.port(i).mac();
        }
    }

    @Override
    public int process(final int frame)
    {
        final UnsafeBuffer buffer = pool.buffer();
        final int l3 = pool.l3Offset(frame);
        final ArpInputDropReason invalid = ArpValidator.validate(buffer, l3, pool.offset(frame) + pool.length(frame) - l3);
        if (invalid != null)
        {
            return drop(invalid);
        }
        final int portId = pool.port(frame);
        final long nowNs = pool.timestampNs(frame);
        arp.wrap(buffer, l3);
        final long senderMac = arp.sha();
        final int sender = arp.spa();
        final int target = arp.tpa();
        if (senderMac == portMac[portId])
        {
            return drop(Reason.LOOPED_BACK);
        }
        if (sender != 0 && addresses.isIpv4OnPort(portId, sender))
        {
            return drop(Reason.SENDER_IS_OURS);
        }
        if (sender == target)
        {
            count(Event.GRATUITOUS);
        }
        final boolean forUs = addresses.isIpv4OnPort(portId, target);
        final boolean reply = arp.oper() == ArpFlyweight.OPER_REPLY;

        // RFC 826: "merge" the sender into an existing entry; RFC 5227 §2.1.1: never learn 0.0.0.0.
        boolean merged = false;
        if (sender != 0)
        {
            final int slot = cache.findIpv4(portId, sender);
            if (slot != NeighbourCache.NOT_FOUND)
            {
                merged = true;
                // A reply to us answers our request: a confirmation. Anything else: RFC 826 merge.
                onUpdate(slot, forUs && reply
                    ? cache.advertise(slot, senderMac, true, true, nowNs)
                    : cache.learn(slot, senderMac, nowNs), nowNs);
            }
        }
        if (!forUs)
        {
            return merged ? consume(frame) : drop(Reason.TARGET_NOT_OURS);
        }
        // RFC 826: "If Merge_flag is false, add the triplet to the translation table."
        if (!merged && sender != 0)
        {
            final int slot = cache.createStale(portId, false, 0, sender & 0xFFFF_FFFFL, senderMac, nowNs);
            count(slot == NeighbourCache.NOT_FOUND ? Event.CACHE_FULL : Event.NEIGHBOUR_LEARNED);
        }
        if (reply)
        {
            return consume(frame);
        }
        if (!answersRequests)
        {
            count(Event.LEFT_TO_ANSWERING_WORKER);
            return consume(frame);
        }
        // RFC 826: swap sender and target, put our addresses in the sender fields, opcode reply,
        // and send it to the new target hardware address out of the port it came in on.
        arp.oper(ArpFlyweight.OPER_REPLY)
            .tha(senderMac)
            .tpa(sender)
            .sha(portMac[portId])
            .spa(target);
        final int l2 = l3 - EthernetFlyweight.HEADER_LENGTH;
        ethernet.wrap(buffer, l2).dstMac(senderMac).srcMac(portMac[portId]);
        pool.setData(frame, l2, EthernetFlyweight.HEADER_LENGTH + ArpFlyweight.LENGTH);
        count(Event.REQUEST_ANSWERED);
        return Verdict.tx(portId);
    }

    /** The packet did its work (the cache has it); the frame goes back to the pool. */
    private int consume(final int frame)
    {
        pool.release(frame);
        return Verdict.CONSUMED;
    }

    private void onUpdate(final int slot, final int outcome, final long nowNs)
    {
        switch (outcome)
        {
            case NeighbourCache.RESOLVED:
                count(Event.NEIGHBOUR_RESOLVED);
                cache.releaseWaiting(slot, pipeline, Verdict.next(l2Output), nowNs);
                break;

            case NeighbourCache.UPDATED:
                count(Event.NEIGHBOUR_UPDATED);
                break;

            case NeighbourCache.KEPT_PERMANENT:
                count(Event.STATIC_NEIGHBOUR_KEPT);
                break;

            default:
                break;
        }
    }
}
