package io.sixgate.daemon.steer;

import static java.nio.ByteOrder.BIG_ENDIAN;

import java.util.Arrays;
import java.util.List;

import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.Icmpv4Flyweight;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.Ipv6HeaderChain;
import io.sixgate.core.state.StateHash;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.config.Ipv6GatewayConfig;
import io.sixgate.daemon.config.Nat64Config;
import io.sixgate.nat64.address.Rfc6052Prefix;
import io.sixgate.nat64.state.PortPartition;
import io.sixgate.nat64.state.SessionProtocol;

import org.agrona.DirectBuffer;

/**
 * Picks the worker for each received Ethernet frame, so that all the state of a flow (NAT64
 * session, egress-only flow, token bucket, security-group state) is on one worker and each
 * worker's tables have one owner thread. Called by the ingest threads on every frame: pure,
 * no allocation, no exceptions, reads the frame only.
 *
 * <ul>
 *   <li>ARP, and ICMPv6 Neighbor Solicitation and Advertisement: {@link #ALL_WORKERS}, a copy
 *   for each worker, since each keeps its own neighbour cache (only worker 0 answers requests
 *   for the gateway's own addresses).</li>
 *   <li>IPv6 to pool6 (stateful NAT64): the IPv6 source's home worker ({@link #ipv6Home}); for an
 *   ICMPv6 error to pool6, the home of the IPv6 host it is about (the quoted packet's
 *   destination).</li>
 *   <li>Native IPv6 with an {@code ipv6-gateway} section: the VPC-side address's home, i.e. the
 *   destination of what arrives on the Internet port for a VPC address, the source of what a
 *   VPC address sends from inside: both directions of a flow between a VPC host and the Internet
 *   meet on one worker, with the host's egress-only state and bandwidth bucket. Between two VPC
 *   addresses, and anything else: a flow hash that is the same both ways.</li>
 *   <li>IPv4 to a pool4 address (stateful NAT64): the owner of the destination port
 *   ({@link PortPartition}), of the ICMP echo identifier, or of the pool4 port quoted in an ICMP
 *   error; ports of static BIB entries go to the entry's worker ({@link StaticBibSteering}).</li>
 *   <li>Everything else (native IPv4, SIIT, the gateway's own addresses, what does not parse):
 *   a flow hash of the addresses, the same both ways. A frame too short for its headers goes to
 *   worker 0, which counts the drop.</li>
 * </ul>
 *
 * <p>The hashes are keyed with a secret seed (as the state tables' are), so a remote host cannot
 * aim its flows at one worker.
 *
 * <p>Thread-safe and shared: the frames are read by a {@link Reader}, one per ingest handle
 * (it holds the scratch of the IPv6 header walk); the static BIB exceptions are swapped in by
 * the control plane through a volatile field.
 */
public final class FlowSteering
{
    /** {@link Reader#workerOf} for a frame every worker gets a copy of. */
    public static final int ALL_WORKERS = -1;

    /** The steering of one worker: everything to worker 0. */
    public static final FlowSteering SINGLE = new FlowSteering(1, new int[0], null, List.of(), -1, 0);

    private static final int IPV4_OFFSET = EthernetFlyweight.HEADER_LENGTH;
    private static final int IPV6_OFFSET = EthernetFlyweight.HEADER_LENGTH;

    private final int workers;
    private final long homeSeed;
    private final long flow6Seed;
    private final long flow4Seed;
    private final int[] pool4;
    private final Rfc6052Prefix pool6;
    private final long[] vpcHigh;
    private final long[] vpcLow;
    private final long[] vpcMaskHigh;
    private final long[] vpcMaskLow;
    private final int internetPort;
    private volatile StaticBibSteering staticBib = StaticBibSteering.EMPTY;

