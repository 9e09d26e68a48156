package io.sixgate.nat64.state;

import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.core.state.EntryAllocator;
import io.sixgate.core.state.HashIndex;
import io.sixgate.core.state.OffHeapRegion;
import io.sixgate.core.state.StateHash;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Per-subscriber limits (RFC 6888 REQ-4: a CGN MUST be able to limit the external ports one
 * subscriber holds): how many BIB entries (pool4 ports) and sessions each IPv6 source holds, off
 * heap, keyed by the source address cut to a configured prefix length, so a subscriber is an
 * address (/128) or a delegated prefix (/64, /56, ...).
 *
 * <pre>
 *  entry (24 bytes): | source bits 0-63 | source bits 64-127 | BIB entries (int) | sessions (int) |
 *                     the session count is the free-list link while the entry is free
 * </pre>
 *
 * An entry exists while either count is above zero, so the table holds only active subscribers.
 * Memory: {@link #BYTES_PER_SOURCE} = 24 + 2 index slots of 8 = 40 bytes per source of capacity.
 *
 * <p>One limit covers all three protocols (RFC 6888 REQ-4 lets per-protocol limits be optional).
 * Not thread-safe: one owner thread.
 */
public final class SourceQuotaTable
{
    /** Returned by {@link #find(long, long)} for a source with nothing. */
    public static final int NOT_FOUND = -1;

    /** Bytes of one entry. */
    public static final int ENTRY_BYTES = 24;

    /** Off-heap bytes per source of capacity: the entry and its two index slots. */
    public static final int BYTES_PER_SOURCE = ENTRY_BYTES + HashIndex.SLOTS_PER_ENTRY * HashIndex.SLOT_BYTES;

    /** Largest number of sources. */
    public static final int MAX_CAPACITY = Math.min(
        (Integer.MAX_VALUE - OffHeapRegion.CACHE_LINE) / ENTRY_BYTES, HashIndex.MAX_SLOTS / HashIndex.SLOTS_PER_ENTRY);

    private static final int HIGH_OFFSET = 0;
    private static final int LOW_OFFSET = 8;
    private static final int BIB_COUNT_OFFSET = 16;
    private static final int SESSION_COUNT_OFFSET = 20;

    private final OffHeapRegion region;
    private final UnsafeBuffer entries;
    private final EntryAllocator allocator;
    private final HashIndex index;
    private final long[] keys;
    private final int prefixLength;
    private final long maskHigh;
    private final long maskLow;
    private final int maxBibPerSource;
    private final int maxSessionsPerSource;

    /**
     * @param maxSources           sources tracked at once, 1 to {@link #MAX_CAPACITY}.
     * @param prefixLength         bits of the IPv6 source that identify a subscriber, 0-128.
     * @param maxBibPerSource      BIB entries (pool4 ports) one subscriber may hold, at least 1.
     * @param maxSessionsPerSource sessions one subscriber may hold, at least 1.
     * @param hashSeed             secret for the index hash.
     */
    SourceQuotaTable(
        final int maxSources,
        final int prefixLength,
        final int maxBibPerSource,
        final int maxSessionsPerSource,
        final long hashSeed)
    {
        if (maxSources <= 0 || maxSources > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("maxSources must be in [1, " + MAX_CAPACITY + "]: " + maxSources);
        }
        if (prefixLength < 0 || prefixLength > 128)
        {
            throw new IllegalArgumentException("source prefix length must be in [0, 128]: " + prefixLength);
        }
        if (maxBibPerSource <= 0 || maxSessionsPerSource <= 0)
        {
            throw new IllegalArgumentException(
                "per-source limits must be > 0: " + maxBibPerSource + " BIB entries, " + maxSessionsPerSource + " sessions");
        }
        region = new OffHeapRegion(maxSources * ENTRY_BYTES);
        entries = region.buffer();
        allocator = new EntryAllocator(entries, ENTRY_BYTES, SESSION_COUNT_OFFSET, maxSources);
        index = new HashIndex(maxSources * HashIndex.SLOTS_PER_ENTRY);
        keys = StateHash.indexKeys(StateHash.derive(hashSeed, 0x6888), 2);
        this.prefixLength = prefixLength;
        maskHigh = Ipv6Prefix.maskHigh(prefixLength);
        maskLow = Ipv6Prefix.maskLow(prefixLength);
        this.maxBibPerSource = maxBibPerSource;
        this.maxSessionsPerSource = maxSessionsPerSource;
    }

    /**
     * @param src6High bits 0-63 of an IPv6 source (bits past the prefix length are ignored).
     * @param src6Low  bits 64-127.
     * @return the subscriber's entry, or {@link #NOT_FOUND} if it holds nothing.
     */
    public int find(final long src6High, final long src6Low)
    {
        final long high = src6High & maskHigh;
        final long low = src6Low & maskLow;
        final int hash = StateHash.index(keys, high, low);
        final HashIndex index = this.index;
        int slot = index.home(hash);
        while (true)
        {
            final long value = index.slot(slot);
            if (HashIndex.EMPTY == value)
            {
                return NOT_FOUND;
            }
            if (HashIndex.hashOf(value) == hash)
            {
                final int entry = HashIndex.entryOf(value);
                final int offset = entry * ENTRY_BYTES;
                if (entries.getLong(offset + LOW_OFFSET) == low && entries.getLong(offset + HIGH_OFFSET) == high)
                {
                    return entry;
                }
            }
            slot = index.next(slot);
        }
    }

    /**
     * @return BIB entries held by the subscriber of this source.
     */
    public int bibCount(final long src6High, final long src6Low)
    {
        final int entry = find(src6High, src6Low);
        return NOT_FOUND == entry ? 0 : entries.getInt(entry * ENTRY_BYTES + BIB_COUNT_OFFSET);
    }

    /**
     * @return sessions held by the subscriber of this source.
     */
    public int sessionCount(final long src6High, final long src6Low)
    {
        final int entry = find(src6High, src6Low);
        return NOT_FOUND == entry ? 0 : entries.getInt(entry * ENTRY_BYTES + SESSION_COUNT_OFFSET);
    }

    /**
     * @return subscribers holding at least one BIB entry or session.
     */
    public int size()
    {
        return allocator.inUse();
    }

    public int capacity()
    {
        return allocator.capacity();
    }

    public int prefixLength()
    {
        return prefixLength;
    }

    public int maxBibPerSource()
    {
        return maxBibPerSource;
    }

    public int maxSessionsPerSource()
    {
        return maxSessionsPerSource;
    }

    /**
     * @return bytes of off-heap memory held: {@link #BYTES_PER_SOURCE} per source of capacity.
     */
    public long offHeapBytes()
    {
        return region.length() + index.offHeapBytes();
    }

    /**
     * Counts a new BIB entry for the subscriber.
     *
     * @param enforceLimit {@code false} for static entries (config), which may exceed the limit.
     * @return 0, or the code of {@link StateFailure#SOURCE_BIB_QUOTA} or {@link StateFailure#SOURCE_TABLE_FULL}.
     */
    int addBib(final long src6High, final long src6Low, final boolean enforceLimit)
    {
        return add(src6High, src6Low, BIB_COUNT_OFFSET, enforceLimit ? maxBibPerSource : Integer.MAX_VALUE,
            StateFailure.SOURCE_BIB_QUOTA.code());
    }

    /**
     * Counts a new session for the subscriber.
     *
     * @return 0, or the code of {@link StateFailure#SOURCE_SESSION_QUOTA} or {@link StateFailure#SOURCE_TABLE_FULL}.
     */
    int addSession(final long src6High, final long src6Low)
    {
        return add(src6High, src6Low, SESSION_COUNT_OFFSET, maxSessionsPerSource, StateFailure.SOURCE_SESSION_QUOTA.code());
    }

    void removeBib(final long src6High, final long src6Low)
    {
        remove(src6High, src6Low, BIB_COUNT_OFFSET);
    }

    void removeSession(final long src6High, final long src6Low)
    {
        remove(src6High, src6Low, SESSION_COUNT_OFFSET);
    }

    void free()
    {
        region.free();
        index.free();
    }

    private int add(final long src6High, final long src6Low, final int counterOffset, final int limit, final int overLimit)
    {
        int entry = find(src6High, src6Low);
        if (NOT_FOUND == entry)
        {
            entry = allocator.allocate();
            if (EntryAllocator.NONE == entry)
            {
                return StateFailure.SOURCE_TABLE_FULL.code();
            }
            final long high = src6High & maskHigh;
            final long low = src6Low & maskLow;
            final int offset = entry * ENTRY_BYTES;
            entries.putLong(offset + HIGH_OFFSET, high);
            entries.putLong(offset + LOW_OFFSET, low);
            entries.putInt(offset + BIB_COUNT_OFFSET, 0);
            entries.putInt(offset + SESSION_COUNT_OFFSET, 0);
            index.insert(StateHash.index(keys, high, low), entry);
        }
        final int offset = entry * ENTRY_BYTES + counterOffset;
        final int count = entries.getInt(offset);
        if (count >= limit)
        {
            // A fresh entry cannot be over a limit of at least 1, so nothing to undo here.
            return overLimit;
        }
        entries.putInt(offset, count + 1);
        return 0;
    }

    private void remove(final long src6High, final long src6Low, final int counterOffset)
    {
        final int entry = find(src6High, src6Low);
        if (NOT_FOUND == entry)
        {
            return;
        }
        final int offset = entry * ENTRY_BYTES;
        final int count = entries.getInt(offset + counterOffset) - 1;
        entries.putInt(offset + counterOffset, Math.max(0, count));
        if (entries.getInt(offset + BIB_COUNT_OFFSET) == 0 && entries.getInt(offset + SESSION_COUNT_OFFSET) == 0)
        {
            index.remove(StateHash.index(keys, entries.getLong(offset + HIGH_OFFSET), entries.getLong(offset + LOW_OFFSET)),
                entry);
            allocator.free(entry);
        }
    }
}
