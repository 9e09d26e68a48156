package io.sixgate.daemon.config;

import java.util.Objects;

/**
 * A configured neighbour (ARP for IPv4, NDP for IPv6): a permanent entry of the neighbour cache,
 * used instead of resolving the address and never changed by ARP or Neighbor Discovery.
 *
 * @param address the neighbour's address, inside one of the port's connected subnets.
 * @param mac     its unicast MAC.
 * @param port    name of the port it is reached on.
 */
public record NeighbourConfig(IpAddress address, MacAddress mac, String port)
{
    public NeighbourConfig
    {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(port, "port");
    }
}
