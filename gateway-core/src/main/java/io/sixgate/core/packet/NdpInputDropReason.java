package io.sixgate.core.packet;

import io.sixgate.core.pipeline.DropReason;

/**
 * Why {@link NdpValidator} rejected a Neighbor Solicitation or Advertisement
 * (RFC 4861 §7.1.1, §7.1.2). Each constant is one counter.
 */
public enum NdpInputDropReason implements DropReason
{
    /** Not an NS or NA: the caller routed another ICMPv6 type here. */
    UNSUPPORTED_TYPE("unsupported-type"),
    /** Carried in a Fragment header (RFC 6980 §5). */
    FRAGMENTED("fragmented"),
    /** Hop limit not 255: the message did not originate on this link (RFC 4861 §7.1.1). */
    BAD_HOP_LIMIT("bad-hop-limit"),
    /** ICMP code not 0. */
    BAD_CODE("bad-code"),
    /** Fewer than 24 octets of ICMPv6 message. */
    TRUNCATED_MESSAGE("truncated-message"),
    /** The ICMPv6 checksum does not verify; ND messages end here, so it is checked. */
    BAD_CHECKSUM("bad-checksum"),
    /** The target address is multicast. */
    MULTICAST_TARGET("multicast-target"),
    /** An option of length zero, or one running past the message (RFC 4861 §4.6). */
    BAD_OPTION_LENGTH("bad-option-length"),
    /**
     * An NS from the unspecified address that is not sent to a solicited-node group or that
     * carries a Source Link-Layer Address option (RFC 4861 §7.1.1, DAD rules).
     */
    BAD_DUPLICATE_ADDRESS_DETECTION("bad-duplicate-address-detection"),
    /** An NA to a multicast group with the Solicited flag set (RFC 4861 §7.1.2). */
    SOLICITED_ADVERTISEMENT_TO_MULTICAST("solicited-advertisement-to-multicast");

    private final String label;

    NdpInputDropReason(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }
}
