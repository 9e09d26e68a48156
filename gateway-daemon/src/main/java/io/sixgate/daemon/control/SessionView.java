package io.sixgate.daemon.control;

/**
 * One stateful NAT64 session as the admin API lists it: the IPv6 side (client to the
 * pool6 address it sent to), the IPv4 side (pool4 to the remote, the instance's private address
 * for an EIP), and its state. For ICMP the ports are query identifiers and the remote has none.
 *
 * @param worker                the worker that owns it.
 * @param protocol              tcp, udp or icmp.
 * @param ipv6Source            the IPv6 client.
 * @param ipv6SourcePort        its port.
 * @param ipv6Destination       pool6 + the remote (its EIP, when it has one).
 * @param ipv6DestinationPort   the remote's port.
 * @param pool4Address          the pool4 address the client is mapped to.
 * @param pool4Port             the pool4 port.
 * @param ipv4Remote            the IPv4 remote.
 * @param ipv4RemotePort        its port.
 * @param tcpState              the RFC 6146 TCP state, {@code null} for UDP and ICMP.
 * @param staticBib             whether the session's mapping is a static BIB entry.
 * @param expiresInSeconds      time left, seconds.
 */
public record SessionView(
    int worker,
    String protocol,
    String ipv6Source,
    int ipv6SourcePort,
    String ipv6Destination,
    int ipv6DestinationPort,
    String pool4Address,
    int pool4Port,
    String ipv4Remote,
    int ipv4RemotePort,
    String tcpState,
    boolean staticBib,
    double expiresInSeconds)
{
}
