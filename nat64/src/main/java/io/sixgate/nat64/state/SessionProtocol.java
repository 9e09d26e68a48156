package io.sixgate.nat64.state;

import io.sixgate.core.packet.IpProtocol;

/**
 * The three protocols stateful NAT64 keeps state for (RFC 6146 §3: TCP, UDP and ICMP query
 * messages), as dense indexes 0-2 so that per-protocol settings (timeouts, pool4 bitmaps, port
 * ranges, hash seeds) are plain arrays indexed without a branch.
 *
 * <p>ICMP means ICMPv4 on the IPv4 side and ICMPv6 on the IPv6 side: one session, one BIB entry.
 */
public final class SessionProtocol
{
    /** TCP (RFC 6146 §3.5.2). */
    public static final int TCP = 0;
    /** UDP (RFC 6146 §3.5.1). */
    public static final int UDP = 1;
    /** ICMP query messages: Echo, and the identifier in place of a port (RFC 6146 §3.5.3). */
    public static final int ICMP = 2;
    /** Number of protocols; valid indexes are 0 to {@code COUNT - 1}. */
    public static final int COUNT = 3;
    /** Returned by {@link #fromIpProtocol(int)} for protocols NAT64 keeps no state for. */
    public static final int NONE = -1;

    private static final String[] NAMES = { "tcp", "udp", "icmp" };

    private SessionProtocol()
    {
    }

    /**
     * @param ipProtocol IPv4 Protocol or IPv6 Next Header value.
     * @return {@link #TCP}, {@link #UDP}, {@link #ICMP} (for both ICMP and ICMPv6) or {@link #NONE}.
     */
    public static int fromIpProtocol(final int ipProtocol)
    {
        switch (ipProtocol)
        {
            case IpProtocol.TCP:
                return TCP;

            case IpProtocol.UDP:
                return UDP;

            case IpProtocol.ICMP:
            case IpProtocol.ICMPV6:
                return ICMP;

            default:
                return NONE;
        }
    }

    /**
     * @param protocol candidate index.
     * @return {@code true} for {@link #TCP}, {@link #UDP} and {@link #ICMP}.
     */
    public static boolean isValid(final int protocol)
    {
        return protocol >= 0 && protocol < COUNT;
    }

    /**
     * @param protocol index.
     * @return {@code "tcp"}, {@code "udp"}, {@code "icmp"} or {@code "none"}.
     */
    public static String name(final int protocol)
    {
        return isValid(protocol) ? NAMES[protocol] : "none";
    }
}
