package io.sixgate.nat64.stateful;

import io.sixgate.nat64.state.SessionProtocol;

/**
 * A static BIB entry (RFC 6146 §3.1): IPv4 hosts reach the IPv6 transport address through the
 * pool4 one with no IPv6-initiated traffic first.
 *
 * @param protocol     a {@link SessionProtocol} index.
 * @param ipv6High     bits 0-63 of the IPv6 address.
 * @param ipv6Low      bits 64-127 of the IPv6 address.
 * @param ipv6Port     the IPv6 port (ICMP identifier).
 * @param pool4Address the pool4 address.
 * @param pool4Port    the pool4 port (ICMP identifier).
 */
public record StaticBibEntry(int protocol, long ipv6High, long ipv6Low, int ipv6Port, int pool4Address, int pool4Port)
{
    /**
     * @throws IllegalArgumentException if the protocol or a port is out of range.
     */
    public StaticBibEntry
    {
        if (!SessionProtocol.isValid(protocol))
        {
            throw new IllegalArgumentException("static BIB protocol index out of range: " + protocol);
        }
        if (ipv6Port < 0 || ipv6Port > 0xFFFF || pool4Port < 0 || pool4Port > 0xFFFF)
        {
            throw new IllegalArgumentException("static BIB ports must be 0-65535: " + ipv6Port + ", " + pool4Port);
        }
    }
}
