package io.sixgate.daemon.config;

import java.util.List;
import java.util.Objects;

/**
 * One gateway port: the link it is attached to and the gateway's own addresses there.
 *
 * @param name          unique name, {@code [a-z0-9-]{1,15}}; ports are numbered in file order.
 * @param type          how the daemon attaches it.
 * @param device        the host interface name (defaults to {@code name}).
 * @param mac           the port's MAC (defaults to {@link MacAddress#derivedFrom(String)}).
 * @param macConfigured whether the file gave {@code mac}: a {@code pcap} port without one takes its
 *                      interface's own MAC at run time instead of the derived one.
 * @param mtu           largest IP packet the port sends, 68..65535 (1280.. with IPv6 addresses).
 * @param addresses     the gateway's addresses on the link; each one's {@link IpCidr#network()} is a connected subnet.
 * @param offload       a TAP port only: read and write with the virtio-net header, taking partial
 *                      checksums and TCP super-packets (IFF_VNET_HDR, TSO/GSO).
 */
public record PortConfig(
    String name, PortType type, String device, MacAddress mac, boolean macConfigured, int mtu, List<IpCidr> addresses,
    boolean offload)
{
    public static final int DEFAULT_MTU = 1500;

    /**
     * A port without offloads.
     */
    public PortConfig(
        final String name, final PortType type, final String device, final MacAddress mac, final boolean macConfigured,
        final int mtu, final List<IpCidr> addresses)
    {
        this(name, type, device, mac, macConfigured, mtu, addresses, false);
    }

    public PortConfig
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(mac, "mac");
        addresses = List.copyOf(addresses);
    }

    /**
     * @return whether {@code address} is in one of the port's connected subnets.
     */
    public boolean isConnected(final IpAddress address)
    {
        for (final IpCidr cidr : addresses)
        {
            if (cidr.contains(address))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether {@code address} is one of the gateway's own addresses on this port.
     */
    public boolean isOwnAddress(final IpAddress address)
    {
        for (final IpCidr cidr : addresses)
        {
            if (cidr.address().equals(address))
            {
                return true;
            }
        }
        return false;
    }
}
