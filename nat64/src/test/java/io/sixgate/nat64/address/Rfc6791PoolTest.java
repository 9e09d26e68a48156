package io.sixgate.nat64.address;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv4Prefix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Rfc6791PoolTest
{
    private static final int GATEWAY_IPV4 = 0xC0000202;     // 192.0.2.2

    @Test
    void emptyPoolFallsBackToTheGatewayAddress()
    {
        assertTrue(Rfc6791Pool.empty().isEmpty());
        assertTrue(Rfc6791Pool.of().isEmpty());
        assertEquals(GATEWAY_IPV4, Rfc6791Pool.empty().select(12345, GATEWAY_IPV4));
        assertEquals(GATEWAY_IPV4, Rfc6791Pool.empty().selectFor(1L, 2L, GATEWAY_IPV4));
        assertFalse(Rfc6791Pool.empty().contains(GATEWAY_IPV4));
    }

    @Test
    void singleAddressPoolAlwaysPicksIt()
    {
        // The corpus's siit base setup.
        final Rfc6791Pool pool = Rfc6791Pool.parse("203.0.113.8");
        final int expected = Ipv4Address.parse("203.0.113.8");

        final Random random = new Random(6791);
        for (int i = 0; i < 1_000; i++)
        {
            assertEquals(expected, pool.select(random.nextInt(), GATEWAY_IPV4));
        }
        assertEquals(1, pool.size());
    }

    @Test
    void sameErrorSourceGetsTheSameAddress()
    {
        final Rfc6791Pool pool = Rfc6791Pool.parse("203.0.113.0/28", "198.51.100.7");
        final Random random = new Random(1);
        for (int i = 0; i < 1_000; i++)
        {
            final long high = random.nextLong();
            final long low = random.nextLong();
            assertEquals(pool.selectFor(high, low, GATEWAY_IPV4), pool.selectFor(high, low, GATEWAY_IPV4));
            assertEquals(pool.select(Rfc6791Pool.hash(high, low), 0), pool.selectFor(high, low, 0));
        }
    }

    @Test
    void selectionCoversEveryPoolAddressEvenly()
    {
        final Rfc6791Pool pool = Rfc6791Pool.parse("203.0.113.8/29", "198.51.100.7");
        final Map<Integer, Integer> hits = new HashMap<>();
        final Random random = new Random(2);
        final int samples = 90_000;
        for (int i = 0; i < samples; i++)
        {
            final int address = pool.selectFor(random.nextLong(), random.nextLong(), GATEWAY_IPV4);
            assertTrue(pool.contains(address), Ipv4Address.format(address));
            hits.merge(address, 1, Integer::sum);
        }

        assertEquals(9, hits.size());
        for (final int count : hits.values())
        {
            assertTrue(Math.abs(count - samples / 9) < samples / 9 / 10, hits::toString);
        }
    }

    @Test
    void wholeAddressSpacePoolWorks()
    {
        final Rfc6791Pool pool = Rfc6791Pool.of(Ipv4Prefix.parse("0.0.0.0/0"));
        assertEquals(1L << 32, pool.size());
        assertEquals(-1, pool.select(-1, GATEWAY_IPV4));
        assertEquals(7, pool.select(7, GATEWAY_IPV4));
    }

    @Test
    void rejectsOverlappingPrefixes()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> Rfc6791Pool.parse("203.0.113.0/24", "203.0.113.8"));
        assertTrue(ex.getMessage().contains("203.0.113.8/32 overlaps 203.0.113.0/24"), ex.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Rfc6791Pool.parse("203.0.113.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Rfc6791Pool.of((Ipv4Prefix)null));
    }

    @Test
    void listsItsPrefixes()
    {
        final Rfc6791Pool pool = Rfc6791Pool.parse("203.0.113.8/29", "198.51.100.7");
        assertEquals("Rfc6791Pool[203.0.113.8/29, 198.51.100.7/32]", pool.toString());
        assertEquals(2, pool.prefixes().size());
    }

    @Test
    void selectionDoesNotAllocate()
    {
        final Rfc6791Pool pool = Rfc6791Pool.parse("203.0.113.8/29", "198.51.100.7");
        final long[] sink = new long[1];

        final long bytes = Allocations.bytesAllocatedBy(() ->
        {
            long acc = 0;
            for (int i = 0; i < 10_000; i++)
            {
                acc += pool.selectFor(i, i * 31L, GATEWAY_IPV4) + (pool.contains(i) ? 1 : 0);
            }
            sink[0] = acc;
        });

        assertEquals(0, bytes);
    }
}
