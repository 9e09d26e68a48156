package io.sixgate.core.packet;

import io.sixgate.core.pipeline.DropReason;

/**
 * Why {@link EthernetValidator} rejected a frame.
 */
public enum EthernetInputDropReason implements DropReason
{
    /** Shorter than the 14-byte Ethernet II header. */
    TRUNCATED_FRAME("truncated-frame"),
    /** An 802.1Q or 802.1ad tag: the gateway's ports are untagged (a deliberate limit). */
    VLAN_UNSUPPORTED("vlan-unsupported"),
    /** An 802.3 length field, or an EtherType other than IPv4, IPv6 and ARP. */
    UNSUPPORTED_ETHERTYPE("unsupported-ethertype"),
    /** A group (multicast or broadcast) source MAC: sources are always individual (IEEE 802 §8.2). */
    GROUP_SOURCE_MAC("group-source-mac");

    private final String label;

    EthernetInputDropReason(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }
}
