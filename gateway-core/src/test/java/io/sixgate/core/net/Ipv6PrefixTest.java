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

class Ipv6PrefixTest
{
    @ParameterizedTest
    @CsvSource({
        "::/0,                   ::/0",
        "2001:db8::/32,          2001:db8::/32",
        "2001:0DB8:0::/32,       2001:db8::/32",
        "64:ff9b::/96,           64:ff9b::/96",
        "2001:db8:100::/40,      2001:db8:100::/40",
        "::1/128,                ::1/128",
        "2001:db8::1,            2001:db8::1/128",
        "2001:db8:1c0:2::/72,    2001:db8:1c0:2::/72",
        "8000::/1,               8000::/1",
        "2001:db8::/127,         2001:db8::/127",
        "2001:db8:0:0:8000::/65, 2001:db8:0:0:8000::/65",
    })
    void parsesAndFormats(final String text, final String canonical)
    {
        assertEquals(canonical, Ipv6Prefix.parse(text).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2001:db8::/129", "2001:db8::/", "/32", "2001:db8::/032", "2001:db8::/32/1", "2001:db8::/-1",
        "2001:db8::/3a", "2001:db8::/ 32", "2001:db8::/1000", "2001:db8:::/32", "192.0.2.0/24", "", "::/+0",
    })
    void rejectsMalformedText(final String text)
    {
        assertThrows(IllegalArgumentException.class, () -> Ipv6Prefix.parse(text), text);
    }

    @Test
    void rejectsHostBitsSetAndSuggestsTheNetwork()
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> Ipv6Prefix.parse("2001:db8::1/32"));
        assertTrue(ex.getMessage().contains("host bits are set"), ex.getMessage());
        assertTrue(ex.getMessage().contains("did you mean 2001:db8::/32"), ex.getMessage());

        assertThrows(IllegalArgumentException.class, () -> Ipv6Prefix.parse("2001:db8:0:0:1::/64"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Prefix.parse("2001:db8::1/127"));
        assertThrows(IllegalArgumentException.class, () -> Ipv6Prefix.parse("::1/0"));
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Prefix(0, 1, 64));
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Prefix(0, 0, 129));
        assertThrows(IllegalArgumentException.class, () -> new Ipv6Prefix(0, 0, -1));
    }

    @Test
    void slashZeroContainsEverything()
    {
        final Ipv6Prefix all = Ipv6Prefix.parse("::/0");
        assertTrue(all.contains(0, 0));
        assertTrue(all.contains(-1L, -1L));
        assertTrue(all.contains(0x20010db800000000L, 1));
    }

    @Test
    void slash128ContainsOnlyItself()
    {
        final Ipv6Prefix host = Ipv6Prefix.parse("2001:db8::5/128");
        assertTrue(host.contains(0x20010db800000000L, 5));
        assertFalse(host.contains(0x20010db800000000L, 4));
        assertFalse(host.contains(0x20010db800000000L, 6));
        assertFalse(host.contains(0x20010db800000001L, 5));
    }

    @Test
    void slash32RespectsBoundaries()
    {
        final Ipv6Prefix prefix = Ipv6Prefix.parse("2001:db8::/32");
        assertTrue(prefix.contains(0x20010db800000000L, 0));
        assertTrue(prefix.contains(0x20010db8ffffffffL, -1L));
        assertFalse(prefix.contains(0x20010db9_00000000L, 0));
        assertFalse(prefix.contains(0x20010db7_ffffffffL, -1L));
    }

    @Test
    void prefixesAcrossTheHalvesRespectBoundaries()
    {
        final Ipv6Prefix p64 = Ipv6Prefix.parse("2001:db8:1:2::/64");
        assertTrue(p64.contains(0x20010db800010002L, -1L));
        assertFalse(p64.contains(0x20010db800010003L, 0));

        final Ipv6Prefix p65 = Ipv6Prefix.parse("2001:db8:1:2:8000::/65");
        assertTrue(p65.contains(0x20010db800010002L, 0x8000000000000000L));
        assertTrue(p65.contains(0x20010db800010002L, -1L));
        assertFalse(p65.contains(0x20010db800010002L, 0x7FFFFFFFFFFFFFFFL));

        final Ipv6Prefix p96 = Ipv6Prefix.parse("64:ff9b::/96");
        assertTrue(p96.contains(0x0064ff9b00000000L, 0xC0000221L));
        assertFalse(p96.contains(0x0064ff9b00000000L, 0x1_C0000221L));

        final Ipv6Prefix p127 = Ipv6Prefix.parse("2001:db8::2/127");
        assertTrue(p127.contains(0x20010db800000000L, 2));
        assertTrue(p127.contains(0x20010db800000000L, 3));
        assertFalse(p127.contains(0x20010db800000000L, 4));
        assertFalse(p127.contains(0x20010db800000000L, 1));
    }

    @Test
    void prefixContainmentAndOverlap()
    {
        final Ipv6Prefix p32 = Ipv6Prefix.parse("2001:db8::/32");
        final Ipv6Prefix p120 = Ipv6Prefix.parse("2001:db8:3::/120");
        final Ipv6Prefix other = Ipv6Prefix.parse("2001:db9::/32");

        assertTrue(p32.contains(p120));
        assertFalse(p120.contains(p32));
        assertTrue(p32.overlaps(p120));
        assertTrue(p120.overlaps(p32));
        assertFalse(p32.overlaps(other));
    }

    @Test
    void masks()
    {
        assertEquals(0L, Ipv6Prefix.maskHigh(0));
        assertEquals(0x8000000000000000L, Ipv6Prefix.maskHigh(1));
        assertEquals(0xFFFFFFFF00000000L, Ipv6Prefix.maskHigh(32));
        assertEquals(-1L, Ipv6Prefix.maskHigh(64));
        assertEquals(-1L, Ipv6Prefix.maskHigh(128));
        assertEquals(0L, Ipv6Prefix.maskLow(0));
        assertEquals(0L, Ipv6Prefix.maskLow(64));
        assertEquals(0x8000000000000000L, Ipv6Prefix.maskLow(65));
        assertEquals(0xFFFFFFFF00000000L, Ipv6Prefix.maskLow(96));
        assertEquals(0xFFFFFFFFFFFFFFFEL, Ipv6Prefix.maskLow(127));
        assertEquals(-1L, Ipv6Prefix.maskLow(128));
    }

    @Test
    void equalityIsByValue()
    {
        assertEquals(Ipv6Prefix.parse("2001:db8::/32"), new Ipv6Prefix(0x20010db800000000L, 0, 32));
        assertEquals(Ipv6Prefix.parse("2001:db8::/32").hashCode(), new Ipv6Prefix(0x20010db800000000L, 0, 32).hashCode());
        assertNotEquals(Ipv6Prefix.parse("2001:db8::/32"), Ipv6Prefix.parse("2001:db8::/33"));
    }
}
