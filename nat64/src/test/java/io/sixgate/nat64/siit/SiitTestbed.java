package io.sixgate.nat64.siit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.frame.Offload;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.nat64.conformance.ConformanceRunner;
import io.sixgate.nat64.conformance.PortTxStage;
import io.sixgate.nat64.conformance.RawIpDispatchStage;


/**
 * The two translator stages in a real pipeline with ports n4 and n6, set up like the corpus's
 * siit suite: pool6 2001:db8:100::/40, EAMs 1.0.0.0/24 = 2001:db8:3::/120 and
 * 10.0.0.0/24 = 2001:db8:2::/120, RFC 6791 pool 203.0.113.8, gateway 198.51.100.1 and
 * 2001:db8:1c0:2:1::. Every emitted packet is checked for valid checksums and every frame must
 * return to the pool.
 */
final class SiitTestbed
{
    /** IPv6 client, 192.0.2.33 under pool6. */
    static final String CLIENT6 = "2001:db8:1c0:2:21::";
    static final String CLIENT6_AS_V4 = "192.0.2.33";
    /** IPv4 host, 2001:db8:1c6:3364:2:: under pool6. */
    static final String HOST4 = "198.51.100.2";
    static final String HOST4_AS_V6 = "2001:db8:1c6:3364:2::";
    static final String GATEWAY4 = "198.51.100.1";
    static final String GATEWAY6 = "2001:db8:1c0:2:1::";

    /** What one packet produced. */
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

        void assertDroppedSilently(final String label)
        {
            assertEquals(List.of(label), drops, "drops");
            assertEquals(0, n4.size() + n6.size(), "nothing emitted");
        }
    }

    private final FramePool pool = new FramePool(128, 4096, 256);
    private final List<List<byte[]>> transmitted = List.of(new ArrayList<>(), new ArrayList<>());
    /** The offload state of every frame transmitted, in order, whichever port. */
    private final List<Long> offloads = new ArrayList<>();
    private long nextOffload = Offload.NONE;
    private final Pipeline pipeline;
    private boolean checkChecksums = true;

    SiitTestbed()
    {
        this(Map.of());
    }

    SiitTestbed(final Map<String, String> overrides)
    {
        this(overrides, 1500, 1500);
    }

    SiitTestbed(final Map<String, String> overrides, final int mtu4, final int mtu6)
    {
        final Map<String, String> settings = ConformanceRunner.siitBaseSetup();
        settings.putAll(overrides);
        final TranslatorConfig config = TranslatorConfig.fromProperties(settings)
            .withEgressMtu(EgressMtu.fixed(mtu4, mtu6));
        pipeline = Pipeline.builder()
            .pool(pool)
            .txSink((portId, frame) ->
            {
                transmitted.get(portId).add(pool.copyOut(frame));
                offloads.add(pool.offload(frame));
                pool.release(frame);
            })
            .port(new Port(0, "n4", LinkType.RAW, 0, mtu4), RawIpDispatchStage.NAME)
            .port(new Port(1, "n6", LinkType.RAW, 0, mtu6), RawIpDispatchStage.NAME)
            .stage(new RawIpDispatchStage(RawIpDispatchStage.NAME, pool, Siit46Stage.NAME, Siit64Stage.NAME))
            .stage(new Siit64Stage(config, pool, PortTxStage.IPV4_OUTPUT, PortTxStage.IPV6_OUTPUT))
            .stage(new Siit46Stage(config, pool, PortTxStage.IPV6_OUTPUT, PortTxStage.IPV4_OUTPUT))
            .stage(new PortTxStage(PortTxStage.IPV4_OUTPUT, "n4"))
            .stage(new PortTxStage(PortTxStage.IPV6_OUTPUT, "n6"))
            .build(InMemoryCounters.create(512), 0);
    }

    Pipeline pipeline()
    {
        return pipeline;
    }

    /** For packets built with a deliberately wrong checksum, which translation must keep wrong. */
    SiitTestbed withoutChecksumChecks()
    {
        checkChecksums = false;
        return this;
    }

    /**
     * The next packet sent comes with this offload state, as from a TAP with offload; its
     * checksums are then not checked (a partial checksum is completed by the test).
     */
    SiitTestbed offloaded(final long offload)
    {
        nextOffload = offload;
        return this;
    }

    /**
     * @return the offload state of the frames the last send transmitted.
     */
    List<Long> offloads()
    {
        return List.copyOf(offloads);
    }

    Output send6(final byte[] packet)
    {
        return send(1, packet);
    }

    Output send4(final byte[] packet)
    {
        return send(0, packet);
    }

    Output send(final int port, final byte[] packet)
    {
        transmitted.get(0).clear();
        transmitted.get(1).clear();
        offloads.clear();
        final long[] before = dropCounts();
        final int frame = pool.allocateCopy(packet, 0, packet.length);
        pool.port(frame, port);
        final boolean offloaded = nextOffload != Offload.NONE;
        pool.offload(frame, nextOffload);
        nextOffload = Offload.NONE;
        pipeline.receive(frame);
        assertEquals(pool.capacity(), pool.available(), "every frame returned to the pool");
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
        if (checkChecksums && !offloaded)
        {
            for (final byte[] emitted : output.n4())
            {
                PacketChecks.assertValidChecksums(emitted);
            }
            for (final byte[] emitted : output.n6())
            {
                PacketChecks.assertValidChecksums(emitted);
            }
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

    /**
     * Asserts two packets are equal except at the given offsets.
     */
    static void assertSameExcept(final byte[] expected, final byte[] actual, final int... ignored)
    {
        if (expected.length != actual.length)
        {
            fail("length " + expected.length + " vs " + actual.length);
        }
        final byte[] e = expected.clone();
        final byte[] a = actual.clone();
        for (final int i : ignored)
        {
            e[i] = 0;
            a[i] = 0;
        }
        if (!Arrays.equals(e, a))
        {
            for (int i = 0; i < e.length; i++)
            {
                if (e[i] != a[i])
                {
                    fail(String.format("first difference at %d: expected %02x, got %02x", i, e[i] & 0xFF, a[i] & 0xFF));
                }
            }
        }
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

    static int u8(final byte[] packet, final int offset)
    {
        return packet[offset] & 0xFF;
    }
}
