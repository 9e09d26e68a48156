package io.sixgate.core.port;

import static io.sixgate.core.packet.PacketBuilder.ipv4Address;
import static io.sixgate.core.packet.PacketBuilder.ipv6High;
import static io.sixgate.core.packet.PacketBuilder.ipv6Low;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PortAddressesTest
{
    private static final long MAC = 0x52_54_00_12_34_56L;

    private final PortAddresses addresses = PortAddresses.builder(3)
        .ipv4(0, ipv4Address("192.0.2.1"), 24)
        .ipv4(0, ipv4Address("10.0.0.1"), 8)
        .ipv6(0, ipv6High("2001:db8:1::1"), ipv6Low("2001:db8:1::1"), 64)
        .linkLocalFromMac(0, MAC)
        .ipv4(1, ipv4Address("198.51.100.1"), 31)
        .ipv6(1, ipv6High("2001:db8:2::1"), ipv6Low("2001:db8:2::1"), 64)
        .build();

    @Test
    void formsTheLinkLocalAddressFromTheMacAsModifiedEui64()
    {
        // RFC 4291 Appendix A: 52:54:00:12:34:56 -> 5054:00ff:fe12:3456.
        assertEquals(0x5054_00FF_FE12_3456L, PortAddresses.eui64InterfaceId(MAC));
        assertTrue(addresses.isIpv6OnPort(0, PortAddresses.LINK_LOCAL_HIGH, 0x5054_00FF_FE12_3456L));
    }

    @Test
    void knowsAddressesPerPortAndAcrossPorts()
    {
        assertTrue(addresses.isIpv4OnPort(0, ipv4Address("10.0.0.1")));
        assertFalse(addresses.isIpv4OnPort(1, ipv4Address("10.0.0.1")));
        assertTrue(addresses.isLocalIpv4(ipv4Address("198.51.100.1")));
        assertTrue(addresses.isLocalIpv6(ipv6High("2001:db8:2::1"), ipv6Low("2001:db8:2::1")));
        assertFalse(addresses.isIpv6OnPort(0, ipv6High("2001:db8:2::1"), ipv6Low("2001:db8:2::1")));
        assertFalse(addresses.isLocalIpv4(ipv4Address("192.0.2.2")));
    }

    @Test
    void joinsAllNodesAllRoutersAndItsSolicitedNodeGroups()
    {
        final long group = 0xFF02_0000_0000_0000L;
        assertTrue(addresses.isJoinedIpv6Group(2, group, 1), "all-nodes, even without an address");
        assertTrue(addresses.isJoinedIpv6Group(0, group, 2), "all-routers");
        assertTrue(addresses.isJoinedIpv6Group(0, group, 0x0000_0001_FF00_0001L), "2001:db8:1::1");
        assertTrue(addresses.isJoinedIpv6Group(0, group, 0x0000_0001_FF12_3456L), "the link-local address");
        assertFalse(addresses.isJoinedIpv6Group(0, group, 0x0000_0001_FF00_0099L));
        assertFalse(addresses.isJoinedIpv6Group(2, group, 0x0000_0001_FF00_0001L), "not on that port");
        assertFalse(addresses.isJoinedIpv6Group(0, 0xFF05_0000_0000_0000L, 2));
    }

    @Test
    void picksTheSourceInTheTargetsSubnet()
    {
        assertEquals(ipv4Address("10.0.0.1"), addresses.ipv4(addresses.ipv4OnPort(0, ipv4Address("10.9.9.9"))));
        assertEquals(ipv4Address("192.0.2.1"), addresses.ipv4(addresses.ipv4OnPort(0, ipv4Address("203.0.113.9"))));
        assertEquals(PortAddresses.NONE, addresses.ipv4OnPort(2, ipv4Address("192.0.2.9")));
        assertEquals(ipv4Address("192.0.2.1"), addresses.ipv4(addresses.ipv4Source(2, ipv4Address("192.0.2.9"))),
            "errors from a port without an address come from the gateway's first");

        final int global = addresses.ipv6OnPort(0, ipv6High("2001:db8:9::9"), ipv6Low("2001:db8:9::9"));
        assertEquals(ipv6Low("2001:db8:1::1"), addresses.ipv6Low(global));
        final int linkLocal = addresses.ipv6OnPort(0, PortAddresses.LINK_LOCAL_HIGH, 9);
        assertEquals(PortAddresses.LINK_LOCAL_HIGH, addresses.ipv6High(linkLocal), "link-local to link-local");
    }

    @Test
    void recognisesDirectedBroadcastsButNotOnPointToPointSubnets()
    {
        assertTrue(addresses.isDirectedBroadcast(ipv4Address("192.0.2.255")));
        assertTrue(addresses.isDirectedBroadcast(ipv4Address("10.255.255.255")));
        assertFalse(addresses.isDirectedBroadcast(ipv4Address("198.51.100.1")), "RFC 3021: a /31 has none");
        assertFalse(addresses.isDirectedBroadcast(ipv4Address("192.0.2.254")));
    }

    @Test
    void refusesAddressesOfPortsItDoesNotHave()
    {
        assertThrows(IllegalArgumentException.class, () -> PortAddresses.builder(1).ipv4(1, 1, 24));
        assertThrows(IllegalArgumentException.class, () -> PortAddresses.builder(1).ipv6(0, 1, 1, 129));
    }
}
