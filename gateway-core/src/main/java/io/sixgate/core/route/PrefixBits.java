package io.sixgate.core.route;

/**
 * Bit arithmetic on 128-bit prefixes held as two {@code long}s (high 64 bits, low 64 bits).
 *
 * <p>IPv4 prefixes use the same arithmetic with the address in the top 32 bits of the high
 * word, so both families share one compiler and one lookup.
 */
final class PrefixBits
{
    private PrefixBits()
    {
    }

    /** The high word of the netmask for a prefix of {@code length} bits, 0 to 128. */
    static long highMask(final int length)
    {
        if (length <= 0)
        {
            return 0L;
        }
        return length >= 64 ? -1L : -1L << (64 - length);
    }

    /** The low word of the netmask for a prefix of {@code length} bits, 0 to 128. */
    static long lowMask(final int length)
    {
        return length <= 64 ? 0L : -1L << (128 - length);
    }

    /** True when {@code (high, low)} has a bit set beyond the first {@code length} bits. */
    static boolean hasHostBits(final long high, final long low, final int length)
    {
        return (high & ~highMask(length)) != 0 || (low & ~lowMask(length)) != 0;
    }

    /** True when the first {@code length} bits of the two addresses are equal. */
    static boolean matches(final long high, final long low, final long prefixHigh, final long prefixLow, final int length)
    {
        return (((high ^ prefixHigh) & highMask(length)) | ((low ^ prefixLow) & lowMask(length))) == 0;
    }

    /** Number of leading bits the two addresses share, 0 to 128. */
    static int commonPrefixLength(final long highA, final long lowA, final long highB, final long lowB)
    {
        final long highDiff = highA ^ highB;
        if (highDiff != 0)
        {
            return Long.numberOfLeadingZeros(highDiff);
        }
        return 64 + Long.numberOfLeadingZeros(lowA ^ lowB);
    }

    /** The 8 bits starting at bit {@code depth}, a multiple of 8 below 128, counted from the top. */
    static int byteAt(final long high, final long low, final int depth)
    {
        return depth < 64 ? (int)(high >>> (56 - depth)) & 0xFF : (int)(low >>> (120 - depth)) & 0xFF;
    }

    /** The 16 bits starting at bit 0. */
    static int topSixteenBits(final long high)
    {
        return (int)(high >>> 48);
    }
}
