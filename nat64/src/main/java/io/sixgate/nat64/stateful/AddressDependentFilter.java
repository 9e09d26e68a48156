package io.sixgate.nat64.stateful;

import java.util.Arrays;

import org.agrona.collections.Long2LongHashMap;

/**
 * Address-dependent filtering (RFC 4787 REQ-8 option, RFC 6146 §3.5.1.1): an IPv4 packet to
 * (T, t) that matches no session passes only if the BIB entry of (T, t) has a session with the
 * packet's source address Z, whatever Z's port. The session table indexes full 5-tuples only, so
 * this class counts sessions per (protocol, T, t, Z), updated when sessions come and go.
 *
 * <p>The key is exact, packed in a {@code long}: protocol (2 bits), the index of T in pool4
 * (14 bits), t (16 bits), Z (32 bits). Deliberate deviation from "every table off-heap": an
 * Agrona {@link Long2LongHashMap}, sized for the session cap at start so it never grows; it
 * exists only when address-dependent filtering is configured.
 */
public final class AddressDependentFilter
{
    /** Pool4 addresses a key can index. */
    public static final int MAX_POOL4_ADDRESSES = 1 << 14;

    private final int[] pool4Sorted;
    private final Long2LongHashMap counts;

    public AddressDependentFilter(final int[] pool4Addresses, final int maxSessions)
    {
        if (pool4Addresses.length > MAX_POOL4_ADDRESSES)
        {
            throw new IllegalArgumentException("address-dependent filtering supports at most " + MAX_POOL4_ADDRESSES +
                " pool4 addresses");
        }
        pool4Sorted = pool4Addresses.clone();
        Arrays.sort(pool4Sorted);
        counts = new Long2LongHashMap(Math.max(16, (int)Math.min(1L << 30, maxSessions * 2L)), 0.65f, 0);
    }

    /** A session of (protocol, T, t) with remote address Z was created. */
    public void onCreated(final int protocol, final int pool4Address, final int pool4Port, final int remote4)
    {
        final long key = key(protocol, pool4Address, pool4Port, remote4);
        counts.put(key, counts.get(key) + 1);
    }

    /** A session of (protocol, T, t) with remote address Z went. */
    public void onRemoved(final int protocol, final int pool4Address, final int pool4Port, final int remote4)
    {
        final long key = key(protocol, pool4Address, pool4Port, remote4);
        final long count = counts.get(key);
        if (count <= 1)
        {
            counts.remove(key);
        }
        else
        {
            counts.put(key, count - 1);
        }
    }

    /**
     * @return whether a packet from Z to (T, t) passes the filter.
     */
    public boolean allows(final int protocol, final int pool4Address, final int pool4Port, final int remote4)
    {
        return counts.get(key(protocol, pool4Address, pool4Port, remote4)) > 0;
    }

    private long key(final int protocol, final int pool4Address, final int pool4Port, final int remote4)
    {
        final int index = Arrays.binarySearch(pool4Sorted, pool4Address);
        return (long)protocol << 62 | (long)(index & 0x3FFF) << 48 | (long)(pool4Port & 0xFFFF) << 32 |
            (remote4 & 0xFFFF_FFFFL);
    }
}
