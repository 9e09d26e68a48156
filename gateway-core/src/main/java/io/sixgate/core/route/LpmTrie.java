package io.sixgate.core.route;

/**
 * The compiled, immutable longest-prefix-match structure behind the IPv4 route table: a
 * multibit trie over 128-bit keys with leaf-pushed values, small leaf buckets and
 * path-compression skips. IPv4 uses it with the address in the top 32 bits. IPv6 used it too
 * until {@link RangeTrie} replaced it there: the figures below are why (two loads outside L2
 * per lookup with 100 000 IPv6 routes).
 *
 * <pre>
 *  root: 65536 slots, one per value of bits 0..15           slot = | value | child |  (2 ints)
 *  node: 256 slots, one per value of the next 8 bits          (512 ints each, in one int[])
 *  bucket: up to 8 routes longer than the slot, longest first, in one long[]:
 *     wide   (high, low, length|value)  routes may differ from the address in both words
 *     narrow (word, length|value)       one word decides: high if every route ends by
 *                                       bit 64, low if the slot is at depth 64 or more
 *  skip: key and depth the address must match before the next node (high, low, depth|child)
 * </pre>
 *
 * Every slot's value is the best route of length up to the slot's depth (prefixes are
 * expanded into slots and overwritten by longer ones at compile time), so a lookup keeps
 * the last slot value it passed and stops at the first slot without a child. The root slot
 * is one load from a 512 KiB array that fits in L2; uniformly spread tables end in a bucket
 * after it, dense ones pass one node per 8 bits where more than 8 routes share them, and a
 * skip jumps over bits that all of them share.
 *
 * <p>Cost. A lookup reads the root slot, then one slot per node, one record per skip and at
 * most {@link #BUCKET_CAPACITY} bucket entries. Nodes and skips together advance at least 8
 * bits each, so the worst case is the root, 14 levels and a bucket; that takes a table
 * with more than 8 routes below every byte of one path. With 100 000 routes, uniformly
 * spread prefixes end in a bucket right after the root (2.5 MiB in all); a BGP-like table
 * (64 blocks of /12, mostly /29 to /48) takes one node more (3.9 MiB); /56, /64 and /128
 * routes under eight /32s take two skips and three nodes, the upper ones hot (6.4 MiB).
 * 100 000 random IPv4 prefixes take 1.7 MiB.
 *
 * <p>Memory. The root is 512 KiB; each bucket entry 16 or 24 bytes; each node 2 KiB. Nodes at
 * one depth have disjoint ranges with more than 8 routes each, so there are at most
 * 14 &times; routes / 9 of them. That bound (about 300 MiB for 100 000 routes) needs an
 * adversarial table; the tables above need 0 to 4 MiB of nodes.
 *
 * <p>A child reference is an {@code int}: 0 for none, else the low 3 bits give the kind and
 * the rest an index (node number, bucket start and count, skip number).
 *
 * <p>Lookups allocate nothing and never throw; all fields are final and the arrays are never
 * written after construction, so any thread that sees the reference sees the whole trie.
 */
final class LpmTrie
{
    /** What {@link #lookup(long, long)} returns when no prefix matches. */
    static final int NO_ROUTE = -1;

    static final int ROOT_BITS = 16;
    static final int ROOT_SLOTS = 1 << ROOT_BITS;
    static final int STRIDE_BITS = 8;
    static final int NODE_SLOTS = 1 << STRIDE_BITS;
    static final int SLOT_INTS = 2;
    static final int NODE_INTS = NODE_SLOTS * SLOT_INTS;
    static final int NODE_SHIFT = 9;

    static final int KIND_BITS = 3;
    static final int KIND_MASK = (1 << KIND_BITS) - 1;
    static final int KIND_NODE = 1;
    static final int KIND_NARROW_BUCKET = 2;
    static final int KIND_WIDE_BUCKET = 3;
    static final int KIND_SKIP = 4;
    static final int MAX_PAYLOAD = (1 << (Integer.SIZE - KIND_BITS)) - 1;

