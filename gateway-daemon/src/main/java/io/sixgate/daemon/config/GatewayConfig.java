package io.sixgate.daemon.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The whole gateway configuration, as {@link ConfigLoader} returns it: defaults filled in and
 * every cross-reference checked. See {@code docs/config.md} for the file format.
 *
 * @param workers      worker threads.
 * @param ingestNice   nice value of the ingest event-loop threads, -20..19.
 * @param countersFile where the daemon maps its counters.
 * @param framePool    each worker's frame pool.
 * @param ports        the ports, in file order; a port's id is its index here.
 * @param routes       static routes.
 * @param neighbours   static neighbour entries.
 * @param nat64        IPv6/IPv4 translation, or {@code null} when the gateway only routes.
 * @param admin        the admin API ({@link AdminConfig#DEFAULT} without an {@code admin} section).
 * @param ipv6Gateway  per-address Internet access of the VPC, or {@code null}: everything is routed.
 * @param firewall     network ACLs and security groups, or {@code null} when there are none.
 */
public record GatewayConfig(
    int workers,
    int ingestNice,
    Path countersFile,
    FramePoolConfig framePool,
    List<PortConfig> ports,
    List<RouteConfig> routes,
    List<NeighbourConfig> neighbours,
    Nat64Config nat64,
    AdminConfig admin,
    Ipv6GatewayConfig ipv6Gateway,
    VpcFirewallConfig firewall)
{
    public static final int DEFAULT_WORKERS = 1;
    /**
     * Ingest reads every frame and sheds by flow (known flows first); starved of CPU it reads
     * late, and the kernel's TAP queue then drops frames of every flow alike. A nice value of -10
     * weighs about nine times a default thread's, so a busy host's other work (the workers
     * included) does not keep it from reading, while its own use is bounded by the links' rate.
     */
    public static final int DEFAULT_INGEST_NICE = -10;
    public static final Path DEFAULT_COUNTERS_FILE = Path.of("/dev/shm/sixgate/counters.dat");

    public GatewayConfig
    {
        Objects.requireNonNull(countersFile, "countersFile");
        Objects.requireNonNull(framePool, "framePool");
        Objects.requireNonNull(admin, "admin");
        ports = List.copyOf(ports);
        routes = List.copyOf(routes);
        neighbours = List.copyOf(neighbours);
    }

    /**
     * @return the id (index) of the port with that name, or -1.
     */
    public int portId(final String name)
    {
        for (int i = 0; i < ports.size(); i++)
        {
            if (ports.get(i).name().equals(name))
            {
                return i;
            }
        }
        return -1;
    }

    /**
     * @return the port names in id order, comma separated, for messages.
     */
    public String portNames()
    {
        final StringBuilder names = new StringBuilder();
        for (final PortConfig port : ports)
        {
            names.append(names.length() == 0 ? "" : ", ").append(port.name());
        }
        return names.toString();
    }
}
