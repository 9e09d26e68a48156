package io.sixgate.nat64.state;

/**
 * Sizes and limits of one {@link SessionTable} (one worker's shard). Every capacity is fixed at
 * construction: the table allocates its off-heap regions once, {@link #offHeapBytes()} in all.
 *
 * @param maxSessions          sessions at once, the global session cap (RFC 6888 REQ-4 style).
 * @param maxBibEntries        BIB entries at once, static ones included.
 * @param maxSources           IPv6 sources (subscribers) with state at once; {@code maxBibEntries}
 *                             guarantees the quota table never fills (and, without per-source
 *                             limits, that none is needed: {@link #tracksSources()}).
 * @param sourcePrefixLength   bits of the IPv6 source that identify a subscriber: 128 per address,
 *                             64 or 56 per delegated prefix.
 * @param maxBibPerSource      BIB entries (pool4 ports) per subscriber (RFC 6888 REQ-4).
 * @param maxSessionsPerSource sessions per subscriber.
 * @param timeouts             lifetimes; the sweep uses the TCP transitory one after a probe.
 * @param hashSeed             secret for every index hash. Random in production (a remote host
 *                             that knows it can aim flows at one probe cluster); fixed in tests.
 */
public record SessionTableConfig(
    int maxSessions,
    int maxBibEntries,
    int maxSources,
    int sourcePrefixLength,
    int maxBibPerSource,
    int maxSessionsPerSource,
    Nat64Timeouts timeouts,
    long hashSeed)
{
    /**
     * @throws IllegalArgumentException if a size or limit is out of range.
     */
    public SessionTableConfig
    {
        requireRange("maxSessions", maxSessions, 1, SessionTable.MAX_CAPACITY);
        requireRange("maxBibEntries", maxBibEntries, 1, BibTable.MAX_CAPACITY);
        requireRange("maxSources", maxSources, 1, SourceQuotaTable.MAX_CAPACITY);
        requireRange("sourcePrefixLength", sourcePrefixLength, 0, 128);
        requireRange("maxBibPerSource", maxBibPerSource, 1, Integer.MAX_VALUE);
        requireRange("maxSessionsPerSource", maxSessionsPerSource, 1, Integer.MAX_VALUE);
        if (null == timeouts)
        {
            throw new IllegalArgumentException("timeouts: null");
        }
    }

    /**
     * A shard with no per-subscriber limits, subscribers per /128, RFC 6146 lifetimes.
     */
    public static SessionTableConfig of(
        final int maxSessions, final int maxBibEntries, final int maxSources, final long hashSeed)
    {
        return new SessionTableConfig(maxSessions, maxBibEntries, maxSources, 128, Integer.MAX_VALUE, Integer.MAX_VALUE,
            Nat64Timeouts.RFC_6146_DEFAULTS, hashSeed);
    }

    /**
     * @return this configuration with other per-subscriber limits.
     */
    public SessionTableConfig withSourceLimits(final int prefixLength, final int bibPerSource, final int sessionsPerSource)
    {
        return new SessionTableConfig(maxSessions, maxBibEntries, maxSources, prefixLength, bibPerSource, sessionsPerSource,
            timeouts, hashSeed);
    }

    /**
     * @return this configuration with other lifetimes.
     */
    public SessionTableConfig withTimeouts(final Nat64Timeouts newTimeouts)
    {
        return new SessionTableConfig(maxSessions, maxBibEntries, maxSources, sourcePrefixLength, maxBibPerSource,
            maxSessionsPerSource, newTimeouts, hashSeed);
    }

    /**
     * @return whether the table needs per-subscriber state (RFC 6888 REQ-4): a per-source limit
     * that can bind, or a source table that can fill (fewer sources than BIB entries; each
     * subscriber holds at least one BIB entry). Otherwise the table keeps no subscriber counts:
     * they could never refuse anything, and cost 40 bytes per source and two lookups per new
     * mapping.
     */
    public boolean tracksSources()
    {
        return maxBibPerSource < maxBibEntries || maxSessionsPerSource < maxSessions || maxSources < maxBibEntries;
    }

    /**
     * @return off-heap bytes a table of this configuration holds (pool4 is separate):
     * {@code maxSessions * 80 + maxBibEntries * 64}, plus {@code maxSources * 40} when it
     * {@link #tracksSources()}.
     */
    public long offHeapBytes()
    {
        return (long)maxSessions * SessionTable.BYTES_PER_SESSION +
            (long)maxBibEntries * BibTable.BYTES_PER_BIB_ENTRY +
            (tracksSources() ? (long)maxSources * SourceQuotaTable.BYTES_PER_SOURCE : 0);
    }

    private static void requireRange(final String name, final int value, final int min, final int max)
    {
        if (value < min || value > max)
        {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
    }
}
