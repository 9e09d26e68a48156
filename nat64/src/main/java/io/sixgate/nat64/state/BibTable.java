package io.sixgate.nat64.state;

import io.sixgate.core.state.EntryAllocator;
import io.sixgate.core.state.HashIndex;
import io.sixgate.core.state.OffHeapRegion;
import io.sixgate.core.state.StateHash;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The Binding Information Base (RFC 6146 §3.1): for each protocol, the bijection between IPv6
 * transport addresses (X', x) and pool4 transport addresses (T, t), off-heap, with one hash index
 * per side: by (protocol, X', x) for the IPv6 side (endpoint-independent mapping, RFC 6146
 * §3.5.1 / RFC 4787 REQ-1: the same source keeps its mapping whatever the destination) and by
 * (protocol, T, t) for the IPv4 side (endpoint-independent filtering, RFC 6146 §3.5.1.1 / RFC
 * 4787 REQ-8: any remote may reach (T, t) while the entry lives).
 *
 * <p>BIB entries are their own table, reference-counted, rather than fields repeated in every
 * session: a static entry exists without sessions, many sessions share one entry, and the
 * IPv4-side BIB lookup must not depend on a session existing. Each entry counts the sessions that
 * use it; {@link SessionTable} removes a dynamic entry, and returns its pool4 port, when its last
 * session goes. Static entries (config) stay until configuration removes them.
 *
 * <pre>
 *  entry (32 bytes, native byte order):
 *   0                   8                   16        20        24    26    28 29 30  32
 *  +-------------------+-------------------+---------+---------+-----+-----+--+--+----+
 *  | X' bits 0-63      | X' bits 64-127    | T       | sessions| x   | t   |pr|fl| -- |
 *  +-------------------+-------------------+---------+---------+-----+-----+--+--+----+
 *  sessions: number of sessions using the entry (the free-list link while the entry is free)
 *  pr: SessionProtocol index; fl: FLAG_IN_USE | FLAG_STATIC
 * </pre>
 *
 * Memory: {@link #ENTRY_BYTES} per entry plus two index slots of 8 bytes per side, so
 * {@link #BYTES_PER_BIB_ENTRY} = 64 bytes per entry of capacity.
 *
 * <p>Lookups and accessors are public; mutation is package-private so that only
 * {@link SessionTable} creates and removes entries, keeping pool4 ports and per-source quotas in
 * step. Not thread-safe: one owner thread.
 */
public final class BibTable
{
    /** Returned by the lookups on a miss. */
    public static final int NOT_FOUND = -1;

    /** Bytes of one entry. */
    public static final int ENTRY_BYTES = 32;

    /** Off-heap bytes per entry of capacity: the entry and two slots in each of the two indexes. */
    public static final int BYTES_PER_BIB_ENTRY = ENTRY_BYTES + 2 * HashIndex.SLOTS_PER_ENTRY * HashIndex.SLOT_BYTES;

    /** Largest capacity: entry offsets and index slots must fit an {@code int}. */
    public static final int MAX_CAPACITY = Math.min(
        (Integer.MAX_VALUE - OffHeapRegion.CACHE_LINE) / ENTRY_BYTES, HashIndex.MAX_SLOTS / HashIndex.SLOTS_PER_ENTRY);

    static final int SRC6_HIGH_OFFSET = 0;
    static final int SRC6_LOW_OFFSET = 8;
    static final int POOL4_ADDRESS_OFFSET = 16;
    static final int SESSION_COUNT_OFFSET = 20;
    static final int SRC6_PORT_OFFSET = 24;
    static final int POOL4_PORT_OFFSET = 26;
    static final int PROTOCOL_OFFSET = 28;
    static final int FLAGS_OFFSET = 29;

    static final int FLAG_IN_USE = 1;
    static final int FLAG_STATIC = 2;

    private final OffHeapRegion region;
    private final UnsafeBuffer entries;
    private final EntryAllocator allocator;
    private final HashIndex by6;
    private final HashIndex by4;
    private final long[][] keys6 = new long[SessionProtocol.COUNT][];
    private final long[] seed4 = new long[SessionProtocol.COUNT];

    /**
     * @param capacity maximum number of BIB entries, 1 to {@link #MAX_CAPACITY}.
     * @param hashSeed secret for the index hashes.
     */
    BibTable(final int capacity, final long hashSeed)
    {
        if (capacity <= 0 || capacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("BIB capacity must be in [1, " + MAX_CAPACITY + "]: " + capacity);
        }
        region = new OffHeapRegion(capacity * ENTRY_BYTES);
        entries = region.buffer();
        allocator = new EntryAllocator(entries, ENTRY_BYTES, SESSION_COUNT_OFFSET, capacity);
        by6 = new HashIndex(capacity * HashIndex.SLOTS_PER_ENTRY);
        by4 = new HashIndex(capacity * HashIndex.SLOTS_PER_ENTRY);
        for (int p = 0; p < SessionProtocol.COUNT; p++)
        {
            keys6[p] = StateHash.indexKeys(StateHash.derive(hashSeed, 0x600 + p), 3);
            seed4[p] = StateHash.derive(hashSeed, 0x400 + p);
        }
    }

    /**
     * The IPv6-side lookup: the mapping of (X', x), which endpoint-independent mapping reuses for
     * every destination (RFC 6146 §3.5.1, RFC 4787 REQ-1).
     *
     * @return the entry index, or {@link #NOT_FOUND}.
     */
    public int find6(final int protocol, final long src6High, final long src6Low, final int src6Port)
    {
        if (!SessionProtocol.isValid(protocol))
        {
            return NOT_FOUND;
        }
        final int hash = hash6(protocol, src6High, src6Low, src6Port);
        final HashIndex index = by6;
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
                final int bib = HashIndex.entryOf(value);
                final int offset = bib * ENTRY_BYTES;
                if (entries.getLong(offset + SRC6_LOW_OFFSET) == src6Low &&
                    entries.getLong(offset + SRC6_HIGH_OFFSET) == src6High &&
                    (entries.getShort(offset + SRC6_PORT_OFFSET) & 0xFFFF) == src6Port &&
                    entries.getByte(offset + PROTOCOL_OFFSET) == protocol)
                {
                    return bib;
                }
            }
            slot = index.next(slot);
        }
    }

    /**
     * The IPv4-side lookup: who owns (T, t) (RFC 6146 §3.5.1.1 / RFC 4787 REQ-8, endpoint-independent filtering).
     *
     * @return the entry index, or {@link #NOT_FOUND}.
     */
    public int find4(final int protocol, final int pool4Address, final int pool4Port)
    {
        if (!SessionProtocol.isValid(protocol))
        {
            return NOT_FOUND;
        }
        final int hash = hash4(protocol, pool4Address, pool4Port);
        final HashIndex index = by4;
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
                final int bib = HashIndex.entryOf(value);
                final int offset = bib * ENTRY_BYTES;
                if (entries.getInt(offset + POOL4_ADDRESS_OFFSET) == pool4Address &&
                    (entries.getShort(offset + POOL4_PORT_OFFSET) & 0xFFFF) == pool4Port &&
                    entries.getByte(offset + PROTOCOL_OFFSET) == protocol)
                {
                    return bib;
                }
            }
            slot = index.next(slot);
        }
    }

    public int protocol(final int bib)
    {
        return entries.getByte(bib * ENTRY_BYTES + PROTOCOL_OFFSET);
    }

    public long src6High(final int bib)
    {
        return entries.getLong(bib * ENTRY_BYTES + SRC6_HIGH_OFFSET);
    }

    public long src6Low(final int bib)
    {
        return entries.getLong(bib * ENTRY_BYTES + SRC6_LOW_OFFSET);
    }

    /**
     * @return the IPv6 source port, or the ICMPv6 identifier.
     */
    public int src6Port(final int bib)
    {
        return entries.getShort(bib * ENTRY_BYTES + SRC6_PORT_OFFSET) & 0xFFFF;
    }

    public int pool4Address(final int bib)
    {
        return entries.getInt(bib * ENTRY_BYTES + POOL4_ADDRESS_OFFSET);
    }

    /**
     * @return the pool4 port, or the ICMPv4 identifier.
     */
    public int pool4Port(final int bib)
    {
        return entries.getShort(bib * ENTRY_BYTES + POOL4_PORT_OFFSET) & 0xFFFF;
    }

    /**
     * @return number of sessions using the entry.
     */
    public int sessionCount(final int bib)
    {
        return entries.getInt(bib * ENTRY_BYTES + SESSION_COUNT_OFFSET);
    }

    /**
     * @return {@code true} for an entry from configuration, which never expires (RFC 6146 §3.5.1).
     */
    public boolean isStatic(final int bib)
    {
        return (entries.getByte(bib * ENTRY_BYTES + FLAGS_OFFSET) & FLAG_STATIC) != 0;
    }

    /**
     * @return {@code true} if {@code bib} is a valid index of a live entry.
     */
    public boolean isInUse(final int bib)
    {
        return bib >= 0 && bib < allocator.capacity() &&
            (entries.getByte(bib * ENTRY_BYTES + FLAGS_OFFSET) & FLAG_IN_USE) != 0;
    }

    public int size()
    {
        return allocator.inUse();
    }

    public int capacity()
    {
        return allocator.capacity();
    }

    /**
     * @return bytes of off-heap memory held: {@link #BYTES_PER_BIB_ENTRY} per entry of capacity.
     */
    public long offHeapBytes()
    {
        return region.length() + by6.offHeapBytes() + by4.offHeapBytes();
    }

    /**
     * Adds an entry. The caller has checked that neither side is taken.
     *
     * @return the entry index, or {@link StateFailure#BIB_TABLE_FULL}'s code.
     */
    int insert(
        final int protocol,
        final long src6High,
        final long src6Low,
        final int src6Port,
        final int pool4Address,
        final int pool4Port,
        final boolean isStatic)
    {
        final int bib = allocator.allocate();
        if (EntryAllocator.NONE == bib)
        {
            return StateFailure.BIB_TABLE_FULL.code();
        }
        final int offset = bib * ENTRY_BYTES;
        entries.putLong(offset + SRC6_HIGH_OFFSET, src6High);
        entries.putLong(offset + SRC6_LOW_OFFSET, src6Low);
        entries.putInt(offset + POOL4_ADDRESS_OFFSET, pool4Address);
        entries.putInt(offset + SESSION_COUNT_OFFSET, 0);
        entries.putShort(offset + SRC6_PORT_OFFSET, (short)src6Port);
        entries.putShort(offset + POOL4_PORT_OFFSET, (short)pool4Port);
        entries.putByte(offset + PROTOCOL_OFFSET, (byte)protocol);
        entries.putByte(offset + FLAGS_OFFSET, (byte)(FLAG_IN_USE | (isStatic ? FLAG_STATIC : 0)));
        by6.insert(hash6(protocol, src6High, src6Low, src6Port), bib);
        by4.insert(hash4(protocol, pool4Address, pool4Port), bib);
        return bib;
    }

    /**
     * Removes a live entry from both indexes and frees it.
     */
    void remove(final int bib)
    {
        final int offset = bib * ENTRY_BYTES;
        final int protocol = entries.getByte(offset + PROTOCOL_OFFSET);
        by6.remove(hash6(protocol, entries.getLong(offset + SRC6_HIGH_OFFSET), entries.getLong(offset + SRC6_LOW_OFFSET),
            entries.getShort(offset + SRC6_PORT_OFFSET) & 0xFFFF), bib);
        by4.remove(hash4(protocol, entries.getInt(offset + POOL4_ADDRESS_OFFSET),
            entries.getShort(offset + POOL4_PORT_OFFSET) & 0xFFFF), bib);
        entries.putByte(offset + FLAGS_OFFSET, (byte)0);
        allocator.free(bib);
    }

    /**
     * One more session uses the entry.
     */
    void acquire(final int bib)
    {
        final int offset = bib * ENTRY_BYTES + SESSION_COUNT_OFFSET;
        entries.putInt(offset, entries.getInt(offset) + 1);
    }

    /**
     * One session less uses the entry.
     *
     * @return the number of sessions left.
     */
    int release(final int bib)
    {
        final int offset = bib * ENTRY_BYTES + SESSION_COUNT_OFFSET;
        final int count = entries.getInt(offset) - 1;
        entries.putInt(offset, count);
        return count;
    }

    void setStatic(final int bib, final boolean isStatic)
    {
        final int offset = bib * ENTRY_BYTES + FLAGS_OFFSET;
        final int flags = entries.getByte(offset);
        entries.putByte(offset, (byte)(isStatic ? flags | FLAG_STATIC : flags & ~FLAG_STATIC));
    }

    HashIndex index6()
    {
        return by6;
    }

    HashIndex index4()
    {
        return by4;
    }

    void free()
    {
        region.free();
        by6.free();
        by4.free();
    }

    private int hash6(final int protocol, final long src6High, final long src6Low, final int src6Port)
    {
        return StateHash.index(keys6[protocol], src6High, src6Low, src6Port);
    }

    private int hash4(final int protocol, final int pool4Address, final int pool4Port)
    {
        return StateHash.hash(seed4[protocol], ((pool4Address & 0xFFFF_FFFFL) << 16) | pool4Port);
    }
}
