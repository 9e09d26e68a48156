package io.sixgate.core.neighbour;

import java.util.Arrays;

/**
 * Neighbours configured by hand: next-hop IP address on a port to MAC address.
 *
 * <p>A linear scan over a few primitive arrays: static entries are few (next-hop routers),
 * and the scan allocates nothing. Dynamic resolution by ARP/NDP with a cache replaces this
 * for learned neighbours; static entries stay as overrides.
 */
public final class StaticNeighbourTable
{
    /** Returned by lookups that find nothing. */
    public static final long NO_MAC = -1L;

    private int size;
    private int[] port = new int[4];
    private boolean[] ipv6 = new boolean[4];
    private long[] high = new long[4];
    private long[] low = new long[4];
    private long[] mac = new long[4];

    /**
     * Adds or replaces an IPv6 neighbour (config time).
     */
    public void addIpv6(final int portId, final long addressHigh, final long addressLow, final long macAddress)
    {
        put(portId, true, addressHigh, addressLow, macAddress);
    }

    /**
     * Adds or replaces an IPv4 neighbour (config time).
     */
    public void addIpv4(final int portId, final int address, final long macAddress)
    {
        put(portId, false, 0, address & 0xFFFF_FFFFL, macAddress);
    }

    /**
     * @return the MAC of the IPv6 neighbour on that port, or {@link #NO_MAC}.
     */
    public long lookupIpv6(final int portId, final long addressHigh, final long addressLow)
    {
        return find(portId, true, addressHigh, addressLow);
    }

    /**
     * @return the MAC of the IPv4 neighbour on that port, or {@link #NO_MAC}.
     */
    public long lookupIpv4(final int portId, final int address)
    {
        return find(portId, false, 0, address & 0xFFFF_FFFFL);
    }

    public int size()
    {
        return size;
    }

    private long find(final int portId, final boolean isIpv6, final long addressHigh, final long addressLow)
    {
        for (int i = 0; i < size; i++)
        {
            if (port[i] == portId && ipv6[i] == isIpv6 && high[i] == addressHigh && low[i] == addressLow)
            {
                return mac[i];
            }
        }
        return NO_MAC;
    }

    private void put(
        final int portId, final boolean isIpv6, final long addressHigh, final long addressLow, final long macAddress)
    {
        for (int i = 0; i < size; i++)
        {
            if (port[i] == portId && ipv6[i] == isIpv6 && high[i] == addressHigh && low[i] == addressLow)
            {
                mac[i] = macAddress;
                return;
            }
        }
        if (size == port.length)
        {
            final int capacity = size * 2;
            port = Arrays.copyOf(port, capacity);
            ipv6 = Arrays.copyOf(ipv6, capacity);
            high = Arrays.copyOf(high, capacity);
            low = Arrays.copyOf(low, capacity);
            mac = Arrays.copyOf(mac, capacity);
        }
        port[size] = portId;
        ipv6[size] = isIpv6;
        high[size] = addressHigh;
        low[size] = addressLow;
        mac[size] = macAddress;
        size++;
    }
}
