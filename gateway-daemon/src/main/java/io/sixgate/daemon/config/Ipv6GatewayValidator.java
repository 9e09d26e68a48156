package io.sixgate.daemon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.egress.EgressOnlyTable;
import io.sixgate.egress.EgressOnlyTimeouts;
import io.sixgate.egress.Ipv6GatewayPolicy;
import io.sixgate.egress.TokenBucket;

/**
 * Checks the {@code ipv6-gateway} section; every refusal names the key path (and so the line).
 */
final class Ipv6GatewayValidator
{
    private final ConfigValidator common;

    Ipv6GatewayValidator(final ConfigValidator common)
    {
        this.common = common;
    }

    Ipv6GatewayConfig validate(final RawConfig.Ipv6Gateway raw, final List<PortConfig> ports) throws ConfigException
    {
        if (raw.vpc() == null || raw.vpc().isEmpty())
        {
            throw common.error("ipv6-gateway", "needs vpc: the VPC's IPv6 prefixes");
        }
        final List<Ipv6Prefix> vpc = new ArrayList<>();
        for (int i = 0; i < raw.vpc().size(); i++)
        {
            vpc.add(prefix(raw.vpc().get(i), "ipv6-gateway.vpc[" + i + "]"));
        }
        final String internetPort = common.required(raw.internetPort(), "ipv6-gateway", "internet-port");
        boolean known = false;
        for (final PortConfig port : ports)
        {
            known |= port.name().equals(internetPort);
        }
        if (!known)
        {
            throw common.error("ipv6-gateway.internet-port", "no port named \"" + internetPort + "\"");
        }
        final String filtering = raw.udpFiltering() == null ? "address-dependent" : raw.udpFiltering();
        if (!"address-dependent".equals(filtering) && !"endpoint-independent".equals(filtering))
        {
            throw common.error("ipv6-gateway.udp-filtering",
                "must be address-dependent or endpoint-independent, got " + filtering);
        }
        final int maxFlows = common.intOr(raw.maxFlows(), "ipv6-gateway.max-flows",
            Ipv6GatewayConfig.DEFAULT_MAX_FLOWS, 1, EgressOnlyTable.MAX_CAPACITY);
        final int maxPerAddress = common.intOr(raw.maxFlowsPerAddress(), "ipv6-gateway.max-flows-per-address",
            Math.min(Ipv6GatewayConfig.DEFAULT_MAX_FLOWS_PER_ADDRESS, maxFlows), 1, maxFlows);

        final EgressOnlyTimeouts timeouts = timeouts(raw.timeouts());

        final List<Ipv6GatewayConfig.Rule> rules = new ArrayList<>();
        final List<RawConfig.Ipv6GatewayAddress> rawRules = raw.addresses() == null ? List.of() : raw.addresses();
        for (int i = 0; i < rawRules.size(); i++)
        {
            rules.add(rule(rawRules.get(i), "ipv6-gateway.addresses[" + i + "]", vpc, rules));
        }
        return new Ipv6GatewayConfig(vpc, internetPort, "endpoint-independent".equals(filtering), maxFlows,
            maxPerAddress, timeouts, rules);
    }

    /**
     * RFC 6092's floors: §3.3.1 an established TCP flow is kept at least 2 h 4 min idle, an opening
     * or closing one 4 min; §3.2.3 a UDP flow at least 2 min (5 min recommended). ICMPv6 echo has
     * no floor (§3.2.1); other protocols, ESP and AH tracked by addresses (§3.2.4), are kept like UDP.
     */
    private EgressOnlyTimeouts timeouts(final RawConfig.Ipv6GatewayTimeouts raw) throws ConfigException
    {
        final String path = "ipv6-gateway.timeouts.";
        final EgressOnlyTimeouts defaults = EgressOnlyTimeouts.DEFAULTS;
        return new EgressOnlyTimeouts(
            common.duration(raw == null ? null : raw.tcpEstablished(), path + "tcp-established",
                defaults.tcpEstablishedNs(), EgressOnlyTimeouts.MIN_TCP_ESTABLISHED_NS, "RFC 6092 §3.3.1"),
            common.duration(raw == null ? null : raw.tcpTransitory(), path + "tcp-transitory",
                defaults.tcpTransitoryNs(), EgressOnlyTimeouts.MIN_TCP_TRANSITORY_NS, "RFC 6092 §3.3.1"),
            common.duration(raw == null ? null : raw.udp(), path + "udp", defaults.udpNs(),
                EgressOnlyTimeouts.MIN_UDP_NS, "RFC 6092 §3.2.3"),
            common.duration(raw == null ? null : raw.icmp(), path + "icmp", defaults.icmpNs(),
                TimeUnit.SECONDS.toNanos(1), "RFC 6092 sets no floor"),
            common.duration(raw == null ? null : raw.other(), path + "other", defaults.ipsecNs(),
                EgressOnlyTimeouts.MIN_UDP_NS, "RFC 6092 §3.2.4, kept like UDP"));
    }

    private Ipv6GatewayConfig.Rule rule(
        final RawConfig.Ipv6GatewayAddress raw,
        final String path,
        final List<Ipv6Prefix> vpc,
        final List<Ipv6GatewayConfig.Rule> earlier) throws ConfigException
    {
        if ((raw.address() == null) == (raw.prefix() == null))
        {
            throw common.error(path, "needs exactly one of address and prefix");
        }
        if (raw.address() != null && raw.address().contains("/"))
        {
            throw common.error(path + ".address", "one address, got the prefix " + raw.address() + "; write prefix: \""
                + raw.address() + "\" for a prefix");
        }
        final Ipv6Prefix prefix = raw.address() != null ?
            prefix(raw.address() + "/128", path + ".address") : prefix(raw.prefix(), path + ".prefix");
        boolean inside = false;
        for (final Ipv6Prefix network : vpc)
        {
            inside |= network.contains(prefix);
        }
        if (!inside)
        {
            throw common.error(path, prefix + " is not inside a vpc prefix");
        }
        for (final Ipv6GatewayConfig.Rule rule : earlier)
        {
            if (rule.prefix().equals(prefix))
            {
                throw common.error(path, prefix + " has a rule already");
            }
        }
        final int bandwidth = common.intOr(raw.bandwidthMbps(), path + ".bandwidth-mbps", 0, 0,
            Ipv6GatewayPolicy.MAX_BANDWIDTH_MBPS);
        final boolean egressOnly = raw.egressOnly() != null && raw.egressOnly();
        if (egressOnly && bandwidth == 0)
        {
            throw common.error(path + ".egress-only", "needs bandwidth-mbps of 1 or more (an egress-only rule applies"
                + " to an address with Internet bandwidth)");
        }
        final long burst = raw.burstBytes() == null ? 0 : raw.burstBytes();
        if (raw.burstBytes() != null && (burst < 1 || burst > TokenBucket.MAX_BURST_BYTES))
        {
            throw common.error(path + ".burst-bytes", "must be 1.." + TokenBucket.MAX_BURST_BYTES + ", got " + burst);
        }
        return new Ipv6GatewayConfig.Rule(prefix, bandwidth, burst, egressOnly);
    }

    private Ipv6Prefix prefix(final String text, final String path) throws ConfigException
    {
        final IpCidr cidr = common.cidr(text, path);
        if (!cidr.isIpv6())
        {
            throw common.error(path, "must be IPv6, got " + text);
        }
        if (cidr.hasHostBits())
        {
            throw common.error(path, "has bits set beyond its length: " + text + " (did you mean " + cidr.network() + "?)");
        }
        return Ipv6Prefix.parse(cidr.toString());
    }
}
