package io.sixgate.core.route;

import static io.sixgate.core.route.Ipv6RouteTable.NO_ROUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import io.sixgate.core.testing.AllocationMeter;

import org.junit.jupiter.api.Test;

/**
 * The edges of {@link RangeTrie}: the ends of the address space, nesting, removal, each block
 * width, strides across the 64-bit word boundary, the largest value, and 100 000 random routes
 * against {@link LinearScanRoutes} at every route's boundaries.
 */
class RangeTrieTest
{
    private static final long DOC_HIGH = 0x2001_0db8_0000_0000L;

    @Test
    void defaultRouteAloneAnswersEveryAddress()
    {
        final Ipv6RouteTable table = Ipv6RouteTable.builder().build();
        assertEquals(NO_ROUTE, table.lookup(0, 0));

        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        builder.add(0, 0, 0, 7);
        final Ipv6RouteTable withDefault = builder.build();
        assertEquals(7, withDefault.lookup(0, 0));
        assertEquals(7, withDefault.lookup(-1L, -1L));
        assertEquals(7, withDefault.lookup(DOC_HIGH, 1));
    }

    @Test
    void hostRoutesAtBothEndsOfTheAddressSpaceEndTheirIntervalExactly()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        builder.add(0, 0, 0, 1);
        builder.add(0, 0, 128, 2);
        builder.add(-1L, -1L, 128, 3);
        builder.add(-1L, 0xFFFF_FFFF_FFFF_FF00L, 120, 4);
        final Ipv6RouteTable table = builder.build();

