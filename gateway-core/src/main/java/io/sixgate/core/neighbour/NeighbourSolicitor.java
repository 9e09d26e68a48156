package io.sixgate.core.neighbour;

import static java.nio.ByteOrder.BIG_ENDIAN;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.ArpFlyweight;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.InternetChecksum;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.NdpFlyweight;
import io.sixgate.core.port.PortAddresses;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds the frames that ask for a neighbour's MAC, ready to leave on an Ethernet port: an ARP
 * request (RFC 826; broadcast, or unicast to re-check a cached MAC as RFC 1122 §2.3.2.1 allows)
 * and a Neighbor Solicitation (RFC 4861 §7.2.2; to the target's solicited-node group, or unicast
 * to the cached MAC when probing, §7.3.3).
 *
 * <p>The source address is the gateway's address on the port, in the target's subnet when there
 * is one ({@link PortAddresses#ipv4OnPort}, {@link PortAddresses#ipv6OnPort}). One per worker;
 * nothing is allocated after construction.
 */
public final class NeighbourSolicitor
{
    /** Ethernet + IPv6 + NS + one Source Link-Layer Address option. */
    public static final int SOLICITATION_FRAME_LENGTH = EthernetFlyweight.HEADER_LENGTH + Ipv6Flyweight.HEADER_LENGTH
        + NdpFlyweight.NEIGHBOR_MESSAGE_LENGTH + NdpFlyweight.LINK_LAYER_ADDRESS_OPTION_LENGTH;
    /** Ethernet + ARP, unpadded. */
    public static final int ARP_FRAME_LENGTH = EthernetFlyweight.HEADER_LENGTH + ArpFlyweight.LENGTH;
    /** RFC 4861 §7.1: ND messages carry hop limit 255 so receivers know they are on-link. */
    public static final int ND_HOP_LIMIT = 255;

    private static final long SOLICITED_NODE_HIGH = 0xFF02_0000_0000_0000L;
    private static final long SOLICITED_NODE_LOW = 0x0000_0001_FF00_0000L;
    private static final long IPV6_MULTICAST_MAC = 0x3333_0000_0000L;

    private final FramePool pool;
    private final UnsafeBuffer buffer;
    private final PortAddresses addresses;
    private final EthernetFlyweight ethernet = new EthernetFlyweight();
    private final ArpFlyweight arp = new ArpFlyweight();
    private final Ipv6Flyweight ipv6 = new Ipv6Flyweight();
    private final NdpFlyweight ndp = new NdpFlyweight();

    public NeighbourSolicitor(final FramePool pool, final PortAddresses addresses)
    {
        this.pool = pool;
        this.buffer = pool.buffer();
        this.addresses = addresses;
    }

    /**
     * @return whether the port has an IPv4 address to ask from.
     */
    public boolean canSolicitIpv4(final int portId, final int target)
    {
        return addresses.ipv4OnPort(portId, target) != PortAddresses.NONE;
    }

    /**
     * @return whether the port has an IPv6 address to ask from.
     */
    public boolean canSolicitIpv6(final int portId, final long targetHigh, final long targetLow)
    {
        return addresses.ipv6OnPort(portId, targetHigh, targetLow) != PortAddresses.NONE;
    }

    /**
     * An ARP request for {@code target} (RFC 826): sender the port's MAC and address, target
     * hardware address zero.
     *
     * @param dstMac {@link EthernetFlyweight#BROADCAST_MAC}, or the cached MAC to re-check it.
     * @return the frame, or {@link FramePool#NO_FRAME} when the pool is empty or the port has no
     * IPv4 address.
     */
    public int arpRequest(final int portId, final long portMac, final int target, final long dstMac)
    {
        final int source = addresses.ipv4OnPort(portId, target);
        if (source == PortAddresses.NONE)
        {
            return FramePool.NO_FRAME;
        }
        final int frame = pool.allocate();
        if (frame == FramePool.NO_FRAME)
        {
            return FramePool.NO_FRAME;
        }
        final int offset = pool.offset(frame);
        ethernet.wrap(buffer, offset).dstMac(dstMac).srcMac(portMac).etherType(EthernetFlyweight.ETHERTYPE_ARP);
        arp.wrap(buffer, ethernet.payloadOffset())
            .ethernetIpv4()
            .oper(ArpFlyweight.OPER_REQUEST)
            .sha(portMac)
            .spa(addresses.ipv4(source))
            .tha(0)
            .tpa(target);
        finish(frame, portId, ARP_FRAME_LENGTH);
        return frame;
    }

    /**
     * A Neighbor Solicitation for {@code target} (RFC 4861 §4.3, §7.2.2) with the port's MAC in a
     * Source Link-Layer Address option.
     *
     * @param unicastMac {@link NeighbourCache#NO_MAC} to send to the target's solicited-node
     *                   group, or the cached MAC to probe it (RFC 4861 §7.3.3: to the target itself).
     * @return the frame, or {@link FramePool#NO_FRAME} when the pool is empty or the port has no
     * IPv6 address.
     */
    public int neighborSolicitation(
        final int portId, final long portMac, final long targetHigh, final long targetLow, final long unicastMac)
    {
        final int source = addresses.ipv6OnPort(portId, targetHigh, targetLow);
        if (source == PortAddresses.NONE)
        {
            return FramePool.NO_FRAME;
        }
        final int frame = pool.allocate();
        if (frame == FramePool.NO_FRAME)
        {
            return FramePool.NO_FRAME;
        }
        final boolean multicast = unicastMac == NeighbourCache.NO_MAC;
        // RFC 4291 §2.7.1: ff02::1:ff + the low 24 bits of the target.
        final long dstHigh = multicast ? SOLICITED_NODE_HIGH : targetHigh;
        final long dstLow = multicast ? SOLICITED_NODE_LOW | (targetLow & 0xFF_FFFFL) : targetLow;
        // RFC 2464 §7: 33:33 + the low 32 bits of the IPv6 multicast address.
        final long dstMac = multicast ? IPV6_MULTICAST_MAC | (dstLow & 0xFFFF_FFFFL) : unicastMac;
        final long srcHigh = addresses.ipv6High(source);
        final long srcLow = addresses.ipv6Low(source);

        final int offset = pool.offset(frame);
        ethernet.wrap(buffer, offset).dstMac(dstMac).srcMac(portMac).etherType(EthernetFlyweight.ETHERTYPE_IPV6);
        final int icmpLength = NdpFlyweight.NEIGHBOR_MESSAGE_LENGTH + NdpFlyweight.LINK_LAYER_ADDRESS_OPTION_LENGTH;
        ipv6.wrap(buffer, ethernet.payloadOffset())
            .versionClassAndFlow(0, 0)
            .payloadLength(icmpLength)
            .nextHeader(IpProtocol.ICMPV6)
            .hopLimit(ND_HOP_LIMIT)
            .src(srcHigh, srcLow)
            .dst(dstHigh, dstLow);
        final int icmp = ipv6.payloadOffset();
        buffer.putByte(icmp + Icmpv6Flyweight.TYPE_OFFSET, (byte)Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION);
        buffer.putByte(icmp + Icmpv6Flyweight.CODE_OFFSET, (byte)0);
        buffer.putShort(icmp + Icmpv6Flyweight.CHECKSUM_OFFSET, (short)0, BIG_ENDIAN);
        ndp.wrap(buffer, icmp, icmpLength).flagsWord(0).target(targetHigh, targetLow);
        ndp.putLinkLayerAddressOption(
            icmp + NdpFlyweight.NEIGHBOR_OPTIONS_OFFSET, NdpFlyweight.OPTION_SOURCE_LINK_LAYER_ADDRESS, portMac);
        final int sum = InternetChecksum.add(
            InternetChecksum.ipv6PseudoHeaderSum(srcHigh, srcLow, dstHigh, dstLow, IpProtocol.ICMPV6, icmpLength),
            InternetChecksum.sum(buffer, icmp, icmpLength));
        buffer.putShort(icmp + Icmpv6Flyweight.CHECKSUM_OFFSET, (short)InternetChecksum.complement(sum), BIG_ENDIAN);
        finish(frame, portId, SOLICITATION_FRAME_LENGTH);
        return frame;
    }

    private void finish(final int frame, final int portId, final int length)
    {
        pool.setLength(frame, length);
        pool.port(frame, portId);
        pool.l3Offset(frame, pool.offset(frame) + EthernetFlyweight.HEADER_LENGTH);
        pool.egressPort(frame, portId);
    }
}
