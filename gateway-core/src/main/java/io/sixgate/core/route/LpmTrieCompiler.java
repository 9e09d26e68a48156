package io.sixgate.core.route;

import static io.sixgate.core.route.LpmTrie.BUCKET_CAPACITY;
import static io.sixgate.core.route.LpmTrie.BUCKET_COUNT_BITS;
import static io.sixgate.core.route.LpmTrie.KIND_BITS;
import static io.sixgate.core.route.LpmTrie.KIND_NARROW_BUCKET;
import static io.sixgate.core.route.LpmTrie.KIND_NODE;
import static io.sixgate.core.route.LpmTrie.KIND_SKIP;
import static io.sixgate.core.route.LpmTrie.KIND_WIDE_BUCKET;
import static io.sixgate.core.route.LpmTrie.MAX_PAYLOAD;
import static io.sixgate.core.route.LpmTrie.NODE_INTS;
import static io.sixgate.core.route.LpmTrie.NODE_SHIFT;
import static io.sixgate.core.route.LpmTrie.NARROW_STRIDE;
import static io.sixgate.core.route.LpmTrie.NODE_SLOTS;
import static io.sixgate.core.route.LpmTrie.NO_ROUTE;
import static io.sixgate.core.route.LpmTrie.ROOT_BITS;
import static io.sixgate.core.route.LpmTrie.ROOT_SLOTS;
import static io.sixgate.core.route.LpmTrie.SKIP_STRIDE;
import static io.sixgate.core.route.LpmTrie.SLOT_INTS;
import static io.sixgate.core.route.LpmTrie.STRIDE_BITS;
import static io.sixgate.core.route.LpmTrie.WIDE_STRIDE;

import java.util.Arrays;

/**
 * Compiles a {@link SortedRoutes} into an {@link LpmTrie}, from scratch each time.
 *
 * <p>Recompiling the whole table on every change keeps the lookup structure simple and
 * immutable; it costs time linear in routes times depth (about 0.1 s for 100 000 routes on
 * a 2-core box once warm, 0.6 s cold), which is fine for changes made at config time or
 * through the admin API, and not meant for anything per packet or per flow.
 *
 * <p>It relies on the address order of {@link SortedRoutes}: the routes under a slot are a
 * contiguous run, and a prefix comes before the longer prefixes it covers, so expanding
 * prefixes into slots in list order leaves the longest one in each slot.
 */
final class LpmTrieCompiler
{
    private static final int MAX_NODES = (1 << (Integer.SIZE - 1 - NODE_SHIFT)) - 1;
    private static final int MAX_SKIPS = Math.min(MAX_PAYLOAD, Integer.MAX_VALUE / SKIP_STRIDE);
    private static final int MAX_BUCKET_LONGS = 1 << (Integer.SIZE - KIND_BITS - BUCKET_COUNT_BITS);

    private final SortedRoutes routes;
    private final int[] bucketScratch = new int[BUCKET_CAPACITY];

    private int[] nodes = new int[NODE_INTS * 16];
    private int nodeCount;
    private long[] buckets = new long[WIDE_STRIDE * 256];
    private int bucketLongs;
    private long[] skips = new long[SKIP_STRIDE * 16];
    private int skipCount;

    private LpmTrieCompiler(final SortedRoutes routes)
    {
        this.routes = routes;
    }

    static LpmTrie compile(final SortedRoutes routes)
    {
        return new LpmTrieCompiler(routes).compile();
    }

    private LpmTrie compile()
    {
        final int[] root = new int[ROOT_SLOTS * SLOT_INTS];
        for (int slot = 0; slot < ROOT_SLOTS; slot++)
        {
            root[slot * SLOT_INTS] = NO_ROUTE;
        }

        final int count = routes.count();
        for (int i = 0; i < count; i++)
        {
            final int length = routes.length(i);
            if (length <= ROOT_BITS)
            {
                final int first = PrefixBits.topSixteenBits(routes.high(i));
                final int end = first + (1 << (ROOT_BITS - length));
                for (int slot = first; slot < end; slot++)
                {
                    root[slot * SLOT_INTS] = routes.value(i);
                }
            }
        }

        int from = 0;
        while (from < count)
        {
            final int slot = PrefixBits.topSixteenBits(routes.high(from));
            int to = from + 1;
            while (to < count && PrefixBits.topSixteenBits(routes.high(to)) == slot)
            {
                to++;
            }
            root[slot * SLOT_INTS + 1] = child(from, to, ROOT_BITS, root[slot * SLOT_INTS]);
            from = to;
        }

        return new LpmTrie(
            root,
            Arrays.copyOf(nodes, nodeCount * NODE_INTS),
            Arrays.copyOf(buckets, bucketLongs),
            Arrays.copyOf(skips, skipCount * SKIP_STRIDE));
    }

    /**
     * The child reference for the routes in {@code [from, to)} longer than {@code depth}; all
     * routes in the run share their first {@code depth} bits. Shorter ones were expanded into
     * the slot above and are ignored here.
     */
    private int child(final int from, final int to, final int depth, final int inherited)
    {
        int longer = 0;
        int first = -1;
        int last = -1;
        int minLength = Integer.MAX_VALUE;
        for (int i = from; i < to; i++)
        {
            final int length = routes.length(i);
            if (length > depth)
            {
                longer++;
                if (first < 0)
                {
                    first = i;
                }
                last = i;
                minLength = Math.min(minLength, length);
            }
        }

        if (0 == longer)
        {
            return 0;
        }
        if (longer <= BUCKET_CAPACITY)
        {
            return bucket(from, to, depth);
        }

        // Bits that every longer route shares, and that no route ends within, need no node:
        // a skip checks them all at once. Nodes stay on byte boundaries.
        final int shared = Math.min(
            PrefixBits.commonPrefixLength(routes.high(first), routes.low(first), routes.high(last), routes.low(last)),
            minLength - 1);
        final int nodeDepth = depth + ((shared - depth) / STRIDE_BITS) * STRIDE_BITS;
        final int node = node(from, to, nodeDepth, inherited);

        return nodeDepth == depth ? node : skip(routes.high(first), routes.low(first), nodeDepth, node);
    }

