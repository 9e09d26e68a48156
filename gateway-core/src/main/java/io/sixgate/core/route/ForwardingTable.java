package io.sixgate.core.route;

import java.util.ArrayList;
import java.util.List;

/**
 * What the forward stages consult: the IPv4 and IPv6 longest-prefix-match tables and, per
 * route index, the egress port and next hop. A connected route has no next hop: the
 * destination itself is the neighbour.
 *
 * <p>Immutable once built; a reload builds a new one and swaps the reference.
 */
public final class ForwardingTable
{
    private final Ipv4RouteTable ipv4;
    private final Ipv6RouteTable ipv6;
    private final int[] port;
    private final boolean[] connected;
    private final long[] nextHopHigh;
    private final long[] nextHopLow;

    private ForwardingTable(final Builder builder)
    {
        this.ipv4 = builder.ipv4.build();
        this.ipv6 = builder.ipv6.build();
        final int n = builder.ports.size();
        this.port = new int[n];
        this.connected = new boolean[n];
        this.nextHopHigh = new long[n];
        this.nextHopLow = new long[n];
        for (int i = 0; i < n; i++)
        {
            port[i] = builder.ports.get(i);
            connected[i] = builder.connected.get(i);
            nextHopHigh[i] = builder.viaHigh.get(i);
            nextHopLow[i] = builder.viaLow.get(i);
        }
    }

    public static Builder builder()
    {
        return new Builder();
    }

    /**
     * @return route index for the IPv4 destination, or {@link Ipv4RouteTable#NO_ROUTE}.
     */
    public int lookupIpv4(final int destination)
    {
        return ipv4.lookup(destination);
    }

    /**
     * @return route index for the IPv6 destination, or {@link Ipv6RouteTable#NO_ROUTE}.
     */
    public int lookupIpv6(final long high, final long low)
    {
        return ipv6.lookup(high, low);
    }

    public int port(final int route)
    {
        return port[route];
    }

    public boolean isConnected(final int route)
    {
        return connected[route];
    }

    public long nextHopHigh(final int route)
    {
        return nextHopHigh[route];
    }

    public long nextHopLow(final int route)
    {
        return nextHopLow[route];
    }

    public int routeCount()
    {
        return port.length;
    }

    /**
     * Collects routes at configuration time.
     */
    public static final class Builder
    {
        private final Ipv4RouteTable.Builder ipv4 = Ipv4RouteTable.builder();
        private final Ipv6RouteTable.Builder ipv6 = Ipv6RouteTable.builder();
        private final List<Integer> ports = new ArrayList<>();
        private final List<Boolean> connected = new ArrayList<>();
        private final List<Long> viaHigh = new ArrayList<>();
        private final List<Long> viaLow = new ArrayList<>();

        private Builder()
        {
        }

        /**
         * An IPv4 route; {@code connected} means the destination is on the port's link.
         */
        public Builder ipv4(final int prefix, final int length, final int portId, final boolean isConnected, final int via)
        {
            ipv4.add(prefix, length, record(portId, isConnected, 0, via & 0xFFFF_FFFFL));
            return this;
        }

        /**
         * An IPv6 route; {@code connected} means the destination is on the port's link.
         */
        public Builder ipv6(
            final long prefixHigh, final long prefixLow, final int length,
            final int portId, final boolean isConnected, final long viaHigh, final long viaLow)
        {
            ipv6.add(prefixHigh, prefixLow, length, record(portId, isConnected, viaHigh, viaLow));
            return this;
        }

        private int record(final int portId, final boolean isConnected, final long high, final long low)
        {
            ports.add(portId);
            connected.add(isConnected);
            viaHigh.add(high);
            viaLow.add(low);
            return ports.size() - 1;
        }

        public ForwardingTable build()
        {
            return new ForwardingTable(this);
        }
    }
}
