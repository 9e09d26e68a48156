package io.sixgate.daemon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.fuzz.FuzzInvariants;
import io.sixgate.core.neighbour.NeighbourCache;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.core.stage.L2OutputStage;
import io.sixgate.core.stage.StageNames;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.config.PortConfig;
import io.sixgate.egress.EgressOnlyTable;
import io.sixgate.egress.Ipv6GatewayStage;
import io.sixgate.nat64.stateful.Nat64Shard;
import io.sixgate.nat64.stateful.Nat64Stateful46Stage;

/**
 * The gateway's own pipeline ({@link GatewayPipelineFactory}) driven in-process the way replay
 * drives it, with packet timestamps as the clock: every frame gets the current time, and the
 * stages are ticked with it before each frame, as the worker ticks before each batch. Unlike
 * {@code sixgate replay} it lets a test look at the tables between packets, which floods of a
 * hundred thousand flows need. Transmitted frames are kept per port until taken.
 */
final class PacketClockPipeline
{
    private final FramePool pool;
    private final Pipeline pipeline;
    private final GatewayConfig config;
    private final List<List<byte[]>> transmitted = new ArrayList<>();
    private long nowNs = 1_767_225_600_000_000_000L;

    /**
     * @param yaml     the configuration.
     * @param linkType the framing of every port.
     */
    PacketClockPipeline(final String yaml, final LinkType linkType) throws Exception
    {
        config = ConfigLoader.load("exhaustion.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        final Port[] ports = new Port[config.ports().size()];
        for (int id = 0; id < ports.length; id++)
        {
            final PortConfig port = config.ports().get(id);
            ports[id] = new Port(id, port.name(), linkType, linkType == LinkType.ETHERNET ? port.mac().value() : 0,
                port.mtu());
            transmitted.add(new ArrayList<>());
        }
        pool = new FramePool(config.framePool().frames(), config.framePool().slotSize(), FramePool.DEFAULT_HEADROOM);
        pipeline = new GatewayPipelineFactory().create(config, ports, pool, (port, frame) ->
        {
            transmitted.get(port).add(pool.copyOut(frame));
            pool.release(frame);
        }, InMemoryCounters.create(4096));
    }

    /** Receives a frame on a port at the current time; returns what it made leave, per port id. */
    void send(final String port, final byte[] frame)
    {
        pipeline.tick(nowNs);
        final int handle = pool.allocateCopy(frame, 0, frame.length);
        if (handle == FramePool.NO_FRAME)
        {
            throw new AssertionError("the frame pool is empty: " + pool.available() + " of " + pool.capacity());
        }
        pool.port(handle, config.portId(port));
        pool.timestampNs(handle, nowNs);
        pipeline.receive(handle);
    }

    /** Lets time pass, ticking the stages once per {@code stepNs} (the worker ticks when idle). */
    void advance(final long durationNs, final long stepNs)
    {
        final long end = nowNs + durationNs;
        while (nowNs < end)
        {
            nowNs = Math.min(end, nowNs + stepNs);
            pipeline.tick(nowNs);
        }
    }

    void advance(final long durationNs)
    {
        nowNs += durationNs;
    }

    /** @return the frames sent out of the port since the last call, and forgets them. */
    List<byte[]> take(final String port)
    {
        final List<byte[]> out = transmitted.get(config.portId(port));
        final List<byte[]> copy = List.copyOf(out);
        out.clear();
        return copy;
    }

    void forgetTransmitted()
    {
        transmitted.forEach(List::clear);
    }

    /** @return the count of a drop reason, {@code stage/label}. */
    long dropped(final String label)
    {
        final String[] labels = pipeline.dropLabels();
        for (int i = 0; i < labels.length; i++)
        {
            if (labels[i].equals(label))
            {
                return pipeline.counters().dropped(i);
            }
        }
        throw new IllegalArgumentException("no drop reason " + label + " in the pipeline");
    }

    /** Every frame is accounted for and the only frames out of the pool are those a stage holds. */
    void assertConserved(final int held)
    {
        FuzzInvariants.assertCountersAddUp(pipeline);
        assertEquals(pool.capacity() - held, pool.available(), "frames held");
    }

    Pipeline pipeline()
    {
        return pipeline;
    }

    FramePool pool()
    {
        return pool;
    }

    Nat64Shard nat64()
    {
        return ((Nat64Stateful46Stage)pipeline.stage(Nat64Stateful46Stage.NAME)).shard();
    }

    EgressOnlyTable egressOnly()
    {
        return ((Ipv6GatewayStage)pipeline.stage(Ipv6GatewayStage.NAME)).table();
    }

    NeighbourCache neighbours()
    {
        return ((L2OutputStage)pipeline.stage(StageNames.L2_OUTPUT)).cache();
    }
}
