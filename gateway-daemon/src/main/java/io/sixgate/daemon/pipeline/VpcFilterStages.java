package io.sixgate.daemon.pipeline;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.port.PortAddresses;
import io.sixgate.daemon.config.VpcFirewallConfig;
import io.sixgate.egress.EgressOnlyTable;
import io.sixgate.egress.EgressOnlyTimeouts;
import io.sixgate.egress.acl.Nat64Addresses;
import io.sixgate.egress.acl.NetworkAclStage;
import io.sixgate.egress.acl.SecurityGroupStage;

/**
 * The VPC filters in the graph, for IPv4 and IPv6 alike: {@code network-acl} then
 * {@code security-group}, each there when configured, between IP input (after ipv6-gateway for
 * IPv6) and classification.
 *
 * <p>Why there: after ipv6-gateway, so that its anti-spoofing (RFC 6092 §3.1) has dropped outside
 * packets with VPC sources before a security group could take one for a member's and track a
 * flow for it; before classification, so that NAT64's IPv6 clients are matched on their own IPv6
 * source before nat64-6to4 rewrites it. The stateless ACL comes first: it drops what no state can
 * let in, before the security group spends a lookup or a flow on it. DESIGN.md puts the rate limit
 * after the ACLs; in this build it is part of ipv6-gateway, so a packet an ACL drops has already
 * used its address's tokens.
 */
final class VpcFilterStages
{
    private VpcFilterStages()
    {
    }

    /**
     * @return the stage IP input (or ipv6-gateway) hands a family's packets to: the first filter,
     * or {@code next} when there is none.
     */
    static String entry(final VpcFirewallConfig firewall, final String next)
    {
        if (firewall != null && firewall.hasNetworkAcls())
        {
            return NetworkAclStage.NAME;
        }
        if (firewall != null && firewall.hasSecurityGroups())
        {
            return SecurityGroupStage.NAME;
        }
        return next;
    }

    /**
     * Adds the configured filter stages, ahead of {@code nextIpv6} and {@code nextIpv4}.
     *
     * @param worker   the worker the graph is for: its connection table holds its share of the flows.
     * @param hashSeed secret for the connection table's hash.
     */
    static void add(
        final Pipeline.Builder builder,
        final VpcFirewallConfig firewall,
        final FramePool pool,
        final PortAddresses addresses,
        final Nat64Addresses nat64,
        final String nextIpv6,
        final String nextIpv4,
        final WorkerSlot worker,
        final long hashSeed)
    {
        if (firewall == null)
        {
            return;
        }
        if (firewall.hasNetworkAcls())
        {
            final boolean groups = firewall.hasSecurityGroups();
            builder.stage(new NetworkAclStage(pool, addresses, firewall.compileNetworkAcls(), nat64,
                groups ? SecurityGroupStage.NAME : nextIpv6, groups ? SecurityGroupStage.NAME : nextIpv4));
        }
        if (firewall.hasSecurityGroups())
        {
            final EgressOnlyTable flows = new EgressOnlyTable(worker.share(firewall.maxFlows()), firewall.maxFlowsPerAddress(),
                EgressOnlyTimeouts.DEFAULTS, hashSeed);
            builder.stage(new SecurityGroupStage(pool, addresses, firewall.compileSecurityGroups(), flows, nat64,
                nextIpv6, nextIpv4));
        }
    }
}
