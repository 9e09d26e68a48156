package io.sixgate.nat64.siit;

/**
 * Where {@link Translator64} takes the IPv4 addresses and the ports of the packet it writes: from
 * the address mapping of SIIT ({@code AddressMapper}: EAM, pool6, RFC 6791), or from the session
 * of stateful NAT64 (RFC 6146 §3.6, the outgoing tuple). The translator asks in a fixed order:
 * destination, source, hairpin, then the ports as it meets them, then for an ICMPv6 error the
 * inner addresses and ports. Implementations answer without allocating.
 *
 * <p>Ports: the outer TCP/UDP ports, and the outer ICMP query identifier as a source port (the
 * identifier belongs to the IPv6 host, RFC 6146 §3.5.3). The packet inside an ICMPv6 error went
 * the other way (IPv4 to IPv6): its destination port, or its ICMP identifier, is the IPv6 host's.
 * SIIT keeps every port.
 */
public interface Mapping64
{
    /** Returned in place of an address that has no IPv4 mapping. */
    long NO_MAPPING = -1L;

    /**
     * @return the IPv4 destination as an unsigned int, or {@link #NO_MAPPING}.
     */
    long destination(long high, long low);

    /**
     * @param icmpError the packet is an ICMPv6 error (SIIT then falls back to RFC 6791).
     * @return the IPv4 source as an unsigned int, or {@link #NO_MAPPING}.
     */
    long source(long high, long low, boolean icmpError);

    /**
     * @return whether the translated packet goes back to the IPv6 side (RFC 7757 §4.2) through
     * the translator's own 4 to 6 path.
     */
    boolean isHairpin(long dstHigh, long dstLow, int dst4);

    /**
     * @return the IPv4 source of the packet inside an ICMPv6 error, or {@link #NO_MAPPING}.
     */
    long innerSource(long high, long low);

    /**
     * @return the IPv4 destination of the packet inside an ICMPv6 error, or {@link #NO_MAPPING}.
     */
    long innerDestination(long high, long low);

    /** @return the outer TCP/UDP source port, or ICMP query identifier, to write. */
    int sourcePort(int port);

    /** @return the outer TCP/UDP destination port to write. */
    int destinationPort(int port);

    /** @return the inner TCP/UDP source port to write. */
    int innerSourcePort(int port);

    /** @return the inner TCP/UDP destination port, or inner ICMP query identifier, to write. */
    int innerDestinationPort(int port);
}
