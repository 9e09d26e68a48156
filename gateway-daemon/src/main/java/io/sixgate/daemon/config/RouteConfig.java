package io.sixgate.daemon.config;

import java.util.Objects;

/**
 * A static route.
 *
 * @param prefix destination prefix, host bits zero.
 * @param via    next hop, inside one of the port's connected subnets; {@code null} when the
 *               prefix is reached directly on the port (connected).
 * @param port   name of the port the route leaves on.
 */
public record RouteConfig(IpCidr prefix, IpAddress via, String port)
{
    public RouteConfig
    {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(port, "port");
    }

    public boolean isConnected()
    {
        return via == null;
    }
}
