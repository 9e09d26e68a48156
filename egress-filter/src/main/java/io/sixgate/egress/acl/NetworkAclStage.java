package io.sixgate.egress.acl;

import java.util.concurrent.atomic.AtomicReference;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.Ipv6HeaderChain;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.port.PortAddresses;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Network ACLs ("network-acl"), stateless, for IPv4 and IPv6 packets the gateway routes. A
 * packet that leaves a subnet with an ACL is matched against that ACL's outbound rules with its
 * destination as the remote side; one that enters a subnet with an ACL, against the inbound rules
 * with its source as the remote side; one that crosses from one such subnet to another, against
 * both. The first rule by priority decides; no matching rule is a drop (the implicit final deny).
 * The port a rule names is the packet's destination port in both directions, so replies need
 * their own rules (typically the ephemeral ports 1024-65535).
 *
 * <p>NAT64: an IPv6 packet to an address NAT64 translates to an IPv4 instance (its IPv6 EIP) is
 * matched as inbound traffic of the instance's IPv4 subnet, with the client's IPv6 source as the
 * remote side, before translation; the instance's replies leave its subnet as IPv4 packets to
 * pool4 and are matched as such.
 *
 * <p>Packets within one subnet, packets for the gateway itself (its addresses, multicast,
 * link-local, broadcast) and packets that touch no subnet with an ACL pass untouched. A packet
 * without ports (a non-first fragment) matches only rules without ports.
 *
 * <p>The ACLs are swapped at run time with {@link #offer(NetworkAcls)}; the worker takes the new
 * ones before its next packet. No state, so nothing else changes. The hot path allocates nothing.
 */
public final class NetworkAclStage extends Stage
{
    /** Stage name. */
    public static final String NAME = "network-acl";

    private final FramePool pool;
    private final UnsafeBuffer buffer;
    private final PortAddresses addresses;
    private final Nat64Addresses nat64;
    private final String nextIpv6Name;
    private final String nextIpv4Name;
    private final AtomicReference<NetworkAcls> pending = new AtomicReference<>();
    private final PacketFields packet = new PacketFields();
    private final Ipv6HeaderChain chain = new Ipv6HeaderChain();
    private NetworkAcls acls;
    private int nextIpv6;
    private int nextIpv4;

    /**
     * @param addresses    the gateway's own addresses (their traffic is not matched).
     * @param acls         the first ACLs.
     * @param nat64        what NAT64 translates, or {@link Nat64Addresses#NONE}.
     * @param nextIpv6Name where passing IPv6 packets go.
     * @param nextIpv4Name where passing IPv4 packets go.
     */
    public NetworkAclStage(
        final FramePool pool,
        final PortAddresses addresses,
        final NetworkAcls acls,
        final Nat64Addresses nat64,
        final String nextIpv6Name,
        final String nextIpv4Name)
    {
        super(NAME, NetworkAclDropReason.values());
        this.pool = pool;
        this.buffer = pool.buffer();
        this.addresses = addresses;
        this.acls = acls;
        this.nat64 = nat64;
        this.nextIpv6Name = nextIpv6Name;
        this.nextIpv4Name = nextIpv4Name;
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        nextIpv6 = pipeline.stageId(nextIpv6Name);
        nextIpv4 = pipeline.stageId(nextIpv4Name);
    }

    /** Hands new ACLs to the worker; any thread. */
    public void offer(final NetworkAcls newAcls)
    {
        pending.set(newAcls);
    }

    /** The ACLs in force (worker thread view). */
    public NetworkAcls acls()
    {
        return acls;
    }

    @Override
    public int onTick(final long nowNs)
    {
        takePending();
        return 0;
    }

    @Override
    public int process(final int frame)
    {
        takePending();
        final PacketFields packet = this.packet;
        packet.read(pool, buffer, frame, chain);
        final int next = Verdict.next(packet.ipv6 ? nextIpv6 : nextIpv4);
        if (packet.isForGateway(addresses))
        {
            return next;
        }
        final NetworkAcls acls = this.acls;
        final int srcSubnet;
        int dstSubnet;
        if (packet.ipv6)
        {
            srcSubnet = acls.subnetOfIpv6(packet.srcHigh, packet.srcLow);
            dstSubnet = acls.subnetOfIpv6(packet.dstHigh, packet.dstLow);
            if (dstSubnet == NetworkAcls.NO_SUBNET)
            {
                final long instance = nat64.ipv4Behind(packet.dstHigh, packet.dstLow);
                if (instance != Nat64Addresses.NOT_TRANSLATED)
                {
                    dstSubnet = acls.subnetOfIpv4((int)instance);
                }
            }
        }
        else
        {
            srcSubnet = acls.subnetOfIpv4(packet.src4);
            dstSubnet = acls.subnetOfIpv4(packet.dst4);
        }
        if (srcSubnet == dstSubnet)
        {
            return next;    // within one subnet, or no subnet with an ACL on either side
        }
        final int port = packet.rulePort();
        if (srcSubnet != NetworkAcls.NO_SUBNET)
        {
            final int rule = packet.ipv6
                ? acls.classifyIpv6(acls.aclOf(srcSubnet), NetworkAcls.OUTBOUND, packet.dstHigh, packet.dstLow,
                    packet.protocol, port)
                : acls.classifyIpv4(acls.aclOf(srcSubnet), NetworkAcls.OUTBOUND, packet.dst4, packet.protocol, port);
            if (rule == NetworkAcls.NO_MATCH)
            {
                return drop(NetworkAclDropReason.OUTBOUND_NO_RULE);
            }
            if (!acls.allows(rule))
            {
                return drop(NetworkAclDropReason.OUTBOUND_DENIED);
            }
        }
        if (dstSubnet != NetworkAcls.NO_SUBNET)
        {
            final int rule = packet.ipv6
                ? acls.classifyIpv6(acls.aclOf(dstSubnet), NetworkAcls.INBOUND, packet.srcHigh, packet.srcLow,
                    packet.protocol, port)
                : acls.classifyIpv4(acls.aclOf(dstSubnet), NetworkAcls.INBOUND, packet.src4, packet.protocol, port);
            if (rule == NetworkAcls.NO_MATCH)
            {
                return drop(NetworkAclDropReason.INBOUND_NO_RULE);
            }
            if (!acls.allows(rule))
            {
                return drop(NetworkAclDropReason.INBOUND_DENIED);
            }
        }
        return next;
    }

    private void takePending()
    {
        if (pending.get() != null)
        {
            final NetworkAcls newAcls = pending.getAndSet(null);
            if (newAcls != null)
            {
                acls = newAcls;
            }
        }
    }
}
