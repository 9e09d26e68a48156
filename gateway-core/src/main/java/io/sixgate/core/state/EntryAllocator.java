package io.sixgate.core.state;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Hands out entry indexes of a fixed-size off-heap entry region in O(1) with no side array:
 * never-used entries come from a high-water mark, freed ones from an intrusive free list whose
 * links live in a 4-byte field of the free entries themselves (the field the owner does not need
 * while an entry is free). So a fresh table costs no initialisation pass and no per-entry memory
 * beyond the entry.
 */
public final class EntryAllocator
{
    /** Returned by {@link #allocate()} when every entry is in use. */
    public static final int NONE = -1;

    private final UnsafeBuffer entries;
    private final int entryBytes;
    private final int linkOffset;
    private final int capacity;
    private int highWater;
    private int freeHead = NONE;
    private int inUse;

    /**
     * @param entries    the entry region.
     * @param entryBytes bytes per entry.
     * @param linkOffset offset within an entry of the {@code int} field that links free entries.
     * @param capacity   number of entries.
     */
    public EntryAllocator(final UnsafeBuffer entries, final int entryBytes, final int linkOffset, final int capacity)
    {
        this.entries = entries;
        this.entryBytes = entryBytes;
        this.linkOffset = linkOffset;
        this.capacity = capacity;
    }

    /**
     * @return a free entry index, or {@link #NONE}. The entry's bytes are whatever its last owner left.
     */
    public int allocate()
    {
        final int entry;
        if (NONE != freeHead)
        {
            entry = freeHead;
            freeHead = entries.getInt(entry * entryBytes + linkOffset);
        }
        else if (highWater < capacity)
        {
            entry = highWater++;
        }
        else
        {
            return NONE;
        }
        inUse++;
        return entry;
    }

    /**
     * Returns an entry; overwrites its link field. The caller has already marked it free.
     */
    public void free(final int entry)
    {
        entries.putInt(entry * entryBytes + linkOffset, freeHead);
        freeHead = entry;
        inUse--;
    }

    public int inUse()
    {
        return inUse;
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * @return entries ever handed out: indexes at or above it have never been used.
     */
    public int highWater()
    {
        return highWater;
    }
}