    /**
     * @param workers      1 to {@link PortPartition#MAX_WORKERS}.
     * @param pool4        pool4 addresses (stateful NAT64), or an empty array.
     * @param pool6        the stateful NAT64's RFC 6052 prefix, or {@code null}.
     * @param vpc          the {@code ipv6-gateway} VPC prefixes, or an empty list.
     * @param internetPort the {@code ipv6-gateway} Internet port's id, or -1.
     * @param seed         secret of the hashes.
     */
    public FlowSteering(final int workers, final int[] pool4, final Rfc6052Prefix pool6, final List<Ipv6Prefix> vpc,
        final int internetPort, final long seed)
    {
        if (workers < 1 || workers > PortPartition.MAX_WORKERS)
        {
            throw new IllegalArgumentException("workers must be 1.." + PortPartition.MAX_WORKERS + ": " + workers);
        }
        this.workers = workers;
        this.homeSeed = StateHash.derive(seed, 1);
        this.flow6Seed = StateHash.derive(seed, 2);
        this.flow4Seed = StateHash.derive(seed, 3);
        this.pool4 = pool4.clone();
        Arrays.sort(this.pool4);
        this.pool6 = pool6;
        final int prefixes = vpc.size();
        vpcHigh = new long[prefixes];
        vpcLow = new long[prefixes];
        vpcMaskHigh = new long[prefixes];
        vpcMaskLow = new long[prefixes];
        for (int i = 0; i < prefixes; i++)
        {
            final Ipv6Prefix prefix = vpc.get(i);
            vpcMaskHigh[i] = Ipv6Prefix.maskHigh(prefix.length());
            vpcMaskLow[i] = Ipv6Prefix.maskLow(prefix.length());
            vpcHigh[i] = prefix.high() & vpcMaskHigh[i];
            vpcLow[i] = prefix.low() & vpcMaskLow[i];
        }
        this.internetPort = internetPort;
    }

    /**
     * The steering of a configuration: its {@code workers}, the stateful NAT64's pool4 and pool6,
     * the {@code ipv6-gateway}'s VPC prefixes and Internet port.
     */
    public static FlowSteering of(final GatewayConfig config, final long seed)
    {
        final Nat64Config nat64 = config.nat64();
        final boolean stateful = nat64 != null && nat64.isStateful();
        final Ipv6GatewayConfig gateway = config.ipv6Gateway();
        return new FlowSteering(config.workers(),
            stateful ? nat64.stateful().pool4Addresses() : new int[0],
            stateful ? nat64.pool6() : null,
            gateway == null ? List.of() : gateway.vpc(),
            gateway == null ? -1 : config.portId(gateway.internetPort()),
            seed);
    }

    public int workers()
    {
        return workers;
    }

    /**
     * Puts other static BIB exceptions in force; any thread (the control plane).
     */
    public void staticBib(final StaticBibSteering steering)
    {
        staticBib = steering;
    }

    public StaticBibSteering staticBib()
    {
        return staticBib;
    }

    /**
     * @return a reader of frames for one thread.
     */
    public Reader reader()
    {
        return new Reader(this);
    }

    /**
     * Steers frames for one thread: holds the scratch of the IPv6 extension-header walk.
     */
    public static final class Reader
    {
        private final FlowSteering steering;
        private final Ipv6HeaderChain chain = new Ipv6HeaderChain();

        private Reader(final FlowSteering steering)
        {
            this.steering = steering;
        }

        /**
         * @param buffer holding the frame.
         * @param offset of its first byte (the Ethernet header).
         * @param length its length.
         * @param portId the port it arrived on.
         * @return the worker, 0 to {@link FlowSteering#workers()} - 1, or {@link #ALL_WORKERS}.
         */
        public int workerOf(final DirectBuffer buffer, final int offset, final int length, final int portId)
        {
            return steering.workerOf(buffer, offset, length, portId, chain);
        }

        public FlowSteering steering()
        {
            return steering;
        }
    }

    private int workerOf(
        final DirectBuffer buffer, final int offset, final int length, final int portId, final Ipv6HeaderChain chain)
    {
        if (workers == 1)
        {
            return 0;
        }
        if (length < EthernetFlyweight.HEADER_LENGTH)
        {
            return 0;
        }
        switch (buffer.getShort(offset + EthernetFlyweight.ETHERTYPE_OFFSET, BIG_ENDIAN) & 0xFFFF)
        {
            case EthernetFlyweight.ETHERTYPE_ARP:
                return ALL_WORKERS;
            case EthernetFlyweight.ETHERTYPE_IPV4:
                return length < IPV4_OFFSET + Ipv4Flyweight.MIN_HEADER_LENGTH ? 0 : ipv4(buffer, offset + IPV4_OFFSET,
                    length - IPV4_OFFSET);
            case EthernetFlyweight.ETHERTYPE_IPV6:
                return length < IPV6_OFFSET + Ipv6Flyweight.HEADER_LENGTH ? 0 : ipv6(buffer, offset + IPV6_OFFSET,
                    length - IPV6_OFFSET, portId, chain);
            default:
                // Not IP: dropped by ethernet-input wherever it goes; keep one station's frames together.
                return reduce(StateHash.hash(flow4Seed, buffer.getLong(offset, BIG_ENDIAN)));
        }
    }

