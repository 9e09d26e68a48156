package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import io.netty.channel.unix.FileDescriptor;
import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.frame.Offload;
import io.sixgate.core.packet.InternetChecksum;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.PipelineAgent;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.core.testing.AllocationMeter;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.pipeline.GatewayPipelineFactory;

import org.agrona.BufferUtil;
import org.agrona.concurrent.OffsetEpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Frames behind a virtio-net header, as a TAP with offload reads and writes them, over socket
 * pairs through the real gateway pipeline (native IPv6 between two ports): a TCP super-packet
 * crosses whole with its header kept, a lone partial checksum is completed on arrival, what the
 * pipeline does not carry is dropped by name, and none of it allocates.
 */
class OffloadPortPathTest
{
    private static final int HEADER = Offload.HEADER_LENGTH;
    private static final int MSS = 1000;
    private static final String CONFIG = String.join("\n",
        "ports:",
        "  - {name: vpc, type: tap, mac: \"02:53:47:00:00:01\", addresses: [\"2001:db8:0:1::1/64\"]}",
        "  - {name: internet, type: tap, mac: \"02:53:47:00:00:02\", addresses: [\"2001:db8:ffff::1/64\"]}",
        "neighbours:",
        "  - {address: \"2001:db8:ffff::10\", mac: \"02:53:47:00:02:10\", port: internet}",
        "");

    private final SocketPair vpc = SocketPair.open();
    private final SocketPair internet = SocketPair.open();
    private final UnsafeBuffer out = new UnsafeBuffer(BufferUtil.allocateDirectAligned(16384, 64));
    private final UnsafeBuffer in = new UnsafeBuffer(BufferUtil.allocateDirectAligned(16384, 64));
    private PortCounters portCounters;
    private PortIngest vpcIngest;
    private PipelineAgent agent;
    private int sendLength;

    @BeforeEach
    void wire() throws Exception
    {
        final GatewayConfig config = ConfigLoader.load("test.yaml",
            new ByteArrayInputStream(CONFIG.getBytes(StandardCharsets.UTF_8)));
        final FramePool pool = new FramePool(256, 8192, FramePool.DEFAULT_HEADROOM);
        final CountersManager countersManager = InMemoryCounters.create(4096);
        portCounters = new PortCounters(countersManager, 0, new String[]{"vpc", "internet"});
        final Port[] ports = {
            new Port(0, "vpc", LinkType.ETHERNET, 0x02_53_47_00_00_01L, 1500),
            new Port(1, "internet", LinkType.ETHERNET, 0x02_53_47_00_00_02L, 1500)};
        final Pipeline pipeline = new GatewayPipelineFactory().create(config, ports, pool,
            new DeviceTxSink(pool, new FrameWriter[]{
                new VirtioFrameWriter(vpc.gatewaySide()), new VirtioFrameWriter(internet.gatewaySide())}, portCounters),
            countersManager);
        final int maxFrame = pool.slotSize() - pool.headroom() + HEADER;
        final IngestRing vpcRing = new IngestRing(maxFrame, 64);
        final IngestRing internetRing = new IngestRing(maxFrame, 64);
        final OffsetEpochNanoClock clock = new OffsetEpochNanoClock();
        vpcIngest = new PortIngest(vpc.gatewaySide(), IngestDispatch.single(0, vpcRing, portCounters), portCounters,
            clock, HEADER);
        agent = new PipelineAgent("test-worker", new IngestFrameSource(pool, new IngestRing[]{vpcRing, internetRing},
            new int[]{0, 1}, new int[]{HEADER, HEADER}, portCounters), pipeline, clock::nanoTime);
    }

    @AfterEach
    void close() throws Exception
    {
        vpc.close();
        internet.close();
    }

    @Test
    void aTcpSuperPacketCrossesWholeWithItsHeaderAndCompletesToAValidChecksum() throws Exception
    {
        final byte[] frame = tcpFrame(4 * MSS);
        setPartialTcpChecksum(frame);
        load(Offload.pack(Offload.F_NEEDS_CSUM, Offload.GSO_TCPV6, MSS, 40, Offload.TCP_CHECKSUM_OFFSET), frame);

        final int received = forward();

        assertEquals(HEADER + frame.length, received);
        final long offload = Offload.read(in, 0, 14);
        assertEquals(Offload.GSO_TCPV6, Offload.gsoType(offload));
        assertEquals(MSS, Offload.gsoSize(offload));
        assertEquals(40, Offload.csumStartFromIp(offload));
        assertEquals(14 + 40, in.getShort(Offload.CSUM_START_OFFSET, ByteOrder.LITTLE_ENDIAN));
        assertEquals(1, portCounters.gsoFrames(0));
        // What the kernel does per segment, done once over the whole: the TCP checksum verifies.
        Offload.complete(in, HEADER + 54, Offload.TCP_CHECKSUM_OFFSET, received);
        assertTcpChecksumValid(HEADER, received - HEADER);
    }

