package io.sixgate.nat64.stateful;

import io.sixgate.core.pipeline.DropReason;

/**
 * Why "nat64-6to4" ({@link Nat64Stateful64Stage}) dropped a packet before translation, RFC 6146
 * §3.4 and §3.5. The stage also drops with {@link io.sixgate.nat64.state.StateFailure} (the tables
 * refused state) and {@link io.sixgate.nat64.siit.Siit64DropReason} (RFC 7915 translation).
 */
public enum Nat64Stateful64DropReason implements DropReason
{
    /** The IPv6 header or its extension headers are cut short or malformed. */
    MALFORMED("malformed-ipv6"),
    /** The destination is not under pool6 (the classifier should not have sent it). */
    NOT_POOL6("destination-not-in-pool6"),
    /**
     * RFC 6052 §3.1: the embedded IPv4 address is not one pool6 may translate; or it is no unicast
     * address at all (0/8, 127/8, multicast, class E: RFC 1812 §5.3.7).
     */
    DESTINATION_NOT_TRANSLATABLE("destination-not-translatable"),
    /** Deviation: no reassembly (RFC 6146 §3.4 assumes it); a non-first fragment has no ports. */
    NON_FIRST_FRAGMENT("non-first-fragment"),
    /** RFC 6146 §3.4: only TCP, UDP and ICMPv6 are translated. */
    UNSUPPORTED_PROTOCOL("unsupported-protocol"),
    /** The TCP, UDP or ICMPv6 header is cut short. */
    TRUNCATED_TRANSPORT("truncated-transport"),
    /** RFC 6146 §3.5.3: an ICMPv6 informational message other than Echo. */
    ICMP_NOT_QUERY("icmpv6-not-query"),
    /** RFC 6146 §3.4: the packet inside an ICMPv6 error is cut short or not from pool6. */
    ICMP_ERROR_INNER_MALFORMED("icmpv6-error-inner-malformed"),
    /** RFC 6146 §3.5: an ICMPv6 error about a flow with no session. */
    ICMP_ERROR_WITHOUT_STATE("icmpv6-error-without-state"),
    /** RFC 6146 §3.5.2.2 CLOSED: a TCP segment other than SYN with no session nor BIB entry. */
    TCP_WITHOUT_STATE("tcp-without-state"),
    /** A hairpinned SYN (RFC 6146 §3.8) had to be held, but the held-SYN queue is full. */
    HELD_SYN_OVERFLOW("held-syn-overflow");

    private final String label;

    Nat64Stateful64DropReason(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }
}
