package io.sixgate.nat64.stateful;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.nat64.conformance.ConformanceRunner;
import io.sixgate.nat64.conformance.PortTxStage;
import io.sixgate.nat64.conformance.RawIpDispatchStage;
import io.sixgate.nat64.siit.PacketChecks;
import io.sixgate.nat64.siit.TranslatorConfig;
import io.sixgate.nat64.state.Nat64Timeouts;
import io.sixgate.nat64.state.PortRange;
import io.sixgate.nat64.state.SessionTableConfig;

/**
 * A stateful NAT64 pipeline for tests: n4 (port 0) and n6 (port 1), raw IP, the IPv6 EIP of
 * the product (203.0.113.5 = instance 10.0.1.5), pool4 192.0.2.2, a packet clock the test moves.
 */
final class StatefulTestbed implements AutoCloseable
{
    static final String CLIENT6 = "2001:db8:ffff::7";
    static final String CLIENT6_B = "2001:db8:ffff::8";
    static final String EIP = "203.0.113.5";
    static final String EIP6 = "64:ff9b::cb00:7105";
    static final String INSTANCE = "10.0.1.5";
    static final String POOL4 = "192.0.2.2";
    static final String POOL4_AS_V6 = "64:ff9b::c000:202";
    static final String GATEWAY6 = "2001:db8::1";
    static final long START_NS = TimeUnit.SECONDS.toNanos(10_000);

    /** What one packet (or one tick) produced. */
    record Output(List<byte[]> n4, List<byte[]> n6, List<String> drops)
    {
        byte[] only4()
        {
            assertEquals(0, n6.size(), "nothing on n6; drops " + drops);
            assertEquals(1, n4.size(), "one packet on n4; drops " + drops);
            return n4.get(0);
        }

        byte[] only6()
        {
            assertEquals(0, n4.size(), "nothing on n4; drops " + drops);
            assertEquals(1, n6.size(), "one packet on n6; drops " + drops);
            return n6.get(0);
        }

        void assertNothing()
        {
            assertEquals(0, n4.size() + n6.size(), "nothing emitted; drops " + drops);
        }
    }

    private final FramePool pool = new FramePool(256, 4096, 256);
    private final List<List<byte[]>> transmitted = List.of(new ArrayList<>(), new ArrayList<>());
    private final Nat64Shard shard;
    private final Pipeline pipeline;
    private final Nat64Stateful64Stage stage64;
    private final Nat64Stateful46Stage stage46;
    private long nowNs = START_NS;
    private boolean checkChecksums = true;
    private boolean discardOutput;

    StatefulTestbed()
    {
        this(new PortRange(1024, 65535), SessionTableConfig.of(1024, 1024, 256, 42), false);
    }

    StatefulTestbed(final PortRange ports, final SessionTableConfig sessions, final boolean addressDependent)
    {
        this(new int[]{Ipv4Address.parse(POOL4)}, ports, sessions, addressDependent);
    }

    StatefulTestbed(
        final int[] pool4, final PortRange ports, final SessionTableConfig sessions, final boolean addressDependent)
    {
        final Map<String, String> settings = ConformanceRunner.nat64TranslatorSetup();
        settings.put(TranslatorConfig.LOCAL_IPV6_KEY, GATEWAY6);
        settings.put(TranslatorConfig.LOCAL_IPV4_KEY, POOL4);
        final TranslatorConfig translator = TranslatorConfig.fromProperties(settings);
        final Nat64StatefulConfig config = new Nat64StatefulConfig(translator, pool4, ports, ports, ports, List.of(),
            sessions, addressDependent, TimeUnit.SECONDS.toNanos(6), 16,
            new EipTable(new int[]{Ipv4Address.parse(EIP)}, new int[]{Ipv4Address.parse(INSTANCE)}),
            Nat64StatefulConfig.DEFAULT_SWEEP_SLOTS_PER_PACKET, 1 << 20, 7);
        shard = new Nat64Shard(config);
        stage64 = new Nat64Stateful64Stage(shard, pool, PortTxStage.IPV4_OUTPUT, PortTxStage.IPV6_OUTPUT,
            Nat64Stateful46Stage.HAIRPIN_NAME);
        stage46 = new Nat64Stateful46Stage(shard, pool, PortTxStage.IPV6_OUTPUT, PortTxStage.IPV4_OUTPUT);
        pipeline = Pipeline.builder()
            .pool(pool)
            .txSink((portId, frame) ->
            {
                if (!discardOutput)
                {
                    transmitted.get(portId).add(pool.copyOut(frame));
                }
                pool.release(frame);
            })
            .port(new Port(0, "n4", LinkType.RAW, 0, 1500), RawIpDispatchStage.NAME)
            .port(new Port(1, "n6", LinkType.RAW, 0, 1500), RawIpDispatchStage.NAME)
            .stage(new RawIpDispatchStage(RawIpDispatchStage.NAME, pool, Nat64Stateful46Stage.NAME,
                Nat64Stateful64Stage.NAME))
            .stage(stage64)
            .stage(stage46)
            .stage(Nat64Stateful46Stage.hairpin(shard, pool, PortTxStage.IPV6_OUTPUT, PortTxStage.IPV4_OUTPUT))
            .stage(new PortTxStage(PortTxStage.IPV4_OUTPUT, "n4"))
            .stage(new PortTxStage(PortTxStage.IPV6_OUTPUT, "n6"))
            .build(InMemoryCounters.create(1024), 0);
    }

