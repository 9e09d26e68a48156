package io.sixgate.core.net;

import java.nio.ByteBuffer;
import java.util.Random;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv4AddressTest
{
    @ParameterizedTest
    @CsvSource({
        "0.0.0.0, 0x00000000",
        "255.255.255.255, 0xFFFFFFFF",
        "192.0.2.1, 0xC0000201",
        "10.0.0.0, 0x0A000000",
        "1.2.3.4, 0x01020304",
        "203.0.113.8, 0xCB007108",
    })
    void parsesDottedQuad(final String text, final String hex)
    {
        assertEquals(Integer.parseUnsignedInt(hex.substring(2), 16), Ipv4Address.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "1.2.3.1000", "01.2.3.4", "1.2.3.04", "1.2.3.00",
        "1..2.3", ".1.2.3", "1.2.3.", "1.2.3.4.", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4/24", "a.b.c.d", "1.2.3.-4",
        "+1.2.3.4", "0x1.2.3.4", "1.2.3.4\n", "\u0661.2.3.4", "127.1", "4294967295", "1,2,3,4", "::1", "localhost",
    })
    void rejectsMalformedText(final String text)
    {
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(text));
    }

    @Test
    void rejectsNull()
    {
        assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(null));
    }

    @Test
    void errorMessagesSayWhatIsWrong()
    {
        assertMessageContains("01.2.3.4", "leading zero");
        assertMessageContains("1.2.3.300", "greater than 255");
        assertMessageContains("1.2.3", "expected 4 octets, found 3");
        assertMessageContains("1.2.x.4", "unexpected character 'x' at index 4");
        assertMessageContains("1.2..4", "octet 3 is empty");
        assertMessageContains("1.2.3.4.", "after the 4th octet");
    }

    @ParameterizedTest
    @CsvSource({
        "0x00000000, 0.0.0.0",
        "0xFFFFFFFF, 255.255.255.255",
        "0xC0000221, 192.0.2.33",
        "0x7F000001, 127.0.0.1",
    })
    void formatsDottedQuad(final String hex, final String text)
    {
        assertEquals(text, Ipv4Address.format(Integer.parseUnsignedInt(hex.substring(2), 16)));
    }

    @Test
    void formatThenParseRoundTripsRandomAddresses()
    {
        final Random random = new Random(0x5157_6A7EL);
        for (int i = 0; i < 10_000; i++)
        {
            final int address = random.nextInt();
            assertEquals(address, Ipv4Address.parse(Ipv4Address.format(address)));
        }
    }

    @Test
    void readsAndWritesInNetworkByteOrder()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(8));
        Ipv4Address.write(buffer, 3, 0xC0000201);

        assertEquals((byte)192, buffer.getByte(3));
        assertEquals((byte)0, buffer.getByte(4));
        assertEquals((byte)2, buffer.getByte(5));
        assertEquals((byte)1, buffer.getByte(6));
        assertEquals(0, buffer.getByte(2));
        assertEquals(0, buffer.getByte(7));
        assertEquals(0xC0000201, Ipv4Address.read(buffer, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0.0.0.0", "0.255.255.255", "10.0.0.0", "10.255.255.255", "100.64.0.0", "100.127.255.255", "127.0.0.0",
        "127.255.255.255", "169.254.0.0", "169.254.255.255", "172.16.0.0", "172.31.255.255", "192.0.0.0",
        "192.0.0.255", "192.0.2.0", "192.0.2.255", "192.88.99.0", "192.88.99.255", "192.168.0.0",
        "192.168.255.255", "198.18.0.0", "198.19.255.255", "198.51.100.0", "198.51.100.255", "203.0.113.0",
        "203.0.113.255", "224.0.0.0", "239.255.255.255", "240.0.0.0", "255.255.255.254", "255.255.255.255",
    })
    void specialPurposeAddressesAreNotGlobal(final String text)
    {
        assertFalse(Ipv4Address.isGlobalIpv4(Ipv4Address.parse(text)), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1.0.0.0", "8.8.8.8", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0", "126.255.255.255",
        "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "191.255.255.255",
        "192.0.1.0", "192.0.3.0", "192.1.0.0", "192.88.98.255", "192.88.100.0", "192.167.255.255", "192.169.0.0",
        "198.17.255.255", "198.20.0.0", "198.51.99.255", "198.51.101.0", "203.0.112.255", "203.0.114.0",
        "223.255.255.255",
    })
    void addressesJustOutsideSpecialBlocksAreGlobal(final String text)
    {
        assertTrue(Ipv4Address.isGlobalIpv4(Ipv4Address.parse(text)), text);
    }

    private static void assertMessageContains(final String text, final String expected)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> Ipv4Address.parse(text));
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
        assertTrue(ex.getMessage().contains("'" + text + "'"), ex.getMessage());
    }
}
