package io.sixgate.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AddressesTest
{
    @Test
    void formatsIpv6AsRfc5952()
    {
        assertEquals("2001:db8::1", IpAddress.parse("2001:0DB8:0000:0000:0000:0000:0000:0001").toString());
        assertEquals("::", IpAddress.parse("0:0:0:0:0:0:0:0").toString());
        assertEquals("2001:db8:0:1:1:1:1:1", IpAddress.parse("2001:db8:0:1:1:1:1:1").toString(),
            "a single zero group is not compressed");
        assertEquals("2001:0:0:1::1", IpAddress.parse("2001:0:0:1:0:0:0:1").toString(),
            "the longest run is compressed");
        assertEquals("2001:db8::1:0:0:1", IpAddress.parse("2001:db8:0:0:1:0:0:1").toString(),
            "the first of equal runs is compressed");
        assertEquals("64:ff9b::c000:201", IpAddress.parse("64:ff9b::192.0.2.1").toString());
    }

    @Test
    void keepsIpv4MappedAddressesIpv6()
    {
        final IpAddress mapped = IpAddress.parse("::ffff:192.0.2.1");

        assertTrue(mapped.isIpv6(), "java.net turns it into IPv4; the configuration wrote IPv6");
        assertEquals("::ffff:192.0.2.1", mapped.toString());
    }

    @Test
    void parsesIpv4Strictly()
    {
        assertEquals("192.0.2.1", IpAddress.parse("192.0.2.1").toString());
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("192.0.2"), "BSD short form");
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("192.0.2.01"), "leading zero");
        assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("192.0.2.256"));
    }

    @Test
    void neverResolvesHostNames()
    {
        assertEquals("invalid IPv4 address 'localhost': unexpected character 'l' at index 0",
            assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("localhost")).getMessage());
        assertEquals("invalid IPv6 address 'fe80::1%eth0': unexpected character '%' at index 7",
            assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("fe80::1%eth0")).getMessage());
        assertEquals("invalid IPv6 address 'cafe:face': expected 8 groups, found 2",
            assertThrows(IllegalArgumentException.class, () -> IpAddress.parse("cafe:face")).getMessage());
    }

    @Test
    void cidrKnowsItsNetworkAndMembers()
    {
        final IpCidr cidr = IpCidr.parse("2001:db8::1/64");

        assertTrue(cidr.hasHostBits());
        assertEquals(IpCidr.parse("2001:db8::/64"), cidr.network());
        assertTrue(cidr.contains(IpAddress.parse("2001:db8::ffff")));
        assertFalse(cidr.contains(IpAddress.parse("2001:db8:1::1")));
        assertFalse(cidr.contains(IpAddress.parse("192.0.2.1")), "other family");
        assertTrue(IpCidr.parse("192.0.2.0/23").overlaps(IpCidr.parse("192.0.3.7/24")));
        assertFalse(IpCidr.parse("192.0.2.0/24").overlaps(IpCidr.parse("192.0.3.0/24")));
        assertEquals(IpCidr.parse("192.0.2.0/25"), IpCidr.parse("192.0.2.77/25").network());
        assertEquals(IpCidr.parse("10.0.0.0/12"), IpCidr.parse("10.15.255.255/12").network());
    }

    @Test
    void macAddressesRoundTripAndDerivedOnesAreLocalUnicast()
    {
        assertEquals("02:00:5e:10:ab:cd", MacAddress.parse("02:00:5E:10:AB:CD").toString());
        assertTrue(MacAddress.parse("01:00:5e:00:00:01").isMulticast());

        final MacAddress derived = MacAddress.derivedFrom("v6");
        assertEquals(0x02, derived.value() >>> 40, "locally administered, unicast");
        assertEquals(derived, MacAddress.derivedFrom("v6"), "stable");
        assertFalse(derived.equals(MacAddress.derivedFrom("v4")));
    }
}
