package io.sixgate.core.port;

import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's own IP addresses on each port: what ARP and Neighbor Discovery answer for, what
 * ping reaches, where ICMP errors and solicitations come from. Built at configuration time; the
 * lookups scan a few primitive arrays (a port has a handful of addresses) and allocate nothing.
 *
 * <p>Addresses are kept per port and, for "is this packet for the gateway?", across all ports:
 * the gateway is a weak host (RFC 1122 §3.3.4.2), so a ping to its VPC-side address that
 * arrives on the Internet side is still for it.
 *
 * <p>Lookups that pick a source return an index into the flat address list ({@link #NONE} when
 * there is none), read back with {@link #ipv4(int)} or {@link #ipv6High(int)}/{@link #ipv6Low(int)},
 * so a 128-bit answer needs no object.
 */
public final class PortAddresses
{
    /** No address fits the question. */
    public static final int NONE = -1;

    /** fe80::/64, the link-local prefix (RFC 4291 §2.5.6). */
    public static final long LINK_LOCAL_HIGH = 0xFE80_0000_0000_0000L;

    private static final long SOLICITED_NODE_HIGH = 0xFF02_0000_0000_0000L;
    private static final long SOLICITED_NODE_LOW_PREFIX = 0x0000_0001_FF00_0000L;
    private static final long SOLICITED_NODE_LOW_MASK = 0xFFFF_FFFF_FF00_0000L;
    private static final long ALL_NODES_LOW = 1L;
    private static final long ALL_ROUTERS_LOW = 2L;

    private final int portCount;
    private final int[] ipv4Port;
    private final int[] ipv4;
    private final int[] ipv4Mask;
    private final int[] ipv6Port;
    private final long[] ipv6High;
    private final long[] ipv6Low;
    private final int[] ipv6PrefixLength;

    private PortAddresses(final Builder builder)
    {
        portCount = builder.portCount;
        final int n4 = builder.v4.size();
        ipv4Port = new int[n4];
        ipv4 = new int[n4];
        ipv4Mask = new int[n4];
        for (int i = 0; i < n4; i++)
        {
            final long[] entry = builder.v4.get(i);
            ipv4Port[i] = (int)entry[0];
            ipv4[i] = (int)entry[1];
            ipv4Mask[i] = entry[2] == 0 ? 0 : -1 << (32 - (int)entry[2]);
        }
        final int n6 = builder.v6.size();
        ipv6Port = new int[n6];
        ipv6High = new long[n6];
        ipv6Low = new long[n6];
        ipv6PrefixLength = new int[n6];
        for (int i = 0; i < n6; i++)
        {
            final long[] entry = builder.v6.get(i);
            ipv6Port[i] = (int)entry[0];
            ipv6High[i] = entry[1];
            ipv6Low[i] = entry[2];
            ipv6PrefixLength[i] = (int)entry[3];
        }
    }

    /**
     * @param portCount number of ports of the pipeline the addresses are for.
     */
    public static Builder builder(final int portCount)
    {
        return new Builder(portCount);
    }

    /**
     * @return a table with no address on any port: nothing is for the gateway, nothing is resolved.
     */
    public static PortAddresses none(final int portCount)
    {
        return builder(portCount).build();
    }

    public int portCount()
    {
        return portCount;
    }

    public int ipv4Count()
    {
        return ipv4.length;
    }

    public int ipv6Count()
    {
        return ipv6High.length;
    }

    /**
     * @return whether {@code address} is one of the gateway's IPv4 addresses on {@code portId}.
     */
    public boolean isIpv4OnPort(final int portId, final int address)
    {
        for (int i = 0; i < ipv4.length; i++)
        {
            if (ipv4[i] == address && ipv4Port[i] == portId)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether {@code address} is one of the gateway's IPv4 addresses on any port.
     */
    public boolean isLocalIpv4(final int address)
    {
        for (int i = 0; i < ipv4.length; i++)
        {
            if (ipv4[i] == address)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether {@code address} is the broadcast address of one of the ports' subnets
     * (RFC 919, RFC 922); /31 and /32 subnets have none (RFC 3021).
     */
    public boolean isDirectedBroadcast(final int address)
    {
        for (int i = 0; i < ipv4.length; i++)
        {
            final int mask = ipv4Mask[i];
            if (mask != -1 && mask != -2 && (address & ~mask) == ~mask && (address & mask) == (ipv4[i] & mask))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether {@code high:low} is one of the gateway's IPv6 addresses on {@code portId}.
     */
    public boolean isIpv6OnPort(final int portId, final long high, final long low)
    {
        for (int i = 0; i < ipv6High.length; i++)
        {
            if (ipv6Low[i] == low && ipv6High[i] == high && ipv6Port[i] == portId)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return whether {@code high:low} is one of the gateway's IPv6 addresses on any port.
     */
    public boolean isLocalIpv6(final long high, final long low)
    {
        for (int i = 0; i < ipv6High.length; i++)
        {
            if (ipv6Low[i] == low && ipv6High[i] == high)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The groups a port's IPv6 interface has joined (RFC 4291 §2.8): all-nodes ff02::1, all-routers
     * ff02::2 (the gateway is a router), and the solicited-node group of each of its addresses.
     *
     * @return whether a packet to the multicast address {@code high:low} on {@code portId} is for
     * the gateway.
     */
    public boolean isJoinedIpv6Group(final int portId, final long high, final long low)
    {
        if (high != SOLICITED_NODE_HIGH)
        {
            return false;
        }
        if (low == ALL_NODES_LOW || low == ALL_ROUTERS_LOW)
        {
            return true;
        }
        if ((low & SOLICITED_NODE_LOW_MASK) != SOLICITED_NODE_LOW_PREFIX)
        {
            return false;
        }
        for (int i = 0; i < ipv6High.length; i++)
        {
            if (ipv6Port[i] == portId && (ipv6Low[i] & 0xFF_FFFFL) == (low & 0xFF_FFFFL))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The IPv4 source the gateway uses on a port: the port's address whose subnet holds
     * {@code towards}, else the port's first address.
     *
     * @return an index for {@link #ipv4(int)}, or {@link #NONE} when the port has no IPv4 address.
     */
    public int ipv4OnPort(final int portId, final int towards)
    {
        int first = NONE;
        for (int i = 0; i < ipv4.length; i++)
        {
            if (ipv4Port[i] == portId)
            {
                if ((towards & ipv4Mask[i]) == (ipv4[i] & ipv4Mask[i]))
                {
                    return i;
                }
                first = first == NONE ? i : first;
            }
        }
        return first;
    }

    /**
     * The source of ICMPv4 errors about a packet received on a port (RFC 1812 §4.3.2.4): the
     * port's address ({@link #ipv4OnPort}), else the gateway's first IPv4 address anywhere.
     *
     * @return an index for {@link #ipv4(int)}, or {@link #NONE} when the gateway has no IPv4 address.
     */
    public int ipv4Source(final int portId, final int towards)
    {
        final int onPort = ipv4OnPort(portId, towards);
        return onPort != NONE || ipv4.length == 0 ? onPort : 0;
    }

    /**
     * The IPv6 source the gateway uses on a port: the port's address whose prefix holds
     * {@code towards}, else the port's first global address, else its link-local address. A
     * link-local {@code towards} gets the link-local address (RFC 6724 §5 rule 2, scope).
     *
     * @return an index for {@link #ipv6High(int)}, or {@link #NONE} when the port has no IPv6 address.
     */
    public int ipv6OnPort(final int portId, final long towardsHigh, final long towardsLow)
    {
        final boolean linkLocalTowards = isLinkLocal(towardsHigh);
        int firstGlobal = NONE;
        int linkLocal = NONE;
        for (int i = 0; i < ipv6High.length; i++)
        {
            if (ipv6Port[i] != portId)
            {
                continue;
            }
            if (isLinkLocal(ipv6High[i]))
            {
                linkLocal = linkLocal == NONE ? i : linkLocal;
                continue;
            }
            if (!linkLocalTowards && samePrefix(ipv6High[i], ipv6Low[i], towardsHigh, towardsLow, ipv6PrefixLength[i]))
            {
                return i;
            }
            firstGlobal = firstGlobal == NONE ? i : firstGlobal;
        }
        if (linkLocalTowards && linkLocal != NONE)
        {
            return linkLocal;
        }
        return firstGlobal != NONE ? firstGlobal : linkLocal;
    }

    /**
     * The source of ICMPv6 errors about a packet received on a port (RFC 4443 §2.2): the port's
     * address ({@link #ipv6OnPort}), else the gateway's first global IPv6 address anywhere.
     *
     * @return an index for {@link #ipv6High(int)}, or {@link #NONE} when there is none to use.
     */
    public int ipv6Source(final int portId, final long towardsHigh, final long towardsLow)
    {
        final int onPort = ipv6OnPort(portId, towardsHigh, towardsLow);
        if (onPort != NONE && !(isLinkLocal(ipv6High[onPort]) && !isLinkLocal(towardsHigh)))
        {
            return onPort;
        }
        for (int i = 0; i < ipv6High.length; i++)
        {
            if (!isLinkLocal(ipv6High[i]))
            {
                return i;
            }
        }
        return onPort;
    }

    public int ipv4(final int index)
    {
        return ipv4[index];
    }

    public long ipv6High(final int index)
    {
        return ipv6High[index];
    }

    public long ipv6Low(final int index)
    {
        return ipv6Low[index];
    }

    /**
     * @return whether the address is in fe80::/10 (RFC 4291 §2.5.6).
     */
    public static boolean isLinkLocal(final long high)
    {
        return (high & 0xFFC0_0000_0000_0000L) == LINK_LOCAL_HIGH;
    }

    /**
     * The modified EUI-64 interface identifier of a MAC address (RFC 4291 Appendix A): FF-FE in
     * the middle, the universal/local bit inverted; the low half of the port's link-local address.
     *
     * @param mac the MAC in the low 48 bits.
     * @return the interface identifier.
     */
    public static long eui64InterfaceId(final long mac)
    {
        final long upper = (mac >>> 24) & 0xFF_FFFFL;
        final long lower = mac & 0xFF_FFFFL;
        return ((upper << 40) | (0xFF_FEL << 24) | lower) ^ 0x0200_0000_0000_0000L;
    }

    private static boolean samePrefix(
        final long high, final long low, final long otherHigh, final long otherLow, final int length)
    {
        if (length <= 64)
        {
            final long mask = length == 0 ? 0 : -1L << (64 - length);
            return (high & mask) == (otherHigh & mask);
        }
        final long mask = length == 128 ? -1L : -1L << (128 - length);
        return high == otherHigh && (low & mask) == (otherLow & mask);
    }

    /**
     * Collects addresses at configuration time.
     */
    public static final class Builder
    {
        private final int portCount;
        private final List<long[]> v4 = new ArrayList<>();
        private final List<long[]> v6 = new ArrayList<>();

        private Builder(final int portCount)
        {
            this.portCount = portCount;
        }

        /**
         * @param prefixLength length of the connected subnet, 0..32.
         */
        public Builder ipv4(final int portId, final int address, final int prefixLength)
        {
            checkPort(portId);
            if (prefixLength < 0 || prefixLength > 32)
            {
                throw new IllegalArgumentException("IPv4 prefix length must be 0..32: " + prefixLength);
            }
            v4.add(new long[]{portId, address, prefixLength});
            return this;
        }

        /**
         * @param prefixLength length of the on-link prefix, 0..128.
         */
        public Builder ipv6(final int portId, final long high, final long low, final int prefixLength)
        {
            checkPort(portId);
            if (prefixLength < 0 || prefixLength > 128)
            {
                throw new IllegalArgumentException("IPv6 prefix length must be 0..128: " + prefixLength);
            }
            v6.add(new long[]{portId, high, low, prefixLength});
            return this;
        }

        /**
         * Adds the port's link-local address fe80::/64 + the modified EUI-64 of its MAC (RFC 4291
         * §2.1: every IPv6 interface has one; RFC 4862 §5.3 forms it this way).
         */
        public Builder linkLocalFromMac(final int portId, final long mac)
        {
            return ipv6(portId, LINK_LOCAL_HIGH, eui64InterfaceId(mac), 64);
        }

        public PortAddresses build()
        {
            return new PortAddresses(this);
        }

        private void checkPort(final int portId)
        {
            if (portId < 0 || portId >= portCount)
            {
                throw new IllegalArgumentException("no port " + portId + " among " + portCount);
            }
        }
    }
}
