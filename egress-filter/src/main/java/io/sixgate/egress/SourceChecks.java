package io.sixgate.egress;

/**
 * Address classes the anti-spoofing checks need (RFC 6092 §3.1 REC-2, REC-3, REC-4; RFC 4291
 * §2.4, §2.5), on the two-long form of an address. No allocation.
 */
public final class SourceChecks
{
    private SourceChecks()
    {
    }

    /** fc00::/7, unique local (RFC 4193). */
    public static boolean isUniqueLocal(final long high)
    {
        return (high >>> 57) == 0x7E;
    }

    /** ff00::/8 (RFC 4291 §2.7). */
    public static boolean isMulticast(final long high)
    {
        return (high >>> 56) == 0xFF;
    }

    /** fe80::/10 (RFC 4291 §2.5.6). */
    public static boolean isLinkLocal(final long high)
    {
        return (high >>> 54) == 0x3FA;
    }

    /** :: and ::1 (RFC 4291 §2.5.2, §2.5.3), and the rest of ::/96 with them. */
    public static boolean isUnspecifiedOrLoopback(final long high, final long low)
    {
        return high == 0 && (low >>> 32) == 0;
    }

    /**
     * RFC 6092 §3.1 REC-3, REC-4: a source an Internet packet must not carry into the VPC: a VPC
     * address, a unique-local, link-local, multicast, unspecified or loopback address.
     */
    public static boolean isBogusOutsideSource(final Ipv6GatewayPolicy policy, final long high, final long low)
    {
        return isUniqueLocal(high) || isMulticast(high) || isLinkLocal(high) || isUnspecifiedOrLoopback(high, low) ||
            policy.isVpc(high, low);
    }
}
