package io.sixgate.nat64.siit;

import io.sixgate.core.pipeline.DropReason;

/**
 * Why the IPv4 to IPv6 translator ({@link Siit46Stage}, "siit-4to6") dropped a packet. Reasons
 * marked "answered" also sent an ICMPv4 error to the packet's source.
 */
public enum Siit46DropReason implements DropReason
{
    /** Shorter than the 20-byte IPv4 header. */
    TRUNCATED_IPV4_HEADER("truncated-ipv4-header"),
    /** Version nibble is not 4. */
    NOT_IPV4("not-ipv4"),
    /** IHL below 5 or past the end of the frame. */
    BAD_HEADER_LENGTH("bad-header-length"),
    /** Total Length below the header length or past the end of the frame. */
    TRUNCATED_PACKET("truncated-packet"),
    /** RFC 1812 §5.2.2: the header checksum is wrong. */
    BAD_HEADER_CHECKSUM("bad-header-checksum"),
    /** RFC 7915 §4.1, RFC 1812 §5.3.7: source 0/8, 127/8, multicast or class E (not an ICMP error). */
    ILLEGAL_SOURCE("illegal-source"),
    /** RFC 7915 §4.1: unexpired LSRR/SSRR option; answered with 3/5 (source route failed). */
    UNEXPIRED_SOURCE_ROUTE("unexpired-source-route"),
    /** TTL would reach zero; answered with Time Exceeded 11/0 (RFC 7915 §4.1). */
    TTL_EXCEEDED("ttl-exceeded"),
    /** The source has no EAM and no pool6 embedding (and the packet is not an ICMPv4 error). */
    UNTRANSLATABLE_SOURCE("untranslatable-source"),
    /** The destination has no EAM and no pool6 embedding (RFC 7915 §4.6: not ours to translate). */
    UNTRANSLATABLE_DESTINATION("untranslatable-destination"),
    /** RFC 7915 §1.2: fragmented ICMPv4 is not translated (the ICMPv6 checksum needs the whole message). */
    FRAGMENTED_ICMP("fragmented-icmpv4"),
    /** The TCP, UDP or ICMPv4 header is cut short. */
    TRUNCATED_L4_HEADER("truncated-l4-header"),
    /** RFC 7915 §4.2: ICMPv4 type, code or pointer that is "silently dropped". */
    ICMP_NOT_TRANSLATED("icmpv4-not-translated"),
    /** RFC 7915 §4.2: IGMP is single-hop and silently dropped. */
    IGMP_NOT_TRANSLATED("igmp-not-translated"),
    /**
     * The IPv4 protocol means something only in IPv6: ICMPv6, or an IPv6 extension header
     * (Hop-by-Hop, Routing, Fragment, Destination Options, AH, Mobility, HIP, Shim6, the
     * experimental 253 and 254). Copied into Next Header as RFC 7915 §4.1 says, the IPv4 sender's
     * payload would be read as IPv6 headers or ICMPv6 messages. A deliberate deviation.
     */
    IPV6_ONLY_PROTOCOL("ipv6-only-protocol"),
    /** An ICMPv4 error whose checksum is wrong: recomputing it would launder the corruption. */
    ICMP_ERROR_BAD_CHECKSUM("icmpv4-error-bad-checksum"),
    /** The packet inside an ICMPv4 error is shorter than its header, or not IPv4. */
    INNER_PACKET_TRUNCATED("inner-packet-truncated"),
    /** An address of the packet inside an ICMPv4 error has no IPv6 mapping. */
    INNER_UNTRANSLATABLE_ADDRESS("inner-untranslatable-address"),
    /** RFC 7915 §4.3: an ICMPv4 error inside an ICMPv4 error. */
    NESTED_ICMP_ERROR("nested-icmp-error"),
    /** RFC 7915 §4.5: unfragmented UDP with a zero checksum, amending off; answered 3/13. */
    UDP_ZERO_CHECKSUM("udp-zero-checksum"),
    /** RFC 7915 §4.5: fragmented UDP with a zero checksum; answered 3/13. */
    UDP_ZERO_CHECKSUM_FRAGMENT("udp-zero-checksum-fragment"),
    /** RFC 7915 §4.1: DF set and too big for the IPv6 MTU; answered with 3/4 (Fragmentation Needed). */
    FRAGMENTATION_NEEDED("fragmentation-needed"),
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

    Siit46DropReason(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }
}
