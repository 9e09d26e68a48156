package io.sixgate.core.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Both tables against {@link LinearScanRoutes} for random tables with overlaps, dense
 * clusters and misses, then again after random removals and replacements.
 */
class RandomRouteComparisonTest
{
    private static final int PREFIXES = 10_000;
    private static final int LOOKUPS = 100_000;
    private static final int LOOKUPS_AFTER_CHANGES = 20_000;

    private static final long CLUSTER_HIGH = 0x2001_0db8_0000_0000L;
    private static final long DEEP_CLUSTER_HIGH = 0x2001_0db8_00aa_00bbL;
    private static final long IPV4_CLUSTER_HIGH = 0xC633_0000_0000_0000L;

    @Test
    void ipv6TableMatchesLinearScanForRandomPrefixes()
    {
        final Random random = new Random(0x5EED_0006L);
        final LinearScanRoutes reference = new LinearScanRoutes();
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        while (reference.size() < PREFIXES)
        {
            final int length;
            long high;
            long low;
            switch (random.nextInt(5))
            {
                case 0:
                    length = 8 + random.nextInt(121);
                    high = random.nextLong();
                    low = random.nextLong();
                    break;
                case 1:
                    length = 33 + random.nextInt(96);
                    high = CLUSTER_HIGH | (random.nextLong() >>> 32);
                    low = random.nextLong();
                    break;
                case 2:
                    length = 65 + random.nextInt(64);
                    high = DEEP_CLUSTER_HIGH;
                    low = random.nextLong();
                    break;
                case 3:
                    if (0 == reference.size())
                    {
                        continue;
                    }
                    final int parent = random.nextInt(reference.size());
                    length = Math.min(128, reference.length(parent) + 1 + random.nextInt(24));
                    high = reference.high(parent) | (random.nextLong() & ~LinearScanRoutes.highMaskOf(reference.length(parent)));
                    low = reference.low(parent) | (random.nextLong() & ~LinearScanRoutes.lowMaskOf(reference.length(parent)));
                    break;
                default:
                    length = 8 + random.nextInt(17);
                    high = random.nextLong();
                    low = 0L;
                    break;
            }
            high &= LinearScanRoutes.highMaskOf(length);
            low &= LinearScanRoutes.lowMaskOf(length);
            final int value = random.nextInt(1_000_000);
            assertEquals(reference.put(high, low, length, value), builder.add(high, low, length, value));
        }

        final Ipv6RouteTable table = builder.build();
        assertEquals(PREFIXES, table.size());
        assertTrue(table.trie().nodeCount() > 0, "clusters should need trie nodes");
        assertTrue(table.trie().skipCount() > 0, "clusters should need skips");
        compareIpv6(random, reference, table, LOOKUPS);

        for (int i = 0; i < PREFIXES / 4; i++)
        {
            final int victim = random.nextInt(reference.size());
            final long high = reference.high(victim);
            final long low = reference.low(victim);
            final int length = reference.length(victim);
            if (random.nextBoolean())
            {
                assertEquals(reference.remove(high, low, length), builder.remove(high, low, length));
            }
            else
            {
                final int value = random.nextInt(1_000_000);
                assertEquals(reference.put(high, low, length, value), builder.add(high, low, length, value));
            }
        }
        final Ipv6RouteTable changed = builder.build();
        assertEquals(reference.size(), changed.size());
        compareIpv6(random, reference, changed, LOOKUPS_AFTER_CHANGES);
    }

