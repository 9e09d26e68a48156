package io.sixgate.egress;

import java.util.concurrent.TimeUnit;

import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.testing.AllocationMeter;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.sixgate.egress.GatewayTestbed.HOST;
import static io.sixgate.egress.GatewayTestbed.INSIDE;
import static io.sixgate.egress.GatewayTestbed.INTERNET;
import static io.sixgate.egress.GatewayTestbed.OTHER_HOST;
import static io.sixgate.egress.GatewayTestbed.REMOTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv6GatewayStageTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final Ipv6Prefix HOST_128 = Ipv6Prefix.parse(HOST + "/128");

    private GatewayTestbed bed;

    @AfterEach
    void close()
    {
        bed.close();
    }

    private static Ipv6GatewayPolicy egressOnly()
    {
        return GatewayTestbed.policy().bandwidth(HOST_128, 100, 0).egressOnly(HOST_128, true).build();
    }

    private static byte[] tcp(final String src, final String dst, final int sport, final int dport, final int flags)
    {
        return PacketBuilder.ipv6(src, dst).tcp(sport, dport, flags).build();
    }

    @Test
    void egressOnlyTcpHandshakeOutAndBack()
    {
        bed = new GatewayTestbed(egressOnly(), 64, 16, false);
        assertTrue(bed.send(INSIDE, tcp(HOST, REMOTE, 40000, 443, TcpFlyweight.SYN), 0));
        assertEquals(INTERNET, bed.lastPort);
        assertTrue(bed.send(INTERNET, tcp(REMOTE, HOST, 443, 40000, TcpFlyweight.SYN | TcpFlyweight.ACK), 1));
        assertEquals(INSIDE, bed.lastPort);
        assertTrue(bed.send(INSIDE, tcp(HOST, REMOTE, 40000, 443, TcpFlyweight.ACK), 2));
        final int flow = bed.table.find(6, PacketBuilder.ipv6High(HOST), PacketBuilder.ipv6Low(HOST), 40000,
            PacketBuilder.ipv6High(REMOTE), PacketBuilder.ipv6Low(REMOTE), 443);
        assertTrue(EgressOnlyTable.isEstablished(bed.table.tcpState(flow)));
    }

    @Test
    void dropsUnsolicitedInboundSyn()
    {
        bed = new GatewayTestbed(egressOnly(), 64, 16, false);
        assertFalse(bed.send(INTERNET, tcp(REMOTE, HOST, 443, 22, TcpFlyweight.SYN), 0));
        assertEquals(1, bed.dropped(Ipv6GatewayDropReason.UNSOLICITED_INBOUND));
    }

    @Test
    void acceptsSimultaneousOpen()
    {
        bed = new GatewayTestbed(egressOnly(), 64, 16, false);
        assertTrue(bed.send(INSIDE, tcp(HOST, REMOTE, 40000, 5000, TcpFlyweight.SYN), 0));
        assertTrue(bed.send(INTERNET, tcp(REMOTE, HOST, 5000, 40000, TcpFlyweight.SYN), 1));
    }

    @Test
    void relatedPacketTooBigPassesAndUnrelatedErrorIsDropped()
    {
        bed = new GatewayTestbed(egressOnly(), 64, 16, false);
        final byte[] out = PacketBuilder.ipv6(HOST, REMOTE).udp(5000, 53).payload(1400).build();
        assertTrue(bed.send(INSIDE, out, 0));
        final byte[] quoted = java.util.Arrays.copyOf(out, 1232);
        final byte[] ptb = PacketBuilder.ipv6("2001:db8:fffe::1", HOST)
            .icmp(Icmpv6Flyweight.TYPE_PACKET_TOO_BIG, 0, 1280).payload(quoted).build();
        assertTrue(bed.send(INTERNET, ptb, 1));

        final byte[] unrelated = PacketBuilder.ipv6(HOST, REMOTE).udp(5001, 53).build();
        final byte[] unreachable = PacketBuilder.ipv6("2001:db8:fffe::1", HOST)
            .icmp(Icmpv6Flyweight.TYPE_DESTINATION_UNREACHABLE, 4, 0).payload(unrelated).build();
        assertFalse(bed.send(INTERNET, unreachable, 2));
        assertEquals(1, bed.dropped(Ipv6GatewayDropReason.ICMPV6_ERROR_WITHOUT_STATE));
        // RFC 6092 §3.2.1: no ICMPv6 message tears state down; the flow still answers.
        assertTrue(bed.send(INTERNET, PacketBuilder.ipv6(REMOTE, HOST).udp(53, 5000).build(), 3));
    }

    @Test
    void udpStateExpiresOnThePacketClock()
    {
        bed = new GatewayTestbed(egressOnly(), 64, 16, false);
        assertTrue(bed.send(INSIDE, PacketBuilder.ipv6(HOST, REMOTE).udp(5000, 53).build(), 0));
        final long udp = EgressOnlyTimeouts.DEFAULT_UDP_NS;
        assertTrue(bed.send(INTERNET, PacketBuilder.ipv6(REMOTE, HOST).udp(53, 5000).build(), udp - SECOND));
        // Refreshed at udp - 1 s: still there just before its new deadline, gone after.
        assertTrue(bed.send(INTERNET, PacketBuilder.ipv6(REMOTE, HOST).udp(53, 5000).build(), 2 * udp - 2 * SECOND));
        bed.pipeline.tick(3 * udp);
        assertFalse(bed.send(INTERNET, PacketBuilder.ipv6(REMOTE, HOST).udp(53, 5000).build(), 3 * udp));
        assertEquals(1, bed.dropped(Ipv6GatewayDropReason.UNSOLICITED_INBOUND));
    }

    @Test
    void endpointIndependentUdpFilteringLetsAnyRemoteAnswer()
    {
        bed = new GatewayTestbed(egressOnly(), 64, 16, true);
        assertTrue(bed.send(INSIDE, PacketBuilder.ipv6(HOST, REMOTE).udp(5000, 3478).build(), 0));
        assertTrue(bed.send(INTERNET, PacketBuilder.ipv6("2001:db8:eeee::9", HOST).udp(9999, 5000).build(), 1));
        assertFalse(bed.send(INTERNET, PacketBuilder.ipv6("2001:db8:eeee::9", HOST).udp(9999, 5001).build(), 2));
    }

    @Test
    void echoReplyNeedsAnEchoRequestOut()
    {
        bed = new GatewayTestbed(egressOnly(), 64, 16, false);
        assertFalse(bed.send(INTERNET, PacketBuilder.ipv6(REMOTE, HOST).icmpEchoRequest(7, 1).build(), 0));
        assertTrue(bed.send(INSIDE, PacketBuilder.ipv6(HOST, REMOTE).icmpEchoRequest(7, 1).build(), 1));
        assertTrue(bed.send(INTERNET, PacketBuilder.ipv6(REMOTE, HOST).icmpEchoReply(7, 1).build(), 2));
        assertFalse(bed.send(INTERNET, PacketBuilder.ipv6(REMOTE, HOST).icmpEchoReply(8, 1).build(), 3));
    }

    @Test
    void vpcOnlyIsDroppedBothWays()
    {
        bed = new GatewayTestbed(egressOnly(), 64, 16, false);
        assertFalse(bed.send(INSIDE, tcp(OTHER_HOST, REMOTE, 40000, 443, TcpFlyweight.SYN), 0));
        assertFalse(bed.send(INTERNET, tcp(REMOTE, OTHER_HOST, 443, 40000, TcpFlyweight.SYN), 0));
        assertEquals(2, bed.dropped(Ipv6GatewayDropReason.VPC_ONLY));
        // Inside to inside is not the gateway's business.
        assertTrue(bed.send(INSIDE, tcp(OTHER_HOST, HOST, 40000, 443, TcpFlyweight.SYN), 0));
    }

    @Test
    void internetModeIsReachableBothWays()
    {
        bed = new GatewayTestbed(GatewayTestbed.policy().bandwidth(HOST_128, 10, 0).build(), 64, 16, false);
        assertTrue(bed.send(INTERNET, tcp(REMOTE, HOST, 443, 22, TcpFlyweight.SYN), 0));
        assertTrue(bed.send(INSIDE, tcp(HOST, REMOTE, 40000, 443, TcpFlyweight.SYN), 0));
    }

    @Test
    void spoofedSourcesAreDropped()
    {
        bed = new GatewayTestbed(GatewayTestbed.policy().bandwidth(HOST_128, 10, 0).build(), 64, 16, false);
        assertFalse(bed.send(INSIDE, tcp("2001:db8:9::1", REMOTE, 1, 2, TcpFlyweight.SYN), 0));
        assertEquals(1, bed.dropped(Ipv6GatewayDropReason.SPOOFED_INSIDE_SOURCE));
        assertFalse(bed.send(INTERNET, tcp(OTHER_HOST, HOST, 1, 2, TcpFlyweight.SYN), 0));
        assertFalse(bed.send(INTERNET, tcp("fd00::1", HOST, 1, 2, TcpFlyweight.SYN), 0));
        assertEquals(2, bed.dropped(Ipv6GatewayDropReason.SPOOFED_OUTSIDE_SOURCE));
    }

    @Test
    void transitIcmpv6FollowsRfc4890()
    {
        bed = new GatewayTestbed(GatewayTestbed.policy().bandwidth(HOST_128, 10, 0).build(), 64, 16, false);
        assertTrue(bed.send(INTERNET, PacketBuilder.ipv6(REMOTE, HOST).icmpEchoRequest(1, 1).build(), 0));
        assertFalse(bed.send(INTERNET, PacketBuilder.ipv6(REMOTE, HOST).icmp(138, 0, 0).build(), 0));
        assertFalse(bed.send(INSIDE, PacketBuilder.ipv6(HOST, REMOTE).icmp(137, 0, 0).build(), 0));
        assertFalse(bed.send(INSIDE, PacketBuilder.ipv6(HOST, REMOTE).icmp(150, 0, 0).build(), 0));
        assertEquals(1, bed.dropped(Ipv6GatewayDropReason.ICMPV6_NOT_FOR_TRANSIT));
        assertEquals(1, bed.dropped(Ipv6GatewayDropReason.ICMPV6_LINK_SCOPE));
        assertEquals(1, bed.dropped(Ipv6GatewayDropReason.ICMPV6_UNASSIGNED));
    }

    @Test
    void fullTableRefusesNewOutboundFlowsAndKeepsOldOnes()
    {
        bed = new GatewayTestbed(egressOnly(), 2, 16, false);
        assertTrue(bed.send(INSIDE, PacketBuilder.ipv6(HOST, REMOTE).udp(1, 53).build(), 0));
        assertTrue(bed.send(INSIDE, PacketBuilder.ipv6(HOST, REMOTE).udp(2, 53).build(), 0));
        assertFalse(bed.send(INSIDE, PacketBuilder.ipv6(HOST, REMOTE).udp(3, 53).build(), 0));
        assertEquals(1, bed.dropped(Ipv6GatewayDropReason.STATE_TABLE_FULL));
        assertTrue(bed.send(INTERNET, PacketBuilder.ipv6(REMOTE, HOST).udp(53, 2).build(), 1));
    }

    @Test
    void bandwidthCapIsMeasuredWithinFivePercent()
    {
        final int mbit = 10;
        bed = new GatewayTestbed(GatewayTestbed.policy().bandwidth(HOST_128, mbit, 15_000).build(), 64, 16, false);
        final byte[] packet = PacketBuilder.ipv6(HOST, REMOTE).udp(1, 9).payload(1200).build();
        final long rate = TokenBucket.bytesPerSecond(mbit);
        final long gapNs = packet.length * SECOND / (3 * rate);    // offered at 3x the cap
        final long duration = 5 * SECOND;
        for (long now = 0; now < duration; now += gapNs)
        {
            bed.send(INSIDE, packet, now);
        }
        final double measured = (bed.transmittedBytes - 15_000) * (double)SECOND / duration;
        assertEquals(rate, measured, rate * 0.05);
        assertTrue(bed.dropped(Ipv6GatewayDropReason.RATE_LIMITED) > 0);
    }

    @Test
    void aPrefixRuleSharesOneBucketAcrossItsAddresses()
    {
        final Ipv6Prefix subnet = Ipv6Prefix.parse("2001:db8:100::/64");
        bed = new GatewayTestbed(GatewayTestbed.policy().bandwidth(subnet, 1, 3_000).build(), 64, 16, false);
        final byte[] fromHost = PacketBuilder.ipv6(HOST, REMOTE).udp(1, 9).payload(1200).build();
        final byte[] fromOther = PacketBuilder.ipv6(OTHER_HOST, REMOTE).udp(1, 9).payload(1200).build();

        assertTrue(bed.send(INSIDE, fromHost, 0));
        assertTrue(bed.send(INSIDE, fromHost, 0));
        assertFalse(bed.send(INSIDE, fromOther, 0), "the other address draws on the same, now empty, bucket");
        assertEquals(1, bed.dropped(Ipv6GatewayDropReason.RATE_LIMITED));
    }

    @Test
    void addressRulesHaveABucketEach()
    {
        bed = new GatewayTestbed(GatewayTestbed.policy().bandwidth(HOST_128, 1, 3_000)
            .bandwidth(Ipv6Prefix.parse(OTHER_HOST + "/128"), 1, 3_000).build(), 64, 16, false);
        final byte[] fromHost = PacketBuilder.ipv6(HOST, REMOTE).udp(1, 9).payload(1200).build();
        final byte[] fromOther = PacketBuilder.ipv6(OTHER_HOST, REMOTE).udp(1, 9).payload(1200).build();

        assertTrue(bed.send(INSIDE, fromHost, 0));
        assertTrue(bed.send(INSIDE, fromHost, 0));
        assertFalse(bed.send(INSIDE, fromHost, 0));
        assertTrue(bed.send(INSIDE, fromOther, 0), "its own bucket is still full");
    }

    @Test
    void inboundNonFirstFragmentsToAnEgressOnlyAddressAreDroppedWithTheirOwnReason()
    {
        bed = new GatewayTestbed(GatewayTestbed.policy().bandwidth(HOST_128, 100, 0).egressOnly(HOST_128, true)
            .bandwidth(Ipv6Prefix.parse(OTHER_HOST + "/128"), 100, 0).build(), 64, 16, false);
        assertTrue(bed.send(INSIDE, PacketBuilder.ipv6(HOST, REMOTE).udp(5000, 53).build(), 0));
        final byte[] first = PacketBuilder.ipv6(REMOTE, HOST).fragmentHeader(0, true, 7).udp(53, 5000).payload(64)
            .build();
        final byte[] rest = PacketBuilder.ipv6(REMOTE, HOST).fragmentHeader(1232, false, 7)
            .protocol(IpProtocol.UDP).payload(64).build();
        // An ICMPv6 fragment's data is no ICMPv6 header: it must not be judged by a type it does not have.
        final byte[] restOfIcmp = PacketBuilder.ipv6(REMOTE, HOST).fragmentHeader(1232, false, 8)
            .protocol(IpProtocol.ICMPV6).payload(new byte[]{(byte)137, 0, 0, 0, 0, 0, 0, 0}).build();

        assertTrue(bed.send(INTERNET, first, 1), "the first fragment carries the ports: it matches the flow");
        assertFalse(bed.send(INTERNET, rest, 2));
        assertFalse(bed.send(INTERNET, restOfIcmp, 3));
        assertEquals(2, bed.dropped(Ipv6GatewayDropReason.INBOUND_FRAGMENT_UNTRACKED));
        assertEquals(0, bed.dropped(Ipv6GatewayDropReason.ICMPV6_LINK_SCOPE));

        assertTrue(bed.send(INSIDE, PacketBuilder.ipv6(HOST, REMOTE).fragmentHeader(1232, false, 9)
            .protocol(IpProtocol.UDP).payload(64).build(), 4), "outbound, a non-first fragment follows its first");
        assertTrue(bed.send(INTERNET, PacketBuilder.ipv6(REMOTE, OTHER_HOST).fragmentHeader(1232, false, 10)
            .protocol(IpProtocol.UDP).payload(64).build(), 5), "an Internet-mode address takes fragments both ways");
    }

    @Test
    void aPolicyPutInForceOnTheWorkerAppliesToTheNextPacket()
    {
        bed = new GatewayTestbed(egressOnly(), 64, 16, false);
        bed.stage.offer(GatewayTestbed.policy().build());
        final Ipv6GatewayPolicy internet = bed.stage.policy().toBuilder().egressOnly(HOST_128, false).build();

        bed.stage.policy(internet);

        assertEquals(internet, bed.stage.policy());
        assertTrue(bed.send(INTERNET, tcp(REMOTE, HOST, 443, 22, TcpFlyweight.SYN), 0),
            "the offered VPC-only policy was dropped for the one put in force");
    }

    @Test
    void policySwapAppliesAtRunTimeAndKeepsState()
    {
        bed = new GatewayTestbed(egressOnly(), 64, 16, false);
        assertTrue(bed.send(INSIDE, tcp(HOST, REMOTE, 40000, 443, TcpFlyweight.SYN), 0));
        bed.stage.offer(bed.stage.policy().toBuilder().bandwidth(Ipv6Prefix.parse(OTHER_HOST + "/128"), 5, 0)
            .build());
        assertTrue(bed.send(INTERNET, tcp(REMOTE, OTHER_HOST, 443, 22, TcpFlyweight.SYN), 1));
        assertTrue(bed.send(INTERNET, tcp(REMOTE, HOST, 443, 40000, TcpFlyweight.SYN | TcpFlyweight.ACK), 2));
        bed.stage.offer(bed.stage.policy().toBuilder().bandwidth(HOST_128, 0, 0).build());
        assertFalse(bed.send(INSIDE, tcp(HOST, REMOTE, 40000, 443, TcpFlyweight.ACK), 3));
        assertEquals(1, bed.dropped(Ipv6GatewayDropReason.VPC_ONLY));
    }

    @Test
    void hotPathAllocatesNothing()
    {
        bed = new GatewayTestbed(egressOnly(), 64, 16, false);
        final byte[] out = tcp(HOST, REMOTE, 40000, 443, TcpFlyweight.ACK);
        final byte[] in = tcp(REMOTE, HOST, 443, 40000, TcpFlyweight.ACK);
        final byte[] unsolicited = tcp(REMOTE, HOST, 443, 1, TcpFlyweight.SYN);
        final int a = bed.pool.allocateCopy(out, 0, out.length);
        final int b = bed.pool.allocateCopy(in, 0, in.length);
        final int c = bed.pool.allocateCopy(unsolicited, 0, unsolicited.length);
        final long[] now = {0};
        assertEquals(0, AllocationMeter.leastBytesAllocatedBy(() ->
        {
            for (int i = 0; i < 100; i++)
            {
                now[0] += 1000;
                run(a, INSIDE, now[0]);
                run(b, INTERNET, now[0]);
                run(c, INTERNET, now[0]);
            }
        }));
    }

    private void run(final int frame, final int port, final long now)
    {
        bed.pool.port(frame, port);
        bed.pool.timestampNs(frame, now);
        bed.pool.l3Offset(frame, bed.pool.offset(frame));
        bed.pool.l4Offset(frame, bed.pool.offset(frame) + 40);
        bed.pool.l4Protocol(frame, 6);
        bed.stage.process(frame);
    }
}
