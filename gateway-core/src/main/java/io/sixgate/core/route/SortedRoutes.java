package io.sixgate.core.route;

/**
 * An immutable list of routes sorted by address (unsigned, high word first), then by length.
 *
 * <p>In this order every prefix comes before the longer prefixes it covers, and the prefixes
 * under any aligned block of addresses are contiguous; the compiler relies on both. A built
 * table keeps its list so that {@code toBuilder()} can start the next version from it.
 */
final class SortedRoutes
{
    private final long[] high;
    private final long[] low;
    private final int[] length;
    private final int[] value;

    SortedRoutes(final long[] high, final long[] low, final int[] length, final int[] value)
    {
        this.high = high;
        this.low = low;
        this.length = length;
        this.value = value;
    }

    int count()
    {
        return high.length;
    }

    long high(final int index)
    {
        return high[index];
    }

    long low(final int index)
    {
        return low[index];
    }

    int length(final int index)
    {
        return length[index];
    }

    int value(final int index)
    {
        return value[index];
    }
}