    @Test
    void ipv4TableMatchesLinearScanForRandomPrefixes()
    {
        final Random random = new Random(0x5EED_0004L);
        final LinearScanRoutes reference = new LinearScanRoutes();
        final Ipv4RouteTable.Builder builder = Ipv4RouteTable.builder();
        while (reference.size() < PREFIXES)
        {
            final int length;
            long high;
            switch (random.nextInt(4))
            {
                case 0:
                    length = 8 + random.nextInt(25);
                    high = random.nextLong();
                    break;
                case 1:
                    length = 17 + random.nextInt(16);
                    high = IPV4_CLUSTER_HIGH | (random.nextLong() >>> 16);
                    break;
                case 2:
                    if (0 == reference.size())
                    {
                        continue;
                    }
                    final int parent = random.nextInt(reference.size());
                    length = Math.min(32, reference.length(parent) + 1 + random.nextInt(8));
                    high = reference.high(parent) | (random.nextLong() & ~LinearScanRoutes.highMaskOf(reference.length(parent)));
                    break;
                default:
                    length = 20 + random.nextInt(13);
                    high = random.nextLong();
                    break;
            }
            high &= LinearScanRoutes.highMaskOf(length);
            final int value = random.nextInt(1_000_000);
            assertEquals(reference.put(high, 0L, length, value), builder.add((int)(high >>> 32), length, value));
        }

        final Ipv4RouteTable table = builder.build();
        assertEquals(PREFIXES, table.size());
        assertTrue(table.trie().nodeCount() > 0, "the cluster should need trie nodes");
        compareIpv4(random, reference, table, LOOKUPS);

        for (int i = 0; i < PREFIXES / 4; i++)
        {
            final int victim = random.nextInt(reference.size());
            final long high = reference.high(victim);
            final int length = reference.length(victim);
            if (random.nextBoolean())
            {
                assertEquals(reference.remove(high, 0L, length), builder.remove((int)(high >>> 32), length));
            }
            else
            {
                final int value = random.nextInt(1_000_000);
                assertEquals(reference.put(high, 0L, length, value), builder.add((int)(high >>> 32), length, value));
            }
        }
        final Ipv4RouteTable changed = builder.build();
        assertEquals(reference.size(), changed.size());
        compareIpv4(random, reference, changed, LOOKUPS_AFTER_CHANGES);
    }

    private static void compareIpv6(
        final Random random, final LinearScanRoutes reference, final Ipv6RouteTable table, final int lookups)
    {
        int misses = 0;
        for (int i = 0; i < lookups; i++)
        {
            long high = random.nextLong();
            long low = random.nextLong();
            switch (random.nextInt(4))
            {
                case 0:
                    break;
                case 1:
                    high = CLUSTER_HIGH | (high >>> 32);
                    break;
                default:
                    // Inside a route, or just outside it: flip the bit after its length.
                    final int route = random.nextInt(reference.size());
                    final int length = reference.length(route);
                    high = reference.high(route) | (high & ~LinearScanRoutes.highMaskOf(length));
                    low = reference.low(route) | (low & ~LinearScanRoutes.lowMaskOf(length));
                    if (random.nextBoolean() && length < 128)
                    {
                        high ^= length < 64 ? 1L << (63 - length) : 0L;
                        low ^= length < 64 ? 0L : 1L << (127 - length);
                    }
                    break;
            }
            final int expected = reference.lookup(high, low);
            if (expected < 0)
            {
                misses++;
            }
            final long h = high;
            final long l = low;
            assertEquals(expected, table.lookup(high, low), () -> String.format("lookup %016x %016x", h, l));
        }
        assertTrue(misses > lookups / 20, "too few addresses matching nothing: " + misses);
        assertTrue(misses < lookups / 2, "too few addresses matching something: " + (lookups - misses));
    }

    private static void compareIpv4(
        final Random random, final LinearScanRoutes reference, final Ipv4RouteTable table, final int lookups)
    {
        int misses = 0;
        for (int i = 0; i < lookups; i++)
        {
            long high = random.nextLong() & LinearScanRoutes.highMaskOf(32);
            switch (random.nextInt(4))
            {
                case 0:
                    break;
                case 1:
                    high = IPV4_CLUSTER_HIGH | (high >>> 16 & LinearScanRoutes.highMaskOf(32));
                    break;
                default:
                    final int route = random.nextInt(reference.size());
                    final int length = reference.length(route);
                    high = reference.high(route) | (high & ~LinearScanRoutes.highMaskOf(length));
                    if (random.nextBoolean() && length < 32)
                    {
                        high ^= 1L << (63 - length);
                    }
                    break;
            }
            final int expected = reference.lookup(high, 0L);
            if (expected < 0)
            {
                misses++;
            }
            final int address = (int)(high >>> 32);
            assertEquals(expected, table.lookup(address), () -> String.format("lookup %08x", address));
        }
        assertTrue(misses > lookups / 20, "too few addresses matching nothing: " + misses);
        assertTrue(misses < lookups / 2, "too few addresses matching something: " + (lookups - misses));
    }
}
