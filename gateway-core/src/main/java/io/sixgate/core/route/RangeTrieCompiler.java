package io.sixgate.core.route;

import static io.sixgate.core.route.RangeTrie.KIND_BITS;
import static io.sixgate.core.route.RangeTrie.KIND_BLOCK_128;
import static io.sixgate.core.route.RangeTrie.KIND_BLOCK_32;
import static io.sixgate.core.route.RangeTrie.KIND_BLOCK_64;
import static io.sixgate.core.route.RangeTrie.KIND_NODE;
import static io.sixgate.core.route.RangeTrie.KIND_SKIP;
import static io.sixgate.core.route.RangeTrie.COUNT_FIELD_BITS;
import static io.sixgate.core.route.RangeTrie.MAX_BLOCK_INTERVALS;
import static io.sixgate.core.route.RangeTrie.MAX_BLOCK_OFFSET;
import static io.sixgate.core.route.RangeTrie.MAX_NODE_OFFSET;
import static io.sixgate.core.route.RangeTrie.MAX_PAYLOAD;
import static io.sixgate.core.route.RangeTrie.MAX_STRIDE;
import static io.sixgate.core.route.RangeTrie.NO_ROUTE;
import static io.sixgate.core.route.RangeTrie.ROOT_BITS;
import static io.sixgate.core.route.RangeTrie.SKIP_STRIDE;
import static io.sixgate.core.route.RangeTrie.STRIDE_FIELD_BITS;
import static io.sixgate.core.route.RangeTrie.leaf;

import java.util.Arrays;

/**
 * Compiles a {@link SortedRoutes} into a {@link RangeTrie}, from scratch each time (about as
 * long as the previous trie compiler: linear in routes times levels, well under a second for
 * 100 000 routes), for config-time and admin-API changes, not per packet.
 *
 * <p>For each slot it cuts the slot's address range into intervals with the routes longer than
 * the slot (a sweep over the routes in address order with a stack of the enclosing ones); up to
 * {@link #BLOCK_CAPACITY} intervals make a block, more make a node (after a skip over bits they
 * all share) whose stride gives about four intervals a slot.
 *
 * <p>It relies on the address order of {@link SortedRoutes}: the routes under a slot are a
 * contiguous run, and a prefix comes before the longer prefixes it covers.
 */
final class RangeTrieCompiler
{
    /**
     * Intervals a block holds at most: a 32-bit block of 16 is 124 bytes, two adjacent cache
     * lines (fetched together); 8 took a level more for a third of the BGP-like lookups.
     */
    static final int BLOCK_CAPACITY = MAX_BLOCK_INTERVALS;

    /** Intervals a block of 128-bit starts holds at most (68 bytes for 4). */
    static final int WIDE_BLOCK_CAPACITY = 4;

    /** Bits shared by every route below a slot that make a skip worth its extra record. */
    private static final int SKIP_MIN_BITS = 4;

    private final SortedRoutes routes;

    private int[] nodes = new int[1 << 12];
    private int nodeInts;
    private int nodeCount;
    private int[] blocks = new int[1 << 12];
    private int blockInts;
    private long[] skips = new long[SKIP_STRIDE * 16];
    private int skipCount;

    // The intervals of the slot being compiled: start address and value.
    private long[] startHigh = new long[64];
    private long[] startLow = new long[64];
    private int[] startValue = new int[64];
    private int intervals;

    // Enclosing routes during the sweep: last address and value.
    private final long[] stackHigh = new long[130];
    private final long[] stackLow = new long[130];
    private final int[] stackValue = new int[130];

    private RangeTrieCompiler(final SortedRoutes routes)
    {
        this.routes = routes;
    }

    static RangeTrie compile(final SortedRoutes routes)
    {
        return new RangeTrieCompiler(routes).compile();
    }

    private RangeTrie compile()
    {
        final int rootSlots = 1 << ROOT_BITS;
        final int[] rootValue = new int[rootSlots];
        Arrays.fill(rootValue, NO_ROUTE);
        final int count = routes.count();
        for (int i = 0; i < count; i++)
        {
            final int length = routes.length(i);
            if (length <= ROOT_BITS)
            {
                final int first = PrefixBits.topSixteenBits(routes.high(i));
                Arrays.fill(rootValue, first, first + (1 << (ROOT_BITS - length)), routes.value(i));
            }
        }

        final int[] root = new int[rootSlots];
        for (int slot = 0; slot < rootSlots; slot++)
        {
            root[slot] = leaf(rootValue[slot]);
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
            root[slot] = slot(from, to, ROOT_BITS, rootValue[slot]);
            from = to;
        }

        return new RangeTrie(
            root,
            Arrays.copyOf(nodes, nodeInts),
            Arrays.copyOf(blocks, blockInts),
            Arrays.copyOf(skips, skipCount * SKIP_STRIDE),
            nodeCount);
    }

