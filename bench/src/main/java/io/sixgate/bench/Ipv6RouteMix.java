package io.sixgate.bench;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import io.sixgate.core.route.Ipv6RouteTable;

/**
 * Generated IPv6 route tables with a realistic shape, and lookup addresses for them.
 *
 * <ul>
 *   <li>{@link #BGP}: an Internet table. Prefix lengths in the proportions of the public IPv6 BGP
 *   table (bgp.potaroo.net, 2024: /48 about 45 %, /32 13 %, /44 9 %, /40 7 %, /29 5 %, /36 3 %,
 *   the rest spread from /19 to /64), nested as allocations are: 40 registry /12 blocks in
 *   2000::/3, allocations of /19 to /32 inside them, and longer prefixes, four in five inside an
 *   allocation (more-specifics of a provider's block), the rest anywhere in a registry block.</li>
 *   <li>{@link #CLOUD}: a provider's internal table, eight /32s cut into /48 (10 %), /56 (40 %),
 *   /64 subnets (45 %) and /128 host routes (5 %): the deep case of the trie.</li>
 * </ul>
 *
 * Lookups: nine in ten fall inside a random route of the table (random host bits), one in ten
 * is a random address in 2000::/3 (mostly no route). Everything is seeded: the same table and
 * the same addresses every run.
 */
public final class Ipv6RouteMix
{
    public static final String BGP = "bgp";
    public static final String CLOUD = "cloud";

    /** {length, per mille} of the BGP mix; they add up to 1000. */
    private static final int[][] BGP_LENGTHS = {
        {19, 1}, {20, 1}, {22, 1}, {24, 1}, {26, 1}, {27, 1}, {28, 10}, {29, 50}, {30, 3}, {31, 3},
        {32, 130}, {33, 10}, {34, 10}, {35, 10}, {36, 30}, {37, 5}, {38, 10}, {39, 5}, {40, 70}, {41, 5},
        {42, 15}, {43, 5}, {44, 90}, {45, 15}, {46, 25}, {47, 20}, {48, 453}, {52, 3}, {56, 4}, {64, 4}};

    private static final int[][] CLOUD_LENGTHS = {{48, 100}, {56, 400}, {64, 450}, {128, 50}};

    private static final int REGISTRY_BLOCKS = 40;
    private static final int CLOUD_BLOCKS = 8;

    private final long[] high;
    private final long[] low;
    private final int[] length;

    private Ipv6RouteMix(final long[] high, final long[] low, final int[] length)
    {
        this.high = high;
        this.low = low;
        this.length = length;
    }

    /**
     * @param mix    {@link #BGP} or {@link #CLOUD}.
     * @param routes distinct prefixes to make.
     */
    public static Ipv6RouteMix generate(final String mix, final int routes, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final boolean bgp = BGP.equals(mix);
        if (!bgp && !CLOUD.equals(mix))
        {
            throw new IllegalArgumentException("unknown route mix: " + mix);
        }
        final int[][] lengths = bgp ? BGP_LENGTHS : CLOUD_LENGTHS;
        final long[] blocks = new long[bgp ? REGISTRY_BLOCKS : CLOUD_BLOCKS];
        for (int i = 0; i < blocks.length; i++)
        {
            // BGP: a registry /12 in 2000::/3; cloud: a provider /32 in 2000::/3.
            blocks[i] = bgp ? (0x200L + random.nextInt(0x200)) << 52 : (0x2000_0000L | random.nextInt(1 << 29)) << 32;
        }
        final int blockLength = bgp ? 12 : 32;

        final long[] high = new long[routes];
        final long[] low = new long[routes];
        final int[] length = new int[routes];
        final Set<Prefix> seen = new HashSet<>();
        int allocations = 0;
        int count = 0;
        // Allocations (up to /32) first, so longer prefixes can nest in them.
        for (int pass = 0; pass < 2; pass++)
        {
            final int target = pass == 0 ? share(lengths, routes, 32) : routes;
            while (count < target)
            {
                final int len = pickLength(lengths, random, pass == 0);
                long h;
                long l = 0;
                if (bgp && len > 32 && allocations > 0 && random.nextInt(5) != 0)
                {
                    final int parent = random.nextInt(allocations);
                    h = high[parent] | (random.nextLong() & ~highMask(length[parent]));
                }
                else
                {
                    h = blocks[random.nextInt(blocks.length)] | (random.nextLong() & ~highMask(blockLength));
                }
                if (len > 64)
                {
                    l = random.nextLong();
                }
                h &= highMask(len);
                l &= lowMask(len);
                if (seen.add(new Prefix(h, l, len)))
                {
                    high[count] = h;
                    low[count] = l;
                    length[count] = len;
                    count++;
                }
            }
            allocations = count;
        }
        return new Ipv6RouteMix(high, low, length);
    }

    /** The routes in a table, route {@code i} with value {@code i}. */
    public Ipv6RouteTable table()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        for (int i = 0; i < high.length; i++)
        {
            builder.add(high[i], low[i], length[i], i);
        }
        return builder.build();
    }

    public int size()
    {
        return high.length;
    }

    public long high(final int route)
    {
        return high[route];
    }

    public long low(final int route)
    {
        return low[route];
    }

    public int length(final int route)
    {
        return length[route];
    }

    /**
     * Fills {@code highOut} and {@code lowOut} with lookup addresses: nine in ten inside a random
     * route, one in ten anywhere in 2000::/3.
     */
    public void lookups(final long[] highOut, final long[] lowOut, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < highOut.length; i++)
        {
            if (random.nextInt(10) == 0)
            {
                highOut[i] = 0x2000_0000_0000_0000L | (random.nextLong() >>> 3);
                lowOut[i] = random.nextLong();
            }
            else
            {
                final int route = random.nextInt(high.length);
                highOut[i] = high[route] | (random.nextLong() & ~highMask(length[route]));
                lowOut[i] = low[route] | (random.nextLong() & ~lowMask(length[route]));
            }
        }
    }

    private static int share(final int[][] lengths, final int routes, final int maxLength)
    {
        long perMille = 0;
        for (final int[] entry : lengths)
        {
            perMille += entry[0] <= maxLength ? entry[1] : 0;
        }
        return (int)(routes * perMille / 1000);
    }

    private static int pickLength(final int[][] lengths, final SplittableRandom random, final boolean allocation)
    {
        while (true)
        {
            int pick = random.nextInt(1000);
            for (final int[] entry : lengths)
            {
                pick -= entry[1];
                if (pick < 0)
                {
                    if ((entry[0] <= 32) == allocation)
                    {
                        return entry[0];
                    }
                    break;
                }
            }
        }
    }

    static long highMask(final int length)
    {
        return length <= 0 ? 0L : length >= 64 ? -1L : -1L << (64 - length);
    }

    static long lowMask(final int length)
    {
        return length <= 64 ? 0L : length >= 128 ? -1L : -1L << (128 - length);
    }

    private record Prefix(long high, long low, int length)
    {
    }
}
