package io.sixgate.core.route;

/**
 * The compiled, immutable IPv6 longest-prefix-match structure: a direct-indexed root on the
 * first 16 bits, multibit nodes whose stride fits the routes below them, path-compression skips,
 * and at the bottom small range blocks (DXR-style) instead of prefix buckets: a block lists the
 * address intervals the routes cut its slot into and the value of each, so a lookup counts the
 * interval starts at or below the address and reads that interval's value. Every reference is
 * one {@code int} carrying its kind in the low 3 bits; leaves carry the value itself.
 *
 * <pre>
 *  root:  65536 references, one per value of bits 0..15                     (int[], 256 KiB)
 *  node:  2^stride references, one per value of the next stride (1..16) bits  (in one int[])
 *  skip:  key, depth the address must match to go on, the value if it does not, child (long[])
 *  block: | n-1 interval starts | n values |   (in one int[]; offset and n in the reference)
 *         the starts are the 32, 64 or 128 address bits after the block's depth, the fewest
 *         that hold every boundary in it; sign bit flipped so that signed compares order them
 * </pre>
 *
 * Values are leaf-pushed: a node slot holds the best route of length up to its depth, a block
 * holds the inherited value as its first interval, so a lookup never carries a "best so far"
 * and stops at the first leaf or block.
 *
 * <p>Why ranges: with 100 000 routes, a lookup's cost is its loads that miss the 2 MiB L2 (36 ns
 * each at 4 MiB on the development machine, 130-180 ns past 16 MiB). Routes cut a slot into at most
 * 2n + 1 intervals and a 32-bit start with its 4-byte value is 8 bytes an interval, about half of
 * what a prefix bucket needs (address word and length with the value); node strides give a slot
 * about four intervals, so nodes cost about a byte per interval.
 *
 * <p>Cost, 100 000 routes (the bench module's {@code Ipv6RouteMix}): a BGP-like table takes
 * 2.3 MiB (root 256 KiB, nodes 0.4 MiB, blocks 1.6 MiB) and two lookups in three go root, node,
 * 32-bit block; a provider's table of /48 to /128 under eight /32s 2.4 MiB, four in five root,
 * skip, node, 32-bit block (the /128s in short 128-bit blocks one to four nodes deeper). The previous bucket trie took 5.0 and
 * 5.9 MiB with two loads outside L2. Lookup cost and why it is not lower: docs/benchmarks.md.
 *
 * <p>Lookups allocate nothing and never throw; all fields are final and the arrays are never
 * written after construction, so any thread that sees the reference sees the whole structure.
 */
final class RangeTrie
{
    /** What {@link #lookup(long, long)} returns when no prefix matches. */
    static final int NO_ROUTE = -1;

    /** The largest value a leaf can carry (value + 1 in the 29 bits above the kind). */
    static final int MAX_VALUE = (1 << (Integer.SIZE - 3)) - 2;

    static final int ROOT_BITS = 16;
    static final int MAX_STRIDE = 16;

    static final int KIND_BITS = 3;
    static final int KIND_MASK = (1 << KIND_BITS) - 1;
    static final int KIND_LEAF = 0;
    static final int KIND_NODE = 1;
    static final int KIND_BLOCK_32 = 2;
    static final int KIND_BLOCK_64 = 3;
    static final int KIND_BLOCK_128 = 4;
    static final int KIND_SKIP = 5;

    /** A node reference: offset in {@code nodes}, then stride - 1 in 4 bits, then the kind. */
    static final int STRIDE_FIELD_BITS = 4;
    static final int MAX_NODE_OFFSET = (1 << (Integer.SIZE - KIND_BITS - STRIDE_FIELD_BITS)) - 1;
    static final int MAX_PAYLOAD = (1 << (Integer.SIZE - KIND_BITS)) - 1;

    /** A block reference: offset in {@code blocks}, then interval count - 1 in 4 bits, then the kind. */
    static final int COUNT_FIELD_BITS = 4;
    static final int MAX_BLOCK_INTERVALS = 1 << COUNT_FIELD_BITS;
    static final int MAX_BLOCK_OFFSET = (1 << (Integer.SIZE - KIND_BITS - COUNT_FIELD_BITS)) - 1;

    static final int SKIP_STRIDE = 4;

    private final int[] root;
    private final int[] nodes;
    private final int[] blocks;
    private final long[] skips;
    private final int nodeCount;

    RangeTrie(final int[] root, final int[] nodes, final int[] blocks, final long[] skips, final int nodeCount)
    {
        this.root = root;
        this.nodes = nodes;
        this.blocks = blocks;
        this.skips = skips;
        this.nodeCount = nodeCount;
    }

    static int leaf(final int value)
    {
        return (value + 1) << KIND_BITS;
    }

