package io.sixgate.nat64.address;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv4Prefix;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.core.net.Ipv6Prefix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EamTableTest
{
    @Test
    void mapsCorpusEntriesBothWays()
    {
        // The conformance corpus's siit base EAMT.
        final EamTable table = EamTable.builder()
            .add("1.0.0.0/24", "2001:db8:3::/120")
            .add("10.0.0.0/24", "2001:db8:2::/120")
            .build();

        assertMaps(table, "1.0.0.5", "2001:db8:3::5");
        assertMaps(table, "1.0.0.255", "2001:db8:3::ff");
        assertMaps(table, "10.0.0.0", "2001:db8:2::");
        assertEquals(2, table.size());
    }

    @Test
    void copiesIpv4SuffixRightAfterALongerIpv6Prefix()
    {
        // RFC 7757 §3.2: IPv4 suffix (8 bits) shorter than the IPv6 suffix (56 bits). From the corpus.
        final EamTable table = EamTable.builder()
            .add("192.0.2.0/24", "2001:db8:1c0:2::/72")
            .add("198.51.100.0/24", "2001:db8:1c6:3364::/72")
            .build();

        assertMaps(table, "192.0.2.33", "2001:db8:1c0:2:21::");
        assertMaps(table, "198.51.100.2", "2001:db8:1c6:3364:2::");

        // Trailing IPv6 bits beyond the copied suffix are ignored from 6 to 4.
        final long[] noisy = Ipv6Address.parse("2001:db8:1c0:2:21:ffff:1:2");
        assertEquals(Ipv4Address.parse("192.0.2.33"), (int)table.translate6to4(noisy[0], noisy[1]));
    }

    @Test
    void mapsAtBitLevelLikeJoolsExamples()
    {
        final EamTable table = EamTable.builder()
            .add("192.0.2.1/32", "2001:db8:aaaa::5/128")
            .add("198.51.100.0/24", "2001:db8:bbbb::/120")
            .add("203.0.113.8/29", "2001:db8:cccc::/125")
            .add("192.0.2.128/26", "2001:db8:dddd::/64")
            .build();

        assertMaps(table, "192.0.2.1", "2001:db8:aaaa::5");
        assertMaps(table, "198.51.100.254", "2001:db8:bbbb::fe");
        assertMaps(table, "203.0.113.8", "2001:db8:cccc::");
        assertMaps(table, "203.0.113.9", "2001:db8:cccc::1");
        assertMaps(table, "203.0.113.12", "2001:db8:cccc::4");
        assertMaps(table, "203.0.113.15", "2001:db8:cccc::7");
        assertMaps(table, "192.0.2.130", "2001:db8:dddd:0:800::");     // 6 suffix bits at bits 64-69
    }

    @Test
    void mapsSuffixesThatStraddleTheTwoHalves()
    {
        final EamTable table = EamTable.builder()
            .add("0.0.0.0/0", "2001:db8:1::/48")           // 32 bits at 48-79
            .build();
        assertMaps(table, "1.2.3.4", "2001:db8:1:102:304::");
        assertMaps(table, "255.255.255.255", "2001:db8:1:ffff:ffff::");

        final EamTable table56 = EamTable.builder()
            .add("10.0.0.0/8", "2001:db8:100::/40")        // 24 bits at 40-63, all in the high half
            .add("192.0.2.0/24", "2001:db8:0:100::/56")    // 8 bits at 56-63
            .add("198.51.100.0/24", "2001:db8:0:200::/60") // 8 bits at 60-67: 4 in each half
            .build();
        assertMaps(table56, "10.1.2.3", "2001:db8:101:203::");
        assertMaps(table56, "192.0.2.171", "2001:db8:0:1ab::");
        assertMaps(table56, "198.51.100.171", "2001:db8:0:20a:b000::");
    }

    @Test
    void eamtLongestMatchWins()
    {
        // RFC 7757 §3.3, Jool's documented example: nested IPv4 prefixes.
        final EamTable table = EamTable.builder()
            .add("192.0.2.0/24", "2001:db8:aaaa::/120")
            .addOverlapping(Ipv4Prefix.parse("192.0.2.8/29"), Ipv6Prefix.parse("2001:db8:bbbb::/125"))
            .build();

        assertEquals("2001:db8:bbbb::1", to6(table, "192.0.2.9"));
        assertEquals("2001:db8:aaaa::7", to6(table, "192.0.2.7"));
        assertEquals("2001:db8:aaaa::10", to6(table, "192.0.2.16"));
        // The asymmetry the overlap creates: 2001:db8:aaaa::9 -> 192.0.2.9 -> 2001:db8:bbbb::1.
        assertEquals("192.0.2.9", to4(table, "2001:db8:aaaa::9"));
        assertEquals("192.0.2.9", to4(table, "2001:db8:bbbb::1"));
    }

    @Test
    void eamtLongestMatchWinsOnTheIpv6SideWhateverTheInsertionOrder()
    {
        final Ipv4Prefix wide4 = Ipv4Prefix.parse("192.0.2.0/24");
        final Ipv6Prefix wide6 = Ipv6Prefix.parse("2001:db8:1::/120");
        final Ipv4Prefix narrow4 = Ipv4Prefix.parse("198.51.100.0/25");
        final Ipv6Prefix narrow6 = Ipv6Prefix.parse("2001:db8:1::80/121");

        final EamTable wideFirst = EamTable.builder().add(wide4, wide6).addOverlapping(narrow4, narrow6).build();
        final EamTable narrowFirst = EamTable.builder().add(narrow4, narrow6).addOverlapping(wide4, wide6).build();

        for (final EamTable table : new EamTable[]{ wideFirst, narrowFirst })
        {
            assertEquals("198.51.100.1", to4(table, "2001:db8:1::81"));
            assertEquals("198.51.100.127", to4(table, "2001:db8:1::ff"));
            assertEquals("192.0.2.1", to4(table, "2001:db8:1::1"));
            assertEquals("192.0.2.127", to4(table, "2001:db8:1::7f"));
        }
    }

    @Test
    void rejectsOverlappingEamtEntries()
    {
        final EamTable.Builder builder = EamTable.builder().add("192.0.2.0/24", "2001:db8:aaaa::/120");

        final IllegalArgumentException nested4 = assertThrows(
            IllegalArgumentException.class, () -> builder.add("192.0.2.8/29", "2001:db8:bbbb::/125"));
        assertTrue(nested4.getMessage().contains("IPv4 prefix 192.0.2.8/29 overlaps EAM 192.0.2.0/24 <-> " +
            "2001:db8:aaaa::/120"), nested4.getMessage());

        final IllegalArgumentException containing4 = assertThrows(
            IllegalArgumentException.class, () -> builder.add("192.0.0.0/16", "2001:db8:cccc::/112"));
        assertTrue(containing4.getMessage().contains("overlaps"), containing4.getMessage());

        final IllegalArgumentException nested6 = assertThrows(
            IllegalArgumentException.class, () -> builder.add("198.51.100.0/28", "2001:db8:aaaa::10/124"));
        assertTrue(nested6.getMessage().contains("IPv6 prefix 2001:db8:aaaa::10/124 overlaps"), nested6.getMessage());

        // The failed adds left the builder unchanged.
        assertEquals(1, builder.build().size());
    }

    @Test
    void rejectsRepeatedPrefixesEvenWhenOverlapIsAllowed()
    {
        final EamTable.Builder builder = EamTable.builder().add("192.0.2.0/24", "2001:db8:aaaa::/120");

        final IllegalArgumentException same4 = assertThrows(IllegalArgumentException.class, () ->
            builder.addOverlapping(Ipv4Prefix.parse("192.0.2.0/24"), Ipv6Prefix.parse("2001:db8:bbbb::/120")));
        assertTrue(same4.getMessage().contains("already mapped"), same4.getMessage());

        final IllegalArgumentException same6 = assertThrows(IllegalArgumentException.class, () ->
            builder.addOverlapping(Ipv4Prefix.parse("198.51.100.0/24"), Ipv6Prefix.parse("2001:db8:aaaa::/120")));
        assertTrue(same6.getMessage().contains("already mapped"), same6.getMessage());
    }

    @Test
    void rejectsIpv4SuffixLongerThanIpv6Suffix()
    {
        final IllegalArgumentException ex = assertThrows(
            IllegalArgumentException.class, () -> EamTable.builder().add("192.0.2.0/24", "2001:db8::/121"));
        assertTrue(ex.getMessage().contains("RFC 7757 §3.2"), ex.getMessage());
        assertTrue(ex.getMessage().contains("8 bits") && ex.getMessage().contains("7 bits"), ex.getMessage());

        assertThrows(IllegalArgumentException.class, () -> new EamTable.Entry(null, Ipv6Prefix.parse("::/0")));
    }

    @Test
    void missesReportNotFoundAndLeaveTheBufferAlone()
    {
        final EamTable table = EamTable.builder().add("192.0.2.0/24", "2001:db8:aaaa::/120").build();
        final long[] outside = Ipv6Address.parse("2001:db8:aaaa::1:0");
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(16));

        assertEquals(EamTable.NOT_FOUND, table.findByIpv6(outside[0], outside[1]));
        assertEquals(EamTable.NO_MAPPING, table.translate6to4(outside[0], outside[1]));
        assertEquals(EamTable.NOT_FOUND, table.findByIpv4(Ipv4Address.parse("192.0.3.0")));
        assertFalse(table.translate4to6(Ipv4Address.parse("192.0.3.0"), buffer, 0));
        assertEquals(0L, buffer.getLong(0));
        assertEquals(0L, buffer.getLong(8));

        assertEquals(EamTable.NOT_FOUND, EamTable.empty().findByIpv4(0));
        assertEquals(EamTable.NO_MAPPING, EamTable.empty().translate6to4(0, 0));
        assertEquals(0, EamTable.empty().size());
    }

    @Test
    void broadcastResultIsNotMistakenForAMiss()
    {
        final EamTable table = EamTable.builder().add("255.255.255.255/32", "2001:db8::ff/128").build();

        assertEquals(0xFFFF_FFFFL, table.translate6to4(0x20010db800000000L, 0xFF));
        assertTrue(table.translate6to4(0x20010db800000000L, 0xFF) != EamTable.NO_MAPPING);
    }

    @Test
    void answersTheHairpinningQuestion()
    {
        // RFC 7757 §4: is the IPv4 address obtained through pool6 inside an EAM IPv4 prefix?
        final EamTable table = EamTable.builder().add("192.0.2.0/24", "2001:db8:1c0:2::/72").build();

        assertTrue(table.containsIpv4(Ipv4Address.parse("192.0.2.33")));
        assertFalse(table.containsIpv4(Ipv4Address.parse("198.51.100.2")));
        final long[] inside = Ipv6Address.parse("2001:db8:1c0:2:21::");
        final long[] outside = Ipv6Address.parse("2001:db8:1c6:3364:2::");
        assertTrue(table.containsIpv6(inside[0], inside[1]));
        assertFalse(table.containsIpv6(outside[0], outside[1]));
    }

    @Test
    void randomRoundTripsAgainstABigIntegerModel()
    {
        final Random random = new Random(0x7757L);
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(16));

        for (int trial = 0; trial < 2_000; trial++)
        {
            final int length4 = random.nextInt(33);
            final int suffix4 = 32 - length4;
            final int length6 = random.nextInt(128 - suffix4 + 1);     // IPv6 suffix >= IPv4 suffix
            final Ipv4Prefix p4 = new Ipv4Prefix(random.nextInt() & Ipv4Prefix.mask(length4), length4);
            final Ipv6Prefix p6 = new Ipv6Prefix(
                random.nextLong() & Ipv6Prefix.maskHigh(length6), random.nextLong() & Ipv6Prefix.maskLow(length6), length6);
            final EamTable table = EamTable.builder().add(p4, p6).build();

            for (int i = 0; i < 20; i++)
            {
                final int ipv4 = p4.address() | (random.nextInt() & ~Ipv4Prefix.mask(length4));
                final int entry = table.findByIpv4(ipv4);
                assertEquals(0, entry);

                final BigInteger expected = toBig(p6.high(), p6.low()).or(
                    BigInteger.valueOf(ipv4 & ~Ipv4Prefix.mask(length4) & 0xFFFF_FFFFL).shiftLeft(128 - length6 - suffix4));
                final long high = table.toIpv6High(entry, ipv4);
                final long low = table.toIpv6Low(entry, ipv4);
                assertEquals(expected, toBig(high, low), () -> p4 + " <-> " + p6 + " " + Ipv4Address.format(ipv4));

                assertTrue(table.translate4to6(ipv4, buffer, 0));
                assertEquals(high, Ipv6Address.readHigh(buffer, 0));
                assertEquals(low, Ipv6Address.readLow(buffer, 0));

                assertEquals(0, table.findByIpv6(high, low));
                assertEquals(ipv4, table.toIpv4(0, high, low), () -> p4 + " <-> " + p6);
                assertEquals(ipv4 & 0xFFFF_FFFFL, table.translate6to4(high, low));
            }
        }
    }

    @Test
    void entriesAreListedInInsertionOrder()
    {
        final EamTable table = EamTable.builder()
            .add("10.0.0.0/24", "2001:db8:2::/120")
            .add("1.0.0.0/24", "2001:db8:3::/120")
            .build();

        assertEquals(Ipv4Prefix.parse("10.0.0.0/24"), table.entry(0).ipv4());
        assertEquals(Ipv6Prefix.parse("2001:db8:3::/120"), table.entries().get(1).ipv6());
        assertEquals("EamTable{10.0.0.0/24 <-> 2001:db8:2::/120, 1.0.0.0/24 <-> 2001:db8:3::/120}", table.toString());
    }

    @Test
    void lookupsDoNotAllocate()
    {
        final EamTable table = EamTable.builder()
            .add("1.0.0.0/24", "2001:db8:3::/120")
            .add("10.0.0.0/24", "2001:db8:2::/120")
            .add("192.0.2.0/24", "2001:db8:1c0:2::/72")
            .build();
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
        final long[] sink = new long[1];

        final long bytes = Allocations.bytesAllocatedBy(() ->
        {
            long acc = 0;
            for (int i = 0; i < 10_000; i++)
            {
                final int ipv4 = 0xC0000200 | (i & 0xFF);
                final int entry = table.findByIpv4(ipv4);
                final long high = table.toIpv6High(entry, ipv4);
                final long low = table.toIpv6Low(entry, ipv4);
                acc += table.translate6to4(high, low) + table.toIpv4(table.findByIpv6(high, low), high, low);
                acc += table.translate4to6(ipv4, buffer, 0) && table.containsIpv4(ipv4) ? 1 : 0;
            }
            sink[0] = acc;
        });

        assertEquals(0, bytes);
    }

    private static void assertMaps(final EamTable table, final String ipv4Text, final String ipv6Text)
    {
        assertEquals(ipv6Text, to6(table, ipv4Text), ipv4Text);
        assertEquals(ipv4Text, to4(table, ipv6Text), ipv6Text);
    }

    private static String to6(final EamTable table, final String ipv4Text)
    {
        final int ipv4 = Ipv4Address.parse(ipv4Text);
        final int entry = table.findByIpv4(ipv4);
        assertTrue(entry >= 0, ipv4Text);
        return Ipv6Address.format(table.toIpv6High(entry, ipv4), table.toIpv6Low(entry, ipv4));
    }

    private static String to4(final EamTable table, final String ipv6Text)
    {
        final long[] ipv6 = Ipv6Address.parse(ipv6Text);
        final long result = table.translate6to4(ipv6[0], ipv6[1]);
        assertTrue(result != EamTable.NO_MAPPING, ipv6Text);
        return Ipv4Address.format((int)result);
    }

    private static BigInteger toBig(final long high, final long low)
    {
        return new BigInteger(1, ByteBuffer.allocate(16).putLong(high).putLong(low).array());
    }
}
