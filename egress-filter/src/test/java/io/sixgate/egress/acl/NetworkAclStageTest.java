package io.sixgate.egress.acl;

import static io.sixgate.egress.acl.FilterTestbed.INSIDE;
import static io.sixgate.egress.acl.FilterTestbed.OUTSIDE;
import static io.sixgate.egress.acl.NetworkAcls.INBOUND;
import static io.sixgate.egress.acl.NetworkAcls.OUTBOUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sixgate.core.net.Ipv4Prefix;
import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.port.PortAddresses;
import io.sixgate.core.testing.AllocationMeter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NetworkAclStageTest
{
    private static final String WEB_SUBNET = "2001:db8:100:1::/64";
    private static final String DB_SUBNET = "2001:db8:100:2::/64";
    private static final String WEB = "2001:db8:100:1::10";
    private static final String WEB_2 = "2001:db8:100:1::11";
    private static final String DB = "2001:db8:100:2::20";
    private static final String CLIENT = "2001:db8:ffff::7";
    private static final String OTHER_CLIENT = "2001:db8:eeee::7";
    private static final String V4_SUBNET = "10.0.1.0/24";
    private static final String INSTANCE = "10.0.1.5";
    private static final int TCP = IpProtocol.TCP;
    private static final int ANY = AclClassifier.ANY_PROTOCOL;
    private static final int SYN = TcpFlyweight.SYN;

    private FilterTestbed bed;

    @AfterEach
    void close()
    {
        if (bed != null)
        {
            bed.close();
        }
    }

    private static Ipv6Prefix v6(final String prefix)
    {
        return Ipv6Prefix.parse(prefix);
    }

    private static Ipv4Prefix v4(final String prefix)
    {
        return Ipv4Prefix.parse(prefix);
    }

    private static SecurityGroups noGroups()
    {
        return SecurityGroups.builder(0).build();
    }

    private void start(final NetworkAcls acls)
    {
        bed = new FilterTestbed(acls, noGroups(), Nat64Addresses.NONE, 64, 64);
    }

    private static byte[] tcp(final String src, final String dst, final int srcPort, final int dstPort)
    {
        return PacketBuilder.ipv6(src, dst).tcp(srcPort, dstPort, SYN).build();
    }

    @Test
    void anAllowBeforeADenyLetsThePacketIn()
    {
        final NetworkAcls.Builder acls = NetworkAcls.builder(1);
        final int web = acls.acl("web");
        acls.subnet(web, v6(WEB_SUBNET));
        acls.rule(web, 100, INBOUND, v6("::/0"), TCP, 443, 443, true);
        acls.rule(web, 200, INBOUND, v6("::/0"), ANY, 0, 65535, false);
        start(acls.build());
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, WEB, 40000, 443), 0));
        assertFalse(bed.send(OUTSIDE, tcp(CLIENT, WEB, 40000, 22), 1));
        assertEquals(1, bed.aclDrops(NetworkAclDropReason.INBOUND_DENIED));
    }

    @Test
    void aDenyBeforeAnAllowKeepsThePacketOutWhateverTheOrderInTheList()
    {
        final NetworkAcls.Builder acls = NetworkAcls.builder(1);
        final int web = acls.acl("web");
        acls.subnet(web, v6(WEB_SUBNET));
        acls.rule(web, 200, INBOUND, v6("::/0"), TCP, 443, 443, true);
        acls.rule(web, 100, INBOUND, v6(CLIENT + "/128"), ANY, 0, 65535, false);
        start(acls.build());
        assertFalse(bed.send(OUTSIDE, tcp(CLIENT, WEB, 40000, 443), 0));
        assertTrue(bed.send(OUTSIDE, tcp(OTHER_CLIENT, WEB, 40000, 443), 1));
        assertEquals(1, bed.aclDrops(NetworkAclDropReason.INBOUND_DENIED));
    }

    @Test
    void noMatchingRuleIsTheImplicitDenyAndRepliesNeedTheirOwnRules()
    {
        final NetworkAcls.Builder acls = NetworkAcls.builder(1);
        final int web = acls.acl("web");
        acls.subnet(web, v6(WEB_SUBNET));
        acls.rule(web, 100, INBOUND, v6("::/0"), TCP, 443, 443, true);
        start(acls.build());
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, WEB, 40000, 443), 0));
        assertFalse(bed.send(INSIDE, tcp(WEB, CLIENT, 443, 40000), 1), "stateless: the reply has no rule");
        assertFalse(bed.send(OUTSIDE, PacketBuilder.ipv6(CLIENT, WEB).udp(5, 443).build(), 2));
        assertEquals(1, bed.aclDrops(NetworkAclDropReason.OUTBOUND_NO_RULE));
        assertEquals(1, bed.aclDrops(NetworkAclDropReason.INBOUND_NO_RULE));

        final NetworkAcls.Builder withReplies = NetworkAcls.builder(1);
        final int acl = withReplies.acl("web");
        withReplies.subnet(acl, v6(WEB_SUBNET));
        withReplies.rule(acl, 100, INBOUND, v6("::/0"), TCP, 443, 443, true);
        withReplies.rule(acl, 110, OUTBOUND, v6("::/0"), TCP, 1024, 65535, true);
        bed.aclStage.offer(withReplies.build());
        assertTrue(bed.send(INSIDE, tcp(WEB, CLIENT, 443, 40000), 3), "the new ACL applies from the next packet");
    }

    @Test
    void trafficInsideOneSubnetOrOutsideEverySubnetIsNotMatched()
    {
        final NetworkAcls.Builder acls = NetworkAcls.builder(1);
        final int web = acls.acl("web");
        acls.subnet(web, v6(WEB_SUBNET));
        start(acls.build());
        assertTrue(bed.send(INSIDE, tcp(WEB, WEB_2, 1, 2), 0));
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, OTHER_CLIENT, 1, 2), 1));
        assertFalse(bed.send(OUTSIDE, tcp(CLIENT, WEB, 1, 2), 2));
    }

    @Test
    void crossingFromOneSubnetToAnotherNeedsTheOutboundAndTheInboundRule()
    {
        final NetworkAcls.Builder acls = NetworkAcls.builder(2);
        final int web = acls.acl("web");
        final int db = acls.acl("db");
        acls.subnet(web, v6(WEB_SUBNET));
        acls.subnet(db, v6(DB_SUBNET));
        acls.rule(web, 100, OUTBOUND, v6(DB_SUBNET), TCP, 5432, 5432, true);
        acls.rule(db, 100, INBOUND, v6(WEB_SUBNET), TCP, 5432, 5432, true);
        acls.rule(db, 110, INBOUND, v6(WEB_SUBNET), TCP, 6379, 6379, true);
        start(acls.build());
        assertTrue(bed.send(INSIDE, tcp(WEB, DB, 40000, 5432), 0));
        assertFalse(bed.send(INSIDE, tcp(WEB, DB, 40000, 6379), 1));
        assertEquals(1, bed.aclDrops(NetworkAclDropReason.OUTBOUND_NO_RULE));
    }

    @Test
    void ipv4SubnetsAndRules()
    {
        final NetworkAcls.Builder acls = NetworkAcls.builder(1);
        final int app = acls.acl("app");
        acls.subnet(app, v4(V4_SUBNET));
        acls.rule(app, 100, INBOUND, v4("198.51.100.0/24"), TCP, 80, 80, true);
        start(acls.build());
        assertTrue(bed.send(OUTSIDE, PacketBuilder.ipv4("198.51.100.7", INSTANCE).tcp(1, 80, SYN).build(), 0));
        assertFalse(bed.send(OUTSIDE, PacketBuilder.ipv4("203.0.113.7", INSTANCE).tcp(1, 80, SYN).build(), 1));
        assertEquals(1, bed.aclDrops(NetworkAclDropReason.INBOUND_NO_RULE));
    }

    @Test
    void aNonFirstFragmentMatchesOnlyRulesWithoutPorts()
    {
        final NetworkAcls.Builder acls = NetworkAcls.builder(1);
        final int web = acls.acl("web");
        acls.subnet(web, v6(WEB_SUBNET));
        acls.rule(web, 100, INBOUND, v6("::/0"), IpProtocol.UDP, 53, 53, true);
        start(acls.build());
        final byte[] fragment = PacketBuilder.ipv6(CLIENT, WEB).fragmentHeader(1232, false, 7)
            .protocol(IpProtocol.UDP).payload(100).build();
        assertTrue(bed.send(OUTSIDE, PacketBuilder.ipv6(CLIENT, WEB).udp(5, 53).build(), 0));
        assertFalse(bed.send(OUTSIDE, fragment, 1));

        final NetworkAcls.Builder anyPort = NetworkAcls.builder(1);
        final int acl = anyPort.acl("web");
        anyPort.subnet(acl, v6(WEB_SUBNET));
        anyPort.rule(acl, 100, INBOUND, v6("::/0"), IpProtocol.UDP, 0, 65535, true);
        bed.aclStage.offer(anyPort.build());
        assertTrue(bed.send(OUTSIDE, fragment, 2));
    }

    @Test
    void aNat64ClientIsMatchedByItsIpv6SourceAgainstTheInstanceSubnet()
    {
        final NetworkAcls.Builder acls = NetworkAcls.builder(1);
        final int app = acls.acl("app");
        acls.subnet(app, v4(V4_SUBNET));
        acls.rule(app, 100, INBOUND, v6("2001:db8:ffff::/48"), TCP, 80, 80, true);
        bed = new FilterTestbed(acls.build(), noGroups(), new StubNat64(), 64, 64);
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, StubNat64.EIP6, 40000, 80), 0));
        assertFalse(bed.send(OUTSIDE, tcp(OTHER_CLIENT, StubNat64.EIP6, 40000, 80), 1));
        assertFalse(bed.send(OUTSIDE, tcp(CLIENT, StubNat64.EIP6, 40000, 81), 2));
        assertEquals(2, bed.aclDrops(NetworkAclDropReason.INBOUND_NO_RULE));
    }

    @Test
    void packetsForTheGatewayAreNotMatched()
    {
        final NetworkAcls.Builder acls = NetworkAcls.builder(1);
        final int web = acls.acl("web");
        acls.subnet(web, v6("2001:db8:100::/48"));
        final PortAddresses gateway = PortAddresses.builder(2)
            .ipv6(INSIDE, PacketBuilder.ipv6High("2001:db8:100::1"), PacketBuilder.ipv6Low("2001:db8:100::1"), 64)
            .build();
        bed = new FilterTestbed(acls.build(), noGroups(), Nat64Addresses.NONE, 64, 64, gateway);
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, "2001:db8:100::1", 1, 22), 0));
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, "ff02::1", 1, 22), 1));
        assertFalse(bed.send(OUTSIDE, tcp(CLIENT, "2001:db8:100::2", 1, 22), 2));
    }

    @Test
    void hotPathAllocatesNothing()
    {
        final NetworkAcls.Builder acls = NetworkAcls.builder(1);
        final int web = acls.acl("web");
        acls.subnet(web, v6(WEB_SUBNET));
        acls.subnet(web, v4(V4_SUBNET));
        acls.rule(web, 100, INBOUND, v6("::/0"), TCP, 443, 443, true);
        acls.rule(web, 110, OUTBOUND, v4("0.0.0.0/0"), ANY, 0, 65535, true);
        bed = new FilterTestbed(acls.build(), noGroups(), new StubNat64(), 64, 64);
        final byte[][] packets = {
            tcp(CLIENT, WEB, 40000, 443), tcp(CLIENT, WEB, 40000, 22), tcp(WEB, CLIENT, 443, 40000),
            PacketBuilder.ipv4(INSTANCE, "198.51.100.7").udp(5, 53).build()};
        final int[] frames = new int[packets.length];
        for (int i = 0; i < packets.length; i++)
        {
            frames[i] = bed.pool.allocateCopy(packets[i], 0, packets[i].length);
            bed.pool.l3Offset(frames[i], bed.pool.offset(frames[i]));
            bed.pool.l4Offset(frames[i], bed.pool.offset(frames[i]) + (i == 3 ? 20 : 40));
            bed.pool.l4Protocol(frames[i], i == 3 ? IpProtocol.UDP : TCP);
        }
        final int[] sink = new int[1];
        assertEquals(0, AllocationMeter.leastBytesAllocatedBy(() ->
        {
            for (int round = 0; round < 100; round++)
            {
                for (final int frame : frames)
                {
                    sink[0] += bed.aclStage.process(frame);
                }
            }
        }));
    }

    /** NAT64 with one IPv6 EIP, 64:ff9b::cb00:7105 (203.0.113.5), bound to 10.0.1.5; pool4 203.0.113.64. */
    static final class StubNat64 implements Nat64Addresses
    {
        static final String EIP6 = "64:ff9b::cb00:7105";
        static final String POOL4 = "203.0.113.64";

        private final long eipHigh = PacketBuilder.ipv6High(EIP6);
        private final long eipLow = PacketBuilder.ipv6Low(EIP6);
        private final long instance = PacketBuilder.ipv4Address(INSTANCE) & 0xFFFF_FFFFL;
        private final int pool4 = PacketBuilder.ipv4Address(POOL4);

        @Override
        public long ipv4Behind(final long dstHigh, final long dstLow)
        {
            return dstHigh == eipHigh && dstLow == eipLow ? instance : NOT_TRANSLATED;
        }

        @Override
        public boolean isPool4(final int address)
        {
            return address == pool4;
        }
    }
}