    /**
     * The reference for a slot at {@code depth} whose routes are {@code [from, to)} (all share
     * the first {@code depth} bits; those not longer than the slot are already in
     * {@code inherited}).
     */
    private int slot(final int from, final int to, final int depth, final int inherited)
    {
        int first = -1;
        int last = -1;
        int minLength = Integer.MAX_VALUE;
        int maxLength = 0;
        for (int i = from; i < to; i++)
        {
            final int length = routes.length(i);
            if (length > depth)
            {
                if (first < 0)
                {
                    first = i;
                }
                last = i;
                minLength = Math.min(minLength, length);
                maxLength = Math.max(maxLength, length);
            }
        }
        if (first < 0)
        {
            return leaf(inherited);
        }

        cutIntervals(from, to, depth, inherited);
        if (1 == intervals)
        {
            return leaf(startValue[0]);
        }
        // 128-bit starts cost four times the loads and compares of 32-bit ones: their blocks stay
        // short, and a node below splits a longer run until the host routes sit nearly alone.
        if (intervals <= (maxLength <= depth + 64 ? BLOCK_CAPACITY : WIDE_BLOCK_CAPACITY))
        {
            return block(depth, maxLength);
        }

        // Bits every longer route shares and none ends within need no node: a skip checks them.
        final int shared = Math.min(
            PrefixBits.commonPrefixLength(routes.high(first), routes.low(first), routes.high(last), routes.low(last)),
            minLength - 1);
        if (shared - depth >= SKIP_MIN_BITS)
        {
            final int child = node(from, to, shared, inherited, intervals);
            return skip(routes.high(first), routes.low(first), shared, inherited, child);
        }
        return node(from, to, depth, inherited, intervals);
    }

    private int node(final int from, final int to, final int depth, final int inherited, final int intervalCount)
    {
        // About four intervals a slot: the node costs 1 byte per interval and its slots are
        // mostly leaves or blocks of a cache line or two. (Two a slot measured no faster with
        // 100 000 routes and made the structure 15 % larger.)
        final int stride = Math.max(1, Math.min(Math.min(MAX_STRIDE, 128 - depth),
            32 - Integer.numberOfLeadingZeros(intervalCount - 1) - 2));
        final int slots = 1 << stride;
        final int base = nodeInts;
        if (base > MAX_NODE_OFFSET - slots)
        {
            throw new IllegalStateException("route table needs more than " + MAX_NODE_OFFSET + " node slots");
        }
        nodeInts += slots;
        nodeCount++;
        if (nodeInts > nodes.length)
        {
            nodes = Arrays.copyOf(nodes, grownLength(nodes.length, nodeInts));
        }

        // Slot values first: routes ending within the stride expanded, longer ones after shorter.
        final int[] value = new int[slots];
        Arrays.fill(value, inherited);
        final int slotDepth = depth + stride;
        for (int i = from; i < to; i++)
        {
            final int length = routes.length(i);
            if (length > depth && length <= slotDepth)
            {
                final int firstSlot = slotIndex(i, depth, stride);
                Arrays.fill(value, firstSlot, firstSlot + (1 << (slotDepth - length)), routes.value(i));
            }
        }
        for (int slot = 0; slot < slots; slot++)
        {
            nodes[base + slot] = leaf(value[slot]);
        }

        int runFrom = from;
        while (runFrom < to)
        {
            if (routes.length(runFrom) <= depth)
            {
                runFrom++;
                continue;
            }
            final int slot = slotIndex(runFrom, depth, stride);
            int runTo = runFrom + 1;
            while (runTo < to && slotIndex(runTo, depth, stride) == slot)
            {
                runTo++;
            }
            // slot() may grow and replace the nodes array: index it again afterwards.
            final int reference = slot(runFrom, runTo, slotDepth, value[slot]);
            nodes[base + slot] = reference;
            runFrom = runTo;
        }

        return (((base << STRIDE_FIELD_BITS) | (stride - 1)) << KIND_BITS) | KIND_NODE;
    }

    private int slotIndex(final int route, final int depth, final int stride)
    {
        return (int)(RangeTrie.window(routes.high(route), routes.low(route), depth) >>> (64 - stride));
    }

    private int skip(final long high, final long low, final int depth, final int inherited, final int child)
    {
        if (skipCount == MAX_PAYLOAD)
        {
            throw new IllegalStateException("route table needs more than " + MAX_PAYLOAD + " skips");
        }
        final int skip = skipCount++;
        if (skipCount * SKIP_STRIDE > skips.length)
        {
            skips = Arrays.copyOf(skips, grownLength(skips.length, skipCount * SKIP_STRIDE));
        }
        final int index = skip * SKIP_STRIDE;
        skips[index] = high & PrefixBits.highMask(depth);
        skips[index + 1] = low & PrefixBits.lowMask(depth);
        skips[index + 2] = ((long)depth << 32) | (child & 0xFFFF_FFFFL);
        skips[index + 3] = inherited;
        return (skip << KIND_BITS) | KIND_SKIP;
    }

