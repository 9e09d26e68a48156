package io.sixgate.daemon.control;

/**
 * A static BIB entry as the admin API shows it (kebab-case keys, as in the configuration's
 * {@code nat64.static-bib}).
 *
 * @param protocol    tcp, udp or icmp.
 * @param ipv6Address the IPv6 host.
 * @param ipv6Port    its port (ICMP identifier).
 * @param ipv4Address the pool4 address it is reached at.
 * @param ipv4Port    the pool4 port (ICMP identifier).
 * @param sessions    sessions using the entry now.
 */
public record StaticBibView(
    String protocol, String ipv6Address, int ipv6Port, String ipv4Address, int ipv4Port, int sessions)
{
}
