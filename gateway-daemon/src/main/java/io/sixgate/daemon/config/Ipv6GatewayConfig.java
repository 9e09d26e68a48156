package io.sixgate.daemon.config;

import java.util.List;

import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.egress.EgressOnlyTimeouts;
import io.sixgate.egress.Ipv6GatewayPolicy;

/**
 * The {@code ipv6-gateway} section: which VPC addresses reach the Internet and how.
 *
 * @param vpc                    the VPC's IPv6 prefixes (inside sources must be in them).
 * @param internetPort           name of the outside port.
 * @param udpEndpointIndependent RFC 6092 §3.2.3: endpoint-independent filtering for UDP.
 * @param maxFlows               egress-only flows in all, shared by the workers.
 * @param maxFlowsPerAddress     egress-only flows one inside address may hold.
 * @param timeouts               egress-only idle timeouts, each at least its RFC 6092 floor.
 * @param addresses              per-address (or prefix) rules, in file order.
 */
public record Ipv6GatewayConfig(
    List<Ipv6Prefix> vpc,
    String internetPort,
    boolean udpEndpointIndependent,
    int maxFlows,
    int maxFlowsPerAddress,
    EgressOnlyTimeouts timeouts,
    List<Rule> addresses)
{
    public static final int DEFAULT_MAX_FLOWS = 65_536;
    public static final int DEFAULT_MAX_FLOWS_PER_ADDRESS = 4096;

    public Ipv6GatewayConfig
    {
        vpc = List.copyOf(vpc);
        addresses = List.copyOf(addresses);
    }

    /**
     * @return a fresh policy (its own token buckets) for one worker.
     */
    public Ipv6GatewayPolicy policy()
    {
        return policy(Ipv6GatewayPolicy.builder());
    }

    /**
     * @return this section's policy in place of {@code running} (a reload): the rules it repeats
     * with the same bandwidth and burst keep their token buckets, so their traffic is not disturbed.
     */
    public Ipv6GatewayPolicy policy(final Ipv6GatewayPolicy running)
    {
        return policy(running.successor());
    }

    private Ipv6GatewayPolicy policy(final Ipv6GatewayPolicy.Builder builder)
    {
        for (final Ipv6Prefix prefix : vpc)
        {
            builder.vpc(prefix);
        }
        for (final Rule rule : addresses)
        {
            builder.bandwidth(rule.prefix(), rule.bandwidthMbps(), rule.burstBytes());
            if (rule.egressOnly())
            {
                builder.egressOnly(rule.prefix(), true);
            }
        }
        return builder.build();
    }

    /**
     * @param prefix        the address (a /128) or prefix.
     * @param bandwidthMbps 0 (VPC-only) or 1-5000.
     * @param burstBytes    bucket depth, 0 for the default.
     * @param egressOnly    whether inbound needs outbound-created state.
     */
    public record Rule(Ipv6Prefix prefix, int bandwidthMbps, long burstBytes, boolean egressOnly)
    {
    }
}
