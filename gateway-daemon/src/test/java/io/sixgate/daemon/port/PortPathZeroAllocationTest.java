package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.PipelineAgent;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.core.testing.AllocationMeter;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.pipeline.GatewayPipelineFactory;
import io.sixgate.daemon.steer.FlowKey;
import io.sixgate.daemon.steer.KnownFlowHints;
import io.sixgate.daemon.steer.KnownFlowPublisher;

import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The daemon's per-frame path, ingest read, ring, copy into the pool, the real gateway pipeline,
 * device write, allocates nothing, on the normal path and on the two drop paths (ingest queue
 * full, device would block). Driven on the test thread, where allocation can be measured; the
 * event loop and the worker thread run exactly these calls.
 */
class PortPathZeroAllocationTest
{
    private static final int FRAMES_PER_RUN = 32;
    private static final String CONFIG = String.join("\n",
        "frame-pool: {frames: 1024}",
        "ports:",
        "  - {name: vpc, type: tap, mac: \"02:53:47:00:00:01\", addresses: [\"2001:db8:0:1::1/64\", 192.0.2.1/24]}",
        "  - {name: internet, type: tap, mac: \"02:53:47:00:00:02\","
            + " addresses: [\"2001:db8:ffff::1/64\", 198.51.100.1/24]}",
        "neighbours:",
        "  - {address: \"2001:db8:ffff::10\", mac: \"02:53:47:00:02:10\", port: internet}",
        "");

    private final SocketPair vpc = SocketPair.open();
    private final SocketPair internet = SocketPair.open();
    private final Wire vpcHost = new Wire(vpc.wireSide());
    private final Wire internetHost = new Wire(internet.wireSide());
    private PortCounters portCounters;
    private IngestRing vpcRing;
    private final FlowKey flowKey = new FlowKey(3);
    private final KnownFlowHints knownFlows = new KnownFlowHints(1024);
    private OffsetEpochNanoClock clock;
    private byte[] frame;
    private PortIngest vpcIngest;
    private PipelineAgent agent;
    private int frameLength;
    private long forwarded;

    @BeforeEach
    void wire() throws Exception
    {
        final GatewayConfig config = ConfigLoader.load("test.yaml",
            new ByteArrayInputStream(CONFIG.getBytes(StandardCharsets.UTF_8)));
        final FramePool pool = new FramePool(config.framePool().frames());
        final CountersManager countersManager = InMemoryCounters.create(4096);
        portCounters = new PortCounters(countersManager, 0, new String[]{"vpc", "internet"});
        final Port[] ports = {
            new Port(0, "vpc", LinkType.ETHERNET, 0x02_53_47_00_00_01L, 1500),
            new Port(1, "internet", LinkType.ETHERNET, 0x02_53_47_00_00_02L, 1500)};
        final Pipeline pipeline = new GatewayPipelineFactory().create(config, ports, pool,
            new KnownFlowPublisher(pool, flowKey, knownFlows, new DeviceTxSink(pool, new FrameWriter[]{
            new DescriptorFrameWriter(vpc.gatewaySide()), new DescriptorFrameWriter(internet.gatewaySide())}, portCounters)),
            countersManager);
        vpcRing = new IngestRing(pool.slotSize() - pool.headroom(), 256);
        final IngestRing internetRing = new IngestRing(pool.slotSize() - pool.headroom(), 256);
        clock = new OffsetEpochNanoClock();
        vpcIngest = new PortIngest(vpc.gatewaySide(),
            IngestDispatch.single(0, vpcRing, portCounters, flowKey, knownFlows), portCounters, clock);
        agent = new PipelineAgent("test-worker", new IngestFrameSource(pool, new IngestRing[]{vpcRing, internetRing}),
            pipeline, clock::nanoTime);

        frame = PacketBuilder.ipv6("2001:db8:0:1::10", "2001:db8:ffff::10").udp(40000, 53)
            .payload(100).ethernet(0x02_53_47_00_00_01L, 0x02_53_47_00_01_10L).build();
        frameLength = frame.length;
        vpcHost.buffer().putBytes(0, frame);
    }

    @AfterEach
    void close() throws Exception
    {
        vpc.close();
        internet.close();
    }

    private void sendBatch()
    {
        try
        {
            for (int i = 0; i < FRAMES_PER_RUN; i++)
            {
                vpcHost.send(frameLength);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void forwardBatch()
    {
        sendBatch();
        vpcIngest.readAvailable();
        agent.doWork();
        try
        {
            while (internetHost.receive() > 0)
            {
                forwarded++;
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    @Test
    void ingestPipelineAndTransmitAllocateNothingPerFrame()
    {
        final long bytes = AllocationMeter.leastBytesAllocatedBy(this::forwardBatch);

        assertEquals(0, bytes, "bytes allocated for " + FRAMES_PER_RUN + " frames");
        assertEquals(10L * FRAMES_PER_RUN, forwarded, "every frame went through: the measurement is not vacuous");
    }

    @Test
    void ingestPipelineAndTransmitAllocateNothingPerFrameOnceTheFlowIsKnown()
    {
        forwardBatch();

        final long bytes = AllocationMeter.leastBytesAllocatedBy(this::forwardBatch);

        assertEquals(0, bytes, "bytes allocated for " + FRAMES_PER_RUN + " frames");
        assertTrue(knownFlows.isKnown(flowKey.of(new UnsafeBuffer(frame), 0, frame.length), clock.nanoTime()),
            "the worker published the flow it forwarded");
    }

    @Test
    void droppingNewFlowsPastThreeQuartersOfTheIngestRingAllocatesNothing()
    {
        // The worker never polls here: the ring's new-flow share (3/4 of 269 frames) fills during
        // the first runs, then every frame of the later runs, the measured ones among them, is a
        // new-flow drop (the flow key is computed for each).
        final long bytes = AllocationMeter.leastBytesAllocatedBy(() ->
        {
            sendBatch();
            vpcIngest.readAvailable();
        });

        assertEquals(0, bytes);
        assertEquals(10L * FRAMES_PER_RUN - vpcRing.newFlowFrames(),
            portCounters.dropped(0, PortDropReason.INGEST_QUEUE_FULL_NEW_FLOW));
    }

    @Test
    void admittingAndDroppingKnownFlowsOnAFullIngestRingAllocatesNothing()
    {
        knownFlows.publish(flowKey.of(new UnsafeBuffer(frame), 0, frame.length), clock.nanoTime());

        final long bytes = AllocationMeter.leastBytesAllocatedBy(() ->
        {
            sendBatch();
            vpcIngest.readAvailable();
        });

        assertEquals(0, bytes);
        assertEquals(0, portCounters.dropped(0, PortDropReason.INGEST_QUEUE_FULL_NEW_FLOW));
        assertEquals(10L * FRAMES_PER_RUN - vpcRing.frames(),
            portCounters.dropped(0, PortDropReason.INGEST_QUEUE_FULL_KNOWN_FLOW), "known frames filled the whole ring");
    }

    @Test
    void droppingOnADeviceThatWouldBlockAllocatesNothing() throws Exception
    {
        assertTrue(new Wire(internet.gatewaySide()).fill(1000) > 0);

        final long bytes = AllocationMeter.leastBytesAllocatedBy(() ->
        {
            sendBatch();
            vpcIngest.readAvailable();
            agent.doWork();
        });

        assertEquals(0, bytes);
        assertEquals(10L * FRAMES_PER_RUN, portCounters.dropped(1, PortDropReason.TX_WOULD_BLOCK));
    }
}
