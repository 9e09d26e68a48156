package io.sixgate.core.route;

import java.util.Arrays;

/**
 * The obviously correct reference: every prefix checked on every lookup. Its masks are
 * written differently from {@link PrefixBits} on purpose, so one bug cannot hide in both.
 */
final class LinearScanRoutes
{
    private long[] high = new long[16];
    private long[] low = new long[16];
    private long[] highMask = new long[16];
    private long[] lowMask = new long[16];
    private int[] length = new int[16];
    private int[] value = new int[16];
    private int count;

    static long highMaskOf(final int length)
    {
        if (0 == length)
        {
            return 0L;
        }
        return length >= 64 ? ~0L : ~(~0L >>> length);
    }

    static long lowMaskOf(final int length)
    {
        if (length <= 64)
        {
            return 0L;
        }
        return 128 == length ? ~0L : ~(~0L >>> (length - 64));
    }

    /** Adds or replaces; returns the previous value or -1. */
    int put(final long prefixHigh, final long prefixLow, final int prefixLength, final int prefixValue)
    {
        final int existing = indexOf(prefixHigh, prefixLow, prefixLength);
        if (existing >= 0)
        {
            final int previous = value[existing];
            value[existing] = prefixValue;
            return previous;
        }
        if (count == high.length)
        {
            final int capacity = count * 2;
            high = Arrays.copyOf(high, capacity);
            low = Arrays.copyOf(low, capacity);
            highMask = Arrays.copyOf(highMask, capacity);
            lowMask = Arrays.copyOf(lowMask, capacity);
            length = Arrays.copyOf(length, capacity);
            value = Arrays.copyOf(value, capacity);
        }
        high[count] = prefixHigh;
        low[count] = prefixLow;
        highMask[count] = highMaskOf(prefixLength);
        lowMask[count] = lowMaskOf(prefixLength);
        length[count] = prefixLength;
        value[count] = prefixValue;
        count++;
        return -1;
    }

    /** Removes the exact prefix; returns its value or -1. */
    int remove(final long prefixHigh, final long prefixLow, final int prefixLength)
    {
        final int index = indexOf(prefixHigh, prefixLow, prefixLength);
        if (index < 0)
        {
            return -1;
        }
        final int previous = value[index];
        count--;
        high[index] = high[count];
        low[index] = low[count];
        highMask[index] = highMask[count];
        lowMask[index] = lowMask[count];
        length[index] = length[count];
        value[index] = value[count];
        return previous;
    }

    int lookup(final long addressHigh, final long addressLow)
    {
        int bestLength = -1;
        int bestValue = -1;
        for (int i = 0; i < count; i++)
        {
            if (length[i] > bestLength &&
                ((addressHigh & highMask[i]) == high[i]) &&
                ((addressLow & lowMask[i]) == low[i]))
            {
                bestLength = length[i];
                bestValue = value[i];
            }
        }
        return bestValue;
    }

    int size()
    {
        return count;
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

    private int indexOf(final long prefixHigh, final long prefixLow, final int prefixLength)
    {
        for (int i = 0; i < count; i++)
        {
            if (high[i] == prefixHigh && low[i] == prefixLow && length[i] == prefixLength)
            {
                return i;
            }
        }
        return -1;
    }
}
