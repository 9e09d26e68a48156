package io.sixgate.core.route;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes a builder holds: exact prefix to value, 128-bit prefixes for both families.
 *
 * <p>Config-time only, so it uses a plain {@link HashMap}; nothing here runs per packet.
 * Callers validate prefixes and values before they get here.
 */
final class RouteSet
{
    private static final Comparator<Prefix> ADDRESS_ORDER = RouteSet::compareAddressThenLength;

    private final Map<Prefix, Integer> valueByPrefix = new HashMap<>();

    RouteSet()
    {
    }

    RouteSet(final SortedRoutes routes)
    {
        for (int i = 0; i < routes.count(); i++)
        {
            valueByPrefix.put(new Prefix(routes.high(i), routes.low(i), routes.length(i)), routes.value(i));
        }
    }

    /** @return the value the prefix had before, or {@link LpmTrie#NO_ROUTE}. */
    int put(final long high, final long low, final int length, final int value)
    {
        final Integer previous = valueByPrefix.put(new Prefix(high, low, length), value);
        return previous == null ? LpmTrie.NO_ROUTE : previous;
    }

    /** @return the value the prefix had, or {@link LpmTrie#NO_ROUTE} if it was absent. */
    int remove(final long high, final long low, final int length)
    {
        final Integer previous = valueByPrefix.remove(new Prefix(high, low, length));
        return previous == null ? LpmTrie.NO_ROUTE : previous;
    }

    int size()
    {
        return valueByPrefix.size();
    }

    /** A snapshot in address order, the order the compiler needs. */
    SortedRoutes sorted()
    {
        final List<Prefix> prefixes = new ArrayList<>(valueByPrefix.keySet());
        prefixes.sort(ADDRESS_ORDER);
        final int count = prefixes.size();
        final long[] high = new long[count];
        final long[] low = new long[count];
        final int[] length = new int[count];
        final int[] value = new int[count];
        for (int i = 0; i < count; i++)
        {
            final Prefix prefix = prefixes.get(i);
            high[i] = prefix.high();
            low[i] = prefix.low();
            length[i] = prefix.length();
            value[i] = valueByPrefix.get(prefix);
        }
        return new SortedRoutes(high, low, length, value);
    }

    private static int compareAddressThenLength(final Prefix a, final Prefix b)
    {
        int result = Long.compareUnsigned(a.high(), b.high());
        if (0 == result)
        {
            result = Long.compareUnsigned(a.low(), b.low());
        }
        return 0 == result ? Integer.compare(a.length(), b.length()) : result;
    }

    private record Prefix(long high, long low, int length)
    {
    }
}
