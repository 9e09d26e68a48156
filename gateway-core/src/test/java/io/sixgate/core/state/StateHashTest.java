package io.sixgate.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The index hash spreads the structured keys packets carry (one subscriber's ports, one /64's
 * hosts) evenly, and depends on the secrets.
 */
class StateHashTest
{
    private static final int BUCKETS = 1024;
    private static final int KEYS = 200_000;

    @Test
    void indexSpreadsSequentialPortsAndHostsEvenlyOverSlots()
    {
        final long[] keys3 = StateHash.indexKeys(42, 3);
        final long[] keys5 = StateHash.indexKeys(42, 5);
        final int[] three = new int[BUCKETS];
        final int[] five = new int[BUCKETS];
        for (int i = 0; i < KEYS; i++)
        {
            // 2001:db8::/64 host i / 64, ports 10000 + i % 64, to one server: keys differ in few bits.
            final long high = 0x2001_0db8_0000_0000L;
            final long low = i >>> 6;
            final long ports = (0xC633_6407L << 32) | ((10_000L + (i & 63)) << 16) | 443;
            three[slot(StateHash.index(keys3, high, low, ports))]++;
            five[slot(StateHash.index(keys5, high, low, 0x2001_0db8_ffffL << 16, 1, ports))]++;
        }
        assertEvenlySpread(three);
        assertEvenlySpread(five);
    }

    @Test
    void indexDependsOnTheSecretsAndOnEveryWord()
    {
        final long[] a = StateHash.indexKeys(1, 3);
        final long[] b = StateHash.indexKeys(2, 3);
        assertEquals(StateHash.index(a, 1, 2, 3), StateHash.index(StateHash.indexKeys(1, 3), 1, 2, 3), "deterministic");
        int sameAcrossSeeds = 0;
        int sameWhenSwapped = 0;
        for (int i = 0; i < 10_000; i++)
        {
            sameAcrossSeeds += StateHash.index(a, i, 7, 9) == StateHash.index(b, i, 7, 9) ? 1 : 0;
            sameWhenSwapped += StateHash.index(a, i, i + 1, 9) == StateHash.index(a, i + 1, i, 9) ? 1 : 0;
            assertNotEquals(StateHash.index(a, i, 7, 9), StateHash.index(a, i, 7, 10), "last word");
        }
        assertTrue(sameAcrossSeeds <= 1, sameAcrossSeeds + " keys hash alike under two seeds");
        assertTrue(sameWhenSwapped <= 1, sameWhenSwapped + " keys hash alike with two words swapped");
    }

    private static int slot(final int hash)
    {
        return (int)(((hash & 0xFFFF_FFFFL) * BUCKETS) >>> 32);
    }

    /** Chi-square against the uniform spread, far below what a clustered hash gives. */
    private static void assertEvenlySpread(final int[] counts)
    {
        final double expected = (double)KEYS / BUCKETS;
        double chiSquare = 0;
        for (final int count : counts)
        {
            chiSquare += (count - expected) * (count - expected) / expected;
        }
        // 1023 degrees of freedom: mean 1023, standard deviation about 45.
        assertTrue(chiSquare < 1023 + 6 * 45, "chi-square " + chiSquare);
    }
}
