package io.sixgate.nat64.address;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sixgate.core.net.Ipv4Prefix;

/**
 * The RFC 6791 pool: IPv4 addresses used as the source of ICMPv4 errors translated from ICMPv6
 * errors whose IPv6 source has no IPv4 mapping (typically a router on the IPv6 side, with a
 * plain native address, that reports Time Exceeded or Packet Too Big).
 *
 * <p>Selection, a deliberate deviation: RFC 6791 §5 RECOMMENDS picking the address from the pool
 * at random, so that two ICMP errors elicited by the same traceroute are unlikely to carry the
 * same source and look like a routing loop. We pick deterministically from a hash the caller
 * supplies (see {@link #hash(long, long)} and {@link #selectFor(long, long, int)}, keyed by the
 * ICMPv6 error's source address): two different routers then collide with the same 1/N
 * probability as under random selection, one router keeps one IPv4 address across probes, and
 * replays of a capture and conformance runs give the same bytes every time. Jool's non-random
 * mode picks by the packet's hop limit instead.
 *
 * <p>Empty pool: {@link #select(int, int)} returns the caller's fallback, which the translator
 * sets to the gateway's own IPv4 address on the egress link (as Jool does when no pool is set).
 *
 * <p>Immutable once built; selection is allocation-free. The pool is a handful of prefixes, so
 * selection walks them linearly.
 */
public final class Rfc6791Pool
{
    private static final Rfc6791Pool EMPTY = new Rfc6791Pool(new Ipv4Prefix[0]);

    private final Ipv4Prefix[] prefixes;
    private final int[] base;
    private final long[] count;
    private final long size;

    private Rfc6791Pool(final Ipv4Prefix[] prefixes)
    {
        this.prefixes = prefixes;
        base = new int[prefixes.length];
        count = new long[prefixes.length];
        long total = 0;
        for (int i = 0; i < prefixes.length; i++)
        {
            base[i] = prefixes[i].address();
            count[i] = prefixes[i].size();
            total += count[i];
        }
        size = total;
    }

    /**
     * Build a pool from prefixes (a single address is a /32). Config time only.
     *
     * @param prefixes pool members; none may overlap another.
     * @return the pool.
     * @throws IllegalArgumentException if a prefix is null or two prefixes overlap.
     */
    public static Rfc6791Pool of(final Ipv4Prefix... prefixes)
    {
        final List<Ipv4Prefix> accepted = new ArrayList<>(prefixes.length);
        for (final Ipv4Prefix prefix : prefixes)
        {
            if (null == prefix)
            {
                throw new IllegalArgumentException("RFC 6791 pool: null prefix");
            }
            for (final Ipv4Prefix existing : accepted)
            {
                if (existing.overlaps(prefix))
                {
                    throw new IllegalArgumentException(
                        "RFC 6791 pool: prefix " + prefix + " overlaps " + existing + " (each address once)");
                }
            }
            accepted.add(prefix);
        }
        return accepted.isEmpty() ? EMPTY : new Rfc6791Pool(accepted.toArray(new Ipv4Prefix[0]));
    }

    /**
     * Parse prefixes such as {@code "203.0.113.8"} or {@code "203.0.113.0/29"}. Config time only.
     *
     * @param prefixes pool members as text; none may overlap another.
     * @return the pool.
     * @throws IllegalArgumentException if a prefix is malformed or two prefixes overlap.
     */
    public static Rfc6791Pool parse(final CharSequence... prefixes)
    {
        final Ipv4Prefix[] parsed = new Ipv4Prefix[prefixes.length];
        for (int i = 0; i < prefixes.length; i++)
        {
            parsed[i] = Ipv4Prefix.parse(prefixes[i]);
        }
        return of(parsed);
    }

    /**
     * @return the empty pool: every selection returns the caller's fallback.
     */
    public static Rfc6791Pool empty()
    {
        return EMPTY;
    }

    /**
     * @return {@code true} if the pool has no address.
     */
    public boolean isEmpty()
    {
        return 0 == size;
    }

    /**
     * @return number of addresses in the pool.
     */
    public long size()
    {
        return size;
    }

    /**
     * @return the pool's prefixes, in configuration order.
     */
    public List<Ipv4Prefix> prefixes()
    {
        return List.of(prefixes);
    }

    /**
     * @param ipv4 address.
     * @return {@code true} if the address is in the pool.
     */
    public boolean contains(final int ipv4)
    {
        for (int i = 0, n = prefixes.length; i < n; i++)
        {
            if (prefixes[i].contains(ipv4))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Pick the source address of a translated ICMPv4 error (RFC 6791 §5): the same hash always
     * gives the same address; hashes spread evenly over the pool.
     *
     * @param hash         caller's hash of the packet, e.g. {@link #hash(long, long)} of the ICMPv6
     *                     error's source address.
     * @param fallbackIpv4 returned when the pool is empty: the gateway's own IPv4 address.
     * @return an address from the pool, or {@code fallbackIpv4}.
     */
    public int select(final int hash, final int fallbackIpv4)
    {
        if (0 == size)
        {
            return fallbackIpv4;
        }

        long n = (hash & 0xFFFF_FFFFL) % size;
        for (int i = 0, last = base.length - 1; i < last; i++)
        {
            if (n < count[i])
            {
                return base[i] | (int)n;
            }
            n -= count[i];
        }
        return base[base.length - 1] | (int)n;
    }

    /**
     * Pick by the IPv6 source of the ICMPv6 error: {@code select(hash(srcHigh, srcLow), fallbackIpv4)}.
     *
     * @param srcHigh      bits 0-63 of the ICMPv6 error's source address.
     * @param srcLow       bits 64-127 of the ICMPv6 error's source address.
     * @param fallbackIpv4 returned when the pool is empty: the gateway's own IPv4 address.
     * @return an address from the pool, or {@code fallbackIpv4}.
     */
    public int selectFor(final long srcHigh, final long srcLow, final int fallbackIpv4)
    {
        return select(hash(srcHigh, srcLow), fallbackIpv4);
    }

    /**
     * Mix an IPv6 address into 32 well-spread bits (the MurmurHash3 64-bit finaliser over both
     * halves). Deterministic across runs and JVMs.
     *
     * @param high bits 0-63.
     * @param low  bits 64-127.
     * @return the hash.
     */
    public static int hash(final long high, final long low)
    {
        long h = high * 0x9E37_79B9_7F4A_7C15L ^ low;
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return (int)h ^ (int)(h >>> 32);
    }

    /**
     * @return the prefixes, e.g. {@code "Rfc6791Pool[203.0.113.8/32]"}.
     */
    public String toString()
    {
        return "Rfc6791Pool" + Arrays.toString(prefixes);
    }
}
