package io.sixgate.daemon.control;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.config.Ipv6GatewayConfig;
import io.sixgate.daemon.config.Nat64Config;
import io.sixgate.daemon.config.Nat64StatefulSettings;
import io.sixgate.daemon.config.PortConfig;
import io.sixgate.daemon.config.VpcFirewallConfig;

/**
 * The keys of a new configuration that a running gateway cannot take without a restart: what
 * its ports, frame pool, worker count, counters file and NAT64 tables were built from (pool4
 * and max-sessions size the off-heap session tables; the translator's settings are baked into
 * its stages; the egress-only flow table is sized and keyed at start). Routes, neighbours, static
 * BIB entries, EIP bindings, NAT64 timeouts, the IPv6 gateway's VPC prefixes, rules and timeouts,
 * the rules, subnets and members of network ACLs and security groups that are already configured
 * and the admin token change at run time; everything else listed here needs a restart.
 */
final class RestartOnlyChanges
{
    private RestartOnlyChanges()
    {
    }

    /**
     * @return the changed keys in configuration order ({@code ports[1]}, {@code nat64.pool4}), empty when none.
     */
    static List<String> between(final GatewayConfig running, final GatewayConfig next)
    {
        final List<String> keys = new ArrayList<>();
        check(keys, "workers", running.workers(), next.workers());
        check(keys, "ingest-nice", running.ingestNice(), next.ingestNice());
        check(keys, "counters-file", running.countersFile(), next.countersFile());
        check(keys, "frame-pool", running.framePool(), next.framePool());
        ports(keys, running.ports(), next.ports());
        nat64(keys, running.nat64(), next.nat64());
        ipv6Gateway(keys, running.ipv6Gateway(), next.ipv6Gateway(), running.workers());
        keys.addAll(VpcFirewallConfig.restartOnlyKeys(running.firewall(), next.firewall()));
        check(keys, "admin.listen", running.admin().listen(), next.admin().listen());
        return keys;
    }

    private static void ports(final List<String> keys, final List<PortConfig> running, final List<PortConfig> next)
    {
        if (running.size() != next.size())
        {
            keys.add("ports (" + running.size() + " -> " + next.size() + ")");
            return;
        }
        for (int i = 0; i < running.size(); i++)
        {
            final PortConfig was = running.get(i);
            final PortConfig now = next.get(i);
            final String path = "ports[" + i + "]";
            check(keys, path + ".name", was.name(), now.name());
            check(keys, path + ".type", was.type(), now.type());
            check(keys, path + ".device", was.device(), now.device());
            check(keys, path + ".mac", was.mac(), now.mac());
            check(keys, path + ".mtu", was.mtu(), now.mtu());
            check(keys, path + ".offload", was.offload(), now.offload());
            check(keys, path + ".queue-length", was.queueLength(), now.queueLength());
            check(keys, path + ".addresses", was.addresses(), now.addresses());
        }
    }

    private static void nat64(final List<String> keys, final Nat64Config running, final Nat64Config next)
    {
        if (running == null || next == null)
        {
            if (running != next)
            {
                keys.add("nat64 (" + (running == null ? "added" : "removed") + ")");
            }
            return;
        }
        if (running.isStateful() != next.isStateful())
        {
            keys.add("nat64.mode");
            return;
        }
        check(keys, "nat64.prefix", running.pool6(), next.pool6());
        check(keys, "nat64.eamt", running.eamt().entries(), next.eamt().entries());
        check(keys, "nat64.translate-ipv4", running.translateIpv4(), next.translateIpv4());
        check(keys, "nat64.rfc6791-v4", running.rfc6791V4().prefixes(), next.rfc6791V4().prefixes());
        check(keys, "nat64.rfc6791-v6", running.rfc6791V6().prefixes(), next.rfc6791V6().prefixes());
        check(keys, "nat64.lowest-ipv6-mtu", running.lowestIpv6Mtu(), next.lowestIpv6Mtu());
        check(keys, "nat64.amend-udp-checksum-zero", running.amendUdpChecksumZero(), next.amendUdpChecksumZero());
        check(keys, "nat64.zeroize-traffic-class", running.zeroizeTrafficClass(), next.zeroizeTrafficClass());
        check(keys, "nat64.icmp-errors", running.icmpErrors(), next.icmpErrors());
        if (running.isStateful())
        {
            final Nat64StatefulSettings was = running.stateful();
            final Nat64StatefulSettings now = next.stateful();
            if (!Arrays.equals(was.pool4Addresses(), now.pool4Addresses()) || !was.tcpPorts().equals(now.tcpPorts())
                || !was.udpPorts().equals(now.udpPorts()) || !was.icmpIdentifiers().equals(now.icmpIdentifiers()))
            {
                keys.add("nat64.pool4");
            }
            check(keys, "nat64.max-sessions", was.maxSessions(), now.maxSessions());
            check(keys, "nat64.max-sessions-per-source", was.maxSessionsPerSource(), now.maxSessionsPerSource());
            check(keys, "nat64.max-sources", was.maxSources(), now.maxSources());
            check(keys, "nat64.filtering", was.addressDependentFiltering(), now.addressDependentFiltering());
            // Read at start and written at stop: a new path would take effect only half.
            check(keys, "nat64.snapshot-file", was.snapshotFile(), now.snapshotFile());
        }
    }

    /**
     * The stage is in the pipeline or not, its port and filtering are fixed at start, and the
     * flow table is sized by max-flows; vpc, addresses and timeouts change at run time, but with
     * several workers vpc too is fixed: the steering puts each VPC address's flows on its home
     * worker by the vpc prefixes, and moving them would lose their egress-only state.
     */
    private static void ipv6Gateway(final List<String> keys, final Ipv6GatewayConfig running,
        final Ipv6GatewayConfig next, final int workers)
    {
        if (running == null || next == null)
        {
            if (running != next)
            {
                keys.add("ipv6-gateway (" + (running == null ? "added" : "removed") + ")");
            }
            return;
        }
        check(keys, "ipv6-gateway.internet-port", running.internetPort(), next.internetPort());
        check(keys, "ipv6-gateway.udp-filtering", running.udpEndpointIndependent(), next.udpEndpointIndependent());
        check(keys, "ipv6-gateway.max-flows", running.maxFlows(), next.maxFlows());
        check(keys, "ipv6-gateway.max-flows-per-address", running.maxFlowsPerAddress(), next.maxFlowsPerAddress());
        if (workers > 1)
        {
            check(keys, "ipv6-gateway.vpc (with several workers)", running.vpc(), next.vpc());
        }
    }

    private static void check(final List<String> keys, final String key, final Object running, final Object next)
    {
        if (!Objects.equals(running, next))
        {
            keys.add(key);
        }
    }
}
