package io.sixgate.nat64.siit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.nat64.conformance.ConformanceRunner;

import org.junit.jupiter.api.Test;

class TranslatorConfigTest
{
    @Test
    void readsEveryDocumentedKey()
    {
        final TranslatorConfig config = TranslatorConfig.fromProperties(Map.ofEntries(
            Map.entry("nat64.mode", "siit"),
            Map.entry("nat64.prefix", "64:ff9b::/96"),
            Map.entry("nat64.wkp-global-only", "false"),
            Map.entry("nat64.eamt", "1.0.0.0/24=2001:db8:3::/120, 10.0.0.0/24=2001:db8:2::/120"),
            Map.entry("nat64.rfc6791-v4", "203.0.113.8, 203.0.113.16/28"),
            Map.entry("nat64.rfc6791-v6", "2::2"),
            Map.entry("nat64.local-ipv4", "198.51.100.1"),
            Map.entry("nat64.local-ipv6", "2001:db8:1c0:2:1::"),
            Map.entry("nat64.lowest-ipv6-mtu", "1402"),
            Map.entry("nat64.amend-udp-checksum-zero", "true"),
            Map.entry("nat64.zeroize-traffic-class", "1"),
            Map.entry("nat64.icmp-errors", "off"),
            Map.entry("nat64.mtu-ipv4", "1400"),
            Map.entry("nat64.mtu-ipv6", "9000"),
            Map.entry("other.key", "ignored")));
        assertEquals(96, config.pool6().length());
        assertFalse(config.wkpGlobalOnly());
        assertFalse(config.pool6().wkpGlobalOnly());
        assertEquals(2, config.eamt().size());
        assertEquals(17, config.rfc6791V4().size());
        assertFalse(config.rfc6791V6().isEmpty());
        assertEquals(Ipv4Address.parse("198.51.100.1"), config.localIpv4());
        assertEquals(1402, config.lowestIpv6Mtu());
        assertTrue(config.amendUdpChecksumZero());
        assertTrue(config.zeroizeTrafficClass());
        assertFalse(config.icmpErrors());
        assertEquals(1400, config.egressMtu().ipv4Mtu());
        assertEquals(9000, config.egressMtu().ipv6Mtu());
    }

    @Test
    void defaultsFollowTheRfcs()
    {
        final TranslatorConfig config = TranslatorConfig.fromProperties(Map.of("nat64.prefix", "64:ff9b::/96"));
        assertTrue(config.wkpGlobalOnly(), "RFC 6052 §3.1 on by default");
        assertEquals(1280, config.lowestIpv6Mtu(), "RFC 7915 §4.1 default");
        assertFalse(config.amendUdpChecksumZero());
        assertFalse(config.zeroizeTrafficClass());
        assertTrue(config.icmpErrors());
        assertTrue(config.rfc6791V4().isEmpty());
    }

    @Test
    void acceptsNoPool6WhenThereAreEams()
    {
        final TranslatorConfig config = TranslatorConfig.fromProperties(
            Map.of("nat64.prefix", "none", "nat64.eamt", "192.0.2.0/24=2001:db8:1c0:2::/72"));
        assertNull(config.pool6());
    }

    @Test
    void rejectsBadSettingsAtStartUp()
    {
        assertThrows(IllegalArgumentException.class, () -> TranslatorConfig.fromProperties(Map.of()), "nothing to translate with");
        assertThrows(IllegalArgumentException.class,
            () -> TranslatorConfig.fromProperties(Map.of("nat64.prefix", "64:ff9b::/80")), "not an RFC 6052 length");
        assertThrows(IllegalArgumentException.class,
            () -> TranslatorConfig.fromProperties(Map.of("nat64.prefix", "64:ff9b::/96", "nat64.mode", "nat64")));
        assertThrows(IllegalArgumentException.class,
            () -> TranslatorConfig.fromProperties(Map.of("nat64.prefix", "64:ff9b::/96", "nat64.lowest-ipv6-mtu", "1000")));
        assertThrows(IllegalArgumentException.class,
            () -> TranslatorConfig.fromProperties(Map.of("nat64.prefix", "64:ff9b::/96", "nat64.eamt", "1.0.0.0/24")));
        assertThrows(IllegalArgumentException.class,
            () -> TranslatorConfig.fromProperties(Map.of("nat64.prefix", "64:ff9b::/96", "nat64.prefx", "x")), "typo");
        assertThrows(IllegalArgumentException.class,
            () -> TranslatorConfig.fromProperties(Map.of("nat64.prefix", "64:ff9b::/96", "nat64.icmp-errors", "maybe")));
    }

    @Test
    void theConformanceBaseSetupIsAValidConfiguration()
    {
        final TranslatorConfig config = TranslatorConfig.fromProperties(ConformanceRunner.siitBaseSetup());
        assertEquals(40, config.pool6().length());
        assertEquals(2, config.eamt().size());
    }
}
