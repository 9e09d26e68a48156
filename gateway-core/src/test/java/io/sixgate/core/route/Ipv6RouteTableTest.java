package io.sixgate.core.route;

import static io.sixgate.core.route.Ipv6RouteTable.NO_ROUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

class Ipv6RouteTableTest
{
    @Test
    void longestMatchWins()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        add(builder, "2001:db8::", 32, 1);
        add(builder, "2001:db8:1::", 48, 2);
        add(builder, "2001:db8:1:2::", 64, 3);
        final Ipv6RouteTable table = builder.build();

        assertEquals(3, lookup(table, "2001:db8:1:2::5"));
        assertEquals(2, lookup(table, "2001:db8:1:3::5"));
        assertEquals(1, lookup(table, "2001:db8:2::1"));
        assertEquals(NO_ROUTE, lookup(table, "2001:db9::1"));
    }

    @Test
    void defaultRouteMatchesWhatNothingLongerMatches()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        add(builder, "::", 0, 7);
        add(builder, "2001:db8::", 32, 1);
        final Ipv6RouteTable table = builder.build();

        assertEquals(1, lookup(table, "2001:db8::1"));
        assertEquals(7, lookup(table, "::"));
        assertEquals(7, lookup(table, "64:ff9b::c000:201"));
        assertEquals(7, lookup(table, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
    }

    @Test
    void hostRouteMatchesOnlyItsOwnAddress()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        add(builder, "2001:db8::1", 128, 3);
        add(builder, "::", 128, 4);
        add(builder, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 128, 5);
        final Ipv6RouteTable table = builder.build();

        assertEquals(3, lookup(table, "2001:db8::1"));
        assertEquals(NO_ROUTE, lookup(table, "2001:db8::"));
        assertEquals(NO_ROUTE, lookup(table, "2001:db8::3"));
        assertEquals(NO_ROUTE, lookup(table, "2001:db8:0:0:8000::1"));
        assertEquals(4, lookup(table, "::"));
        assertEquals(NO_ROUTE, lookup(table, "::1"));
        assertEquals(5, lookup(table, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
        assertEquals(NO_ROUTE, lookup(table, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"));
    }

    @Test
    void nestedPrefixesOfEveryLengthEachWinJustBelowTheirEnd()
    {
        final long high = 0x2001_0db8_a5a5_5a5aL;
        final long low = 0xc3c3_3c3c_9696_6969L;
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        for (int length = 0; length <= 128; length++)
        {
            builder.add(high & LinearScanRoutes.highMaskOf(length), low & LinearScanRoutes.lowMaskOf(length), length, length);
        }
        final Ipv6RouteTable table = builder.build();

        assertEquals(129, table.size());
        assertEquals(128, table.lookup(high, low));
        for (int length = 0; length < 128; length++)
        {
            // Agree with the chain for exactly `length` bits, then differ.
            final long flipHigh = length < 64 ? 1L << (63 - length) : 0L;
            final long flipLow = length < 64 ? 0L : 1L << (127 - length);
            assertEquals(length, table.lookup(high ^ flipHigh, low ^ flipLow), "diverging after bit " + length);
        }
    }

    @Test
    void overlappingPrefixesAcrossTheWordBoundary()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        add(builder, "2001:db8:0:2::", 63, 63);
        add(builder, "2001:db8:0:3::", 64, 64);
        add(builder, "2001:db8:0:3::", 65, 65);
        add(builder, "2001:db8:0:3:8000::", 65, 165);
        final Ipv6RouteTable table = builder.build();

        assertEquals(65, lookup(table, "2001:db8:0:3:7fff::1"));
        assertEquals(165, lookup(table, "2001:db8:0:3:8000::1"));
        assertEquals(63, lookup(table, "2001:db8:0:2::1"));
        assertEquals(NO_ROUTE, lookup(table, "2001:db8:0:4::1"));
        assertEquals(NO_ROUTE, lookup(table, "2001:db8:0:1::1"));
    }

    @Test
    void removingAPrefixFallsBackToTheNextShorterOne()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        add(builder, "2001:db8::", 32, 1);
        add(builder, "2001:db8:1::", 48, 2);
        assertEquals(2, lookup(builder.build(), "2001:db8:1::1"));

        assertEquals(2, remove(builder, "2001:db8:1::", 48));
        final Ipv6RouteTable table = builder.build();

        assertEquals(1, table.size());
        assertEquals(1, lookup(table, "2001:db8:1::1"));
    }

    @Test
    void removeTouchesOnlyTheExactPrefix()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        add(builder, "2001:db8::", 32, 1);

        assertEquals(NO_ROUTE, remove(builder, "2001:db8::", 48));
        assertEquals(NO_ROUTE, remove(builder, "2001::", 16));
        assertEquals(1, builder.size());
        assertEquals(1, lookup(builder.build(), "2001:db8::1"));
    }

    @Test
    void addingTheSamePrefixAgainReplacesItsValue()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        assertEquals(NO_ROUTE, add(builder, "2001:db8::", 32, 1));
        assertEquals(1, add(builder, "2001:db8::", 32, 9));
        final Ipv6RouteTable table = builder.build();

        assertEquals(1, table.size());
        assertEquals(9, lookup(table, "2001:db8::1"));
    }

    @Test
    void sameAddressWithDifferentLengthsIsTwoPrefixes()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        add(builder, "2001:db8::", 32, 1);
        add(builder, "2001:db8::", 64, 2);

        assertEquals(2, builder.size());
    }

    @Test
    void emptyTableMatchesNothing()
    {
        final Ipv6RouteTable table = Ipv6RouteTable.builder().build();

        assertEquals(0, table.size());
        assertEquals(NO_ROUTE, table.lookup(0L, 0L));
        assertEquals(NO_ROUTE, table.lookup(-1L, -1L));
    }

    @Test
    void rejectsPrefixWithBitsSetBeyondItsLength()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();

        assertThrows(IllegalArgumentException.class, () -> add(builder, "2001:db8::1", 64, 1));
        assertThrows(IllegalArgumentException.class, () -> add(builder, "2001:db8:0:1::", 63, 1));
        assertThrows(IllegalArgumentException.class, () -> add(builder, "::1", 0, 1));
        assertThrows(IllegalArgumentException.class, () -> remove(builder, "2001:db8::1", 127));
        assertEquals(0, builder.size());
    }

    @Test
    void rejectsLengthOutsideZeroTo128()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();

        assertThrows(IllegalArgumentException.class, () -> builder.add(0L, 0L, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> builder.add(0L, 0L, 129, 1));
        assertThrows(IllegalArgumentException.class, () -> builder.remove(0L, 0L, 129));
    }

    @Test
    void rejectsNegativeValueBecauseItWouldReadAsNoRoute()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();

        assertThrows(IllegalArgumentException.class, () -> add(builder, "2001:db8::", 32, NO_ROUTE));
    }

    @Test
    void builtTableIsUnchangedByLaterBuilderEdits()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        add(builder, "2001:db8::", 32, 1);
        final Ipv6RouteTable before = builder.build();

        add(builder, "2001:db8::", 32, 2);
        add(builder, "2001:db8:1::", 48, 3);
        final Ipv6RouteTable after = builder.build();

        assertEquals(1, lookup(before, "2001:db8:1::1"));
        assertEquals(1, before.size());
        assertEquals(3, lookup(after, "2001:db8:1::1"));
        assertEquals(2, after.size());
    }

    @Test
    void toBuilderStartsTheNextVersionFromTheTablesRoutes()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        add(builder, "2001:db8::", 32, 1);
        add(builder, "2001:db8:1::", 48, 2);
        final Ipv6RouteTable first = builder.build();

        final Ipv6RouteTable.Builder next = first.toBuilder();
        assertEquals(2, remove(next, "2001:db8:1::", 48));
        add(next, "64:ff9b::", 96, 4);
        final Ipv6RouteTable second = next.build();

        assertEquals(2, lookup(first, "2001:db8:1::1"));
        assertEquals(1, lookup(second, "2001:db8:1::1"));
        assertEquals(4, lookup(second, "64:ff9b::c000:201"));
        assertEquals(NO_ROUTE, lookup(first, "64:ff9b::c000:201"));
    }

    @Test
    void manyHostRoutesInOneSubnetAreEachFoundExactly()
    {
        final long subnet = 0x2001_0db8_0000_0001L;
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        add(builder, "2001:db8:0:1::", 64, 0);
        for (int host = 1; host <= 5000; host++)
        {
            builder.add(subnet, host * 0x1_0001L, 128, host);
        }
        final Ipv6RouteTable table = builder.build();

        assertTrue(table.trie().skipCount() > 0, "a dense /64 should be reached through a skip");
        for (int host = 1; host <= 5000; host++)
        {
            assertEquals(host, table.lookup(subnet, host * 0x1_0001L));
            assertEquals(0, table.lookup(subnet, host * 0x1_0001L + 1));
        }
        assertEquals(NO_ROUTE, table.lookup(subnet + 1, 0x1_0001L));
    }

    @Test
    void hostRoutesBelowASlotEndingAtBit64AreMatchedOnTheLowWord()
    {
        // Nine /64s force a node for bits 56..63; the two /128s then sit in a bucket at depth 64.
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        for (int i = 0; i <= 8; i++)
        {
            builder.add(0x2001_0db8_0000_0100L + i, 0L, 64, 100 + i);
        }
        add(builder, "2001:db8:0:100::1", 128, 1);
        add(builder, "2001:db8:0:100::2", 128, 2);
        final Ipv6RouteTable table = builder.build();

        assertEquals(1, lookup(table, "2001:db8:0:100::1"));
        assertEquals(2, lookup(table, "2001:db8:0:100::2"));
        assertEquals(100, lookup(table, "2001:db8:0:100::3"));
        assertEquals(108, lookup(table, "2001:db8:0:108::1"));
        assertEquals(NO_ROUTE, lookup(table, "2001:db8:0:109::1"));
    }

    @Test
    void lookupAllocatesNothing()
    {
        final Ipv6RouteTable.Builder builder = Ipv6RouteTable.builder();
        add(builder, "2001:db8::", 32, 1);
        for (int host = 1; host <= 100; host++)
        {
            builder.add(0x2001_0db8_0000_0001L, host, 128, host);
        }
        final Ipv6RouteTable table = builder.build();
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().getId();

        // Any allocation per lookup would be at least 16 bytes, 16 MB per round; the bound
        // leaves room for the odd bookkeeping allocation the JVM makes on this thread.
        long sum = 0;
        long leastAllocated = Long.MAX_VALUE;
        for (int round = 0; round < 3; round++)
        {
            final long before = threads.getThreadAllocatedBytes(threadId);
            for (int i = 0; i < 1_000_000; i++)
            {
                sum += table.lookup(0x2001_0db8_0000_0001L + (i & 1), i & 0xFF);
            }
            leastAllocated = Math.min(leastAllocated, threads.getThreadAllocatedBytes(threadId) - before);
        }

        assertTrue(sum != 0);
        assertTrue(leastAllocated < 64 * 1024, "1 000 000 lookups allocated " + leastAllocated + " bytes");
    }

    static long high(final String address)
    {
        return ByteBuffer.wrap(bytes(address)).getLong(0);
    }

    static long low(final String address)
    {
        return ByteBuffer.wrap(bytes(address)).getLong(8);
    }

    private static int lookup(final Ipv6RouteTable table, final String address)
    {
        return table.lookup(high(address), low(address));
    }

    private static int add(final Ipv6RouteTable.Builder builder, final String prefix, final int length, final int value)
    {
        return builder.add(high(prefix), low(prefix), length, value);
    }

    private static int remove(final Ipv6RouteTable.Builder builder, final String prefix, final int length)
    {
        return builder.remove(high(prefix), low(prefix), length);
    }

    private static byte[] bytes(final String address)
    {
        try
        {
            final byte[] bytes = InetAddress.getByName(address).getAddress();
            if (bytes.length != 16)
            {
                throw new IllegalArgumentException("not an IPv6 literal: " + address);
            }
            return bytes;
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(address, ex);
        }
    }
}
