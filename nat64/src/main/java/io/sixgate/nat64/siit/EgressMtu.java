package io.sixgate.nat64.siit;

/**
 * Where the translator learns the MTU of the link a translated packet leaves on, per side.
 * The daemon answers from its ports (and, later, its routes); tests and the conformance runner
 * use {@link #fixed(int, int)}.
 *
 * <p>Called on the hot path: implementations must not allocate, block or throw.
 */
public interface EgressMtu
{
    /**
     * @return the MTU, in bytes, of the IPv4 link that translated (6 to 4) packets leave on.
     */
    int ipv4Mtu();

    /**
     * @return the MTU, in bytes, of the IPv6 link that translated (4 to 6) packets leave on.
     */
    int ipv6Mtu();

    /**
     * @param ipv4Mtu MTU of the IPv4 side, 68..65535 (RFC 791).
     * @param ipv6Mtu MTU of the IPv6 side, 1280..65535 (RFC 8200 §5).
     * @return constant MTUs.
     */
    static EgressMtu fixed(final int ipv4Mtu, final int ipv6Mtu)
    {
        if (ipv4Mtu < 68 || ipv4Mtu > 65535)
        {
            throw new IllegalArgumentException("IPv4 MTU must be 68..65535 (RFC 791): " + ipv4Mtu);
        }
        if (ipv6Mtu < 1280 || ipv6Mtu > 65535)
        {
            throw new IllegalArgumentException("IPv6 MTU must be 1280..65535 (RFC 8200 §5): " + ipv6Mtu);
        }
        return new Fixed(ipv4Mtu, ipv6Mtu);
    }

    /**
     * Constant MTUs.
     *
     * @param ipv4Mtu MTU of the IPv4 side.
     * @param ipv6Mtu MTU of the IPv6 side.
     */
    record Fixed(int ipv4Mtu, int ipv6Mtu) implements EgressMtu
    {
    }
}
