package io.sixgate.core.route;

/**
 * Longest-prefix match from an IPv6 address to an {@code int} route index chosen by the
 * caller, who keeps next hop, port and the rest in its own arrays under that index.
 *
 * <p>Immutable: a control thread edits a {@link Builder} and publishes each {@link #build()}
 * result by swapping one reference (a {@code volatile} field or a command to the owning
 * worker); workers keep looking up in the table they hold until they see the new one.
 * Building recompiles the whole structure, which is cheap enough for config-time and admin-API
 * changes but not meant for per-packet updates.
 *
 * <p>An address is two {@code long}s: {@code high} holds bits 0..63 (the first 8 bytes on the
 * wire, big-endian), {@code low} bits 64..127. {@link #lookup(long, long)} allocates nothing
 * and never throws; see {@link RangeTrie} for its layout and cost.
 */
public final class Ipv6RouteTable
{
    /** Returned by {@link #lookup(long, long)} when no prefix matches. */
    public static final int NO_ROUTE = RangeTrie.NO_ROUTE;

    /** Largest route value: a leaf carries it in 29 bits beside its kind. */
    public static final int MAX_VALUE = RangeTrie.MAX_VALUE;

    /** Longest prefix length, a host route. */
    public static final int MAX_LENGTH = 128;

    private final SortedRoutes routes;
    private final RangeTrie trie;

    private Ipv6RouteTable(final SortedRoutes routes)
    {
        this.routes = routes;
        this.trie = RangeTrieCompiler.compile(routes);
    }

    public static Builder builder()
    {
        return new Builder(new RouteSet());
    }

    /**
     * @param high bits 0..63 of the destination address.
     * @param low  bits 64..127 of the destination address.
     * @return the value of the longest prefix containing the address, or {@link #NO_ROUTE}.
     */
    public int lookup(final long high, final long low)
    {
        return trie.lookup(high, low);
    }

    /** Number of prefixes in the table. */
    public int size()
    {
        return routes.count();
    }

    /** Bytes held by the lookup structure, for capacity planning. */
    public long footprintBytes()
    {
        return trie.footprintBytes();
    }

    /** A builder holding this table's routes, to make the next version of the table. */
    public Builder toBuilder()
    {
        return new Builder(new RouteSet(routes));
    }

    RangeTrie trie()
    {
        return trie;
    }

    /**
     * Collects IPv6 routes at config time. Not thread-safe; {@link #build()} takes a
     * snapshot, and the builder stays usable for the next version.
     */
    public static final class Builder
    {
        private final RouteSet routes;

        private Builder(final RouteSet routes)
        {
            this.routes = routes;
        }

        /**
         * Adds a route, or replaces the value of the same prefix.
         *
         * @param high   bits 0..63 of the prefix.
         * @param low    bits 64..127 of the prefix.
         * @param length prefix length, 0 (default route) to 128 (host route).
         * @param value  route index, 0 to {@link #MAX_VALUE}.
         * @return the value the prefix had before, or {@link #NO_ROUTE} if it was new.
         * @throws IllegalArgumentException for a bad length, bits set beyond the length, or a
         *                                  value out of range.
         */
        public int add(final long high, final long low, final int length, final int value)
        {
            validate(high, low, length);
            if (value < 0 || value > MAX_VALUE)
            {
                throw new IllegalArgumentException("value must be in [0, " + MAX_VALUE + "]: " + value);
            }
            return routes.put(high, low, length, value);
        }

        /**
         * Removes a route; only the exact prefix, never a longer or shorter one.
         *
         * @return the value the prefix had, or {@link #NO_ROUTE} if it was absent.
         * @throws IllegalArgumentException for a bad length or bits set beyond the length.
         */
        public int remove(final long high, final long low, final int length)
        {
            validate(high, low, length);
            return routes.remove(high, low, length);
        }

        public int size()
        {
            return routes.size();
        }

        /** Compiles the current routes into a new immutable table. */
        public Ipv6RouteTable build()
        {
            return new Ipv6RouteTable(routes.sorted());
        }

        private static void validate(final long high, final long low, final int length)
        {
            if (length < 0 || length > MAX_LENGTH)
            {
                throw new IllegalArgumentException("IPv6 prefix length must be in [0, 128]: " + length);
            }
            if (PrefixBits.hasHostBits(high, low, length))
            {
                throw new IllegalArgumentException(
                    "IPv6 prefix has bits set beyond its length: " + format(high, low) + "/" + length);
            }
        }

        private static String format(final long high, final long low)
        {
            final StringBuilder text = new StringBuilder(39);
            for (int group = 0; group < 8; group++)
            {
                final long word = group < 4 ? high : low;
                final int shift = 48 - 16 * (group & 3);
                if (group > 0)
                {
                    text.append(':');
                }
                text.append(Integer.toHexString((int)(word >>> shift) & 0xFFFF));
            }
            return text.toString();
        }
    }
}
