package io.sixgate.daemon.control;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One rule of the IPv6 gateway as the admin API shows it: the keys of
 * {@code ipv6-gateway.addresses[]} ({@code address} for a /128, else {@code prefix}), the mode
 * it puts the addresses in, and what its token buckets refused since they were made.
 *
 * @param address            the address of a /128 rule, else {@code null} (left out).
 * @param prefix             the prefix of a wider rule, else {@code null} (left out).
 * @param bandwidthMbps      Internet bandwidth, 0 for VPC-only.
 * @param burstBytes         token bucket depth, 0 without bandwidth.
 * @param egressOnly         whether an egress-only rule is on it (it waits while the bandwidth is 0).
 * @param mode               {@code vpc-only}, {@code internet} or {@code egress-only}.
 * @param rateLimitedOutbound packets its inside-to-Internet bucket refused.
 * @param rateLimitedInbound  packets its Internet-to-inside bucket refused.
 * @param egressOnlyFlows    egress-only flows the address holds (a /128 rule only, else left out).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Ipv6GatewayRuleView(
    String address,
    String prefix,
    int bandwidthMbps,
    long burstBytes,
    boolean egressOnly,
    String mode,
    long rateLimitedOutbound,
    long rateLimitedInbound,
    Integer egressOnlyFlows)
{
    /**
     * @return the address or prefix, as written.
     */
    @JsonIgnore
    public String target()
    {
        return address != null ? address : prefix;
    }
}
