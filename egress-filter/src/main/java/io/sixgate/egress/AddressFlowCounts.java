package io.sixgate.egress;

import io.sixgate.core.state.EntryAllocator;
import io.sixgate.core.state.HashIndex;
import io.sixgate.core.state.OffHeapRegion;
import io.sixgate.core.state.StateHash;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * How many egress-only flows each inside address holds, off heap, so one address cannot fill the
 * state table for everyone (the per-address limit; RFC 6092 §3.6 lets a gateway bound the
 * state it keeps). An entry exists while its count is above zero.
 *
 * <pre>
 *  entry (24 bytes): | address bits 0-63 | address bits 64-127 | flows (int) | free-list link (int) |
 * </pre>
 *
 * Not thread-safe: one owner (the table's worker). Allocates nothing after construction.
 */
final class AddressFlowCounts implements AutoCloseable
{
    static final int ENTRY_BYTES = 24;

    private static final int HIGH_OFFSET = 0;
    private static final int LOW_OFFSET = 8;
    private static final int COUNT_OFFSET = 16;
    private static final int LINK_OFFSET = 20;

    private final OffHeapRegion region;
    private final UnsafeBuffer entries;
    private final EntryAllocator allocator;
    private final HashIndex index;
    private final long[] keys;
    private final int limit;

    /**
     * @param capacity addresses tracked at once.
     * @param limit    flows one address may hold.
     * @param seed     secret for the hash.
     */
    AddressFlowCounts(final int capacity, final int limit, final long seed)
    {
        this.region = new OffHeapRegion(capacity * ENTRY_BYTES);
        this.entries = region.buffer();
        this.allocator = new EntryAllocator(entries, ENTRY_BYTES, LINK_OFFSET, capacity);
        this.index = new HashIndex(capacity * HashIndex.SLOTS_PER_ENTRY);
        this.keys = StateHash.indexKeys(seed, 2);
        this.limit = limit;
    }

    /**
     * Takes one flow for the address if it is under its limit and there is room.
     *
     * @return whether the flow may be created.
     */
    boolean acquire(final long high, final long low)
    {
        final int hash = StateHash.index(keys, high, low);
        int entry = find(hash, high, low);
        if (entry < 0)
        {
            entry = allocator.allocate();
            if (EntryAllocator.NONE == entry)
            {
                return false;
            }
            final int offset = entry * ENTRY_BYTES;
            entries.putLong(offset + HIGH_OFFSET, high);
            entries.putLong(offset + LOW_OFFSET, low);
            entries.putInt(offset + COUNT_OFFSET, 0);
            index.insert(hash, entry);
        }
        final int offset = entry * ENTRY_BYTES;
        final int count = entries.getInt(offset + COUNT_OFFSET);
        if (count >= limit)
        {
            return false;
        }
        entries.putInt(offset + COUNT_OFFSET, count + 1);
        return true;
    }

    /**
     * Returns one flow of the address; the entry goes when its last flow goes.
     */
    void release(final long high, final long low)
    {
        final int hash = StateHash.index(keys, high, low);
        final int entry = find(hash, high, low);
        if (entry < 0)
        {
            return;
        }
        final int offset = entry * ENTRY_BYTES;
        final int count = entries.getInt(offset + COUNT_OFFSET) - 1;
        if (count > 0)
        {
            entries.putInt(offset + COUNT_OFFSET, count);
            return;
        }
        index.remove(hash, entry);
        allocator.free(entry);
    }

    /**
     * @return flows the address holds.
     */
    int count(final long high, final long low)
    {
        final int entry = find(StateHash.index(keys, high, low), high, low);
        return entry < 0 ? 0 : entries.getInt(entry * ENTRY_BYTES + COUNT_OFFSET);
    }

    int addresses()
    {
        return allocator.inUse();
    }

    private int find(final int hash, final long high, final long low)
    {
        int slot = index.home(hash);
        while (true)
        {
            final long value = index.slot(slot);
            if (HashIndex.EMPTY == value)
            {
                return -1;
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

    @Override
    public void close()
    {
        index.free();
        region.free();
    }
}
