package io.sixgate.nat64.address;

import java.nio.ByteBuffer;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.core.net.Ipv6Prefix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Rfc6052PrefixTest
{
    private static final int IPV4_192_0_2_33 = 0xC0000221;
    private static final int[] LENGTHS = { 32, 40, 48, 56, 64, 96 };

    /**
     * RFC 6052 §2.4, Table 1: 192.0.2.33 embedded under each prefix length.
     */
    @ParameterizedTest
    @CsvSource({
        "2001:db8::/32,          2001:db8:c000:221::",
        "2001:db8:100::/40,      2001:db8:1c0:2:21::",
        "2001:db8:122::/48,      2001:db8:122:c000:2:2100::",
        "2001:db8:122:300::/56,  2001:db8:122:3c0:0:221::",
        "2001:db8:122:344::/64,  2001:db8:122:344:c0:2:2100:0",
        "2001:db8:122:344::/96,  2001:db8:122:344::192.0.2.33",
    })
    void embedsAndExtractsRfc6052Table1(final String prefixText, final String expectedText)
    {
        final Rfc6052Prefix prefix = Rfc6052Prefix.parse(prefixText);
        final long[] expected = Ipv6Address.parse(expectedText);

        assertEquals(expected[0], prefix.high(IPV4_192_0_2_33), expectedText);
        assertEquals(expected[1], prefix.low(IPV4_192_0_2_33), expectedText);
        assertTrue(prefix.matches(expected[0], expected[1]));
        assertEquals(IPV4_192_0_2_33, prefix.extract(expected[0], expected[1]));

        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(24));
        prefix.embed(IPV4_192_0_2_33, buffer, 5);
        assertEquals(expected[0], Ipv6Address.readHigh(buffer, 5));
        assertEquals(expected[1], Ipv6Address.readLow(buffer, 5));
        assertTrue(prefix.matches(buffer, 5));
        assertEquals(IPV4_192_0_2_33, prefix.extract(buffer, 5));
    }

    @Test
    void embedsUnderSlash40SkippingUOctet()
    {
        final Rfc6052Prefix prefix = Rfc6052Prefix.parse("2001:db8:100::/40");
        final int ipv4 = Ipv4Address.parse("198.51.100.2");

        // The corpus's siit base setup: 198.51.100.2 = 2001:db8:1c6:3364:2::
        assertEquals("2001:db8:1c6:3364:2::", Ipv6Address.format(prefix.high(ipv4), prefix.low(ipv4)));
        assertEquals(0, prefix.low(ipv4) >>> 56, "u octet");
    }

    @Test
    void embedsUnderSlash96InTheLastBits()
    {
        final Rfc6052Prefix prefix = Rfc6052Prefix.parse("64:ff9b::/96", false);
        final int ipv4 = Ipv4Address.parse("192.0.2.5");

        assertEquals("64:ff9b::192.0.2.5", Ipv6Address.formatMixed(prefix.high(ipv4), prefix.low(ipv4)));
        assertEquals(ipv4, prefix.extract(prefix.high(ipv4), prefix.low(ipv4)));
    }

    @Test
    void embedsUnderSlash64AfterTheUOctet()
    {
        final Rfc6052Prefix prefix = Rfc6052Prefix.parse("2001:db8:1:2::/64");
        final int ipv4 = -1;    // 255.255.255.255: every embedded bit set

        assertEquals(0x20010db800010002L, prefix.high(ipv4));
        assertEquals(0x00FF_FFFF_FF00_0000L, prefix.low(ipv4));
        assertEquals(ipv4, prefix.extract(prefix.high(ipv4), prefix.low(ipv4)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2001::/16", "2001:db8::/31", "2001:db8::/33", "2001:db8::/44", "2001:db8::/72", "2001:db8::/80",
        "2001:db8::/88", "2001:db8::/95", "2001:db8::/97", "2001:db8::/104", "2001:db8::1/128", "::/0",
    })
    void rejectsLengthsOutsideRfc6052(final String text)
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> Rfc6052Prefix.parse(text));
        assertTrue(ex.getMessage().contains("32, 40, 48, 56, 64 or 96"), ex.getMessage());
    }

    @Test
    void rejectsUOctetBitsInShortPrefixes()
    {
        // Below /96 the u octet is outside the prefix: setting it is setting host bits.
        assertThrows(IllegalArgumentException.class, () -> Rfc6052Prefix.parse("2001:db8:100:0:100::/40"));
        assertThrows(IllegalArgumentException.class, () -> Rfc6052Prefix.parse("2001:db8:1:2:ff00::/64"));
        assertThrows(IllegalArgumentException.class, () -> Rfc6052Prefix.parse("2001:db8::1/96"));
        assertThrows(IllegalArgumentException.class, () -> new Rfc6052Prefix(null));
    }

    @Test
    void acceptsSlash96WithNonZeroUOctetLikeJool()
    {
        // Deliberate deviation from RFC 6052 §2.2 (RFC 7136 §5, NICMx/Jool#174).
        final Rfc6052Prefix prefix = Rfc6052Prefix.parse("2001:db8:0:0:ff00::/96");
        final int ipv4 = Ipv4Address.parse("203.0.113.7");

        assertTrue(prefix.matches(prefix.high(ipv4), prefix.low(ipv4)));
        assertEquals(ipv4, prefix.extract(prefix.high(ipv4), prefix.low(ipv4)));
        assertEquals("2001:db8::ff00:0:cb00:7107", Ipv6Address.format(prefix.high(ipv4), prefix.low(ipv4)));
    }

    @Test
    void matchRequiresZeroUOctetBelowSlash96()
    {
        for (final int length : LENGTHS)
        {
            if (96 == length)
            {
                continue;
            }
            final Rfc6052Prefix prefix = new Rfc6052Prefix(new Ipv6Prefix(0x20010db800000000L, 0, length));
            final long high = prefix.high(IPV4_192_0_2_33);
            final long low = prefix.low(IPV4_192_0_2_33);
            assertTrue(prefix.matches(high, low));
            for (int bit = 56; bit < 64; bit++)
            {
                assertFalse(prefix.matches(high, low | (1L << bit)), "/" + length + " u-octet bit " + bit);
            }
        }
    }

    @Test
    void matchIgnoresNonZeroSuffixLikeJool()
    {
        for (final int length : LENGTHS)
        {
            if (96 == length)
            {
                continue;
            }
            final Rfc6052Prefix prefix = new Rfc6052Prefix(new Ipv6Prefix(0x20010db800000000L, 0, length));
            final long high = prefix.high(IPV4_192_0_2_33);
            final long low = prefix.low(IPV4_192_0_2_33) | 1L;     // last bit is always suffix below /96

            assertTrue(prefix.matches(high, low), "/" + length);
            assertFalse(prefix.hasZeroSuffix(high, low), "/" + length);
            assertTrue(prefix.hasZeroSuffix(high, prefix.low(IPV4_192_0_2_33)), "/" + length);
            assertEquals(IPV4_192_0_2_33, prefix.extract(high, low), "/" + length);
        }
    }

    @Test
    void doesNotMatchAddressesOutsideThePrefix()
    {
        final Rfc6052Prefix p32 = Rfc6052Prefix.parse("2001:db8::/32");
        assertFalse(p32.matches(0x20010db9_c0000221L, 0));
        assertFalse(p32.matches(0x20010db7_c0000221L, 0));

        final Rfc6052Prefix p96 = Rfc6052Prefix.parse("64:ff9b::/96");
        assertFalse(p96.matches(0x0064ff9b00000000L, 0x0000_0001_C000_0221L));
        assertFalse(p96.matches(0x0064ff9b00000001L, 0xC000_0221L));
        assertTrue(p96.matches(0x0064ff9b00000000L, 0xC000_0221L));
    }

    @Test
    void randomRoundTripsForEveryLength()
    {
        final Random random = new Random(0x6052_6052L);
        for (final int length : LENGTHS)
        {
            for (int trial = 0; trial < 200; trial++)
            {
                long prefixHigh = random.nextLong() & Ipv6Prefix.maskHigh(length);
                long prefixLow = random.nextLong() & Ipv6Prefix.maskLow(length);
                if (trial % 3 == 0 && length == 96)
                {
                    prefixLow &= 0x00FF_FFFF_FFFF_FFFFL;    // zero u octet, the common case
                }
                final Rfc6052Prefix prefix = new Rfc6052Prefix(new Ipv6Prefix(prefixHigh, prefixLow, length));
                final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(16));

                for (int i = 0; i < 100; i++)
                {
                    final int ipv4 = random.nextInt();
                    final long high = prefix.high(ipv4);
                    final long low = prefix.low(ipv4);

                    assertTrue(prefix.prefix().contains(high, low));
                    assertTrue(prefix.matches(high, low));
                    assertTrue(prefix.hasZeroSuffix(high, low));
                    assertEquals(ipv4, prefix.extract(high, low), () -> "/" + length + " " + Ipv4Address.format(ipv4));

                    prefix.embed(ipv4, buffer, 0);
                    assertEquals(high, Ipv6Address.readHigh(buffer, 0));
                    assertEquals(low, Ipv6Address.readLow(buffer, 0));

                    // And from the IPv6 side: any matching address extracts to an IPv4 address that
                    // embeds back to it, suffix cleared.
                    final long anyLow = (random.nextLong() & ~0xFF00_0000_0000_0000L & ~Ipv6Prefix.maskLow(length)) |
                        prefixLow;
                    final long anyHigh = (random.nextLong() & ~Ipv6Prefix.maskHigh(length)) | prefixHigh;
                    assertTrue(prefix.matches(anyHigh, anyLow));
                    final int extracted = prefix.extract(anyHigh, anyLow);
                    assertEquals(anyHigh, prefix.high(extracted));
                    assertEquals(
                        prefix.hasZeroSuffix(anyHigh, anyLow), prefix.low(extracted) == anyLow, "/" + length);
                }
            }
        }
    }

    @Test
    void wkpDropsNonGlobalIpv4ByDefault()
    {
        // RFC 6052 §3.1
        final Rfc6052Prefix wkp = Rfc6052Prefix.parse("64:ff9b::/96");

        assertTrue(wkp.isWellKnown());
        assertTrue(wkp.wkpGlobalOnly());
        assertFalse(wkp.isTranslatable(Ipv4Address.parse("192.0.2.33")));
        assertFalse(wkp.isTranslatable(Ipv4Address.parse("10.1.2.3")));
        assertFalse(wkp.isTranslatable(Ipv4Address.parse("127.0.0.1")));
        assertTrue(wkp.isTranslatable(Ipv4Address.parse("8.8.8.8")));
    }

    @Test
    void wkpGlobalOnlyCanBeSwitchedOffForTheConformanceCorpus()
    {
        final Rfc6052Prefix wkp = Rfc6052Prefix.parse("64:ff9b::/96", false);

        assertEquals("nat64.wkp-global-only", Rfc6052Prefix.WKP_GLOBAL_ONLY_KEY);
        assertTrue(Rfc6052Prefix.WKP_GLOBAL_ONLY_DEFAULT);
        assertTrue(wkp.isWellKnown());
        assertFalse(wkp.wkpGlobalOnly());
        assertTrue(wkp.isTranslatable(Ipv4Address.parse("192.0.2.33")));
    }

    @Test
    void networkSpecificPrefixesTranslateNonGlobalIpv4()
    {
        final Rfc6052Prefix nsp = Rfc6052Prefix.parse("2001:db8:100::/40");
        final Rfc6052Prefix localUse = Rfc6052Prefix.parse("64:ff9b:1::/48");   // RFC 8215

        assertFalse(nsp.isWellKnown());
        assertFalse(localUse.isWellKnown());
        assertTrue(nsp.isTranslatable(Ipv4Address.parse("10.0.0.1")));
        assertTrue(localUse.isTranslatable(Ipv4Address.parse("192.168.1.1")));
    }

    @Test
    void validLengths()
    {
        for (int length = 0; length <= 128; length++)
        {
            final boolean expected = length == 32 || length == 40 || length == 48 || length == 56 || length == 64 ||
                length == 96;
            assertEquals(expected, Rfc6052Prefix.isValidLength(length), "/" + length);
        }
    }

    @Test
    void valueSemantics()
    {
        assertEquals(Rfc6052Prefix.parse("64:ff9b::/96"), new Rfc6052Prefix(Rfc6052Prefix.WELL_KNOWN_PREFIX));
        assertEquals(Rfc6052Prefix.parse("64:ff9b::/96").hashCode(),
            new Rfc6052Prefix(Rfc6052Prefix.WELL_KNOWN_PREFIX).hashCode());
        assertFalse(Rfc6052Prefix.parse("64:ff9b::/96").equals(Rfc6052Prefix.parse("64:ff9b::/96", false)));
        assertEquals("2001:db8:100::/40", Rfc6052Prefix.parse("2001:db8:100::/40").toString());
        assertEquals(40, Rfc6052Prefix.parse("2001:db8:100::/40").length());
    }

    @Test
    void hotPathDoesNotAllocate()
    {
        final Rfc6052Prefix prefix = Rfc6052Prefix.parse("2001:db8:100::/40");
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
        final long[] sink = new long[1];

        final long bytes = Allocations.bytesAllocatedBy(() ->
        {
            long acc = 0;
            for (int i = 0; i < 10_000; i++)
            {
                final long high = prefix.high(i);
                final long low = prefix.low(i);
                prefix.embed(i, buffer, 0);
                if (prefix.matches(high, low) && prefix.matches(buffer, 0) && prefix.isTranslatable(i))
                {
                    acc += prefix.extract(high, low) + prefix.extract(buffer, 0);
                }
            }
            sink[0] = acc;
        });

        assertEquals(0, bytes);
    }
}
