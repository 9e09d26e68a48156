package io.sixgate.nat64.stateful;

import static io.sixgate.nat64.stateful.StatefulTestbed.CLIENT6;
import static io.sixgate.nat64.stateful.StatefulTestbed.EIP6;
import static io.sixgate.nat64.stateful.StatefulTestbed.INSTANCE;
import static io.sixgate.nat64.stateful.StatefulTestbed.POOL4;
import static io.sixgate.nat64.stateful.StatefulTestbed.u16;
import static io.sixgate.nat64.stateful.StatefulTestbed.v4;
import static io.sixgate.nat64.stateful.StatefulTestbed.v6;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.testing.AllocationMeter;
import io.sixgate.nat64.state.PortRange;
import io.sixgate.nat64.state.SessionTableConfig;
import io.sixgate.nat64.state.TcpStateMachine;

import org.junit.jupiter.api.Test;

/**
 * Lifetimes on the packet clock (RFC 6146 §4 defaults: UDP 5 min, TCP established 2 h 4 min,
 * TCP transitory 4 min, ICMP 60 s), scale, and the hot path's allocation.
 */
class Nat64ExpiryAndScaleTest
{
    @Test
    void udpSessionExpiresAfterFiveMinutesOfSilence()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            bed.send6(v6(CLIENT6, EIP6).udp(5000, 53).build()).only4();
            bed.advance(299, TimeUnit.SECONDS).tick();
            assertEquals(1, bed.shard().sessions().size(), "alive just before UDP_DEFAULT");
            bed.advance(1, TimeUnit.SECONDS).tick();
            assertEquals(0, bed.shard().sessions().size(), "gone at UDP_DEFAULT");
            assertEquals(0, bed.shard().pool4().allocatedPorts());
        }
    }

    @Test
    void trafficRefreshesAUdpSession()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            final int t = u16(bed.send6(v6(CLIENT6, EIP6).udp(5000, 53).build()).only4(), 20);
            bed.advance(4, TimeUnit.MINUTES);
            bed.send4(v4(INSTANCE, POOL4).udp(53, t).build()).only6();
            bed.advance(4, TimeUnit.MINUTES).tick();
            assertEquals(1, bed.shard().sessions().size());
        }
    }

    @Test
    void icmpSessionExpiresAfterSixtySeconds()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            final int id = u16(bed.send6(v6(CLIENT6, EIP6).icmpEchoRequest(9, 1).build()).only4(), 24);
            bed.advance(59, TimeUnit.SECONDS).tick();
            assertEquals(1, bed.shard().sessions().size());
            bed.advance(1, TimeUnit.SECONDS).tick();
            assertEquals(0, bed.shard().sessions().size());
            assertEquals(List.of("nat64-4to6/no-bib-entry"),
                bed.send4(v4(INSTANCE, POOL4).icmpEchoReply(id, 1).build()).drops(), "a late reply finds nothing");
        }
    }

    @Test
    void halfOpenTcpSessionExpiresAfterTheTransitoryLifetime()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            bed.send6(v6(CLIENT6, EIP6).tcp(5000, 80, TcpFlyweight.SYN).build()).only4();
            bed.advance(239, TimeUnit.SECONDS).tick();
            assertEquals(1, bed.shard().sessions().size());
            bed.advance(1, TimeUnit.SECONDS).tick();
            assertEquals(0, bed.shard().sessions().size(), "V6 INIT lasts TCP_TRANS, 4 minutes");
        }
    }

    @Test
    void establishedTcpSessionLastsTwoHoursFourMinutesThenTransitory()
    {
        try (StatefulTestbed bed = new StatefulTestbed())
        {
            final int t = u16(bed.send6(v6(CLIENT6, EIP6).tcp(5000, 80, TcpFlyweight.SYN).build()).only4(), 20);
            bed.send4(v4(INSTANCE, POOL4).tcp(80, t, TcpFlyweight.SYN | TcpFlyweight.ACK).build()).only6();
            bed.advance(123, TimeUnit.MINUTES).tick();
            assertEquals(1, bed.shard().sessions().size());
            bed.advance(1, TimeUnit.MINUTES).tick();
            assertEquals(1, bed.shard().sessions().size(), "TCP_EST ran out: TRANS, not gone (RFC 6146 §3.5.2.2)");
            final int session = 0;
            assertEquals(TcpStateMachine.TRANS, bed.shard().sessions().tcpState(session));
            assertEquals(1, bed.shard().tcpProbesRequested());
            bed.advance(4, TimeUnit.MINUTES).tick();
            assertEquals(0, bed.shard().sessions().size(), "then TCP_TRANS of silence ends it");
        }
    }

    @Test
    void hundredThousandConcurrentSessionsTranslateBothWays()
    {
        final int flows = 100_000;
        final int[] pool4 = {0xC0000202, 0xC0000203, 0xC0000204, 0xC0000205};
        try (StatefulTestbed bed = new StatefulTestbed(pool4, new PortRange(1024, 65535),
            SessionTableConfig.of(flows, flows, 1024, 3), false))
        {
            final int[] mappedAddress = new int[flows];
            final int[] mappedPort = new int[flows];
            for (int i = 0; i < flows; i++)
            {
                final String client = "2001:db8:ffff::" + Integer.toHexString(1 + i / 1000);
                final byte[] out = bed.send6(v6(client, EIP6).udp(10000 + i % 1000, 53).build()).only4();
                mappedAddress[i] = (out[12] & 0xFF) << 24 | (out[13] & 0xFF) << 16 | (out[14] & 0xFF) << 8 | out[15] & 0xFF;
                mappedPort[i] = u16(out, 20);
            }
            assertEquals(flows, bed.shard().sessions().size());
            for (int i = 0; i < flows; i++)
            {
                final byte[] back = bed.send4(v4(INSTANCE, io.sixgate.core.net.Ipv4Address.format(mappedAddress[i]))
                    .udp(53, mappedPort[i]).build()).only6();
                assertEquals(10000 + i % 1000, u16(back, 42));
                assertEquals(1 + i / 1000, back[39] & 0xFF | (back[38] & 0xFF) << 8);
            }
            bed.advance(5, TimeUnit.MINUTES).tick();
            assertEquals(0, bed.shard().sessions().size(), "all expired, without a stall: bounded sweeps");
        }
    }

    @Test
    void translatingEstablishedFlowsAllocatesNothing()
    {
        try (StatefulTestbed bed = new StatefulTestbed().withoutChecksumChecks())
        {
            final byte[] udp6 = v6(CLIENT6, EIP6).udp(5000, 53).payload(64).build();
            final int t = u16(bed.send6(udp6).only4(), 20);
            final byte[] udp4 = v4(INSTANCE, POOL4).udp(53, t).payload(64).build();
            final byte[] syn6 = v6(CLIENT6, EIP6).tcp(5001, 80, TcpFlyweight.SYN).build();
            final int tt = u16(bed.send6(syn6).only4(), 20);
            final byte[] ack4 = v4(INSTANCE, POOL4).tcp(80, tt, TcpFlyweight.ACK | TcpFlyweight.SYN).build();
            final byte[] ack6 = v6(CLIENT6, EIP6).tcp(5001, 80, TcpFlyweight.ACK).payload(100).build();
            final byte[] ping = v6(CLIENT6, EIP6).icmpEchoRequest(3, 1).build();
            bed.discardingOutput();
            final var pool = bed.pool();
            final var pipeline = bed.pipeline();
            final byte[][] packets = {udp6, udp4, ack4, ack6, ping};
            final int[] ports = {1, 0, 0, 1, 1};
            final long[] sink = new long[1];
            final long bytes = AllocationMeter.leastBytesAllocatedBy(() ->
            {
                for (int round = 0; round < 2_000; round++)
                {
                    for (int p = 0; p < packets.length; p++)
                    {
                        final int frame = pool.allocateCopy(packets[p], 0, packets[p].length);
                        pool.port(frame, ports[p]);
                        pool.timestampNs(frame, bed.nowNs() + round);
                        pipeline.receive(frame);
                        sink[0] += frame;
                    }
                }
            });
            assertEquals(0, bytes, "bytes allocated by 10 000 packets through nat64-6to4 / nat64-4to6");
        }
    }
}