    static final int BUCKET_CAPACITY = 8;
    static final int BUCKET_COUNT_BITS = 5;
    static final int BUCKET_COUNT_MASK = (1 << BUCKET_COUNT_BITS) - 1;
    static final int NARROW_STRIDE = 2;
    static final int WIDE_STRIDE = 3;
    static final int SKIP_STRIDE = 3;

    private final int[] root;
    private final int[] nodes;
    private final long[] buckets;
    private final long[] skips;

    LpmTrie(final int[] root, final int[] nodes, final long[] buckets, final long[] skips)
    {
        this.root = root;
        this.nodes = nodes;
        this.buckets = buckets;
        this.skips = skips;
    }

    /**
     * @return the value of the longest prefix that contains {@code (high, low)}, or
     * {@link #NO_ROUTE}.
     */
    int lookup(final long high, final long low)
    {
        final int rootSlot = PrefixBits.topSixteenBits(high) << 1;
        int best = root[rootSlot];
        int child = root[rootSlot + 1];
        int depth = ROOT_BITS;

        while (child != 0)
        {
            final int kind = child & KIND_MASK;
            final int payload = child >>> KIND_BITS;
            if (KIND_NODE == kind)
            {
                final int slot = (payload << NODE_SHIFT) | (PrefixBits.byteAt(high, low, depth) << 1);
                best = nodes[slot];
                child = nodes[slot + 1];
                depth += STRIDE_BITS;
            }
            else if (KIND_NARROW_BUCKET == kind)
            {
                return depth < 64 ?
                    scanNarrowBucket(high, payload, best, false) : scanNarrowBucket(low, payload, best, true);
            }
            else if (KIND_WIDE_BUCKET == kind)
            {
                return scanWideBucket(high, low, payload, best);
            }
            else
            {
                final int index = payload * SKIP_STRIDE;
                final long depthAndChild = skips[index + 2];
                final int skipDepth = (int)(depthAndChild >>> 32);
                if (!PrefixBits.matches(high, low, skips[index], skips[index + 1], skipDepth))
                {
                    return best;
                }
                depth = skipDepth;
                child = (int)depthAndChild;
            }
        }

        return best;
    }

    /** Bytes held by the arrays, for sizing and tests. */
    long footprintBytes()
    {
        return 4L * root.length + 4L * nodes.length + 8L * buckets.length + 8L * skips.length;
    }

    int nodeCount()
    {
        return nodes.length / NODE_INTS;
    }

    int skipCount()
    {
        return skips.length / SKIP_STRIDE;
    }

    private int scanNarrowBucket(final long word, final int payload, final int best, final boolean lowWord)
    {
        final long[] buckets = this.buckets;
        int index = payload >>> BUCKET_COUNT_BITS;
        final int end = index + (payload & BUCKET_COUNT_MASK) * NARROW_STRIDE;
        for (; index < end; index += NARROW_STRIDE)
        {
            final long lengthAndValue = buckets[index + 1];
            final int length = (int)(lengthAndValue >>> 32);
            final long mask = lowWord ? PrefixBits.lowMask(length) : PrefixBits.highMask(length);
            if (((word ^ buckets[index]) & mask) == 0)
            {
                return (int)lengthAndValue;
            }
        }

        return best;
    }

    private int scanWideBucket(final long high, final long low, final int payload, final int best)
    {
        final long[] buckets = this.buckets;
        int index = payload >>> BUCKET_COUNT_BITS;
        final int end = index + (payload & BUCKET_COUNT_MASK) * WIDE_STRIDE;
        for (; index < end; index += WIDE_STRIDE)
        {
            final long lengthAndValue = buckets[index + 2];
            if (PrefixBits.matches(high, low, buckets[index], buckets[index + 1], (int)(lengthAndValue >>> 32)))
            {
                return (int)lengthAndValue;
            }
        }

        return best;
    }
}
