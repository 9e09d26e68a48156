package io.sixgate.nat64.siit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sixgate.core.net.Ipv6Prefix;


/**
 * The IPv6 counterpart of {@link io.sixgate.nat64.address.Rfc6791Pool}: addresses to use as the
 * source of a translated ICMPv6 error whose IPv4 source has no IPv6 mapping (RFC 6791 applied to
 * the 4 to 6 direction, as Jool's {@code rfc6791v6-prefix} does). Empty means "use the gateway's
 * own IPv6 address".
 *
 * <p>Private helper of the translator: {@code io.sixgate.nat64.address} has an IPv4 pool only.
 * Immutable; the lookups allocate nothing.
 */
public final class Rfc6791Ipv6Pool
{
    private static final Rfc6791Ipv6Pool EMPTY = new Rfc6791Ipv6Pool(new Ipv6Prefix[0]);

    private final Ipv6Prefix[] prefixes;

    private Rfc6791Ipv6Pool(final Ipv6Prefix[] prefixes)
    {
        this.prefixes = prefixes;
    }

    /**
     * @return the empty pool.
     */
    public static Rfc6791Ipv6Pool empty()
    {
        return EMPTY;
    }

    /**
     * @param prefixes IPv6 prefixes, e.g. {@code "2::2"} (a single address) or {@code "2001:db8:ffff::/120"}.
     * @return the pool.
     * @throws IllegalArgumentException on a malformed prefix.
     */
    public static Rfc6791Ipv6Pool parse(final CharSequence... prefixes)
    {
        final List<Ipv6Prefix> list = new ArrayList<>();
        for (final CharSequence text : prefixes)
        {
            final String trimmed = text.toString().trim();
            if (!trimmed.isEmpty())
            {
                list.add(Ipv6Prefix.parse(trimmed.contains("/") ? trimmed : trimmed + "/128"));
            }
        }
        return list.isEmpty() ? EMPTY : new Rfc6791Ipv6Pool(list.toArray(new Ipv6Prefix[0]));
    }

    public boolean isEmpty()
    {
        return prefixes.length == 0;
    }

    /**
     * @return the prefixes of the pool.
     */
    public List<Ipv6Prefix> prefixes()
    {
        return List.of(prefixes);
    }

    /**
     * Bits 0-63 of the source for one ICMPv6 error: a prefix chosen by {@code hash} (RFC 6791
     * §4: spread the errors over the pool), or the fallback when the pool is empty.
     *
     * @param hash         hash of the packet, e.g. of the ICMPv4 error's source address.
     * @param fallbackHigh bits 0-63 of the gateway's own IPv6 address.
     * @return the high half.
     */
    public long high(final int hash, final long fallbackHigh)
    {
        return prefixes.length == 0 ? fallbackHigh : prefixes[index(hash)].high();
    }

    /**
     * Bits 64-127 of the source chosen by {@link #high(int, long)}: the prefix with up to its 32
     * lowest host bits taken from the hash.
     *
     * @param hash        the same hash.
     * @param fallbackLow bits 64-127 of the gateway's own IPv6 address.
     * @return the low half.
     */
    public long low(final int hash, final long fallbackLow)
    {
        if (prefixes.length == 0)
        {
            return fallbackLow;
        }
        final Ipv6Prefix prefix = prefixes[index(hash)];
        final int hostBits = Math.min(128 - prefix.length(), 32);
        final long mask = hostBits == 0 ? 0 : (1L << hostBits) - 1;
        return prefix.low() | (hash & 0xFFFF_FFFFL & mask);
    }

    private int index(final int hash)
    {
        return (hash & 0x7FFF_FFFF) % prefixes.length;
    }

    @Override
    public String toString()
    {
        return "Rfc6791Ipv6Pool" + Arrays.toString(prefixes);
    }
}