    /**
     * The home worker of an IPv6 address: where its NAT64 mappings and its VPC-side state live,
     * and so where a static BIB entry of that IPv6 address is held.
     */
    public int ipv6Home(final long high, final long low)
    {
        return workers == 1 ? 0 : reduce(StateHash.hash(homeSeed, high, low));
    }

    /**
     * The worker of an IPv4 packet to (protocol, pool4 address, port): the static BIB entry's
     * holder, or the port's owner in the pool4 partition.
     *
     * @param protocol a {@link SessionProtocol} index.
     */
    public int pool4Owner(final int protocol, final int pool4Address, final int port)
    {
        final int holder = staticBib.workerOf(protocol, pool4Address, port);
        return holder != StaticBibSteering.NONE ? holder : PortPartition.owner(port, workers);
    }

    private int ipv4(final DirectBuffer buffer, final int ip, final int length)
    {
        final int src = buffer.getInt(ip + Ipv4Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final int dst = buffer.getInt(ip + Ipv4Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        final int protocol = buffer.getByte(ip + Ipv4Flyweight.PROTOCOL_OFFSET) & 0xFF;
        if (pool4.length == 0 || Arrays.binarySearch(pool4, dst) < 0)
        {
            return flow4(src, dst);
        }
        final int headerLength = (buffer.getByte(ip) & 0x0F) << 2;
        final boolean nonFirstFragment =
            (buffer.getShort(ip + Ipv4Flyweight.FLAGS_OFFSET, BIG_ENDIAN) & Ipv4Flyweight.FRAGMENT_OFFSET_MASK) != 0;
        if (headerLength < Ipv4Flyweight.MIN_HEADER_LENGTH || nonFirstFragment)
        {
            // No ports to steer by: NAT64 drops it (non-first fragments are not reassembled) wherever it goes.
            return flow4(src, dst);
        }
        final int l4 = ip + headerLength;
        final int l4Length = length - headerLength;
        switch (protocol)
        {
            case IpProtocol.TCP:
            case IpProtocol.UDP:
                return l4Length < 4 ? flow4(src, dst) : pool4Owner(SessionProtocol.fromIpProtocol(protocol), dst,
                    buffer.getShort(l4 + 2, BIG_ENDIAN) & 0xFFFF);
            case IpProtocol.ICMP:
                return l4Length < Icmpv4Flyweight.HEADER_LENGTH ? flow4(src, dst) : icmp4(buffer, l4, l4Length, src, dst);
            default:
                return flow4(src, dst);
        }
    }

    private int icmp4(final DirectBuffer buffer, final int icmp, final int length, final int src, final int dst)
    {
        final int type = buffer.getByte(icmp + Icmpv4Flyweight.TYPE_OFFSET) & 0xFF;
        if (type == Icmpv4Flyweight.TYPE_ECHO_REPLY || type == Icmpv4Flyweight.TYPE_ECHO_REQUEST)
        {
            // RFC 6146 §3.5.3: the identifier is the ICMP query's "port".
            return pool4Owner(SessionProtocol.ICMP, dst, buffer.getShort(icmp + 4, BIG_ENDIAN) & 0xFFFF);
        }
        if (!Icmpv4Flyweight.isError(type) || length < Icmpv4Flyweight.HEADER_LENGTH + Ipv4Flyweight.MIN_HEADER_LENGTH)
        {
            return flow4(src, dst);
        }
        // RFC 6146 §3.5: an error about a packet pool4 sent; the quoted packet's source is (T, t).
        final int inner = icmp + Icmpv4Flyweight.HEADER_LENGTH;
        final int innerHeaderLength = (buffer.getByte(inner) & 0x0F) << 2;
        final int innerProtocol = buffer.getByte(inner + Ipv4Flyweight.PROTOCOL_OFFSET) & 0xFF;
        final int innerSrc = buffer.getInt(inner + Ipv4Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final int innerL4 = inner + innerHeaderLength;
        final int end = icmp + length;
        if (innerHeaderLength < Ipv4Flyweight.MIN_HEADER_LENGTH)
        {
            return flow4(src, dst);
        }
        if ((innerProtocol == IpProtocol.TCP || innerProtocol == IpProtocol.UDP) && innerL4 + 2 <= end)
        {
            return pool4Owner(SessionProtocol.fromIpProtocol(innerProtocol), innerSrc,
                buffer.getShort(innerL4, BIG_ENDIAN) & 0xFFFF);
        }
        if (innerProtocol == IpProtocol.ICMP && innerL4 + 6 <= end)
        {
            return pool4Owner(SessionProtocol.ICMP, innerSrc, buffer.getShort(innerL4 + 4, BIG_ENDIAN) & 0xFFFF);
        }
        return flow4(src, dst);
    }

    private int ipv6(
        final DirectBuffer buffer, final int ip, final int length, final int portId, final Ipv6HeaderChain chain)
    {
        final long srcHigh = buffer.getLong(ip + Ipv6Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final long srcLow = buffer.getLong(ip + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        final long dstHigh = buffer.getLong(ip + Ipv6Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        final long dstLow = buffer.getLong(ip + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        final int nextHeader = buffer.getByte(ip + Ipv6Flyweight.NEXT_HEADER_OFFSET) & 0xFF;
        int icmpType = -1;
        int icmp = -1;
        if (nextHeader != IpProtocol.TCP && nextHeader != IpProtocol.UDP)
        {
            final int packetLength = Math.min(length,
                Ipv6Flyweight.HEADER_LENGTH + (buffer.getShort(ip + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF));
            if (chain.parse(buffer, ip, packetLength) == Ipv6HeaderChain.Status.COMPLETE
                && chain.upperLayerProtocol() == IpProtocol.ICMPV6 && !chain.isNonFirstFragment()
                && chain.upperLayerOffset() < ip + packetLength)
            {
                icmp = chain.upperLayerOffset();
                icmpType = buffer.getByte(icmp + Icmpv6Flyweight.TYPE_OFFSET) & 0xFF;
                if (icmpType == Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION
                    || icmpType == Icmpv6Flyweight.TYPE_NEIGHBOR_ADVERTISEMENT)
                {
                    return ALL_WORKERS;
                }
            }
        }
        if (pool6 != null && pool6.matches(dstHigh, dstLow))
        {
            // RFC 4443 §2.1: types below 128 are errors; the quoted packet went from pool6 to the IPv6 host.
            final int quoted = icmp + Icmpv6Flyweight.HEADER_LENGTH;
            if (icmp >= 0 && icmpType < 128 && quoted + Ipv6Flyweight.HEADER_LENGTH <= ip + length)
            {
                return ipv6Home(buffer.getLong(quoted + Ipv6Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN),
                    buffer.getLong(quoted + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, BIG_ENDIAN));
            }
            return ipv6Home(srcHigh, srcLow);
        }
        if (vpcHigh.length > 0)
        {
            final boolean srcInVpc = inVpc(srcHigh, srcLow);
            final boolean dstInVpc = inVpc(dstHigh, dstLow);
            if (portId == internetPort ? dstInVpc : srcInVpc && !dstInVpc)
            {
                return portId == internetPort ? ipv6Home(dstHigh, dstLow) : ipv6Home(srcHigh, srcLow);
            }
        }
        return reduce(StateHash.hash(flow6Seed, srcHigh ^ dstHigh, srcLow ^ dstLow));
    }

    private boolean inVpc(final long high, final long low)
    {
        for (int i = 0; i < vpcHigh.length; i++)
        {
            if ((high & vpcMaskHigh[i]) == vpcHigh[i] && (low & vpcMaskLow[i]) == vpcLow[i])
            {
                return true;
            }
        }
        return false;
    }

    private int flow4(final int src, final int dst)
    {
        return reduce(StateHash.hash(flow4Seed, (src ^ dst) & 0xFFFF_FFFFL));
    }

    /** Lemire's multiply-shift: a 32-bit hash onto 0..workers-1 without a division. */
    private int reduce(final int hash)
    {
        return (int)(((hash & 0xFFFF_FFFFL) * workers) >>> 32);
    }
}
