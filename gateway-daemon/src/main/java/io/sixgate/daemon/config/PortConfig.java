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
 * @param queueLength   a TAP port only: the frames the kernel holds for sixgate to read before it
 *                      drops (the device's transmit queue length); 0 for a {@code pcap} port.
 */
public record PortConfig(
    String name, PortType type, String device, MacAddress mac, boolean macConfigured, int mtu, List<IpCidr> addresses,
    boolean offload, int queueLength)
{
    public static final int DEFAULT_MTU = 1500;
    /**
     * The kernel gives a TAP 1000, 50 ms of a 20 000 pps flood: a worker that loses its core
     * for longer (a busy 2-core host) makes the kernel drop frames of every flow alike, known
     * ones too, before sixgate can favour them. 16 384 rides out about 800 ms of that, and at
     * the daemon's rate of some 10^6 frames a second a full queue is ~16 ms of latency.
     */
    public static final int DEFAULT_QUEUE_LENGTH = 16_384;
    public static final int MIN_QUEUE_LENGTH = 64;
    public static final int MAX_QUEUE_LENGTH = 1_048_576;

    /**
     * A port without offloads, with the default queue length when it is a TAP.
     */
    public PortConfig(
        final String name, final PortType type, final String device, final MacAddress mac, final boolean macConfigured,
        final int mtu, final List<IpCidr> addresses)
    {
        this(name, type, device, mac, macConfigured, mtu, addresses, false,
            type == PortType.TAP ? DEFAULT_QUEUE_LENGTH : 0);
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
