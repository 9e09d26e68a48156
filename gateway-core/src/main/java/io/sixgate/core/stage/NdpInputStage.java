package io.sixgate.core.stage;

import static java.nio.ByteOrder.BIG_ENDIAN;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.neighbour.NeighbourCache;
import io.sixgate.core.neighbour.NeighbourSolicitor;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.InternetChecksum;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.Ipv6HeaderChain;
import io.sixgate.core.packet.NdpFlyweight;
import io.sixgate.core.packet.NdpInputDropReason;
import io.sixgate.core.packet.NdpValidator;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.StageEvent;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.PortAddresses;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Neighbor Discovery for the gateway (RFC 4861), on the ND messages {@link Ipv6LocalStage}
 * found addressed to it (its addresses, its solicited-node groups, all-nodes, all-routers):
 * <ul>
 *   <li>Neighbor Solicitation (§7.2.3, §7.2.4) for one of the receiving port's addresses: the
 *   sender's Source Link-Layer Address creates or updates its cache entry, and a Neighbor
 *   Advertisement goes back straight out of the port, built in place: Router flag set (the
 *   gateway is a router), Solicited set (clear for Duplicate Address Detection, which is answered
 *   to all-nodes), Override set, with the port's MAC in a Target Link-Layer Address option;</li>
 *   <li>Neighbor Advertisement (§7.2.5): updates the target's entry if there is one, with the
 *   §7.2.5 rules ({@link NeighbourCache#advertise}): an unsolicited advertisement with Override
 *   moves an address to another MAC (a virtual IPv6 address that moved to another NIC);
 *   frames waiting for a resolved address go back to {@link StageNames#L2_OUTPUT};</li>
 *   <li>Router Solicitation, Router Advertisement and Redirect: counted drops. The gateway sends
 *   no Router Advertisements (hosts are configured with it as their router), takes no
 *   configuration from other routers' (§6.2.7 consistency checks are not done), and a router
 *   ignores Redirects (§8.1).</li>
 * </ul>
 * Every NS and NA must first pass {@link NdpValidator} (hop limit 255, code 0, checksum,
 * options, RFC 4861 §7.1).
 *
 * <p>With several workers every worker gets a copy of each NS and NA, so that each neighbour
 * cache learns; only the worker built to answer ({@code answersSolicitations}) sends the
 * advertisement, the others learn and count {@link Event#LEFT_TO_ANSWERING_WORKER}.
 */
public final class NdpInputStage extends Stage
{
    public enum Reason implements DropReason
    {
        /** RFC 4861 §6.2.6: the gateway does not send Router Advertisements. */
        ROUTER_SOLICITATION("router-solicitation-not-served"),
        /** Another router's advertisement: nothing is configured from it. */
        ROUTER_ADVERTISEMENT("router-advertisement-ignored"),
        /** RFC 4861 §8.1: Redirects are for hosts; a router ignores them. */
        REDIRECT("redirect-ignored"),
        /** ND on a port without a link layer (a RAW port): there is no address to resolve. */
        NO_LINK_LAYER("no-link-layer"),
        /** A solicitation for an address that is not the receiving port's (RFC 4861 §7.2.3). */
        TARGET_NOT_OURS("target-not-ours"),
        /** Another node advertises one of the gateway's addresses: a duplicate (RFC 4862 §5.4.4). */
        TARGET_IS_OURS("target-is-ours"),
        /** An advertisement for an address with no cache entry (RFC 4861 §7.2.5: discarded). */
        NO_ENTRY_FOR_TARGET("no-entry-for-target"),
        /**
         * A multicast solicitation from a unicast source without Source Link-Layer Address
         * (RFC 4861 §7.1.1).
         */
        NO_SOURCE_LINK_LAYER_ADDRESS("no-source-link-layer-address");

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
        /** A solicitation for a gateway address was answered with an advertisement. */
        SOLICITATION_ANSWERED("solicitation-answered"),
        /** A Duplicate Address Detection probe for a gateway address was answered (RFC 4861 §7.2.4). */
        DUPLICATE_ADDRESS_DEFENDED("duplicate-address-defended"),
        /** An advertisement resolved an address the gateway was asking for. */
        NEIGHBOUR_RESOLVED("neighbour-resolved"),
        /** A neighbour was learned from its solicitation. */
        NEIGHBOUR_LEARNED("neighbour-learned"),
        /** A known neighbour's MAC or state changed. */
        NEIGHBOUR_UPDATED("neighbour-updated"),
        /** An advertisement that changed nothing (RFC 4861 §7.2.5). */
        ADVERTISEMENT_IGNORED("advertisement-ignored"),
        /** A configured neighbour was left as configured. */
        STATIC_NEIGHBOUR_KEPT("static-neighbour-kept"),
        /** The neighbour cache had no room for the sender; it is not learned. */
        CACHE_FULL("cache-full"),
        /** A solicitation for a gateway address learned from, and left to the one worker that answers. */
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

    private static final long ALL_NODES_HIGH = 0xFF02_0000_0000_0000L;
    private static final long ALL_NODES_LOW = 1L;
    private static final long ALL_NODES_MAC = 0x3333_0000_0001L;
    private static final int ADVERTISEMENT_LENGTH =
        NdpFlyweight.NEIGHBOR_MESSAGE_LENGTH + NdpFlyweight.LINK_LAYER_ADDRESS_OPTION_LENGTH;

    private final FramePool pool;
    private final NeighbourCache cache;
    private final PortAddresses addresses;
    private final boolean answersSolicitations;
    private final Ipv6HeaderChain chain = new Ipv6HeaderChain();
    private final Ipv6Flyweight ipv6 = new Ipv6Flyweight();
    private final NdpFlyweight ndp = new NdpFlyweight();
    private final EthernetFlyweight ethernet = new EthernetFlyweight();
    private Pipeline pipeline;
    private long[] portMac;
    private boolean[] ethernetPort;
    private int l2Output;

    /**
     * @param cache     the worker's neighbour cache, shared with {@link L2OutputStage}.
     * @param addresses the gateway's addresses, what Neighbor Discovery answers for.
     */
    public NdpInputStage(final FramePool pool, final NeighbourCache cache, final PortAddresses addresses)
    {
        this(pool, cache, addresses, true);
    }

    /**
     * @param answersSolicitations whether this worker advertises in answer to solicitations for the
     *                             gateway's addresses (exactly one worker does; the others only learn).
     */
    public NdpInputStage(final FramePool pool, final NeighbourCache cache, final PortAddresses addresses,
        final boolean answersSolicitations)
    {
        super(StageNames.NDP_INPUT, new StageEvent[][]{Event.values()}, NdpInputDropReason.values(), Reason.values());
        this.pool = pool;
        this.cache = cache;
        this.addresses = addresses;
        this.answersSolicitations = answersSolicitations;
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        this.pipeline = pipeline;
        l2Output = pipeline.stageId(StageNames.L2_OUTPUT);
        portMac = new long[pipeline.portCount()];
        ethernetPort = new boolean[pipeline.portCount()];
        for (int i = 0; i < portMac.length; i++)
        {
            portMac[i] = pipeline.port(i).mac();
            ethernetPort[i] = pipeline.port(i).linkType() == LinkType.ETHERNET;
        }
    }

    @Override
    public int process(final int frame)
    {
        final UnsafeBuffer buffer = pool.buffer();
        final int l3 = pool.l3Offset(frame);
        ipv6.wrap(buffer, l3);
        chain.parse(buffer, l3, Ipv6Flyweight.HEADER_LENGTH + ipv6.payloadLength());
        final int icmp = chain.upperLayerOffset();
        switch (buffer.getByte(icmp + Icmpv6Flyweight.TYPE_OFFSET) & 0xFF)
        {
            case Icmpv6Flyweight.TYPE_ROUTER_SOLICITATION:
                return drop(Reason.ROUTER_SOLICITATION);
            case Icmpv6Flyweight.TYPE_ROUTER_ADVERTISEMENT:
                return drop(Reason.ROUTER_ADVERTISEMENT);
            case Icmpv6Flyweight.TYPE_REDIRECT:
                return drop(Reason.REDIRECT);
            default:
                break;
        }
        // RFC 4861 §7.1.1, §7.1.2: hop limit 255, code 0, checksum, lengths, options.
        final NdpInputDropReason invalid = NdpValidator.validate(buffer, chain);
        if (invalid != null)
        {
            return drop(invalid);
        }
        final int portId = pool.port(frame);
        if (!ethernetPort[portId])
        {
            return drop(Reason.NO_LINK_LAYER);
        }
        ndp.wrap(buffer, icmp, chain.upperLayerLength());
        return ndp.type() == Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION
            ? solicitation(frame, portId)
            : advertisement(frame, portId);
    }

    private int solicitation(final int frame, final int portId)
    {
        final long targetHigh = ndp.targetHigh();
        final long targetLow = ndp.targetLow();
        // RFC 4861 §7.2.3: a solicitation for an address not on this interface is discarded.
        if (!addresses.isIpv6OnPort(portId, targetHigh, targetLow))
        {
            return drop(Reason.TARGET_NOT_OURS);
        }
        final long srcHigh = ipv6.srcHigh();
        final long srcLow = ipv6.srcLow();
        final boolean duplicateAddressDetection = srcHigh == 0 && srcLow == 0;
        final long sourceMac = ndp.sourceLinkLayerAddress();
        final long nowNs = pool.timestampNs(frame);
        if (!duplicateAddressDetection)
        {
            if (sourceMac == NdpFlyweight.NO_LINK_LAYER_ADDRESS)
            {
                // RFC 4861 §7.1.1: to a group from a unicast source, the option must be there.
                if ((ipv6.dstHigh() >>> 56) == 0xFF)
                {
                    return drop(Reason.NO_SOURCE_LINK_LAYER_ADDRESS);
                }
            }
            else
            {
                // RFC 4861 §7.2.3: create or update the sender's entry (STALE when new or moved).
                learn(portId, srcHigh, srcLow, sourceMac, nowNs);
            }
        }

        if (!answersSolicitations)
        {
            count(Event.LEFT_TO_ANSWERING_WORKER);
            pool.release(frame);
            return Verdict.CONSUMED;
        }
        // RFC 4861 §7.2.4: the advertisement, built where the solicitation was. To DAD's
        // unspecified source: S clear, to all-nodes. Otherwise to the solicitation's source, at the
        // MAC it gave (or the one it sent from).
        final int l3 = pool.l3Offset(frame);
        final long l2Source = EthernetFlyweight.readMac(pool.buffer(), l3 - EthernetFlyweight.HEADER_LENGTH
            + EthernetFlyweight.SRC_MAC_OFFSET);
        final long dstHigh = duplicateAddressDetection ? ALL_NODES_HIGH : srcHigh;
        final long dstLow = duplicateAddressDetection ? ALL_NODES_LOW : srcLow;
        final long dstMac = duplicateAddressDetection
            ? ALL_NODES_MAC
            : sourceMac != NdpFlyweight.NO_LINK_LAYER_ADDRESS ? sourceMac : l2Source;
        writeAdvertisement(frame, portId, targetHigh, targetLow, dstHigh, dstLow, dstMac, !duplicateAddressDetection);
        count(duplicateAddressDetection ? Event.DUPLICATE_ADDRESS_DEFENDED : Event.SOLICITATION_ANSWERED);
        return Verdict.tx(portId);
    }

    private int advertisement(final int frame, final int portId)
    {
        final long targetHigh = ndp.targetHigh();
        final long targetLow = ndp.targetLow();
        if (addresses.isIpv6OnPort(portId, targetHigh, targetLow))
        {
            return drop(Reason.TARGET_IS_OURS);
        }
        final int slot = cache.findIpv6(portId, targetHigh, targetLow);
        if (slot == NeighbourCache.NOT_FOUND)
        {
            // RFC 4861 §7.2.5: "If no entry exists, the advertisement SHOULD be silently discarded."
            return drop(Reason.NO_ENTRY_FOR_TARGET);
        }
        final long targetMac = ndp.targetLinkLayerAddress();
        final long nowNs = pool.timestampNs(frame);
        onUpdate(slot, cache.advertise(slot,
            targetMac == NdpFlyweight.NO_LINK_LAYER_ADDRESS ? NeighbourCache.NO_MAC : targetMac,
            ndp.solicitedFlag(), ndp.overrideFlag(), nowNs), nowNs);
        // The advertisement did its work (the cache has it); the frame goes back to the pool.
        pool.release(frame);
        return Verdict.CONSUMED;
    }

    private void learn(final int portId, final long high, final long low, final long mac, final long nowNs)
    {
        final int slot = cache.findIpv6(portId, high, low);
        if (slot != NeighbourCache.NOT_FOUND)
        {
            final int outcome = cache.learn(slot, mac, nowNs);
            if (outcome != NeighbourCache.UNCHANGED)
            {
                onUpdate(slot, outcome, nowNs);
            }
            return;
        }
        count(cache.createStale(portId, true, high, low, mac, nowNs) == NeighbourCache.NOT_FOUND
            ? Event.CACHE_FULL
            : Event.NEIGHBOUR_LEARNED);
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
                count(Event.ADVERTISEMENT_IGNORED);
                break;
        }
    }

    /**
     * RFC 4861 §4.4: a Neighbor Advertisement for {@code target}, from the target itself (an
     * address of the port, §7.2.4), with hop limit 255, R and O set, S as given, and the port's
     * MAC in a Target Link-Layer Address option, in an Ethernet frame to {@code dstMac}.
     */
    private void writeAdvertisement(
        final int frame,
        final int portId,
        final long targetHigh,
        final long targetLow,
        final long dstHigh,
        final long dstLow,
        final long dstMac,
        final boolean solicited)
    {
        final UnsafeBuffer buffer = pool.buffer();
        final int l3 = pool.l3Offset(frame);
        final int l2 = l3 - EthernetFlyweight.HEADER_LENGTH;
        final long mac = portMac[portId];
        ethernet.wrap(buffer, l2).dstMac(dstMac).srcMac(mac).etherType(EthernetFlyweight.ETHERTYPE_IPV6);
        ipv6.versionClassAndFlow(0, 0)
            .payloadLength(ADVERTISEMENT_LENGTH)
            .nextHeader(IpProtocol.ICMPV6)
            .hopLimit(NeighbourSolicitor.ND_HOP_LIMIT)
            .src(targetHigh, targetLow)
            .dst(dstHigh, dstLow);
        final int icmp = ipv6.payloadOffset();
        buffer.putByte(icmp + Icmpv6Flyweight.TYPE_OFFSET, (byte)Icmpv6Flyweight.TYPE_NEIGHBOR_ADVERTISEMENT);
        buffer.putByte(icmp + Icmpv6Flyweight.CODE_OFFSET, (byte)0);
        buffer.putShort(icmp + Icmpv6Flyweight.CHECKSUM_OFFSET, (short)0, BIG_ENDIAN);
        ndp.wrap(buffer, icmp, ADVERTISEMENT_LENGTH)
            .flagsWord(0)
            .routerFlag(true)
            .solicitedFlag(solicited)
            .overrideFlag(true)
            .target(targetHigh, targetLow);
        ndp.putLinkLayerAddressOption(
            icmp + NdpFlyweight.NEIGHBOR_OPTIONS_OFFSET, NdpFlyweight.OPTION_TARGET_LINK_LAYER_ADDRESS, mac);
        final int sum = InternetChecksum.add(
            InternetChecksum.ipv6PseudoHeaderSum(targetHigh, targetLow, dstHigh, dstLow, IpProtocol.ICMPV6,
                ADVERTISEMENT_LENGTH),
            InternetChecksum.sum(buffer, icmp, ADVERTISEMENT_LENGTH));
        buffer.putShort(icmp + Icmpv6Flyweight.CHECKSUM_OFFSET, (short)InternetChecksum.complement(sum), BIG_ENDIAN);
        pool.setData(frame, l2, EthernetFlyweight.HEADER_LENGTH + Ipv6Flyweight.HEADER_LENGTH + ADVERTISEMENT_LENGTH);
        pool.l4Offset(frame, icmp);
    }
}