    private int node(final int from, final int to, final int depth, final int inherited)
    {
        if (nodeCount == MAX_NODES)
        {
            throw new IllegalStateException("route table needs more than " + MAX_NODES + " trie nodes");
        }
        final int node = nodeCount++;
        if (nodeCount * NODE_INTS > nodes.length)
        {
            nodes = Arrays.copyOf(nodes, grownLength(nodes.length, nodeCount * NODE_INTS));
        }

        final int base = node << NODE_SHIFT;
        for (int slot = 0; slot < NODE_SLOTS; slot++)
        {
            nodes[base + slot * SLOT_INTS] = inherited;
        }

        final int slotDepth = depth + STRIDE_BITS;
        for (int i = from; i < to; i++)
        {
            final int length = routes.length(i);
            if (length > depth && length <= slotDepth)
            {
                final int first = PrefixBits.byteAt(routes.high(i), routes.low(i), depth);
                final int end = first + (1 << (slotDepth - length));
                for (int slot = first; slot < end; slot++)
                {
                    nodes[base + slot * SLOT_INTS] = routes.value(i);
                }
            }
        }

        int runFrom = from;
        while (runFrom < to)
        {
            final int slot = PrefixBits.byteAt(routes.high(runFrom), routes.low(runFrom), depth);
            int runTo = runFrom + 1;
            while (runTo < to && PrefixBits.byteAt(routes.high(runTo), routes.low(runTo), depth) == slot)
            {
                runTo++;
            }
            // child() may grow and replace the nodes array: index it again afterwards.
            final int child = child(runFrom, runTo, slotDepth, nodes[base + slot * SLOT_INTS]);
            nodes[base + slot * SLOT_INTS + 1] = child;
            runFrom = runTo;
        }

        return (node << KIND_BITS) | KIND_NODE;
    }

    private int bucket(final int from, final int to, final int depth)
    {
        int count = 0;
        for (int i = from; i < to; i++)
        {
            if (routes.length(i) > depth)
            {
                bucketScratch[count++] = i;
            }
        }

        // Longest first, so the first match is the answer; at most BUCKET_CAPACITY entries.
        for (int i = 1; i < count; i++)
        {
            final int route = bucketScratch[i];
            int j = i - 1;
            while (j >= 0 && routes.length(bucketScratch[j]) < routes.length(route))
            {
                bucketScratch[j + 1] = bucketScratch[j];
                j--;
            }
            bucketScratch[j + 1] = route;
        }

        // All routes here share the address's first `depth` bits, so one word decides when the
        // slot is past the high word or when every route ends within it.
        boolean narrow = depth >= 64;
        int maxLength = 0;
        for (int i = 0; i < count; i++)
        {
            maxLength = Math.max(maxLength, routes.length(bucketScratch[i]));
        }
        narrow |= maxLength <= 64;
        final int stride = narrow ? NARROW_STRIDE : WIDE_STRIDE;

        final int start = bucketLongs;
        if ((long)start + (long)count * stride > MAX_BUCKET_LONGS)
        {
            throw new IllegalStateException("route table needs more than " + MAX_BUCKET_LONGS + " bucket longs");
        }
        bucketLongs += count * stride;
        if (bucketLongs > buckets.length)
        {
            buckets = Arrays.copyOf(buckets, grownLength(buckets.length, bucketLongs));
        }
        for (int i = 0; i < count; i++)
        {
            final int route = bucketScratch[i];
            final int index = start + i * stride;
            final long lengthAndValue = ((long)routes.length(route) << 32) | (routes.value(route) & 0xFFFF_FFFFL);
            if (!narrow)
            {
                buckets[index] = routes.high(route);
                buckets[index + 1] = routes.low(route);
                buckets[index + 2] = lengthAndValue;
            }
            else
            {
                buckets[index] = depth >= 64 ? routes.low(route) : routes.high(route);
                buckets[index + 1] = lengthAndValue;
            }
        }

        return (((start << BUCKET_COUNT_BITS) | count) << KIND_BITS) | (narrow ? KIND_NARROW_BUCKET : KIND_WIDE_BUCKET);
    }

    private int skip(final long high, final long low, final int depth, final int nodeReference)
    {
        if (skipCount == MAX_SKIPS)
        {
            throw new IllegalStateException("route table needs more than " + MAX_SKIPS + " skips");
        }
        final int skip = skipCount++;
        if (skipCount * SKIP_STRIDE > skips.length)
        {
            skips = Arrays.copyOf(skips, grownLength(skips.length, skipCount * SKIP_STRIDE));
        }
        final int index = skip * SKIP_STRIDE;
        skips[index] = high & PrefixBits.highMask(depth);
        skips[index + 1] = low & PrefixBits.lowMask(depth);
        skips[index + 2] = ((long)depth << 32) | (nodeReference & 0xFFFF_FFFFL);

        return (skip << KIND_BITS) | KIND_SKIP;
    }

    private static int grownLength(final int current, final int required)
    {
        return (int)Math.max(required, Math.min(2L * current, Integer.MAX_VALUE - 8L));
    }
}
