package io.sixgate.nat64.stateful;

import io.sixgate.core.pipeline.DropReason;

/**
 * Why "nat64-4to6" and "nat64-hairpin" ({@link Nat64Stateful46Stage}) dropped a packet before
 * translation, RFC 6146 §3.4 and §3.5. The stage also drops with
 * {@link io.sixgate.nat64.state.StateFailure} and {@link io.sixgate.nat64.siit.Siit46DropReason}.
 */
public enum Nat64Stateful46DropReason implements DropReason
{
    /** The IPv4 header is cut short, has a bad length or a bad checksum (RFC 1812 §5.2.2). */
    MALFORMED("malformed-ipv4"),
    /** The destination is not a pool4 address (the classifier should not have sent it). */
    NOT_POOL4("destination-not-in-pool4"),
    /** Deviation: no reassembly (RFC 6146 §3.4 assumes it); a non-first fragment has no ports. */
    NON_FIRST_FRAGMENT("non-first-fragment"),
    /** RFC 6146 §3.4: only TCP, UDP and ICMP are translated. */
    UNSUPPORTED_PROTOCOL("unsupported-protocol"),
    /** The TCP, UDP or ICMP header is cut short. */
    TRUNCATED_TRANSPORT("truncated-transport"),
    /** RFC 6146 §3.5.3: an ICMP informational message other than Echo. */
    ICMP_NOT_QUERY("icmpv4-not-query"),
    /** RFC 6146 §3.4: the packet inside an ICMP error is cut short or not from pool4. */
    ICMP_ERROR_INNER_MALFORMED("icmpv4-error-inner-malformed"),
    /** RFC 6146 §3.5: an ICMP error about a flow with no session. */
    ICMP_ERROR_WITHOUT_STATE("icmpv4-error-without-state"),
    /** RFC 6146 §3.5.1, §3.5.3: no BIB entry for the destination; UDP is answered with Port Unreachable. */
    NO_BIB_ENTRY("no-bib-entry"),
    /** RFC 6146 §3.5.1.1 address-dependent filtering: no session of the BIB entry with this source. */
    FILTERED("address-dependent-filtered"),
    /** RFC 6146 §3.5.2.2 CLOSED: a TCP segment other than SYN with no session nor BIB entry. */
    TCP_WITHOUT_STATE("tcp-without-state"),
    /** RFC 6146 §3.5.2.2: the unsolicited SYN could not be held, the queue is full. */
    HELD_SYN_OVERFLOW("held-syn-overflow"),
    /** A retransmission of an unsolicited SYN that is already held. */
    HELD_SYN_DUPLICATE("held-syn-duplicate");

    private final String label;

    Nat64Stateful46DropReason(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }
}
