package io.sixgate.core.packet;

import io.sixgate.core.pipeline.DropReason;

/**
 * Why {@link Ipv4Validator} rejected a packet. Each constant is one counter.
 */
public enum Ipv4InputDropReason implements DropReason
{
    /** Fewer bytes than the 20-byte fixed header, or than the header length IHL gives. */
    TRUNCATED_HEADER("truncated-header"),
    /** Version field is not 4. */
    BAD_VERSION("bad-version"),
    /** IHL below 5 (RFC 791 §3.1). */
    BAD_IHL("bad-ihl"),
    /** Total Length shorter than the header, or longer than the bytes received (RFC 1812 §5.2.2). */
    BAD_TOTAL_LENGTH("bad-total-length"),
    /** Header checksum does not verify (RFC 791 §3.1, RFC 1812 §5.2.2). */
    BAD_HEADER_CHECKSUM("bad-header-checksum"),
    /** Source 0/8, 127/8, multicast, class E or limited broadcast (RFC 1812 §5.3.7). */
    BAD_SOURCE_ADDRESS("bad-source-address"),
    /** Destination 0/8, 127/8 or class E other than 255.255.255.255 (RFC 1812 §5.3.7). */
    BAD_DESTINATION_ADDRESS("bad-destination-address"),
    /**
     * A fragment that cannot be part of a valid datagram: the reassembled datagram, header
     * included, would exceed 65535 bytes (RFC 791 §3.1), a non-last
     * fragment whose data is not a multiple of 8 bytes, or a TCP fragment at offset 1 (RFC 1858 §4).
     */
    BAD_FRAGMENT("bad-fragment"),
    /** First fragment or whole datagram too short for the TCP, UDP or ICMP header. */
    TRUNCATED_L4_HEADER("truncated-l4-header"),
    /** TCP data offset below 5, or beyond the end of an unfragmented segment (RFC 9293 §3.1). */
    BAD_TCP_DATA_OFFSET("bad-tcp-data-offset"),
    /** UDP length below 8, or inconsistent with the IP payload (RFC 768). */
    BAD_UDP_LENGTH("bad-udp-length");

    private final String label;

    Ipv4InputDropReason(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }
}
