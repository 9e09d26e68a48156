package io.sixgate.core.route;

/**
 * Longest-prefix match from an IPv4 address to an {@code int} route index chosen by the
 * caller, who keeps next hop, port and the rest in its own arrays under that index.
 *
 * <p>Immutable: a control thread edits a {@link Builder} and publishes each {@link #build()}
 * result by swapping one reference (a {@code volatile} field or a command to the owning
 * worker); workers keep looking up in the table they hold until they see the new one.
 * Building recompiles the whole trie, which is cheap enough for config-time and admin-API
 * changes but not meant for per-packet updates.
 *
 * <p>An address is an {@code int} in network order as read big-endian from the header
 * (192.0.2.1 is {@code 0xC0000201}). It uses {@link LpmTrie} (written for 128-bit keys), placed in the top
 * 32 bits, so a lookup reads at most three slots or records (root, then nodes for bits
 * 16..23 and 24..31) and scans at most one bucket of 8 routes; {@link #lookup(int)}
 * allocates nothing and never throws.
 */
public final class Ipv4RouteTable
{
    /** Returned by {@link #lookup(int)} when no prefix matches. */
    public static final int NO_ROUTE = LpmTrie.NO_ROUTE;

    /** Longest prefix length, a host route. */
    public static final int MAX_LENGTH = 32;

    private final SortedRoutes routes;
    private final LpmTrie trie;

    private Ipv4RouteTable(final SortedRoutes routes)
    {
        this.routes = routes;
        this.trie = LpmTrieCompiler.compile(routes);
    }

    public static Builder builder()
    {
        return new Builder(new RouteSet());
    }

    /** @return the value of the longest prefix containing {@code address}, or {@link #NO_ROUTE}. */
    public int lookup(final int address)
    {
        return trie.lookup(toHigh(address), 0L);
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

    LpmTrie trie()
    {
        return trie;
    }

    private static long toHigh(final int address)
    {
        return (long)address << 32;
    }

    /**
     * Collects IPv4 routes at config time. Not thread-safe; {@link #build()} takes a
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
         * @param address the prefix, in network order.
         * @param length  prefix length, 0 (default route) to 32 (host route).
         * @param value   route index, 0 or more.
         * @return the value the prefix had before, or {@link #NO_ROUTE} if it was new.
         * @throws IllegalArgumentException for a bad length, bits set beyond the length, or a
         *                                  negative value.
         */
        public int add(final int address, final int length, final int value)
        {
            validate(address, length);
            if (value < 0)
            {
                throw new IllegalArgumentException("value must be >= 0: " + value);
            }
            return routes.put(toHigh(address), 0L, length, value);
        }

        /**
         * Removes a route; only the exact prefix, never a longer or shorter one.
         *
         * @return the value the prefix had, or {@link #NO_ROUTE} if it was absent.
         * @throws IllegalArgumentException for a bad length or bits set beyond the length.
         */
        public int remove(final int address, final int length)
        {
            validate(address, length);
            return routes.remove(toHigh(address), 0L, length);
        }

        public int size()
        {
            return routes.size();
        }

        /** Compiles the current routes into a new immutable table. */
        public Ipv4RouteTable build()
        {
            return new Ipv4RouteTable(routes.sorted());
        }

        private static void validate(final int address, final int length)
        {
            if (length < 0 || length > MAX_LENGTH)
            {
                throw new IllegalArgumentException("IPv4 prefix length must be in [0, 32]: " + length);
            }
            if (PrefixBits.hasHostBits(toHigh(address), 0L, length))
            {
                throw new IllegalArgumentException(
                    "IPv4 prefix has bits set beyond its length: " + format(address) + "/" + length);
            }
        }

        private static String format(final int address)
        {
            return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." +
                (address & 0xFF);
        }
    }
}
