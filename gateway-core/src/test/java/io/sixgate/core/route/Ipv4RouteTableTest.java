package io.sixgate.core.route;

import static io.sixgate.core.route.Ipv4RouteTable.NO_ROUTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Ipv4RouteTableTest
{
    @Test
    void longestMatchWins()
    {
        final Ipv4RouteTable.Builder builder = Ipv4RouteTable.builder();
        builder.add(ip("198.51.0.0"), 16, 1);
        builder.add(ip("198.51.100.0"), 24, 2);
        builder.add(ip("198.51.100.128"), 25, 3);
        final Ipv4RouteTable table = builder.build();

        assertEquals(3, table.lookup(ip("198.51.100.200")));
        assertEquals(2, table.lookup(ip("198.51.100.7")));
        assertEquals(1, table.lookup(ip("198.51.7.7")));
        assertEquals(NO_ROUTE, table.lookup(ip("198.52.0.1")));
    }

    @Test
    void defaultRouteMatchesWhatNothingLongerMatches()
    {
        final Ipv4RouteTable.Builder builder = Ipv4RouteTable.builder();
        builder.add(0, 0, 7);
        builder.add(ip("192.0.2.0"), 24, 1);
        final Ipv4RouteTable table = builder.build();

        assertEquals(1, table.lookup(ip("192.0.2.1")));
        assertEquals(7, table.lookup(ip("0.0.0.0")));
        assertEquals(7, table.lookup(ip("203.0.113.9")));
        assertEquals(7, table.lookup(ip("255.255.255.255")));
    }

    @Test
    void hostRouteMatchesOnlyItsOwnAddress()
    {
        final Ipv4RouteTable.Builder builder = Ipv4RouteTable.builder();
        builder.add(ip("203.0.113.9"), 32, 3);
        builder.add(ip("0.0.0.0"), 32, 4);
        builder.add(ip("255.255.255.255"), 32, 5);
        final Ipv4RouteTable table = builder.build();

        assertEquals(3, table.lookup(ip("203.0.113.9")));
        assertEquals(NO_ROUTE, table.lookup(ip("203.0.113.8")));
        assertEquals(NO_ROUTE, table.lookup(ip("203.0.113.10")));
        assertEquals(4, table.lookup(0));
        assertEquals(NO_ROUTE, table.lookup(1));
        assertEquals(5, table.lookup(-1));
        assertEquals(NO_ROUTE, table.lookup(-2));
    }

    @Test
    void nestedPrefixesOfEveryLengthEachWinJustBelowTheirEnd()
    {
        final int address = ip("203.0.113.165");
        final Ipv4RouteTable.Builder builder = Ipv4RouteTable.builder();
        for (int length = 0; length <= 32; length++)
        {
            builder.add(address & mask(length), length, length);
        }
        final Ipv4RouteTable table = builder.build();

        assertEquals(33, table.size());
        assertEquals(32, table.lookup(address));
        for (int length = 0; length < 32; length++)
        {
            assertEquals(length, table.lookup(address ^ (1 << (31 - length))), "diverging after bit " + length);
        }
    }

    @Test
    void prefixesInTheUpperHalfOfTheAddressSpaceMatch()
    {
        final Ipv4RouteTable.Builder builder = Ipv4RouteTable.builder();
        builder.add(ip("224.0.0.0"), 4, 1);
        builder.add(ip("128.0.0.0"), 1, 2);
        final Ipv4RouteTable table = builder.build();

        assertEquals(1, table.lookup(ip("239.255.255.250")));
        assertEquals(2, table.lookup(ip("192.0.2.1")));
        assertEquals(NO_ROUTE, table.lookup(ip("127.0.0.1")));
    }

    @Test
    void removingAPrefixFallsBackToTheNextShorterOne()
    {
        final Ipv4RouteTable.Builder builder = Ipv4RouteTable.builder();
        builder.add(ip("198.51.0.0"), 16, 1);
        builder.add(ip("198.51.100.0"), 24, 2);
        assertEquals(2, builder.build().lookup(ip("198.51.100.1")));

        assertEquals(2, builder.remove(ip("198.51.100.0"), 24));
        final Ipv4RouteTable table = builder.build();

        assertEquals(1, table.size());
        assertEquals(1, table.lookup(ip("198.51.100.1")));
    }

    @Test
    void removeTouchesOnlyTheExactPrefix()
    {
        final Ipv4RouteTable.Builder builder = Ipv4RouteTable.builder();
        builder.add(ip("198.51.100.0"), 24, 1);

        assertEquals(NO_ROUTE, builder.remove(ip("198.51.100.0"), 25));
        assertEquals(NO_ROUTE, builder.remove(ip("198.51.0.0"), 16));
        assertEquals(1, builder.size());
        assertEquals(1, builder.build().lookup(ip("198.51.100.1")));
    }

    @Test
    void addingTheSamePrefixAgainReplacesItsValue()
    {
        final Ipv4RouteTable.Builder builder = Ipv4RouteTable.builder();
        assertEquals(NO_ROUTE, builder.add(ip("192.0.2.0"), 24, 1));
        assertEquals(1, builder.add(ip("192.0.2.0"), 24, 9));
        final Ipv4RouteTable table = builder.build();

        assertEquals(1, table.size());
        assertEquals(9, table.lookup(ip("192.0.2.1")));
    }

    @Test
    void emptyTableMatchesNothing()
    {
        final Ipv4RouteTable table = Ipv4RouteTable.builder().build();

        assertEquals(0, table.size());
        assertEquals(NO_ROUTE, table.lookup(0));
        assertEquals(NO_ROUTE, table.lookup(-1));
    }

    @Test
    void rejectsPrefixWithBitsSetBeyondItsLength()
    {
        final Ipv4RouteTable.Builder builder = Ipv4RouteTable.builder();

        assertThrows(IllegalArgumentException.class, () -> builder.add(ip("192.0.2.1"), 24, 1));
        assertThrows(IllegalArgumentException.class, () -> builder.add(ip("192.0.2.128"), 24, 1));
        assertThrows(IllegalArgumentException.class, () -> builder.add(ip("0.0.0.1"), 0, 1));
        assertThrows(IllegalArgumentException.class, () -> builder.remove(ip("192.0.2.1"), 31));
        assertEquals(0, builder.size());
    }

    @Test
    void rejectsLengthOutsideZeroTo32()
    {
        final Ipv4RouteTable.Builder builder = Ipv4RouteTable.builder();

        assertThrows(IllegalArgumentException.class, () -> builder.add(0, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> builder.add(0, 33, 1));
        assertThrows(IllegalArgumentException.class, () -> builder.remove(0, 33));
    }

    @Test
    void rejectsNegativeValueBecauseItWouldReadAsNoRoute()
    {
        final Ipv4RouteTable.Builder builder = Ipv4RouteTable.builder();

        assertThrows(IllegalArgumentException.class, () -> builder.add(ip("192.0.2.0"), 24, NO_ROUTE));
    }

    @Test
    void builtTableIsUnchangedByLaterBuilderEdits()
    {
        final Ipv4RouteTable.Builder builder = Ipv4RouteTable.builder();
        builder.add(ip("198.51.0.0"), 16, 1);
        final Ipv4RouteTable before = builder.build();

        builder.add(ip("198.51.0.0"), 16, 2);
        builder.add(ip("198.51.100.0"), 24, 3);
        final Ipv4RouteTable after = builder.build();

        assertEquals(1, before.lookup(ip("198.51.100.1")));
        assertEquals(1, before.size());
        assertEquals(3, after.lookup(ip("198.51.100.1")));
        assertEquals(2, after.size());
    }

    @Test
    void toBuilderStartsTheNextVersionFromTheTablesRoutes()
    {
        final Ipv4RouteTable.Builder builder = Ipv4RouteTable.builder();
        builder.add(ip("198.51.0.0"), 16, 1);
        builder.add(ip("198.51.100.0"), 24, 2);
        final Ipv4RouteTable first = builder.build();

        final Ipv4RouteTable.Builder next = first.toBuilder();
        assertEquals(2, next.remove(ip("198.51.100.0"), 24));
        next.add(ip("203.0.113.0"), 24, 4);
        final Ipv4RouteTable second = next.build();

        assertEquals(2, first.lookup(ip("198.51.100.1")));
        assertEquals(1, second.lookup(ip("198.51.100.1")));
        assertEquals(4, second.lookup(ip("203.0.113.1")));
        assertEquals(NO_ROUTE, first.lookup(ip("203.0.113.1")));
    }

    @Test
    void everyHostRouteOfADenseSubnetIsFoundExactly()
    {
        final int subnet = ip("198.51.0.0");
        final Ipv4RouteTable.Builder builder = Ipv4RouteTable.builder();
        builder.add(subnet, 16, 0);
        for (int host = 1; host < 65536; host += 2)
        {
            builder.add(subnet | host, 32, host);
        }
        final Ipv4RouteTable table = builder.build();

        assertTrue(table.trie().nodeCount() > 0, "a dense /16 should need trie nodes");
        for (int host = 0; host < 65536; host++)
        {
            assertEquals((host & 1) == 1 ? host : 0, table.lookup(subnet | host));
        }
    }

    static int ip(final String dotted)
    {
        final String[] parts = dotted.split("\\.");
        int address = 0;
        for (final String part : parts)
        {
            address = (address << 8) | Integer.parseInt(part);
        }
        return address;
    }

    private static int mask(final int length)
    {
        return 0 == length ? 0 : -1 << (32 - length);
    }
}
