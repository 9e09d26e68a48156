package io.sixgate.core.packet;

import io.sixgate.core.pipeline.DropReason;

/**
 * Why {@link ArpValidator} rejected an ARP packet.
 */
public enum ArpInputDropReason implements DropReason
{
    /** Shorter than the 28 bytes of an Ethernet/IPv4 ARP packet. */
    TRUNCATED_PACKET("truncated-packet"),
    /** Hardware type not Ethernet, or hardware address length not 6 (RFC 826). */
    UNSUPPORTED_HARDWARE_TYPE("unsupported-hardware-type"),
    /** Protocol type not IPv4, or protocol address length not 4 (RFC 826). */
    UNSUPPORTED_PROTOCOL_TYPE("unsupported-protocol-type"),
    /** Operation neither request (1) nor reply (2); RARP and InARP are not served. */
    UNSUPPORTED_OPERATION("unsupported-operation"),
    /** A group (multicast or broadcast) sender hardware address (IEEE 802 §8.2). */
    GROUP_SENDER_MAC("group-sender-mac");

    private final String label;

    ArpInputDropReason(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }
}
