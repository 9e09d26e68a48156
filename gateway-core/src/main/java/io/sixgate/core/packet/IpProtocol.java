package io.sixgate.core.packet;

/**
 * IP protocol numbers, which IPv4 carries in its Protocol field and IPv6 in its Next Header
 * fields (IANA "Assigned Internet Protocol Numbers"). Extension header values are the ones in
 * the IANA "IPv6 Extension Header Types" registry (RFC 7045 §2).
 */
public final class IpProtocol
{
    /** IPv6 Hop-by-Hop Options header (RFC 8200 §4.3). */
    public static final int HOP_BY_HOP = 0;
    /** ICMP for IPv4 (RFC 792). */
    public static final int ICMP = 1;
    /** TCP (RFC 9293). */
    public static final int TCP = 6;
    /** UDP (RFC 768). */
    public static final int UDP = 17;
    /** IPv6 Routing header (RFC 8200 §4.4). */
    public static final int ROUTING = 43;
    /** IPv6 Fragment header (RFC 8200 §4.5). */
    public static final int FRAGMENT = 44;
    /** Encapsulating Security Payload (RFC 4303): its content is opaque, so a walk ends here. */
    public static final int ESP = 50;
    /** Authentication Header (RFC 4302). */
    public static final int AH = 51;
    /** ICMP for IPv6 (RFC 4443). */
    public static final int ICMPV6 = 58;
    /** No Next Header (RFC 8200 §4.7). */
    public static final int NO_NEXT_HEADER = 59;
    /** IPv6 Destination Options header (RFC 8200 §4.6). */
    public static final int DESTINATION_OPTIONS = 60;
    /** Mobility header (RFC 6275). */
    public static final int MOBILITY = 135;
    /** Host Identity Protocol (RFC 7401). */
    public static final int HIP = 139;
    /** Shim6 (RFC 5533). */
    public static final int SHIM6 = 140;
    /** Reserved for experimentation and testing (RFC 3692, RFC 4727). */
    public static final int EXPERIMENTAL_253 = 253;
    /** Reserved for experimentation and testing (RFC 3692, RFC 4727). */
    public static final int EXPERIMENTAL_254 = 254;

    private IpProtocol()
    {
    }

    /**
     * Whether a Next Header value names an IPv6 extension header that a walker can step over.
     * ESP is an extension header too, but what follows it is encrypted, so it is reported as
     * an upper layer instead.
     *
     * @param nextHeader the Next Header value.
     * @return true for Hop-by-Hop, Routing, Fragment, Destination Options, AH, Mobility, HIP,
     * Shim6 and the two experimental values (RFC 7045 §2, RFC 8200 §4).
     */
    public static boolean isIpv6ExtensionHeader(final int nextHeader)
    {
        switch (nextHeader)
        {
            case HOP_BY_HOP:
            case ROUTING:
            case FRAGMENT:
            case AH:
            case DESTINATION_OPTIONS:
            case MOBILITY:
            case HIP:
            case SHIM6:
            case EXPERIMENTAL_253:
            case EXPERIMENTAL_254:
                return true;

            default:
                return false;
        }
    }
}
