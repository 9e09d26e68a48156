package io.sixgate.core.port;

/**
 * What a port's frames start with. The numbers are the pcap LINKTYPE_ values so that
 * captures keep their framing across replay.
 */
public enum LinkType
{
    /** Ethernet II frames (LINKTYPE_ETHERNET). */
    ETHERNET(1),
    /** Bare IPv4 or IPv6 packets, version in the first nibble (LINKTYPE_RAW). */
    RAW(101);

    private final int pcapLinkType;

    LinkType(final int pcapLinkType)
    {
        this.pcapLinkType = pcapLinkType;
    }

    public int pcapLinkType()
    {
        return pcapLinkType;
    }

    /**
     * @param pcapLinkType a LINKTYPE_ value from a capture file header.
     * @return the matching link type, or {@code null} when sixgate does not read that framing.
     */
    public static LinkType ofPcap(final int pcapLinkType)
    {
        for (final LinkType type : values())
        {
            if (type.pcapLinkType == pcapLinkType)
            {
                return type;
            }
        }
        return null;
    }
}
