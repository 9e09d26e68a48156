package io.sixgate.core.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4PrefixTest
{
    @ParameterizedTest
    @CsvSource({
        "0.0.0.0/0,       0.0.0.0/0",
        "192.0.2.0/24,    192.0.2.0/24",
        "192.0.2.1/32,    192.0.2.1/32",
        "192.0.2.1,       192.0.2.1/32",
        "10.0.0.0/8,      10.0.0.0/8",
        "203.0.113.8/29,  203.0.113.8/29",
        "128.0.0.0/1,     128.0.0.0/1",
    })
    void parsesAndFormats(final String text, final String canonical)
    {
        assertEquals(canonical, Ipv4Prefix.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "192.0.2.0/33", "192.0.2.0/", "/24", "192.0.2.0/024", "192.0.2.0/24/1", "192.0.2.0/-1", "192.0.2.0/+24",
        "192.0.2.0/2a", "192.0.2.0/ 24", "192.0.2/24", "192.0.2.0/1000", "", "::/0",
    })
    void rejectsMalformedText(final String text)
    {
        assertThrows(IllegalArgumentException.class, () -> Ipv4Prefix.parse(text), text);
    }

    @Test
    void rejectsHostBitsSetAndSuggestsTheNetwork()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> Ipv4Prefix.parse("192.0.2.1/24"));
        assertTrue(ex.getMessage().contains("host bits are set"), ex.getMessage());
        assertTrue(ex.getMessage().contains("192.0.2.0/24"), ex.getMessage());

        assertThrows(IllegalArgumentException.class, () -> new Ipv4Prefix(0xC0000201, 24));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Prefix(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Prefix(0, 33));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Prefix(0, -1));
    }

    @Test
    void slashZeroContainsEverything()
    {
        final Ipv4Prefix all = Ipv4Prefix.parse("0.0.0.0/0");
        assertTrue(all.contains(0));
        assertTrue(all.contains(-1));
        assertTrue(all.contains(0xC0000201));
        assertEquals(1L << 32, all.size());
    }

    @Test
    void slash32ContainsOnlyItself()
    {
        final Ipv4Prefix host = Ipv4Prefix.parse("192.0.2.1/32");
        assertTrue(host.contains(Ipv4Address.parse("192.0.2.1")));
        assertFalse(host.contains(Ipv4Address.parse("192.0.2.0")));
        assertFalse(host.contains(Ipv4Address.parse("192.0.2.2")));
        assertEquals(1, host.size());
    }

    @Test
    void containsRespectsBoundaries()
    {
        final Ipv4Prefix prefix = Ipv4Prefix.parse("198.51.100.0/24");
        assertTrue(prefix.contains(Ipv4Address.parse("198.51.100.0")));
        assertTrue(prefix.contains(Ipv4Address.parse("198.51.100.255")));
        assertFalse(prefix.contains(Ipv4Address.parse("198.51.99.255")));
        assertFalse(prefix.contains(Ipv4Address.parse("198.51.101.0")));

        final Ipv4Prefix upperHalf = Ipv4Prefix.parse("128.0.0.0/1");
        assertTrue(upperHalf.contains(-1));
        assertFalse(upperHalf.contains(0x7FFFFFFF));
    }

    @Test
    void prefixContainmentAndOverlap()
    {
        final Ipv4Prefix p24 = Ipv4Prefix.parse("192.0.2.0/24");
        final Ipv4Prefix p29 = Ipv4Prefix.parse("192.0.2.8/29");
        final Ipv4Prefix other = Ipv4Prefix.parse("198.51.100.0/24");

        assertTrue(p24.contains(p29));
        assertFalse(p29.contains(p24));
        assertTrue(p24.overlaps(p29));
        assertTrue(p29.overlaps(p24));
        assertFalse(p24.overlaps(other));
        assertTrue(p24.contains(p24));
    }

    @Test
    void masks()
    {
        assertEquals(0, Ipv4Prefix.mask(0));
        assertEquals(0x80000000, Ipv4Prefix.mask(1));
        assertEquals(0xFFFFFF00, Ipv4Prefix.mask(24));
        assertEquals(0xFFFFFFFE, Ipv4Prefix.mask(31));
        assertEquals(0xFFFFFFFF, Ipv4Prefix.mask(32));
        assertEquals(0xFFFF0000, Ipv4Prefix.parse("10.1.0.0/16").netmask());
    }

    @Test
    void equalityIsByValue()
    {
        assertEquals(Ipv4Prefix.parse("192.0.2.0/24"), new Ipv4Prefix(0xC0000200, 24));
        assertEquals(Ipv4Prefix.parse("192.0.2.0/24").hashCode(), new Ipv4Prefix(0xC0000200, 24).hashCode());
        assertNotEquals(Ipv4Prefix.parse("192.0.2.0/24"), Ipv4Prefix.parse("192.0.2.0/25"));
    }
}
