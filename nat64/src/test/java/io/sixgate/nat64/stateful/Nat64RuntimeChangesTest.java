package io.sixgate.nat64.stateful;

import static io.sixgate.nat64.stateful.Nat64StatefulStageTest.ip4;
import static io.sixgate.nat64.stateful.Nat64StatefulStageTest.ip6;
import static io.sixgate.nat64.stateful.StatefulTestbed.CLIENT6;
import static io.sixgate.nat64.stateful.StatefulTestbed.EIP6;
import static io.sixgate.nat64.stateful.StatefulTestbed.INSTANCE;
import static io.sixgate.nat64.stateful.StatefulTestbed.POOL4;
import static io.sixgate.nat64.stateful.StatefulTestbed.u16;
import static io.sixgate.nat64.stateful.StatefulTestbed.v4;
import static io.sixgate.nat64.stateful.StatefulTestbed.v6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.nat64.state.Nat64Timeouts;

import org.junit.jupiter.api.Test;

/**
 * What the control plane changes on a running shard (the admin API, a configuration reload):
 * EIP bindings and lifetimes, from the next packet on, sessions kept.
 */
class Nat64RuntimeChangesTest
{
    private static final String OTHER_EIP = "203.0.113.9";
    private static final String OTHER_EIP6 = "64:ff9b::cb00:7109";
    private static final String OTHER_INSTANCE = "10.0.1.9";

    @Test
    void anEipBoundAtRunTimeIsTranslatedFromTheNextPacketOn()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            final byte[] before = bed.send6(v6(CLIENT6, OTHER_EIP6).udp(40000, 53).build()).only4();
            assertEquals(OTHER_EIP, ip4(before, 16), "not bound yet: the embedded address itself");

            bed.shard().eip(new EipTable(new int[]{Ipv4Address.parse("203.0.113.5"), Ipv4Address.parse(OTHER_EIP)},
                new int[]{Ipv4Address.parse(INSTANCE), Ipv4Address.parse(OTHER_INSTANCE)}));

            final byte[] after = bed.send6(v6(CLIENT6, OTHER_EIP6).udp(40001, 53).build()).only4();
            assertEquals(OTHER_INSTANCE, ip4(after, 16));
            final byte[] reply = bed.send4(v4(OTHER_INSTANCE, POOL4).udp(53, u16(after, 20)).build()).only6();
            assertEquals(OTHER_EIP6, ip6(reply, 8), "the reply carries the EIP again");
        }
    }

    @Test
    void anUnboundEipKeepsItsSessionsButRepliesNoLongerCarryIt()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            final byte[] out = bed.send6(v6(CLIENT6, EIP6).udp(40000, 53).build()).only4();
            assertEquals(INSTANCE, ip4(out, 16));

            bed.shard().eip(EipTable.EMPTY);

            assertEquals(1, bed.shard().sessions().size(), "the session stays");
            final byte[] reply = bed.send4(v4(INSTANCE, POOL4).udp(53, u16(out, 20)).build()).only6();
            assertEquals("64:ff9b::a00:105", ip6(reply, 8), "the instance's own address, embedded");
            assertEquals(List.of(), bed.send6(v6(CLIENT6, EIP6).udp(40002, 53).build()).drops(),
                "a new flow to the old EIP goes to the EIP address itself");
        }
    }

    @Test
    void newLifetimesApplyFromEachSessionsNextRefresh()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            bed.send6(v6(CLIENT6, EIP6).udp(40000, 53).build()).only4();
            final int session = 0;
            assertEquals(bed.nowNs() + Nat64Timeouts.UDP_DEFAULT_NS, bed.shard().sessions().expiryNs(session));

            final long tenMinutes = TimeUnit.MINUTES.toNanos(10);
            bed.shard().timeouts(new Nat64Timeouts(tenMinutes, Nat64Timeouts.TCP_EST_NS, Nat64Timeouts.TCP_TRANS_NS,
                Nat64Timeouts.ICMP_DEFAULT_NS), TimeUnit.SECONDS.toNanos(8));

            assertEquals(bed.nowNs() + Nat64Timeouts.UDP_DEFAULT_NS, bed.shard().sessions().expiryNs(session),
                "a deadline already set stays");
            bed.advance(1, TimeUnit.SECONDS).send6(v6(CLIENT6, EIP6).udp(40000, 53).build()).only4();
            assertEquals(bed.nowNs() + tenMinutes, bed.shard().sessions().expiryNs(session), "refreshed: the new one");

            bed.send4(v4(INSTANCE, POOL4).tcp(80, 6000, TcpFlyweight.SYN).build()).assertNothing();
            bed.advance(7, TimeUnit.SECONDS).tick().assertNothing();
            assertTrue(bed.advance(1, TimeUnit.SECONDS).tick().n4().size() == 1,
                "the held SYN waited the new TCP_INCOMING_SYN of 8 s");
        }
    }
}
