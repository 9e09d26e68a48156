package io.sixgate.core.net;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv6AddressTest
{
    @ParameterizedTest
    @CsvSource({
        "'::',                                      00000000000000000000000000000000",
        "'0:0:0:0:0:0:0:0',                         00000000000000000000000000000000",
        "'::1',                                     00000000000000000000000000000001",
        "'1::',                                     00010000000000000000000000000000",
        "'2001:db8::1',                             20010db8000000000000000000000001",
        "'2001:DB8::AbCd',                          20010db800000000000000000000abcd",
        "'2001:0db8:0000:0000:0000:0000:0000:0001', 20010db8000000000000000000000001",
        "'1:2:3:4:5:6:7:8',                         00010002000300040005000600070008",
        "'1:2:3:4:5:6:7::',                         00010002000300040005000600070000",
        "'::2:3:4:5:6:7:8',                         00000002000300040005000600070008",
        "'1::8',                                    00010000000000000000000000000008",
        "'1:2::7:8',                                00010002000000000000000000070008",
        "'fe80::1:2',                               fe800000000000000000000000010002",
        "'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', ffffffffffffffffffffffffffffffff",
        "'::ffff:192.0.2.1',                        00000000000000000000ffffc0000201",
        "'64:ff9b::192.0.2.33',                     0064ff9b0000000000000000c0000221",
        "'1:2:3:4:5:6:1.2.3.4',                     00010002000300040005000601020304",
        "'1::1.2.3.4',                              00010000000000000000000001020304",
        "'::0.0.0.0',                               00000000000000000000000000000000",
        "'::255.255.255.255',                       000000000000000000000000ffffffff",
        "'2001:db8:122:344::192.0.2.33',            20010db80122034400000000c0000221",
    })
    void parsesRfc4291TextForms(final String text, final String hex)
    {
        assertArrayEquals(
            new long[]{ Long.parseUnsignedLong(hex.substring(0, 16), 16), Long.parseUnsignedLong(hex.substring(16), 16) },
            Ipv6Address.parse(text),
            text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", ":", ":::", "1:", ":1", ":1::", "1::2:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::",
        "::1:2:3:4:5:6:7:8", "1::2::3", "1:::2", "12345::", "::12345", "g::", "::g", "::1%eth0", "[::1]", " ::1",
        "::1 ", "::1\n", "::1\u0000", "::1.2.3", "::1.2.3.4.5", "::256.0.0.1", "::01.2.3.4", "::1.2.3.4:5",
        "1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:6:1.2.3.4:8", "::1.2.3.4::", "2001:db8::/32", "::-1",
        "::+1", "::0x1", "\uff11::", "2001:db8:0:0:0:0:0:0:1", "1:2:3:4:5:6:7:8:",
        "1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb",
    })
    void rejectsMalformedText(final String text)
    {
        assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse(text), text);
    }

    @Test
    void rejectsNull()
    {
        assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse(null));
    }

    @Test
    void errorMessagesSayWhatIsWrong()
    {
        assertMessageContains("1::2::3", "more than one '::'");
        assertMessageContains("12345::", "more than 4 hex digits");
        assertMessageContains("1:2:3:4:5:6:7", "expected 8 groups, found 7");
        assertMessageContains("1:2:3:4:5:6:7:8::", "'::' with 8 explicit groups");
        assertMessageContains(":1::", "starts with a single ':'");
        assertMessageContains("1::2:", "ends with a single ':'");
        assertMessageContains("::1%eth0", "unexpected character '%' at index 3");
        assertMessageContains("::01.2.3.4", "leading zero");
        assertMessageContains("::1\u0000", "\\u0000");
    }

    @ParameterizedTest
    @CsvSource({
        // RFC 5952 §4.1 no leading zeros, §4.3 lower case
        "'2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'",
        "'2001:DB8::AAAA',                          '2001:db8::aaaa'",
        // §4.2.1 shorten as much as possible
        "'2001:db8:0:0:0:0:2:1',                    '2001:db8::2:1'",
        // §4.2.2 a single 16-bit zero group is not shortened
        "'2001:db8:0:1:1:1:1:1',                    '2001:db8:0:1:1:1:1:1'",
        // §4.2.3 the longest run is shortened; on a tie, the first
        "'2001:0:0:1:0:0:0:1',                      '2001:0:0:1::1'",
        "'2001:db8:0:0:1:0:0:1',                    '2001:db8::1:0:0:1'",
        "'0:1:0:0:0:1:0:0',                         '0:1::1:0:0'",
        "'1:0:0:2:0:0:0:3',                         '1:0:0:2::3'",
        "'::',                                      '::'",
        "'::1',                                     '::1'",
        "'1::',                                     '1::'",
        "'2001:db8:0:0:0:0:0:0',                    '2001:db8::'",
        "'1:2:3:4:5:6:7:8',                         '1:2:3:4:5:6:7:8'",
        "'1:2:3:4:5:6:7:0',                         '1:2:3:4:5:6:7:0'",
        "'0:2:3:4:5:6:7:8',                         '0:2:3:4:5:6:7:8'",
        // §5 mixed notation for IPv4-mapped and IPv4-translated addresses only
        "'::ffff:c000:201',                         '::ffff:192.0.2.1'",
        "'::ffff:0:c000:201',                       '::ffff:0:192.0.2.1'",
        "'::c000:221',                              '::c000:221'",
        "'64:ff9b::c000:221',                       '64:ff9b::c000:221'",
    })
    void formatsPerRfc5952(final String text, final String canonical)
    {
        final long[] address = Ipv6Address.parse(text);
        assertEquals(canonical, Ipv6Address.format(address[0], address[1]));
    }

    @ParameterizedTest
    @CsvSource({
        "'64:ff9b::c000:221',          '64:ff9b::192.0.2.33'",
        "'2001:db8:122:344::c000:221', '2001:db8:122:344::192.0.2.33'",
        "'::',                         '::0.0.0.0'",
        "'1:2:3:4:5:6:7:8',            '1:2:3:4:5:6:0.7.0.8'",
        "'1:0:0:0:0:0:0:8',            '1::0.0.0.8'",
    })
    void formatsMixedNotationOnRequest(final String text, final String mixed)
    {
        final long[] address = Ipv6Address.parse(text);
        assertEquals(mixed, Ipv6Address.formatMixed(address[0], address[1]));
    }

    @Test
    void formatThenParseRoundTripsRandomAddresses()
    {
        final Random random = new Random(0x6A7E_6000L);
        for (int i = 0; i < 20_000; i++)
        {
            final long high = sparse(random);
            final long low = sparse(random);
            final long[] parsed = Ipv6Address.parse(Ipv6Address.format(high, low));
            assertEquals(high, parsed[0]);
            assertEquals(low, parsed[1]);
            final long[] parsedMixed = Ipv6Address.parse(Ipv6Address.formatMixed(high, low));
            assertEquals(high, parsedMixed[0]);
            assertEquals(low, parsedMixed[1]);
        }
    }

    @Test
    void parsesFullFormWithRandomLeadingZerosAndCase()
    {
        final Random random = new Random(42);
        for (int i = 0; i < 5_000; i++)
        {
            final long high = sparse(random);
            final long low = sparse(random);
            final StringBuilder sb = new StringBuilder();
            for (int g = 0; g < 8; g++)
            {
                if (g > 0)
                {
                    sb.append(':');
                }
                final String hex = Integer.toHexString(Ipv6Address.group(high, low, g));
                sb.append("0000", 0, random.nextInt(5 - hex.length()))
                    .append(random.nextBoolean() ? hex : hex.toUpperCase(Locale.ROOT));
            }
            final long[] parsed = Ipv6Address.parse(sb);
            assertEquals(high, parsed[0], sb::toString);
            assertEquals(low, parsed[1], sb::toString);
        }
    }

    @Test
    void formattedTextIsCanonical()
    {
        final Random random = new Random(7);
        for (int i = 0; i < 20_000; i++)
        {
            final String text = Ipv6Address.format(sparse(random), sparse(random));
            assertTrue(text.equals(text.toLowerCase(Locale.ROOT)), text);
            assertTrue(!text.contains(":::") && text.indexOf("::") == text.lastIndexOf("::"), text);
            assertTrue(!text.matches(".*(^|:)0[0-9a-f].*"), text);
            if (!text.contains("::"))
            {
                assertTrue(!text.matches("(^|.*:)0:0(:.*|$)"), text);    // a run of zero groups left uncompressed
            }
        }
    }

    @Test
    void extractsGroups()
    {
        final long[] address = Ipv6Address.parse("1:2:3:4:5:6:7:ffff");
        for (int g = 0; g < 7; g++)
        {
            assertEquals(g + 1, Ipv6Address.group(address[0], address[1], g));
        }
        assertEquals(0xFFFF, Ipv6Address.group(address[0], address[1], 7));
    }

    @Test
    void readsAndWritesInNetworkByteOrder()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(20));
        final long[] address = Ipv6Address.parse("2001:db8:1:2:3:4:5:6");
        Ipv6Address.write(buffer, 2, address[0], address[1]);

        final byte[] expected = {
            0x20, 0x01, 0x0d, (byte)0xb8, 0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6,
        };
        final byte[] actual = new byte[16];
        buffer.getBytes(2, actual);
        assertArrayEquals(expected, actual);
        assertEquals(0, buffer.getByte(1));
        assertEquals(0, buffer.getByte(18));
        assertEquals(address[0], Ipv6Address.readHigh(buffer, 2));
        assertEquals(address[1], Ipv6Address.readLow(buffer, 2));
    }

    /**
     * Random 64 bits with random 16-bit groups cleared, so runs of zeros get exercised.
     */
    private static long sparse(final Random random)
    {
        long value = random.nextLong();
        for (int g = 0; g < 4; g++)
        {
            if (random.nextInt(3) == 0)
            {
                value &= ~(0xFFFFL << (g * 16));
            }
        }
        return value;
    }

    private static void assertMessageContains(final String text, final String expected)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> Ipv6Address.parse(text));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }
}
