package io.sixgate.nat64.siit;

/**
 * Where {@link Translator46} takes the IPv6 addresses and the ports of the packet it writes: from
 * the address mapping of SIIT ({@code AddressMapper}), or from the session of stateful NAT64
 * (RFC 6146 §3.6). An address call that answers {@code true} leaves the address in
 * {@link #high()} and {@link #low()} until the next call. Implementations answer without allocating.
 *
 * <p>Ports: the outer TCP/UDP ports, and the outer ICMP query identifier as a destination port
 * (on the IPv4 side it is pool4's, RFC 6146 §3.5.3). The packet inside an ICMPv4 error went the
 * other way: its source port, or its ICMP identifier, is the pool4 one. SIIT keeps every port.
 */
public interface Mapping46
{
    /**
     * @return {@code false} when the IPv4 destination has no IPv6 mapping.
     */
    boolean destination(int dst4);

    /**
     * @param icmpError the packet is an ICMPv4 error (SIIT then falls back to RFC 6791).
     * @param hairpin   the packet is hairpinned (RFC 7757 §4.2: through pool6 only).
     * @return {@code false} when the IPv4 source has no IPv6 mapping.
     */
    boolean source(int src4, boolean icmpError, boolean hairpin);

    /**
     * @return {@code false} when the source of the packet inside an ICMPv4 error has no mapping.
     */
    boolean innerSource(int src4);

    /**
     * @return {@code false} when the destination of the packet inside an ICMPv4 error has no mapping.
     */
    boolean innerDestination(int dst4, boolean hairpin);

    /** @return bits 0-63 of the address of the last successful call. */
    long high();

    /** @return bits 64-127 of the address of the last successful call. */
    long low();

    /** @return the outer TCP/UDP source port to write. */
    int sourcePort(int port);

    /** @return the outer TCP/UDP destination port, or ICMP query identifier, to write. */
    int destinationPort(int port);

    /** @return the inner TCP/UDP source port, or inner ICMP query identifier, to write. */
    int innerSourcePort(int port);

    /** @return the inner TCP/UDP destination port to write. */
    int innerDestinationPort(int port);
}