        assertEquals(2, table.lookup(0, 0));
        assertEquals(1, table.lookup(0, 1));
        assertEquals(3, table.lookup(-1L, -1L));
        assertEquals(4, table.lookup(-1L, -2L));
        assertEquals(4, table.lookup(-1L, 0xFFFF_FFFF_FFFF_FF00L));
        assertEquals(1, table.lookup(-1L, 0xFFFF_FFFF_FFFF_FEFFL));
    }

    @Test
    void nestedPrefixesEachWinInsideAndGiveBackAfterTheirLastAddress()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        builder.add(0x2001_0000_0000_0000L, 0, 16, 16);
        builder.add(DOC_HIGH, 0, 32, 32);
        builder.add(DOC_HIGH | 0x0000_0000_0001_0000L, 0, 48, 48);
        builder.add(DOC_HIGH | 0x0000_0000_0001_0002L, 0, 64, 64);
        builder.add(DOC_HIGH | 0x0000_0000_0001_0002L, 0x10, 128, 128);
        final Ipv6RouteTable table = builder.build();

        final long subnet = DOC_HIGH | 0x0000_0000_0001_0002L;
        assertEquals(128, table.lookup(subnet, 0x10));
        assertEquals(64, table.lookup(subnet, 0x0F));
        assertEquals(64, table.lookup(subnet, 0x11));
        assertEquals(64, table.lookup(subnet, -1L));
        assertEquals(48, table.lookup(subnet + 1, 0));
        assertEquals(48, table.lookup(subnet - 1, -1L));
        assertEquals(48, table.lookup(DOC_HIGH | 0x0000_0000_0001_FFFFL, -1L));
        assertEquals(32, table.lookup(DOC_HIGH | 0x0000_0000_0002_0000L, 0));
        assertEquals(32, table.lookup(DOC_HIGH | 0x0000_0000_0000_FFFFL, -1L));
        assertEquals(16, table.lookup(0x2001_0db9_0000_0000L, 0));
        assertEquals(16, table.lookup(0x2001_0db7_FFFF_FFFFL, -1L));
        assertEquals(NO_ROUTE, table.lookup(0x2002_0000_0000_0000L, 0));
        assertEquals(NO_ROUTE, table.lookup(0x2000_FFFF_FFFF_FFFFL, -1L));
    }

    @Test
    void removingANestedRouteGivesItsAddressesBackToTheEnclosingOne()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        builder.add(DOC_HIGH, 0, 32, 1);
        for (int i = 0; i < 40; i++)
        {
            builder.add(DOC_HIGH | ((long)i << 20), 0, 44, 100 + i);
        }
        final Ipv6RouteTable before = builder.build();
        assertEquals(105, before.lookup(DOC_HIGH | (5L << 20) | 0xFF, 9));

        final Ipv6RouteTable.Builder next = before.toBuilder();
        assertEquals(105, next.remove(DOC_HIGH | (5L << 20), 0, 44));
        assertEquals(NO_ROUTE, next.remove(DOC_HIGH | (5L << 20), 0, 45));
        final Ipv6RouteTable after = next.build();

        assertEquals(1, after.lookup(DOC_HIGH | (5L << 20) | 0xFF, 9));
        assertEquals(104, after.lookup(DOC_HIGH | (4L << 20), 0));
        assertEquals(106, after.lookup(DOC_HIGH | (6L << 20), 0));
        assertEquals(105, before.lookup(DOC_HIGH | (5L << 20), 0), "the old table is unchanged");
    }

    @Test
    void blocksTakeTheNarrowestStartsThatHoldTheirBoundaries()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        // In root slot 2001::/16 a /40 ends within 32 bits of the slot.
        builder.add(DOC_HIGH | 0x0000_0000_1100_0000L, 0, 40, 1);
        // In 2002::/16 a /64 needs 64-bit starts.
        builder.add(0x2002_0db8_0000_0001L, 0, 64, 2);
        // In 2003::/16 a /128 needs all 128 bits.
        builder.add(0x2003_0db8_0000_0001L, 0x42, 128, 3);
        final Ipv6RouteTable table = builder.build();
        final RangeTrie trie = table.trie();

        assertEquals(RangeTrie.KIND_BLOCK_32, trie.finalReference(DOC_HIGH, 0) & RangeTrie.KIND_MASK);
        assertEquals(RangeTrie.KIND_BLOCK_64, trie.finalReference(0x2002_0000_0000_0000L, 0) & RangeTrie.KIND_MASK);
        assertEquals(RangeTrie.KIND_BLOCK_128, trie.finalReference(0x2003_0000_0000_0000L, 0) & RangeTrie.KIND_MASK);

        assertEquals(1, table.lookup(DOC_HIGH | 0x0000_0000_1100_0000L, 0));
        assertEquals(1, table.lookup(DOC_HIGH | 0x0000_0000_11FF_FFFFL, -1L));
        assertEquals(NO_ROUTE, table.lookup(DOC_HIGH | 0x0000_0000_1200_0000L, 0));
        assertEquals(NO_ROUTE, table.lookup(DOC_HIGH | 0x0000_0000_10FF_FFFFL, -1L));
        assertEquals(2, table.lookup(0x2002_0db8_0000_0001L, -1L));
        assertEquals(2, table.lookup(0x2002_0db8_0000_0001L, 0));
        assertEquals(NO_ROUTE, table.lookup(0x2002_0db8_0000_0002L, 0));
        assertEquals(NO_ROUTE, table.lookup(0x2002_0db8_0000_0000L, -1L));
        assertEquals(3, table.lookup(0x2003_0db8_0000_0001L, 0x42));
        assertEquals(NO_ROUTE, table.lookup(0x2003_0db8_0000_0001L, 0x43));
        assertEquals(NO_ROUTE, table.lookup(0x2003_0db8_0000_0001L, 0x41));
    }

    @Test
    void aRouteWithTheValueOfItsEnclosingRouteNeedsNoBlock()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        builder.add(0x2001_0000_0000_0000L, 0, 16, 5);
        builder.add(DOC_HIGH, 0, 32, 5);
        final Ipv6RouteTable table = builder.build();

        assertEquals(RangeTrie.KIND_LEAF, table.trie().finalReference(DOC_HIGH, 0) & RangeTrie.KIND_MASK);
        assertEquals(5, table.lookup(DOC_HIGH, 0));
        assertEquals(5, table.lookup(0x2001_FFFF_0000_0000L, 0));
    }

    @Test
    void denseRoutesAcrossTheWordBoundaryAreReachedThroughNodesAndASkip()
    {
        // 4000 /72s under one /56: the strides below the /56 cross from the high word into the low.
        final long base = DOC_HIGH | 0x0000_0000_00FF_FF00L;
        final SplittableRandom random = new SplittableRandom(72);
        final LinearScanRoutes reference = new LinearScanRoutes();
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        builder.add(base, 0, 56, 0);
        reference.put(base, 0, 56, 0);
        while (builder.size() < 4001)
        {
            final long high = base | random.nextInt(256);
            final long low = (long)random.nextInt(256) << 56;
            final int value = 1 + random.nextInt(1 << 20);
            reference.put(high, low, 72, value);
            builder.add(high, low, 72, value);
        }
        final Ipv6RouteTable table = builder.build();

        assertTrue(table.trie().nodeCount() > 0);
        assertTrue(table.trie().skipCount() > 0);
        for (int i = 0; i < 20_000; i++)
        {
            final long high = base | random.nextInt(256);
            final long low = random.nextLong();
            assertEquals(reference.lookup(high, low), table.lookup(high, low));
        }
        assertEquals(NO_ROUTE, table.lookup(base + 0x100, 0));
    }

    @Test
    void theLargestValueFitsAndOneMoreIsRefused()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        builder.add(DOC_HIGH, 0, 32, Ipv6RouteTable.MAX_VALUE);
        builder.add(DOC_HIGH | 0x0000_0000_0001_0000L, 0, 48, Ipv6RouteTable.MAX_VALUE - 1);
        final Ipv6RouteTable table = builder.build();

        assertEquals(Ipv6RouteTable.MAX_VALUE, table.lookup(DOC_HIGH, 0));
        assertEquals(Ipv6RouteTable.MAX_VALUE - 1, table.lookup(DOC_HIGH | 0x0000_0000_0001_0000L, 0));
        assertThrows(IllegalArgumentException.class, () -> builder.add(DOC_HIGH, 0, 33, Ipv6RouteTable.MAX_VALUE + 1));
    }

    @Test
    void hundredThousandRandomRoutesMatchALinearScanAtEveryKindOfBoundary()
    {
        final SplittableRandom random = new SplittableRandom(0x1_0000_0000L);
        final LinearScanRoutes reference = new LinearScanRoutes();
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        while (reference.size() < 100_000)
        {
            final int length;
            long high;
            long low;
            final int shape = random.nextInt(4);
            if (0 == shape && reference.size() > 0)
            {
                // Nested below an existing route.
                final int parent = random.nextInt(reference.size());
                length = Math.min(128, reference.length(parent) + 1 + random.nextInt(32));
                high = reference.high(parent) | (random.nextLong() & ~LinearScanRoutes.highMaskOf(reference.length(parent)));
                low = reference.low(parent) | (random.nextLong() & ~LinearScanRoutes.lowMaskOf(reference.length(parent)));
            }
            else if (1 == shape)
            {
                // Clustered in one /32, as a provider's table.
                length = 33 + random.nextInt(96);
                high = DOC_HIGH | (random.nextLong() >>> 32);
                low = random.nextLong();
            }
            else
            {
                length = 1 + random.nextInt(64);
                high = 0x2000_0000_0000_0000L | (random.nextLong() >>> 3);
                low = random.nextLong();
            }
            high &= LinearScanRoutes.highMaskOf(length);
            low &= LinearScanRoutes.lowMaskOf(length);
            final int value = random.nextInt(Ipv6RouteTable.MAX_VALUE);
            assertEquals(reference.put(high, low, length, value), builder.add(high, low, length, value));
        }
        final Ipv6RouteTable table = builder.build();
        assertEquals(100_000, table.size());

        // Each route's first and last address and the addresses either side of them.
        for (int i = 0; i < 1_500; i++)
        {
            final int route = random.nextInt(reference.size());
            final long high = reference.high(route);
            final long low = reference.low(route);
            final long lastHigh = high | ~LinearScanRoutes.highMaskOf(reference.length(route));
            final long lastLow = low | ~LinearScanRoutes.lowMaskOf(reference.length(route));
            assertLookup(reference, table, high, low);
            assertLookup(reference, table, lastHigh, lastLow);
            assertLookup(reference, table, 0 == low ? high - 1 : high, low - 1);
            assertLookup(reference, table, -1L == lastLow ? lastHigh + 1 : lastHigh, lastLow + 1);
        }
    }

    @Test
    void lookupsOfEveryKindAllocateNothing()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        builder.add(0, 0, 0, 1);
        builder.add(DOC_HIGH | 0x0000_0000_1100_0000L, 0, 40, 2);
        builder.add(0x2002_0db8_0000_0001L, 0, 64, 3);
        builder.add(0x2003_0db8_0000_0001L, 0x42, 128, 4);
        for (int i = 0; i < 200; i++)
        {
            builder.add(0x2004_0db8_0000_0001L, (long)i << 32, 96, 10 + i);
        }
        final Ipv6RouteTable table = builder.build();
        final long[] highs = {DOC_HIGH | 0x0000_0000_1100_0000L, 0x2002_0db8_0000_0001L, 0x2003_0db8_0000_0001L,
            0x2004_0db8_0000_0001L, 0x2004_0db8_0000_0002L, 0x3000_0000_0000_0000L};
        final long[] sum = new long[1];

        final long bytes = AllocationMeter.leastBytesAllocatedBy(() ->
        {
            for (int i = 0; i < 100_000; i++)
            {
                sum[0] += table.lookup(highs[i % highs.length], (long)(i & 0xFF) << 32 | 0x42);
            }
        });

        assertEquals(0, bytes);
        assertTrue(sum[0] != 0);
    }

    private static void assertLookup(
        final LinearScanRoutes reference, final Ipv6RouteTable table, final long high, final long low)
    {
        assertEquals(reference.lookup(high, low), table.lookup(high, low),
            () -> "lookup of " + Long.toHexString(high) + ":" + Long.toHexString(low));
    }
}
