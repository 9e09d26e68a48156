package io.sixgate.nat64.siit;

import io.sixgate.core.pipeline.DropReason;

/**
 * Why the IPv6 to IPv4 translator ({@link Siit64Stage}, "siit-6to4") dropped a packet. Reasons
 * marked "answered" also sent an ICMPv6 error to the packet's source.
 */
public enum Siit64DropReason implements DropReason
{
    /** Shorter than the 40-byte IPv6 header. */
    TRUNCATED_IPV6_HEADER("truncated-ipv6-header"),
    /** Version nibble is not 6. */
    NOT_IPV6("not-ipv6"),
    /** Payload Length runs past the end of the frame. */
    TRUNCATED_PACKET("truncated-packet"),
    /** An extension header runs past the end of the packet. */
    TRUNCATED_EXTENSION_HEADER("truncated-extension-header"),
    /** More extension headers than a real packet has (our cap, against walker abuse). */
    TOO_MANY_EXTENSION_HEADERS("too-many-extension-headers"),
    /** RFC 7915 §5.1.1: an extension header follows the Fragment Header; answered 1/1 (§5.4). */
    EXTENSION_HEADER_AFTER_FRAGMENT("extension-header-after-fragment"),
    /** RFC 7915 §5.1: Routing header with Segments Left != 0; answered with Parameter Problem 4/0. */
    ROUTING_HEADER_SEGMENTS_LEFT("routing-header-segments-left"),
    /** Hop Limit would reach zero; answered with Time Exceeded 3/0 (RFC 7915 §5.1, RFC 4443 §3.3). */
    HOP_LIMIT_EXCEEDED("hop-limit-exceeded"),
    /** The source has no EAM and is not under pool6 (and the packet is not an ICMPv6 error). */
    UNTRANSLATABLE_SOURCE("untranslatable-source"),
    /** The destination has no EAM and is not under pool6 (RFC 7915 §5.6: not ours to translate). */
    UNTRANSLATABLE_DESTINATION("untranslatable-destination"),
    /** RFC 7915 §1.2: fragmented ICMPv6 is not translated (its checksum covers the whole message). */
    FRAGMENTED_ICMP("fragmented-icmpv6"),
    /** The TCP, UDP or ICMPv6 header is cut short. */
    TRUNCATED_L4_HEADER("truncated-l4-header"),
    /** RFC 7915 §5.2: ICMPv6 type, code or pointer that is "silently dropped" (MLD, ND, unknown). */
    ICMP_NOT_TRANSLATED("icmpv6-not-translated"),
    /**
     * Next Header 1 (ICMPv4) or 2 (IGMP), which mean nothing in IPv6: copied into the IPv4
     * protocol as RFC 7915 §5.1 says, an IPv6 host would send raw ICMPv4 or IGMP to IPv4 hosts.
     * A deliberate deviation.
     */
    IPV4_ONLY_PROTOCOL("ipv4-only-protocol"),
    /** An ICMPv6 error whose checksum is wrong: recomputing it would launder the corruption. */
    ICMP_ERROR_BAD_CHECKSUM("icmpv6-error-bad-checksum"),
    /** The packet inside an ICMPv6 error is shorter than its headers, or not IPv6. */
    INNER_PACKET_TRUNCATED("inner-packet-truncated"),
    /** An address of the packet inside an ICMPv6 error has no IPv4 mapping. */
    INNER_UNTRANSLATABLE_ADDRESS("inner-untranslatable-address"),
    /** RFC 7915 §5.3: an ICMPv6 error inside an ICMPv6 error. */
    NESTED_ICMP_ERROR("nested-icmp-error"),
    /** Fragmented IPv6 UDP with a zero checksum: no checksum can be computed for IPv4. */
    UDP_ZERO_CHECKSUM_FRAGMENT("udp-zero-checksum-fragment"),
    /** The IPv4 packet would exceed the IPv4 MTU; answered with Packet Too Big (RFC 7915 §5.1, §6). */
    PACKET_TOO_BIG("packet-too-big"),
    /** RFC 7757 §4.2: hairpinning failed (no pool6 for the source, or too big to send back). */
    HAIRPIN_FAILED("hairpin-failed"),
    /** The frame pool had no frame for a fragment. */
    NO_FRAME("no-frame"),
    /**
     * An offloaded frame (partial checksum, TCP super-packet from a TAP with offload) the
     * translator cannot carry whole: not plain TCP where the virtio-net header said, hairpinned, or
     * needing fragmentation. Dropped rather than sent with a checksum nobody completes.
     */
    OFFLOAD_NOT_TRANSLATABLE("offload-not-translatable"),
    /** The frame has not enough headroom or tailroom to rewrite it (a pool sizing bug). */
    NO_ROOM("no-room");

    private final String label;

    Siit64DropReason(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }
}
