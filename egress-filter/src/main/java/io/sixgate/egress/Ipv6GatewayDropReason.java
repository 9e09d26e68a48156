package io.sixgate.egress;

import io.sixgate.core.pipeline.DropReason;

/**
 * Why the IPv6 gateway stage dropped a packet crossing between the VPC and the Internet.
 */
public enum Ipv6GatewayDropReason implements DropReason
{
    /** The VPC address has no Internet bandwidth. */
    VPC_ONLY("vpc-only"),
    /** Inbound to an egress-only address without matching state (RFC 6092 §3.2, §3.3). */
    UNSOLICITED_INBOUND("unsolicited-inbound"),
    /** Over the address's bandwidth in that direction. */
    RATE_LIMITED("rate-limited"),
    /** RFC 6092 §3.1: an inside packet whose source is not in a VPC prefix. */
    SPOOFED_INSIDE_SOURCE("spoofed-inside-source"),
    /** RFC 6092 §3.1: an outside packet with a VPC, ULA or other non-global source. */
    SPOOFED_OUTSIDE_SOURCE("spoofed-outside-source"),
    /** RFC 6092 §3.1: unique-local destinations do not cross the border. */
    UNIQUE_LOCAL_DESTINATION("unique-local-destination"),
    /** The egress-only table is full; a new outbound flow is refused, existing ones keep working. */
    STATE_TABLE_FULL("state-table-full"),
    /** The inside address holds its limit of egress-only flows. */
    ADDRESS_FLOW_LIMIT("address-flow-limit"),
    /** RFC 6092 §3.2.1: an inbound ICMPv6 error whose quoted packet matches no flow. */
    ICMPV6_ERROR_WITHOUT_STATE("icmpv6-error-without-state"),
    /** RFC 4890 §4.3.3: a link-scoped ICMPv6 message in transit. */
    ICMPV6_LINK_SCOPE("icmpv6-link-scope"),
    /** RFC 4890 §4.3.4: an unassigned or experimental ICMPv6 type in transit (our policy). */
    ICMPV6_UNASSIGNED("icmpv6-unassigned"),
    /** RFC 4890 §4.3.5: an ICMPv6 message that should not cross a firewall. */
    ICMPV6_NOT_FOR_TRANSIT("icmpv6-not-for-transit"),
    /**
     * RFC 6092 §3.2: an inbound non-first fragment to an egress-only address; it has no transport
     * header, so no flow state can match it (the gateway does not reassemble).
     */
    INBOUND_FRAGMENT_UNTRACKED("inbound-fragment-untracked");

    private final String label;

    Ipv6GatewayDropReason(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }
}
