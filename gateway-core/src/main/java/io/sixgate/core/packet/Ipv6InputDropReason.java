package io.sixgate.core.packet;

import io.sixgate.core.pipeline.DropReason;

/**
 * Why {@link Ipv6Validator} rejected a packet. Each constant is one counter.
 */
public enum Ipv6InputDropReason implements DropReason
{
    /** Fewer bytes than the 40-byte fixed header. */
    TRUNCATED_HEADER("truncated-header"),
    /** Version field is not 6. */
    BAD_VERSION("bad-version"),
    /**
     * Payload Length runs past the bytes received, or is zero with a Hop-by-Hop header: a
     * jumbogram (RFC 2675), which the gateway does not support (a deliberate limit: no link it
     * serves has an MTU above 65575).
     */
    BAD_PAYLOAD_LENGTH("bad-payload-length"),
    /** Multicast (RFC 4291 §2.7) or loopback (RFC 4291 §2.5.3) source. */
    BAD_SOURCE_ADDRESS("bad-source-address"),
    /**
     * Unspecified (RFC 4291 §2.5.2) or loopback (§2.5.3) destination, or a multicast destination
     * of reserved or interface-local scope (§2.7).
     */
    BAD_DESTINATION_ADDRESS("bad-destination-address"),
    /** Hop-by-Hop Options anywhere but right after the fixed header (RFC 8200 §4.1). */
    HOP_BY_HOP_NOT_FIRST("hop-by-hop-not-first"),
    /** An extension header runs past the end of the packet. */
    TRUNCATED_EXTENSION_HEADER("truncated-extension-header"),
    /** More extension headers than {@link Ipv6HeaderChain#MAX_EXTENSION_HEADERS}. */
    TOO_MANY_EXTENSION_HEADERS("too-many-extension-headers"),
    /**
     * A fragment that is not a multiple of 8 bytes with M set, or whose reassembled Payload
     * Length would exceed 65535 bytes (RFC 8200 §4.5).
     */
    BAD_FRAGMENT("bad-fragment"),
    /**
     * Unfragmented packet or first fragment too short for the TCP, UDP or ICMPv6 header; for a
     * first fragment that is an incomplete header chain (RFC 8200 §4.5, RFC 7112 §5).
     */
    TRUNCATED_L4_HEADER("truncated-l4-header"),
    /** TCP data offset below 5, or beyond the end of an unfragmented segment (RFC 9293 §3.1). */
    BAD_TCP_DATA_OFFSET("bad-tcp-data-offset"),
    /**
     * UDP length below 8, inconsistent with the payload, or zero: a jumbogram (RFC 2675 §4),
     * not supported.
     */
    BAD_UDP_LENGTH("bad-udp-length");

    private final String label;

    Ipv6InputDropReason(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }
}