    @Test
    void aLonePartialChecksumIsCompletedOnArrival() throws Exception
    {
        final byte[] frame = tcpFrame(300);
        setPartialTcpChecksum(frame);
        load(Offload.pack(Offload.F_NEEDS_CSUM, Offload.GSO_NONE, 0, 40, Offload.TCP_CHECKSUM_OFFSET), frame);

        final int received = forward();

        assertEquals(HEADER + frame.length, received);
        assertEquals(Offload.NONE, Offload.read(in, 0, 14), "a plain frame goes out with an all-zero header");
        assertTcpChecksumValid(HEADER, received - HEADER);
    }

    @Test
    void aUdpSuperPacketIsDroppedAsUnsupported() throws Exception
    {
        final byte[] frame = PacketBuilder.ipv6("2001:db8:0:1::10", "2001:db8:ffff::10").udp(40000, 53)
            .payload(3000).ethernet(0x02_53_47_00_00_01L, 0x02_53_47_00_01_10L).build();
        load(Offload.pack(Offload.F_NEEDS_CSUM, Offload.GSO_UDP_L4, MSS, 40, 6), frame);

        assertEquals(0, forward());
        assertEquals(1, portCounters.dropped(0, PortDropReason.INGEST_OFFLOAD_UNSUPPORTED));
    }

    @Test
    void superPacketsAllocateNothing()
    {
        final byte[] frame = tcpFrame(4 * MSS);
        setPartialTcpChecksum(frame);
        load(Offload.pack(Offload.F_NEEDS_CSUM, Offload.GSO_TCPV6, MSS, 40, Offload.TCP_CHECKSUM_OFFSET), frame);
        final long[] forwarded = {0};
        final long bytes = AllocationMeter.leastBytesAllocatedBy(() ->
        {
            for (int i = 0; i < 16; i++)
            {
                if (forwardQuietly() > 0)
                {
                    forwarded[0]++;
                }
            }
        });
        assertEquals(0, bytes);
        assertTrue(forwarded[0] >= 16, "super-packets went through: the measurement is not vacuous");
    }

    private static byte[] tcpFrame(final int payload)
    {
        return PacketBuilder.ipv6("2001:db8:0:1::10", "2001:db8:ffff::10").tcp(40000, 80, 0x10).payload(payload)
            .ethernet(0x02_53_47_00_00_01L, 0x02_53_47_00_01_10L).build();
    }

    /** As TSO hands it over: the TCP checksum field holds the pseudo-header sum only. */
    private static void setPartialTcpChecksum(final byte[] frame)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);
        final int l4Length = frame.length - 54;
        final int sum = InternetChecksum.ipv6PseudoHeaderSum(
            buffer.getLong(14 + 8, ByteOrder.BIG_ENDIAN), buffer.getLong(14 + 16, ByteOrder.BIG_ENDIAN),
            buffer.getLong(14 + 24, ByteOrder.BIG_ENDIAN), buffer.getLong(14 + 32, ByteOrder.BIG_ENDIAN), 6, l4Length);
        buffer.putShort(54 + 16, (short)sum, ByteOrder.BIG_ENDIAN);
    }

    private void load(final long offload, final byte[] frame)
    {
        Offload.write(out, 0, offload, 14);
        out.putBytes(HEADER, frame);
        sendLength = HEADER + frame.length;
    }

    private int forward() throws IOException
    {
        final int received = forwardQuietly();
        return Math.max(received, 0);
    }

    private int forwardQuietly()
    {
        try
        {
            final FileDescriptor host = vpc.wireSide();
            host.writeAddress(out.addressOffset(), 0, sendLength);
            vpcIngest.readAvailable();
            agent.doWork();
            return internet.wireSide().readAddress(in.addressOffset(), 0, in.capacity());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private void assertTcpChecksumValid(final int ethernet, final int frameLength)
    {
        final int ip = ethernet + 14;
        final int l4Length = frameLength - 54;
        final int sum = InternetChecksum.add(InternetChecksum.ipv6PseudoHeaderSum(
            in.getLong(ip + 8, ByteOrder.BIG_ENDIAN), in.getLong(ip + 16, ByteOrder.BIG_ENDIAN),
            in.getLong(ip + 24, ByteOrder.BIG_ENDIAN), in.getLong(ip + 32, ByteOrder.BIG_ENDIAN), 6, l4Length),
            InternetChecksum.sum(in, ip + 40, l4Length));
        assertEquals(0xFFFF, sum, "TCP checksum verifies");
    }
}