    /**
     * @return the value of the longest prefix that contains {@code (high, low)}, or
     * {@link #NO_ROUTE}.
     */
    int lookup(final long high, final long low)
    {
        int reference = root[(int)(high >>> 48)];
        int depth = ROOT_BITS;
        while (true)
        {
            final int kind = reference & KIND_MASK;
            if (KIND_NODE == kind)
            {
                final int stride = ((reference >>> KIND_BITS) & ((1 << STRIDE_FIELD_BITS) - 1)) + 1;
                final int slot = (int)(window(high, low, depth) >>> (64 - stride));
                reference = nodes[(reference >>> (KIND_BITS + STRIDE_FIELD_BITS)) + slot];
                depth += stride;
            }
            else if (KIND_LEAF == kind)
            {
                return (reference >>> KIND_BITS) - 1;
            }
            else if (KIND_BLOCK_32 == kind)
            {
                return scan32(reference, (int)(window(high, low, depth) >>> 32) ^ Integer.MIN_VALUE);
            }
            else if (KIND_SKIP == kind)
            {
                final int index = (reference >>> KIND_BITS) * SKIP_STRIDE;
                final long depthAndChild = skips[index + 2];
                final int skipDepth = (int)(depthAndChild >>> 32);
                if (!PrefixBits.matches(high, low, skips[index], skips[index + 1], skipDepth))
                {
                    return (int)skips[index + 3];
                }
                depth = skipDepth;
                reference = (int)depthAndChild;
            }
            else if (KIND_BLOCK_64 == kind)
            {
                return scan64(reference, window(high, low, depth) ^ Long.MIN_VALUE);
            }
            else
            {
                return scan128(reference, high ^ Long.MIN_VALUE, low ^ Long.MIN_VALUE);
            }
        }
    }

    /**
     * The 64 address bits from bit {@code depth} (1 to 127) on, zero-filled past bit 127.
     */
    static long window(final long high, final long low, final int depth)
    {
        return depth < 64 ? (high << depth) | (low >>> (64 - depth)) : low << (depth - 64);
    }

    /** Bytes held by the arrays, for sizing and tests. */
    long footprintBytes()
    {
        return 4L * root.length + 4L * nodes.length + 4L * blocks.length + 8L * skips.length;
    }

    int nodeCount()
    {
        return nodeCount;
    }

    int skipCount()
    {
        return skips.length / SKIP_STRIDE;
    }

    /**
     * The leaf or block reference a lookup of {@code (high, low)} ends on (or the skip whose key
     * it misses), for tests to see which kind answers.
     */
    int finalReference(final long high, final long low)
    {
        int reference = root[(int)(high >>> 48)];
        int depth = ROOT_BITS;
        while (true)
        {
            final int kind = reference & KIND_MASK;
            if (KIND_NODE == kind)
            {
                final int stride = ((reference >>> KIND_BITS) & ((1 << STRIDE_FIELD_BITS) - 1)) + 1;
                reference = nodes[(reference >>> (KIND_BITS + STRIDE_FIELD_BITS)) +
                    (int)(window(high, low, depth) >>> (64 - stride))];
                depth += stride;
            }
            else if (KIND_SKIP == kind)
            {
                final int index = (reference >>> KIND_BITS) * SKIP_STRIDE;
                final int skipDepth = (int)(skips[index + 2] >>> 32);
                if (!PrefixBits.matches(high, low, skips[index], skips[index + 1], skipDepth))
                {
                    return reference;
                }
                depth = skipDepth;
                reference = (int)skips[index + 2];
            }
            else
            {
                return reference;
            }
        }
    }

    private static int blockOffset(final int reference)
    {
        return reference >>> (KIND_BITS + COUNT_FIELD_BITS);
    }

    private static int blockCount(final int reference)
    {
        return ((reference >>> KIND_BITS) & ((1 << COUNT_FIELD_BITS) - 1)) + 1;
    }

    private int scan32(final int reference, final int key)
    {
        final int[] blocks = this.blocks;
        final int offset = blockOffset(reference);
        final int starts = blockCount(reference) - 1;
        // Starts are sorted: the number at or below the key is the interval's index. No branch
        // depends on the block's contents, so the next lookups' loads need not wait for it.
        int interval = 0;
        for (int i = 0; i < starts; i++)
        {
            interval += blocks[offset + i] <= key ? 1 : 0;
        }
        return blocks[offset + starts + interval];
    }

    private int scan64(final int reference, final long key)
    {
        final int[] blocks = this.blocks;
        final int offset = blockOffset(reference);
        final int starts = blockCount(reference) - 1;
        int interval = 0;
        for (int i = 0, at = offset; i < starts; i++, at += 2)
        {
            final long start = ((long)blocks[at] << 32) | (blocks[at + 1] & 0xFFFF_FFFFL);
            interval += start <= key ? 1 : 0;
        }
        return blocks[offset + 2 * starts + interval];
    }

    private int scan128(final int reference, final long high, final long low)
    {
        final int[] blocks = this.blocks;
        final int offset = blockOffset(reference);
        final int starts = blockCount(reference) - 1;
        int interval = 0;
        for (int i = 0, at = offset; i < starts; i++, at += 4)
        {
            final long startHigh = ((long)blocks[at] << 32) | (blocks[at + 1] & 0xFFFF_FFFFL);
            final long startLow = ((long)blocks[at + 2] << 32) | (blocks[at + 3] & 0xFFFF_FFFFL);
            interval += startHigh < high | (startHigh == high & startLow <= low) ? 1 : 0;
        }
        return blocks[offset + 4 * starts + interval];
    }
}
