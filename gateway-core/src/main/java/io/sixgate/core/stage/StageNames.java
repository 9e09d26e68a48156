package io.sixgate.core.stage;

/**
 * Names of the core stages, the vocabulary stages use to link to each other.
 */
public final class StageNames
{
    public static final String ETHERNET_INPUT = "ethernet-input";
    public static final String RAW_INPUT = "raw-input";
    public static final String IPV4_INPUT = "ipv4-input";
    public static final String IPV6_INPUT = "ipv6-input";
    /** Where validated IPv4 packets go next: a classifier (NAT64, policy) or straight to forwarding. */
    public static final String IPV4_CLASSIFY = "ipv4-classify";
    /** Where validated IPv6 packets go next. */
    public static final String IPV6_CLASSIFY = "ipv6-classify";
    public static final String IPV4_FORWARD = "ipv4-forward";
    public static final String IPV6_FORWARD = "ipv6-forward";
    /** Routes packets the gateway made or translated: like forwarding, without the TTL decrement. */
    public static final String IPV4_OUTPUT = "ipv4-output";
    /** Routes packets the gateway made or translated: like forwarding, without the hop-limit decrement. */
    public static final String IPV6_OUTPUT = "ipv6-output";
    public static final String L2_OUTPUT = "l2-output";
    /** ARP (RFC 826): answers for the gateway's IPv4 addresses, learns neighbours. */
    public static final String ARP_INPUT = "arp-input";
    /** IPv4 packets for the gateway itself: echo is answered, the rest dropped by name. */
    public static final String IPV4_LOCAL = "ipv4-local";
    /** IPv6 packets for the gateway itself and its multicast groups: echo, Neighbor Discovery. */
    public static final String IPV6_LOCAL = "ipv6-local";
    /** Neighbor Discovery (RFC 4861): answers solicitations, learns from advertisements. */
    public static final String NDP_INPUT = "ndp-input";

    private StageNames()
    {
    }
}
