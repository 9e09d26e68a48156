package io.sixgate.daemon.config;

import java.util.Objects;

/**
 * A static neighbour entry (ARP for IPv4, NDP for IPv6), until dynamic resolution lands.
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
