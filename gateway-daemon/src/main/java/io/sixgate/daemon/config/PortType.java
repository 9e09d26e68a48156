package io.sixgate.daemon.config;

/**
 * How the daemon attaches a port to the host. Replay ignores it: there every port reads and
 * writes capture files.
 */
public enum PortType
{
    /** A TAP device the daemon creates or opens ({@code /dev/net/tun}, IFF_TAP). */
    TAP("tap"),
    /** An existing interface, captured and injected through libpcap. */
    PCAP("pcap");

    private final String label;

    PortType(final String label)
    {
        this.label = label;
    }

    /**
     * @return the name used in the configuration file.
     */
    public String label()
    {
        return label;
    }

    /**
     * @return the type with that configuration name, or {@code null}.
     */
    public static PortType ofLabel(final String label)
    {
        for (final PortType type : values())
        {
            if (type.label.equals(label))
            {
                return type;
            }
        }
        return null;
    }
}
