package io.sixgate.egress.acl;

import static io.sixgate.egress.acl.FilterTestbed.INSIDE;
import static io.sixgate.egress.acl.FilterTestbed.OUTSIDE;
import static io.sixgate.egress.acl.SecurityGroups.INBOUND;
import static io.sixgate.egress.acl.SecurityGroups.OUTBOUND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.net.Ipv4Prefix;
import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.core.packet.Icmpv4Flyweight;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.testing.AllocationMeter;
import io.sixgate.egress.acl.NetworkAclStageTest.StubNat64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SecurityGroupStageTest
{
    private static final String WEB = "2001:db8:100:1::10";
    private static final String DB = "2001:db8:100:2::20";
    private static final String CLIENT = "2001:db8:ffff::7";
    private static final String OTHER_CLIENT = "2001:db8:eeee::7";
    private static final String ROUTER = "2001:db8:fffe::1";
    private static final String INSTANCE = "10.0.1.5";
    private static final String V4_REMOTE = "198.51.100.7";
    private static final int TCP = IpProtocol.TCP;
    private static final int UDP = IpProtocol.UDP;
    private static final int ANY = AclClassifier.ANY_PROTOCOL;
    private static final int SYN = TcpFlyweight.SYN;
    private static final int ACK = TcpFlyweight.ACK;

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

    private static long high(final String address)
    {
        return PacketBuilder.ipv6High(address);
    }

    private static long low(final String address)
    {
        return PacketBuilder.ipv6Low(address);
    }

    private static NetworkAcls noAcls()
    {
        return NetworkAcls.builder(0).build();
    }

    private void start(final SecurityGroups groups, final int capacity, final int perAddress)
    {
        bed = new FilterTestbed(noAcls(), groups, new StubNat64(), capacity, perAddress);
    }

    /** web: https from the Internet's 2001:db8:ffff::/48; outbound https and DNS anywhere. */
    private static SecurityGroups webGroup()
    {
        final SecurityGroups.Builder groups = SecurityGroups.builder(1);
        final int web = groups.group("web");
        groups.member(web, high(WEB), low(WEB));
        groups.allow(web, INBOUND, v6("2001:db8:ffff::/48"), TCP, 443, 443);
        groups.allow(web, OUTBOUND, v6("::/0"), TCP, 443, 443);
        groups.allow(web, OUTBOUND, v6("::/0"), UDP, 53, 53);
        return groups.build();
    }

    private static byte[] tcp(final String src, final String dst, final int srcPort, final int dstPort, final int flags)
    {
        return PacketBuilder.ipv6(src, dst).tcp(srcPort, dstPort, flags).build();
    }

    @Test
    void inboundIsAllowedByCidrAndPortAndTheReplyPasses()
    {
        start(webGroup(), 64, 64);
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, WEB, 40000, 443, SYN), 0));
        assertTrue(bed.send(INSIDE, tcp(WEB, CLIENT, 443, 40000, SYN | ACK), 1), "the reply needs no outbound rule");
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, WEB, 40000, 443, ACK), 2));
        assertFalse(bed.send(OUTSIDE, tcp(CLIENT, WEB, 40000, 22, SYN), 3), "port 22 is not allowed");
        assertFalse(bed.send(OUTSIDE, tcp(OTHER_CLIENT, WEB, 40000, 443, SYN), 4), "nor another prefix");
        assertEquals(2, bed.groupDrops(SecurityGroupDropReason.INBOUND_NOT_ALLOWED));
        assertEquals(1, bed.groupEvents(SecurityGroupEvent.FLOW_CREATED));
        assertTrue(EgressOnlyTableView.isEstablished(bed));
    }

    @Test
    void anOutboundFlowsReplyPassesWithoutAnInboundRuleAndUnsolicitedInboundIsDropped()
    {
        start(webGroup(), 64, 64);
        assertTrue(bed.send(INSIDE, PacketBuilder.ipv6(WEB, OTHER_CLIENT).udp(5353, 53).build(), 0));
        assertTrue(bed.send(OUTSIDE, PacketBuilder.ipv6(OTHER_CLIENT, WEB).udp(53, 5353).build(), 1));
        assertFalse(bed.send(OUTSIDE, PacketBuilder.ipv6(OTHER_CLIENT, WEB).udp(53, 5354).build(), 2));
        assertFalse(bed.send(OUTSIDE, PacketBuilder.ipv6(CLIENT, WEB).udp(53, 5353).build(), 3));
        assertFalse(bed.send(INSIDE, PacketBuilder.ipv6(WEB, OTHER_CLIENT).udp(5353, 54).build(), 4));
        assertEquals(2, bed.groupDrops(SecurityGroupDropReason.INBOUND_NOT_ALLOWED));
        assertEquals(1, bed.groupDrops(SecurityGroupDropReason.OUTBOUND_NOT_ALLOWED));
    }

    @Test
    void stateExpiresOnThePacketClock()
    {
        start(webGroup(), 64, 64);
        final long fiveMinutes = TimeUnit.MINUTES.toNanos(5);
        assertTrue(bed.send(INSIDE, PacketBuilder.ipv6(WEB, OTHER_CLIENT).udp(5353, 53).build(), 0));
        bed.pipeline.tick(fiveMinutes + 1);
        assertFalse(bed.send(OUTSIDE, PacketBuilder.ipv6(OTHER_CLIENT, WEB).udp(53, 5353).build(), fiveMinutes + 2));
        assertEquals(0, bed.flows.size());
    }

    @Test
    void relatedIcmpErrorsPassWithoutARuleUnrelatedOnesDoNot()
    {
        start(webGroup(), 64, 64);
        final byte[] sent = PacketBuilder.ipv6(WEB, OTHER_CLIENT).tcp(40000, 443, SYN).payload(1300).build();
        assertTrue(bed.send(INSIDE, sent, 0));
        final byte[] tooBig = PacketBuilder.ipv6(ROUTER, WEB).icmp(Icmpv6Flyweight.TYPE_PACKET_TOO_BIG, 0, 1280)
            .payload(Arrays.copyOf(sent, 1000)).build();
        assertTrue(bed.send(OUTSIDE, tooBig, 1));
        final byte[] unrelated = PacketBuilder.ipv6(ROUTER, WEB).icmp(Icmpv6Flyweight.TYPE_PACKET_TOO_BIG, 0, 1280)
            .payload(tcp(WEB, OTHER_CLIENT, 40001, 443, SYN)).build();
        assertFalse(bed.send(OUTSIDE, unrelated, 2));
        assertEquals(1, bed.groupEvents(SecurityGroupEvent.RELATED_ICMP_ERROR));
        assertEquals(1, bed.groupDrops(SecurityGroupDropReason.INBOUND_NOT_ALLOWED));
    }

    @Test
    void echoRepliesComeBackOnTheRequestsState()
    {
        final SecurityGroups.Builder groups = SecurityGroups.builder(1);
        final int g = groups.group("ping");
        groups.member(g, high(WEB), low(WEB));
        groups.allow(g, OUTBOUND, v6("::/0"), IpProtocol.ICMPV6, 0, 65535);
        start(groups.build(), 64, 64);
        assertFalse(bed.send(OUTSIDE, PacketBuilder.ipv6(CLIENT, WEB).icmpEchoReply(7, 1).build(), 0));
        assertTrue(bed.send(INSIDE, PacketBuilder.ipv6(WEB, CLIENT).icmpEchoRequest(7, 1).build(), 1));
        assertTrue(bed.send(OUTSIDE, PacketBuilder.ipv6(CLIENT, WEB).icmpEchoReply(7, 1).build(), 2));
        assertFalse(bed.send(OUTSIDE, PacketBuilder.ipv6(CLIENT, WEB).icmpEchoReply(8, 1).build(), 3));
        assertFalse(bed.send(OUTSIDE, PacketBuilder.ipv6(CLIENT, WEB).icmpEchoRequest(7, 1).build(), 4));
        assertEquals(3, bed.groupDrops(SecurityGroupDropReason.INBOUND_NOT_ALLOWED));
    }

    @Test
    void memberToMemberNeedsTheSendersOutboundAndTheReceiversInboundRule()
    {
        final SecurityGroups.Builder groups = SecurityGroups.builder(2);
        final int web = groups.group("web");
        final int db = groups.group("db");
        groups.member(web, high(WEB), low(WEB));
        groups.member(db, high(DB), low(DB));
        groups.allow(web, OUTBOUND, v6("2001:db8:100:2::/64"), TCP, 5432, 5432);
        groups.allow(web, OUTBOUND, v6("2001:db8:100:2::/64"), TCP, 6379, 6379);
        groups.allow(db, INBOUND, v6(WEB + "/128"), TCP, 5432, 5432);
        start(groups.build(), 64, 64);
        assertTrue(bed.send(INSIDE, tcp(WEB, DB, 40000, 5432, SYN), 0));
        assertTrue(bed.send(INSIDE, tcp(DB, WEB, 5432, 40000, SYN | ACK), 1));
        assertFalse(bed.send(INSIDE, tcp(WEB, DB, 40000, 6379, SYN), 2));
        assertFalse(bed.send(INSIDE, tcp(DB, WEB, 1, 2, SYN), 3));
        assertEquals(1, bed.groupDrops(SecurityGroupDropReason.INBOUND_NOT_ALLOWED));
        assertEquals(1, bed.groupDrops(SecurityGroupDropReason.OUTBOUND_NOT_ALLOWED));
    }

    @Test
    void aMemberOfSeveralGroupsGetsTheUnionOfTheirRules()
    {
        final SecurityGroups.Builder groups = SecurityGroups.builder(2);
        final int https = groups.group("https");
        final int ssh = groups.group("ssh");
        groups.member(https, high(WEB), low(WEB));
        groups.member(ssh, high(WEB), low(WEB));
        groups.member(ssh, high(DB), low(DB));
        groups.allow(https, INBOUND, v6("::/0"), TCP, 443, 443);
        groups.allow(ssh, INBOUND, v6("::/0"), TCP, 22, 22);
        final SecurityGroups built = groups.build();
        assertEquals(2, built.groupSets());
        start(built, 64, 64);
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, WEB, 1, 443, SYN), 0));
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, WEB, 1, 22, SYN), 1));
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, DB, 1, 22, SYN), 2));
        assertFalse(bed.send(OUTSIDE, tcp(CLIENT, DB, 1, 443, SYN), 3));
    }

    @Test
    void ipv4MembersAndRelatedIcmpv4Errors()
    {
        final SecurityGroups.Builder groups = SecurityGroups.builder(1);
        final int app = groups.group("app");
        groups.member(app, PacketBuilder.ipv4Address(INSTANCE));
        groups.allow(app, INBOUND, Ipv4Prefix.parse("198.51.100.0/24"), TCP, 80, 80);
        groups.allow(app, OUTBOUND, Ipv4Prefix.parse("0.0.0.0/0"), ANY, 0, 65535);
        start(groups.build(), 64, 64);
        assertTrue(bed.send(OUTSIDE, PacketBuilder.ipv4(V4_REMOTE, INSTANCE).tcp(1, 80, SYN).build(), 0));
        assertFalse(bed.send(OUTSIDE, PacketBuilder.ipv4("203.0.113.9", INSTANCE).tcp(1, 80, SYN).build(), 1));
        final byte[] out = PacketBuilder.ipv4(INSTANCE, "203.0.113.9").udp(5000, 53).build();
        assertTrue(bed.send(INSIDE, out, 2));
        assertTrue(bed.send(OUTSIDE, PacketBuilder.ipv4("203.0.113.9", INSTANCE).udp(53, 5000).build(), 3));
        assertTrue(bed.send(OUTSIDE, PacketBuilder.ipv4("192.0.2.99", INSTANCE)
            .icmp(Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, 3, 0).payload(Arrays.copyOf(out, 28)).build(), 4));
        assertEquals(1, bed.groupDrops(SecurityGroupDropReason.INBOUND_NOT_ALLOWED));
        assertEquals(1, bed.groupEvents(SecurityGroupEvent.RELATED_ICMP_ERROR));
    }

    @Test
    void aNat64ClientIsMatchedByItsIpv6SourceAndTheReplyToPool4IsLeftToNat64()
    {
        final SecurityGroups.Builder groups = SecurityGroups.builder(1);
        final int app = groups.group("app");
        groups.member(app, PacketBuilder.ipv4Address(INSTANCE));
        groups.allow(app, INBOUND, v6("2001:db8:ffff::/48"), TCP, 80, 80);
        start(groups.build(), 64, 64);
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, StubNat64.EIP6, 40000, 80, SYN), 0));
        assertFalse(bed.send(OUTSIDE, tcp(OTHER_CLIENT, StubNat64.EIP6, 40000, 80, SYN), 1));
        assertFalse(bed.send(OUTSIDE, tcp(CLIENT, StubNat64.EIP6, 40000, 81, SYN), 2));
        assertTrue(bed.send(INSIDE, PacketBuilder.ipv4(INSTANCE, StubNat64.POOL4).tcp(80, 2000, SYN | ACK).build(), 3));
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, StubNat64.EIP6, 40000, 80, ACK), 4));
        assertEquals(2, bed.groupDrops(SecurityGroupDropReason.INBOUND_NOT_ALLOWED));
        assertEquals(1, bed.groupEvents(SecurityGroupEvent.NAT64_RETURN));
        assertEquals(1, bed.groupEvents(SecurityGroupEvent.FLOW_CREATED));
    }

    @Test
    void aFullTableRefusesNewFlowsAndKeepsTrackedOnes()
    {
        start(webGroup(), 2, 2);
        assertTrue(bed.send(INSIDE, PacketBuilder.ipv6(WEB, OTHER_CLIENT).udp(1, 53).build(), 0));
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, WEB, 40000, 443, SYN), 1));
        assertFalse(bed.send(INSIDE, PacketBuilder.ipv6(WEB, OTHER_CLIENT).udp(2, 53).build(), 2));
        assertTrue(bed.send(OUTSIDE, PacketBuilder.ipv6(OTHER_CLIENT, WEB).udp(53, 1).build(), 3));
        assertTrue(bed.send(INSIDE, tcp(WEB, CLIENT, 443, 40000, SYN | ACK), 4));
        assertEquals(1, bed.groupDrops(SecurityGroupDropReason.STATE_TABLE_FULL));
    }

    @Test
    void oneInitiatorCannotTakeMoreThanItsShare()
    {
        start(webGroup(), 64, 2);
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, WEB, 1, 443, SYN), 0));
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, WEB, 2, 443, SYN), 1));
        assertFalse(bed.send(OUTSIDE, tcp(CLIENT, WEB, 3, 443, SYN), 2));
        assertEquals(1, bed.groupDrops(SecurityGroupDropReason.ADDRESS_FLOW_LIMIT));
    }

    @Test
    void newGroupsApplyToNewFlowsAndTrackedFlowsStay()
    {
        start(webGroup(), 64, 64);
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, WEB, 40000, 443, SYN), 0));
        final SecurityGroups.Builder closed = SecurityGroups.builder(1);
        closed.member(closed.group("web"), high(WEB), low(WEB));
        bed.groupStage.offer(closed.build());
        assertTrue(bed.send(INSIDE, tcp(WEB, CLIENT, 443, 40000, SYN | ACK), 1));
        assertFalse(bed.send(OUTSIDE, tcp(CLIENT, WEB, 40001, 443, SYN), 2));
    }

    @Test
    void nonMembersPassUntouched()
    {
        start(webGroup(), 64, 64);
        assertTrue(bed.send(OUTSIDE, tcp(CLIENT, DB, 1, 22, SYN), 0));
        assertEquals(0, bed.flows.size());
    }

    @Test
    void hotPathAllocatesNothing()
    {
        start(webGroup(), 64, 64);
        final byte[][] packets = {
            tcp(CLIENT, WEB, 40000, 443, SYN), tcp(WEB, CLIENT, 443, 40000, ACK), tcp(CLIENT, WEB, 40000, 22, SYN),
            tcp(WEB, OTHER_CLIENT, 40001, 443, ACK)};
        final int[] frames = new int[packets.length];
        for (int i = 0; i < packets.length; i++)
        {
            frames[i] = bed.pool.allocateCopy(packets[i], 0, packets[i].length);
            bed.pool.l3Offset(frames[i], bed.pool.offset(frames[i]));
            bed.pool.l4Offset(frames[i], bed.pool.offset(frames[i]) + 40);
            bed.pool.l4Protocol(frames[i], TCP);
        }
        final long[] now = {0};
        final int[] sink = new int[1];
        assertEquals(0, AllocationMeter.leastBytesAllocatedBy(() ->
        {
            for (int round = 0; round < 100; round++)
            {
                now[0] += 1000;
                for (final int frame : frames)
                {
                    bed.pool.timestampNs(frame, now[0]);
                    sink[0] += bed.groupStage.process(frame);
                }
            }
        }));
    }

    /** Reads the tracked flow of {@link #inboundIsAllowedByCidrAndPortAndTheReplyPasses}. */
    private static final class EgressOnlyTableView
    {
        static boolean isEstablished(final FilterTestbed bed)
        {
            final int flow = bed.flows.find(TCP, high(CLIENT), low(CLIENT), 40000, high(WEB), low(WEB), 443);
            return flow >= 0 && io.sixgate.egress.EgressOnlyTable.isEstablished(bed.flows.tcpState(flow));
        }
    }
}