    static StatefulTestbed withTimeouts(final Nat64Timeouts timeouts)
    {
        return new StatefulTestbed(new PortRange(1024, 65535),
            SessionTableConfig.of(1024, 1024, 256, 42).withTimeouts(timeouts), false);
    }

    StatefulTestbed withoutChecksumChecks()
    {
        checkChecksums = false;
        return this;
    }

    /** Transmitted frames are released without being copied (allocation tests). */
    StatefulTestbed discardingOutput()
    {
        discardOutput = true;
        return this;
    }

    Nat64Shard shard()
    {
        return shard;
    }

    Pipeline pipeline()
    {
        return pipeline;
    }

    FramePool pool()
    {
        return pool;
    }

    Nat64Stateful64Stage stage64()
    {
        return stage64;
    }

    Nat64Stateful46Stage stage46()
    {
        return stage46;
    }

    long nowNs()
    {
        return nowNs;
    }

    /** Moves the packet clock forward. */
    StatefulTestbed advance(final long amount, final TimeUnit unit)
    {
        nowNs += unit.toNanos(amount);
        return this;
    }

    Output send6(final byte[] packet)
    {
        return run(1, packet);
    }

    Output send4(final byte[] packet)
    {
        return run(0, packet);
    }

    /** Lets the pipeline act on the clock with no packet (expiry, held SYNs). */
    Output tick()
    {
        return run(-1, null);
    }

    static PacketBuilder v6(final String src, final String dst)
    {
        return PacketBuilder.ipv6(src, dst);
    }

    static PacketBuilder v4(final String src, final String dst)
    {
        return PacketBuilder.ipv4(src, dst);
    }

    static int u16(final byte[] packet, final int offset)
    {
        return (packet[offset] & 0xFF) << 8 | packet[offset + 1] & 0xFF;
    }

    private Output run(final int port, final byte[] packet)
    {
        transmitted.get(0).clear();
        transmitted.get(1).clear();
        final long[] before = dropCounts();
        if (packet == null)
        {
            pipeline.tick(nowNs);
        }
        else
        {
            final int frame = pool.allocateCopy(packet, 0, packet.length);
            pool.port(frame, port);
            pool.timestampNs(frame, nowNs);
            pipeline.receive(frame);
        }
        assertEquals(pool.capacity() - shard.heldSyns().size(), pool.available(),
            "every frame but the held SYNs returned to the pool");
        final long[] after = dropCounts();
        final List<String> drops = new ArrayList<>();
        final String[] labels = pipeline.dropLabels();
        for (int i = 0; i < after.length; i++)
        {
            for (long n = before[i]; n < after[i]; n++)
            {
                drops.add(labels[i]);
            }
        }
        final Output output = new Output(List.copyOf(transmitted.get(0)), List.copyOf(transmitted.get(1)), drops);
        if (checkChecksums)
        {
            output.n4().forEach(PacketChecks::assertValidChecksums);
            output.n6().forEach(PacketChecks::assertValidChecksums);
        }
        return output;
    }

    private long[] dropCounts()
    {
        final long[] counts = new long[pipeline.dropLabels().length];
        for (int i = 0; i < counts.length; i++)
        {
            counts[i] = pipeline.counters().dropped(i);
        }
        return counts;
    }

    @Override
    public void close()
    {
        shard.releaseHeld(pool);
        shard.close();
    }
}
