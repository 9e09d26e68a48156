package io.sixgate.nat64.siit;

import static io.sixgate.nat64.siit.Siit64StageTest.concat;
import static io.sixgate.nat64.siit.SiitTestbed.CLIENT6;
import static io.sixgate.nat64.siit.SiitTestbed.CLIENT6_AS_V4;
import static io.sixgate.nat64.siit.SiitTestbed.HOST4;
import static io.sixgate.nat64.siit.SiitTestbed.HOST4_AS_V6;
import static io.sixgate.nat64.siit.SiitTestbed.v4;
import static io.sixgate.nat64.siit.SiitTestbed.v6;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.core.testing.AllocationMeter;
import io.sixgate.nat64.conformance.ConformanceRunner;
import io.sixgate.nat64.conformance.PortTxStage;
import io.sixgate.nat64.conformance.RawIpDispatchStage;

import org.junit.jupiter.api.Test;

/**
 * The hot path allocates nothing once warm: translation both ways, ICMP errors in both
 * directions, RFC 4884 extensions, fragmentation, locally generated errors and hairpinning.
 */
class ZeroAllocationTest
{
    @Test
    void translatesEveryKindOfPacketWithoutAllocating()
    {
        final FramePool pool = new FramePool(64, 4096, 256);
        final TranslatorConfig config = TranslatorConfig.fromProperties(ConformanceRunner.siitBaseSetup());
        final Pipeline pipeline = Pipeline.builder()
            .pool(pool)
            .txSink((portId, frame) -> pool.release(frame))
            .port(new Port(0, "n4", LinkType.RAW, 0, 1500), RawIpDispatchStage.NAME)
            .port(new Port(1, "n6", LinkType.RAW, 0, 1500), RawIpDispatchStage.NAME)
            .stage(new RawIpDispatchStage(RawIpDispatchStage.NAME, pool, Siit46Stage.NAME, Siit64Stage.NAME))
            .stage(new Siit64Stage(config, pool, PortTxStage.IPV4_OUTPUT, PortTxStage.IPV6_OUTPUT))
            .stage(new Siit46Stage(config, pool, PortTxStage.IPV6_OUTPUT, PortTxStage.IPV4_OUTPUT))
            .stage(new PortTxStage(PortTxStage.IPV4_OUTPUT, "n4"))
            .stage(new PortTxStage(PortTxStage.IPV6_OUTPUT, "n6"))
            .build(InMemoryCounters.create(512), 0);

        final byte[] inner6 = v6(HOST4_AS_V6, CLIENT6).ttl(63).udp(4000, 2000).payload(104).build();
        final byte[] inner4 = v4(CLIENT6_AS_V4, HOST4).ttl(63).udp(2000, 4000).payload(104).build();
        final List<byte[]> from6 = List.of(
            v6(CLIENT6, HOST4_AS_V6).udp(1, 2).payload(200).build(),
            v6(CLIENT6, HOST4_AS_V6).tcp(1, 2, 0x10).payload(1300).build(),
            v6(CLIENT6, HOST4_AS_V6).icmpEchoRequest(1, 1).payload(56).build(),
            v6(CLIENT6, HOST4_AS_V6).fragmentHeader(8, true, 77).udp(1, 2).payload(100).build(),
            v6(CLIENT6, HOST4_AS_V6).icmp(1, 4, 19 << 24).payload(concat(inner6, new byte[24])).build(),
            v6(CLIENT6, HOST4_AS_V6).ttl(1).udp(1, 2).payload(10).build(),
            v6(CLIENT6, HOST4_AS_V6).routingHeader(0, 1).udp(1, 2).payload(10).build(),
            v6("2001:db8:3::8", "2001:db8:101:0:9::").udp(1, 2).payload(10).build());
        final List<byte[]> from4 = List.of(
            v4(HOST4, CLIENT6_AS_V4).udp(1, 2).payload(200).build(),
            v4(HOST4, CLIENT6_AS_V4).udp(1, 2).payload(2000).build(),
            v4(HOST4, CLIENT6_AS_V4).icmpEchoReply(1, 1).payload(56).build(),
            v4(HOST4, CLIENT6_AS_V4).icmp(3, 3, 33 << 16).payload(concat(inner4, new byte[40])).build(),
            v4(HOST4, CLIENT6_AS_V4).noUdpChecksum().udp(1, 2).payload(10).build(),
            v4(HOST4, CLIENT6_AS_V4).ttl(1).udp(1, 2).payload(10).build());

        final Runnable all = () ->
        {
            for (int i = 0; i < from6.size(); i++)
            {
                send(pipeline, pool, from6.get(i), 1);
            }
            for (int i = 0; i < from4.size(); i++)
            {
                send(pipeline, pool, from4.get(i), 0);
            }
        };
        for (int i = 0; i < 20_000; i++)
        {
            all.run();
        }
        final long allocated = AllocationMeter.leastBytesAllocatedBy(() ->
        {
            for (int i = 0; i < 1_000; i++)
            {
                all.run();
            }
        });
        assertEquals(0, allocated, "bytes allocated by 1000 rounds of " + (from6.size() + from4.size()) + " packets");
        assertEquals(pool.capacity(), pool.available());
    }

    private static void send(final Pipeline pipeline, final FramePool pool, final byte[] packet, final int port)
    {
        final int frame = pool.allocateCopy(packet, 0, packet.length);
        pool.port(frame, port);
        pipeline.receive(frame);
    }
}
