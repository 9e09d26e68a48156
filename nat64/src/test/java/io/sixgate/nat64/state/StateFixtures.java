package io.sixgate.nat64.state;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;

/**
 * Addresses from the documentation prefixes and small configurations for the state tests.
 */
final class StateFixtures
{
    /** 2001:db8:1::/64, the IPv6 clients' prefix: high half of every client address. */
    static final long CLIENT_PREFIX = Ipv6Address.parse("2001:db8:1::")[Ipv6Address.HIGH];
    static final int POOL_A = Ipv4Address.parse("203.0.113.1");
    static final int POOL_B = Ipv4Address.parse("203.0.113.2");
    static final int SERVER_1 = Ipv4Address.parse("198.51.100.10");
    static final int SERVER_2 = Ipv4Address.parse("198.51.100.20");
    static final long SEED = 0x6146_6056_4787L;

    private StateFixtures()
    {
    }

    /**
     * @return 2001:db8:1::{host}, the low half.
     */
    static long client(final int host)
    {
        return host;
    }

    static Pool4 pool(final int... addresses)
    {
        return new Pool4(addresses, PortRange.NON_WELL_KNOWN, PortRange.NON_WELL_KNOWN, PortRange.ALL, SEED);
    }

    static SessionTableConfig config(final int maxSessions, final int maxBib, final int maxSources)
    {
        return SessionTableConfig.of(maxSessions, maxBib, maxSources, SEED);
    }
}
