package io.sixgate.nat64.state;

/**
 * An inclusive range of ports (or ICMP identifiers) that pool4 may hand out for one protocol.
 *
 * @param first lowest port, 0-65535.
 * @param last  highest port, {@code first}-65535.
 */
public record PortRange(int first, int last)
{
    /** Every port: 0-65535. (Pool4 never hands out TCP or UDP port 0.) */
    public static final PortRange ALL = new PortRange(0, 65535);

    /** The RFC 4787 §4.2.1 / RFC 6335 non-well-known range: 1024-65535. */
    public static final PortRange NON_WELL_KNOWN = new PortRange(1024, 65535);

    /**
     * @throws IllegalArgumentException if the bounds are outside 0-65535 or reversed.
     */
    public PortRange
    {
        if (first < 0 || last > 65535 || first > last)
        {
            throw new IllegalArgumentException("port range must satisfy 0 <= first <= last <= 65535: " + first + "-" + last);
        }
    }

    /**
     * @return number of ports in the range.
     */
    public int size()
    {
        return last - first + 1;
    }

    /**
     * @param port candidate.
     * @return {@code true} if {@code first <= port <= last}.
     */
    public boolean contains(final int port)
    {
        return port >= first && port <= last;
    }

    public String toString()
    {
        return first + "-" + last;
    }
}
