package io.sixgate.core.state;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * An open-addressing hash index from a 32-bit key hash to an {@code int} entry index, off-heap,
 * with linear probing and backward-shift deletion (Knuth, TAOCP vol. 3, §6.4 Algorithm R): no
 * tombstones, so a table that churns for months probes as short as a fresh one.
 *
 * <pre>
 *  slot (8 bytes, one long):  | key hash (32 bits) | entry index + 1 (32 bits) |     0 = empty
 * </pre>
 *
 * The index stores no key. The owner probes with {@link #home(int)} and {@link #next(int)},
 * skips slots whose stored hash differs (one compare, no memory touched outside the slot) and
 * compares the full key in its own entry region only when the hash matches. The home slot is
 * derived from the stored hash alone ({@code hash * slots >>> 32}, Lemire's multiply-shift
 * range reduction, so the slot count need not be a power of two), which is what lets
 * deletion shift entries back without reading any key. Among entries near one home the same
 * hash bits decide the slot and the filter, so the filter works with the 32 - log2(slots) low
 * bits there: at 20 M slots one false match in about 200 same-home entries, and a same-home
 * entry is itself rare at the load kept here.
 *
 * <p>The owner sizes the index at twice its entry capacity ({@link #SLOTS_PER_ENTRY}), so the
 * load factor never exceeds 0.5, a probe always ends at an empty slot, and the expected probe
 * length is 1.5 slots for a hit and 2.5 for a miss.
 *
 * <p>Not thread-safe: one owner thread.
 */
public final class HashIndex
{
    /** Slots per entry of capacity: load factor at most 0.5. */
    public static final int SLOTS_PER_ENTRY = 2;

    /** Bytes per slot. */
    public static final int SLOT_BYTES = 8;

    /** Value of an empty slot. */
    public static final long EMPTY = 0L;

    /** Largest slot count whose byte offsets fit in an {@code int}. */
    public static final int MAX_SLOTS = (Integer.MAX_VALUE - OffHeapRegion.CACHE_LINE) / SLOT_BYTES;

    private final OffHeapRegion region;
    private final UnsafeBuffer slots;
    private final int slotCount;

    /**
     * @param slotCount number of slots; the owner keeps the number of entries at most half of it.
     */
    public HashIndex(final int slotCount)
    {
        if (slotCount <= 0 || slotCount > MAX_SLOTS)
        {
            throw new IllegalArgumentException("slot count must be in [1, " + MAX_SLOTS + "]: " + slotCount);
        }
        this.slotCount = slotCount;
        this.region = new OffHeapRegion(slotCount * SLOT_BYTES);
        this.slots = region.buffer();
    }

    public int slotCount()
    {
        return slotCount;
    }

    /**
     * @return bytes of off-heap memory held.
     */
    public long offHeapBytes()
    {
        return region.length();
    }

    /**
     * @param hash a key hash.
     * @return the first slot probed for it.
     */
    public int home(final int hash)
    {
        return (int)(((hash & 0xFFFF_FFFFL) * slotCount) >>> 32);
    }

    /**
     * @return the slot after {@code slot}, wrapping from the last slot to slot 0.
     */
    public int next(final int slot)
    {
        final int next = slot + 1;
        return next == slotCount ? 0 : next;
    }

    /**
     * @return the slot's value: {@link #EMPTY} or an encoded (hash, entry) pair.
     */
    public long slot(final int slot)
    {
        return slots.getLong(slot * SLOT_BYTES);
    }

    public static int hashOf(final long slotValue)
    {
        return (int)(slotValue >>> 32);
    }

    public static int entryOf(final long slotValue)
    {
        return (int)slotValue - 1;
    }

    public static long encode(final int hash, final int entry)
    {
        return ((long)hash << 32) | ((entry + 1) & 0xFFFF_FFFFL);
    }

    /**
     * Adds an entry. The caller guarantees the key is not indexed yet and that fewer than
     * {@code slotCount} entries are indexed (so an empty slot exists).
     */
    public void insert(final int hash, final int entry)
    {
        int slot = home(hash);
        while (slot(slot) != EMPTY)
        {
            slot = next(slot);
        }
        slots.putLong(slot * SLOT_BYTES, encode(hash, entry));
    }

    /**
     * Removes the entry indexed under {@code hash}; needs no key compare because the pair is unique.
     *
     * @return {@code false} if the pair was not indexed (a bug in the owner; nothing changes).
     */
    public boolean remove(final int hash, final int entry)
    {
        final int at = slotOf(hash, entry);
        if (at < 0)
        {
            return false;
        }
        deleteAt(at);
        return true;
    }

    /**
     * @return the slot holding the (hash, entry) pair, or -1.
     */
    public int slotOf(final int hash, final int entry)
    {
        final long wanted = encode(hash, entry);
        int slot = home(hash);
        while (true)
        {
            final long value = slot(slot);
            if (value == wanted)
            {
                return slot;
            }
            if (value == EMPTY)
            {
                return -1;
            }
            slot = next(slot);
        }
    }

    /**
     * Backward-shift deletion: empty the slot, then walk the rest of the cluster and move back
     * every entry whose home is not cyclically inside (hole, slot], so each stays reachable from
     * its home without a gap. Ends at the first empty slot.
     */
    private void deleteAt(final int slot)
    {
        int hole = slot;
        int current = slot;
        while (true)
        {
            current = next(current);
            final long value = slot(current);
            if (value == EMPTY)
            {
                break;
            }
            final int home = home(hashOf(value));
            final boolean movable = hole <= current ?
                (home <= hole || home > current) :      // no wrap between hole and current
                (home <= hole && home > current);       // the cluster wrapped past the last slot
            if (movable)
            {
                slots.putLong(hole * SLOT_BYTES, value);
                hole = current;
            }
        }
        slots.putLong(hole * SLOT_BYTES, EMPTY);
    }

    /**
     * Frees the off-heap region; the index must not be used afterwards.
     */
    public void free()
    {
        region.free();
    }
}