    /**
     * A block of the current intervals, with the narrowest starts that hold every boundary: a
     * boundary is a route's first address or the one after its last, so it has no bits set past
     * the route's length.
     */
    private int block(final int depth, final int maxLength)
    {
        final int keyInts = maxLength <= depth + 32 ? 1 : maxLength <= depth + 64 ? 2 : 4;
        final int count = intervals;
        final int size = keyInts * (count - 1) + count;
        final int offset = blockInts;
        if (offset > MAX_BLOCK_OFFSET)
        {
            throw new IllegalStateException("route table needs more than " + MAX_BLOCK_OFFSET + " block ints");
        }
        blockInts += size;
        if (blockInts > blocks.length)
        {
            blocks = Arrays.copyOf(blocks, grownLength(blocks.length, blockInts));
        }

        int at = offset;
        for (int i = 1; i < count; i++)
        {
            if (1 == keyInts)
            {
                blocks[at++] = (int)(RangeTrie.window(startHigh[i], startLow[i], depth) >>> 32) ^ Integer.MIN_VALUE;
            }
            else if (2 == keyInts)
            {
                final long key = RangeTrie.window(startHigh[i], startLow[i], depth) ^ Long.MIN_VALUE;
                blocks[at++] = (int)(key >>> 32);
                blocks[at++] = (int)key;
            }
            else
            {
                final long high = startHigh[i] ^ Long.MIN_VALUE;
                final long low = startLow[i] ^ Long.MIN_VALUE;
                blocks[at++] = (int)(high >>> 32);
                blocks[at++] = (int)high;
                blocks[at++] = (int)(low >>> 32);
                blocks[at++] = (int)low;
            }
        }
        for (int i = 0; i < count; i++)
        {
            blocks[at++] = startValue[i];
        }

        final int kind = 1 == keyInts ? KIND_BLOCK_32 : 2 == keyInts ? KIND_BLOCK_64 : KIND_BLOCK_128;
        return (((offset << COUNT_FIELD_BITS) | (count - 1)) << KIND_BITS) | kind;
    }

    /**
     * Cuts the slot at {@code depth} holding the routes {@code [from, to)} into intervals of one
     * value each, neighbours with the same value merged, into {@code start*} and
     * {@link #intervals}.
     */
    private void cutIntervals(final int from, final int to, final int depth, final int inherited)
    {
        final long slotHigh = routes.high(from) & PrefixBits.highMask(depth);
        final long slotLow = routes.low(from) & PrefixBits.lowMask(depth);
        final long slotLastHigh = slotHigh | ~PrefixBits.highMask(depth);
        final long slotLastLow = slotLow | ~PrefixBits.lowMask(depth);

        intervals = 0;
        emit(slotHigh, slotLow, inherited);
        int top = 0;
        stackHigh[0] = slotLastHigh;
        stackLow[0] = slotLastLow;
        stackValue[0] = inherited;

        for (int i = from; i < to; i++)
        {
            final int length = routes.length(i);
            if (length <= depth)
            {
                continue;
            }
            final long high = routes.high(i);
            final long low = routes.low(i);
            // Routes that end before this one starts give the address after them back to the
            // route enclosing them.
            while (isBelow(stackHigh[top], stackLow[top], high, low))
            {
                emitAfter(stackHigh[top], stackLow[top], stackValue[top - 1]);
                top--;
            }
            emit(high, low, routes.value(i));
            top++;
            stackHigh[top] = high | ~PrefixBits.highMask(length);
            stackLow[top] = low | ~PrefixBits.lowMask(length);
            stackValue[top] = routes.value(i);
        }
        for (; top > 0; top--)
        {
            if (stackHigh[top] != slotLastHigh || stackLow[top] != slotLastLow)
            {
                emitAfter(stackHigh[top], stackLow[top], stackValue[top - 1]);
            }
        }
    }

    /** True when {@code (aHigh, aLow) < (bHigh, bLow)}, unsigned. */
    private static boolean isBelow(final long aHigh, final long aLow, final long bHigh, final long bLow)
    {
        final int high = Long.compareUnsigned(aHigh, bHigh);
        return high < 0 || (0 == high && Long.compareUnsigned(aLow, bLow) < 0);
    }

    private void emitAfter(final long lastHigh, final long lastLow, final int value)
    {
        final long low = lastLow + 1;
        emit(0 == low ? lastHigh + 1 : lastHigh, low, value);
    }

    private void emit(final long high, final long low, final int value)
    {
        if (intervals > 0 && startHigh[intervals - 1] == high && startLow[intervals - 1] == low)
        {
            // A longer route starting where another interval starts takes it over.
            intervals--;
        }
        if (intervals > 0 && startValue[intervals - 1] == value)
        {
            return;
        }
        if (intervals == startHigh.length)
        {
            startHigh = Arrays.copyOf(startHigh, 2 * intervals);
            startLow = Arrays.copyOf(startLow, 2 * intervals);
            startValue = Arrays.copyOf(startValue, 2 * intervals);
        }
        startHigh[intervals] = high;
        startLow[intervals] = low;
        startValue[intervals] = value;
        intervals++;
    }

    private static int grownLength(final int current, final int required)
    {
        return (int)Math.max(required, Math.min(2L * current, Integer.MAX_VALUE - 8L));
    }
}
