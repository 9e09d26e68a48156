package io.sixgate.core.icmp;

import static java.nio.ByteOrder.BIG_ENDIAN;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.Icmpv4Flyweight;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.packet.Ipv4Validator;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.Ipv6HeaderChain;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.StageEvent;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.PortAddresses;
import io.sixgate.core.stage.StageNames;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The router's ICMP errors (Time Exceeded, Destination Unreachable, Packet Too Big /
 * Fragmentation Needed) about a packet in a frame, sent back to the packet's source through
 * {@link StageNames#IPV4_OUTPUT} / {@link StageNames#IPV6_OUTPUT}. It decides whether an error
 * may be sent at all, rate-limits, picks the source address, and has
 * {@link IcmpErrorFactory} build the message:
 * <ul>
 *   <li>never about an ICMP error, a non-first fragment, a packet to a broadcast or multicast
 *   address or in a link-layer broadcast or multicast frame, or a packet whose source is not one
 *   host (RFC 1812 §4.3.2.7; RFC 4443 §2.4 (e), which lets Packet Too Big answer multicast);</li>
 *   <li>never to the gateway itself (a packet it sent, queued and then given up on);</li>
 *   <li>from the gateway's address on the port the packet came in on (RFC 1812 §4.3.2.4,
 *   RFC 4443 §2.2), else its first address of that family;</li>
 *   <li>at most {@link #DEFAULT_RATE_PER_SECOND} a second in bursts of {@link #DEFAULT_BURST},
 *   per worker, both families together: a token bucket (RFC 4443 §2.4 (f), RFC 1812 §4.3.2.8),
 *   on the packets' clock.</li>
 * </ul>
 * Each call says what happened as an {@link Outcome}, a {@link StageEvent} the calling stage
 * counts. One instance per worker, shared by the stages that send errors; nothing is allocated
 * after construction.
 */
public final class IcmpErrorSender
{
    /** Linux's net.ipv4.icmp_msgs_per_sec. */
    public static final int DEFAULT_RATE_PER_SECOND = 1000;
    /** Linux's net.ipv4.icmp_msgs_burst. */
    public static final int DEFAULT_BURST = 50;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /**
     * What became of an error the router wanted to send; counted by the stage that asked.
     */
    public enum Outcome implements StageEvent
    {
        /** Built and handed to the output stage. */
        SENT("icmp-error-sent"),
        /** Not allowed about this packet (an ICMP error, a fragment, multicast, a bad source). */
        NOT_ALLOWED("icmp-error-not-allowed"),
        /** Over the rate limit. */
        RATE_LIMITED("icmp-error-rate-limited"),
        /** The gateway has no address of that family to send it from. */
        NO_SOURCE_ADDRESS("icmp-error-no-source-address"),
        /** The frame pool was empty. */
        NO_FRAME("icmp-error-no-frame");

        private final String label;

        Outcome(final String label)
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
    private final UnsafeBuffer buffer;
    private final PortAddresses addresses;
    private final IcmpErrorFactory factory;
    private final IdentificationGenerator identification;
    private final Ipv6HeaderChain chain = new Ipv6HeaderChain();
    private final long nanosPerToken;
    private final long burst;

    private Pipeline pipeline;
    private boolean[] ethernetPort;
    private int ipv4Output;
    private int ipv6Output;
    private long tokens;
    private long refilledAtNs;
    private boolean started;

    /**
     * @param identification IPv4 identification values of the errors.
     */
    public IcmpErrorSender(final FramePool pool, final PortAddresses addresses, final IdentificationGenerator identification)
    {
        this(pool, addresses, identification, DEFAULT_RATE_PER_SECOND, DEFAULT_BURST);
    }

    /**
     * @param ratePerSecond errors a second, on average.
     * @param burst         errors sent back to back after a quiet spell.
     */
    public IcmpErrorSender(
        final FramePool pool,
        final PortAddresses addresses,
        final IdentificationGenerator identification,
        final int ratePerSecond,
        final int burst)
    {
        if (ratePerSecond <= 0 || burst <= 0)
        {
            throw new IllegalArgumentException("rate and burst must be positive: " + ratePerSecond + ", " + burst);
        }
        this.pool = pool;
        this.buffer = pool.buffer();
        this.addresses = addresses;
        this.factory = new IcmpErrorFactory(pool);
        this.identification = identification;
        this.nanosPerToken = Math.max(1, NANOS_PER_SECOND / ratePerSecond);
        this.burst = burst;
        this.tokens = burst;
    }

    /**
     * Finds the output stages; each stage that shares this sender calls it from its own
     * {@code link}, so calling it again for the same pipeline is harmless.
     *
     * @throws IllegalArgumentException when the pipeline lacks an output stage.
     */
    public void link(final Pipeline pipeline)
    {
        this.pipeline = pipeline;
        this.ipv4Output = pipeline.stageId(StageNames.IPV4_OUTPUT);
        this.ipv6Output = pipeline.stageId(StageNames.IPV6_OUTPUT);
        this.ethernetPort = new boolean[pipeline.portCount()];
        for (int i = 0; i < ethernetPort.length; i++)
        {
            ethernetPort[i] = pipeline.port(i).linkType() == LinkType.ETHERNET;
        }
    }

    /**
     * An ICMPv4 error about the IPv4 packet at the frame's L3 offset; the frame is not changed.
     *
     * @param restOfHeader bytes 4-7 of the ICMP header (the next-hop MTU of Fragmentation Needed).
     * @param nowNs        the worker's clock, for the rate limit.
     */
    public Outcome ipv4Error(final int frame, final int type, final int code, final int restOfHeader, final long nowNs)
    {
        final int l3 = pool.l3Offset(frame);
        final int src = buffer.getInt(l3 + Ipv4Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final int dst = buffer.getInt(l3 + Ipv4Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        final int fragmentWord = buffer.getShort(l3 + Ipv4Flyweight.FLAGS_OFFSET, BIG_ENDIAN) & 0xFFFF;
        final int headerLength = (buffer.getByte(l3) & 0x0F) << 2;
        final int totalLength = buffer.getShort(l3 + Ipv4Flyweight.TOTAL_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
        final boolean nonFirstFragment = (fragmentWord & Ipv4Flyweight.FRAGMENT_OFFSET_MASK) != 0;
        // RFC 1812 §4.3.2.7: not about an ICMP error message.
        final boolean icmpError = !nonFirstFragment
            && (buffer.getByte(l3 + Ipv4Flyweight.PROTOCOL_OFFSET) & 0xFF) == IpProtocol.ICMP
            && totalLength >= headerLength + Icmpv4Flyweight.HEADER_LENGTH
            && Icmpv4Flyweight.isError(buffer.getByte(l3 + headerLength) & 0xFF);
        // RFC 1812 §4.3.2.7: not about a non-initial fragment, nor a packet to a broadcast or
        // multicast address or in a link-layer broadcast, nor one whose source is not one host.
        if (icmpError || nonFirstFragment
            || dst == -1 || (dst >>> 28) == 0xE || addresses.isDirectedBroadcast(dst)
            || arrivedAsLinkLayerGroup(frame)
            || !Ipv4Validator.isValidSource(src) || addresses.isDirectedBroadcast(src)
            || addresses.isLocalIpv4(src))
        {
            return Outcome.NOT_ALLOWED;
        }
        final int source = addresses.ipv4Source(pool.port(frame), src);
        if (source == PortAddresses.NONE)
        {
            return Outcome.NO_SOURCE_ADDRESS;
        }
        if (!takeToken(nowNs))
        {
            return Outcome.RATE_LIMITED;
        }
        final int length = Math.min(totalLength, pool.offset(frame) + pool.length(frame) - l3);
        final int error = factory.icmpv4Error(l3, length, addresses.ipv4(source), src, type, code, restOfHeader,
            identification.next());
        return emit(frame, error, ipv4Output, nowNs);
    }

    /**
     * An ICMPv6 error about the IPv6 packet at the frame's L3 offset; the frame is not changed.
     *
     * @param restOfHeader bytes 4-7 of the ICMPv6 header (the MTU of Packet Too Big).
     * @param nowNs        the worker's clock, for the rate limit.
     */
    public Outcome ipv6Error(final int frame, final int type, final int code, final int restOfHeader, final long nowNs)
    {
        final int l3 = pool.l3Offset(frame);
        final long srcHigh = buffer.getLong(l3 + Ipv6Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final long srcLow = buffer.getLong(l3 + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        final long dstHigh = buffer.getLong(l3 + Ipv6Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        final int packetLength = Math.min(
            Ipv6Flyweight.HEADER_LENGTH + (buffer.getShort(l3 + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF),
            pool.offset(frame) + pool.length(frame) - l3);
        if (chain.parse(buffer, l3, packetLength) != Ipv6HeaderChain.Status.COMPLETE)
        {
            return Outcome.NOT_ALLOWED;
        }
        // RFC 4443 §2.4 (e.1, e.2): not about an ICMPv6 error message or a Redirect.
        boolean icmpErrorOrRedirect = false;
        if (!chain.isNonFirstFragment() && chain.upperLayerProtocol() == IpProtocol.ICMPV6 && chain.upperLayerLength() > 0)
        {
            final int icmpType = buffer.getByte(chain.upperLayerOffset()) & 0xFF;
            icmpErrorOrRedirect = Icmpv6Flyweight.isError(icmpType) || icmpType == Icmpv6Flyweight.TYPE_REDIRECT;
        }
        // RFC 4443 §2.4 (e.3, e.4): not about a packet to a multicast address or in a link-layer
        // multicast or broadcast frame, except Packet Too Big (and Parameter Problem code 2).
        final boolean multicast = (dstHigh >>> 56) == 0xFF || arrivedAsLinkLayerGroup(frame);
        final boolean multicastAllowed = type == Icmpv6Flyweight.TYPE_PACKET_TOO_BIG
            || (type == Icmpv6Flyweight.TYPE_PARAMETER_PROBLEM && code == Icmpv6Flyweight.CODE_UNRECOGNIZED_OPTION);
        // RFC 4443 §2.4 (e.6): not to a source that is not one node (unspecified, multicast).
        final boolean badSource = (srcHigh >>> 56) == 0xFF || (srcHigh == 0 && (srcLow == 0 || srcLow == 1));
        if (icmpErrorOrRedirect || chain.isNonFirstFragment() || (multicast && !multicastAllowed) || badSource
            || addresses.isLocalIpv6(srcHigh, srcLow))
        {
            return Outcome.NOT_ALLOWED;
        }
        final int source = addresses.ipv6Source(pool.port(frame), srcHigh, srcLow);
        if (source == PortAddresses.NONE)
        {
            return Outcome.NO_SOURCE_ADDRESS;
        }
        if (!takeToken(nowNs))
        {
            return Outcome.RATE_LIMITED;
        }
        final int error = factory.icmpv6Error(l3, packetLength, addresses.ipv6High(source), addresses.ipv6Low(source),
            srcHigh, srcLow, type, code, restOfHeader);
        return emit(frame, error, ipv6Output, nowNs);
    }

    private Outcome emit(final int frame, final int error, final int outputStage, final long nowNs)
    {
        if (error == FramePool.NO_FRAME)
        {
            return Outcome.NO_FRAME;
        }
        // The error "arrives" where the packet did: its own errors, if any, come from that port too.
        pool.port(error, pool.port(frame));
        pool.timestampNs(error, nowNs);
        pipeline.emit(error, Verdict.next(outputStage));
        return Outcome.SENT;
    }

    private boolean arrivedAsLinkLayerGroup(final int frame)
    {
        final int port = pool.port(frame);
        final int l2 = pool.l3Offset(frame) - EthernetFlyweight.HEADER_LENGTH;
        return port >= 0 && port < ethernetPort.length && ethernetPort[port] && l2 == pool.offset(frame)
            && EthernetFlyweight.isGroupMac(EthernetFlyweight.readMac(buffer, l2 + EthernetFlyweight.DST_MAC_OFFSET));
    }

    private boolean takeToken(final long nowNs)
    {
        if (!started)
        {
            started = true;
            refilledAtNs = nowNs;
        }
        else if (nowNs - refilledAtNs >= nanosPerToken)
        {
            final long earned = (nowNs - refilledAtNs) / nanosPerToken;
            tokens = Math.min(burst, tokens + earned);
            refilledAtNs = tokens == burst ? nowNs : refilledAtNs + earned * nanosPerToken;
        }
        if (tokens > 0)
        {
            tokens--;
            return true;
        }
        return false;
    }
}
