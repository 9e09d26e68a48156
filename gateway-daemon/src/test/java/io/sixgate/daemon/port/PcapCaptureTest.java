package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.channel.IoRegistration;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollIoOps;
import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.testing.AllocationMeter;
import io.sixgate.daemon.config.MacAddress;
import io.sixgate.daemon.config.PortConfig;
import io.sixgate.daemon.config.PortType;

import org.agrona.BufferUtil;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * pcap ports on the two ends of a veth pair (root), in a network namespace of the test's own
 * ({@link NetworkNamespace}): what one end injects the other captures, into the ingest ring,
 * byte for byte; an end never reads back what it injected; the named drops; the epoll loop
 * wakes on the capture's descriptor; and reading plus injecting allocate nothing. Frames carry
 * EtherType 0x88B5 (local experimental), which the namespace's kernel ignores.
 */
class PcapCaptureTest
{
    private static final String NAMESPACE = "sgpt" + ProcessHandle.current().pid() % 100_000;
    private static final long MAC_A = 0x02_53_47_00_0A_01L;
    private static final long MAC_B = 0x02_53_47_00_0B_01L;
    private static final long HOST_MAC = 0x02_53_47_00_01_10L;
    private static final int SNAPLEN = 1500 + PcapPorts.FRAME_OVERHEAD;

    private NetworkNamespace namespace;
    private final List<AutoCloseable> opened = new ArrayList<>();
    private final PortCounters counters = new PortCounters(InMemoryCounters.create(64), 0, new String[]{"a", "b"});
    private final UnsafeBuffer frameBuffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(4096, 64));
    private long now = 1_000;

    @BeforeEach
    void vethPairInANamespace() throws Exception
    {
        RootRequirement.require("ip", "sysctl", "tc");
        namespace = NetworkNamespace.create(NAMESPACE);
        namespace.ip("link", "add", "sgpa", "address", "02:53:47:00:0a:01", "type", "veth",
            "peer", "name", "sgpb", "address", "02:53:47:00:0b:01");
    }

    @AfterEach
    void close() throws Exception
    {
        for (int i = opened.size() - 1; i >= 0; i--)
        {
            opened.get(i).close();
        }
        if (namespace != null)
        {
            namespace.close();
        }
    }

    private PcapCapture capture(final String device, final int snaplen) throws Exception
    {
        namespace.ip("link", "set", device, "up");
        final PcapCapture capture = namespace.call(() -> PcapCapture.open(device, snaplen));
        opened.add(capture);
        return capture;
    }

    private static byte[] frame(final int length, final long destination, final long source, final int seed)
    {
        final byte[] frame = new byte[length];
        for (int i = 0; i < 6; i++)
        {
            frame[i] = (byte)(destination >>> (40 - 8 * i));
            frame[6 + i] = (byte)(source >>> (40 - 8 * i));
        }
        frame[12] = (byte)0x88;
        frame[13] = (byte)0xB5;
        for (int i = 14; i < length; i++)
        {
            frame[i] = (byte)(seed + i);
        }
        return frame;
    }

    private int inject(final PcapFrameWriter writer, final byte[] frame)
    {
        frameBuffer.putBytes(0, frame);
        return writer.write(frameBuffer.addressOffset(), frame.length);
    }

    /** Reads until {@code expected} frames were handed over or a second passed. */
    private static int readFrames(final PcapIngest ingest, final int expected)
    {
        // Generous: it returns as soon as the frames are there, and a loaded 2-core CI machine
        // once took over a second to deliver a frame across the veth pair.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int handed = 0;
        while (handed < expected && System.nanoTime() < deadline)
        {
            handed += ingest.readAvailable();
        }
        return handed;
    }

    private static List<byte[]> drain(final IngestRing ring)
    {
        final List<byte[]> frames = new ArrayList<>();
        ring.read((typeId, buffer, index, length) ->
        {
            final byte[] frame = new byte[IngestRing.frameLength(buffer, index)];
            buffer.getBytes(index + IngestRing.DATA_OFFSET, frame);
            frames.add(frame);
            return ControlledMessageHandler.Action.CONTINUE;
        }, Integer.MAX_VALUE);
        return frames;
    }

    @Test
    void whatOneEndInjectsTheOtherReadsIntoTheRingAndTheSenderDoesNotReadItBack() throws Exception
    {
        final PcapCapture a = capture("sgpa", SNAPLEN);
        final PcapCapture b = capture("sgpb", SNAPLEN);
        assertTrue(a.inboundOnly(), "pcap_setdirection(PCAP_D_IN) works on Linux: " + a.directionProblem());
        final IngestRing ringA = new IngestRing(1920, 16);
        final IngestRing ringB = new IngestRing(1920, 16);
        final PcapIngest ingestA = new PcapIngest(0, a, MAC_A, ringA, counters, () -> now);
        final PcapIngest ingestB = new PcapIngest(1, b, MAC_B, ringB, counters, () -> now);
        final PcapFrameWriter writerA = new PcapFrameWriter(a);
        final byte[] small = frame(60, MAC_B, HOST_MAC, 1);
        final byte[] full = frame(1514, MAC_B, HOST_MAC, 2);

        assertEquals(60, inject(writerA, small));
        assertEquals(1514, inject(writerA, full));

        assertEquals(2, readFrames(ingestB, 2));
        final List<byte[]> received = drain(ringB);
        assertEquals(2, received.size());
        assertArrayEquals(small, received.get(0));
        assertArrayEquals(full, received.get(1));
        assertEquals(0, ingestA.readAvailable(), "the injecting end captures only what it receives");
        assertTrue(ringA.isEmpty());
        for (final PortDropReason reason : PortDropReason.values())
        {
            assertEquals(0, counters.dropped(0, reason) + counters.dropped(1, reason), reason.qualifiedLabel());
        }
    }

    @Test
    void aWorkersPacketInjectorSendsOnTheInterfaceAndTheCaptureDoesNotReadItBack() throws Exception
    {
        final PcapCapture a = capture("sgpa", SNAPLEN);
        final PcapCapture b = capture("sgpb", SNAPLEN);
        final IngestRing ringA = new IngestRing(1920, 16);
        final IngestRing ringB = new IngestRing(1920, 16);
        final PcapIngest ingestA = new PcapIngest(0, a, MAC_A, ringA, counters, () -> now);
        final PcapIngest ingestB = new PcapIngest(1, b, MAC_B, ringB, counters, () -> now);
        final PacketInjector injector = namespace.call(() -> PacketInjector.open("sgpa"));
        opened.add(injector);
        final byte[] frame = frame(1514, MAC_B, HOST_MAC, 3);
        frameBuffer.putBytes(0, frame);

        assertEquals(1514, injector.write(frameBuffer.addressOffset(), frame.length));

        assertEquals(1, readFrames(ingestB, 1), "the other end received it");
        assertArrayEquals(frame, drain(ringB).get(0));
        assertEquals(0, ingestA.readAvailable(), "the sending end's capture does not read it back");
        assertTrue(ringA.isEmpty());
    }

    @Test
    void aFrameFromThePortsOwnMacIsCountedNotRead() throws Exception
    {
        final PcapCapture a = capture("sgpa", SNAPLEN);
        final PcapCapture b = capture("sgpb", SNAPLEN);
        final IngestRing ringB = new IngestRing(1920, 16);
        final PcapIngest ingestB = new PcapIngest(1, b, MAC_B, ringB, counters, () -> now);

        inject(new PcapFrameWriter(a), frame(100, MAC_B, MAC_B, 3));
        inject(new PcapFrameWriter(a), frame(100, MAC_B, HOST_MAC, 4));

        assertEquals(1, readFrames(ingestB, 1));
        assertEquals(1, counters.dropped(1, PortDropReason.INGEST_OWN_SOURCE_MAC));
        assertEquals(HOST_MAC & 0xFF, drain(ringB).get(0)[11] & 0xFF);
    }

    @Test
    void aFrameLongerThanTheSnapshotIsCountedOversize() throws Exception
    {
        final PcapCapture a = capture("sgpa", SNAPLEN);
        final PcapCapture b = capture("sgpb", 200);
        final IngestRing ringB = new IngestRing(1920, 16);
        final PcapIngest ingestB = new PcapIngest(1, b, MAC_B, ringB, counters, () -> now);

        inject(new PcapFrameWriter(a), frame(300, MAC_B, HOST_MAC, 5));
        inject(new PcapFrameWriter(a), frame(200, MAC_B, HOST_MAC, 6));

        assertEquals(1, readFrames(ingestB, 1));
        assertEquals(1, counters.dropped(1, PortDropReason.INGEST_OVERSIZE_FRAME));
        assertEquals(200, drain(ringB).get(0).length);
    }

    @Test
    void aFrameTheInterfaceCannotCarryIsAnErrorResultNotAnException() throws Exception
    {
        final PcapCapture a = capture("sgpa", SNAPLEN);
        final PcapFrameWriter writer = new PcapFrameWriter(a);

        assertEquals(FrameWriter.ERROR, inject(writer, frame(3000, MAC_B, HOST_MAC, 7)));
        assertTrue(writer.lastError().contains("Message too long"), writer.lastError());
        assertEquals(100, inject(writer, frame(100, MAC_B, HOST_MAC, 8)), "and the next frame goes out");
    }

    @Test
    void aFullDeviceQueueIsWouldBlockAndNeverAWait() throws Exception
    {
        final PcapCapture a = capture("sgpa", SNAPLEN);
        // A token bucket of 8 kbit/s in front of the veth holds frames: its queue and then the
        // socket's send buffer fill, and the kernel answers ENOBUFS or EAGAIN.
        namespace.ip("link", "set", "sgpb", "up");
        namespace.exec("tc", "qdisc", "add", "dev", "sgpa", "root", "tbf", "rate", "8kbit", "burst", "1600",
            "limit", "3000");
        final PcapFrameWriter writer = new PcapFrameWriter(a);
        frameBuffer.putBytes(0, frame(1000, MAC_B, HOST_MAC, 10));
        int sent = 0;
        int wouldBlock = 0;

        final long start = System.nanoTime();
        for (int i = 0; i < 1000; i++)
        {
            final int result = writer.write(frameBuffer.addressOffset(), 1000);
            if (result == 1000)
            {
                sent++;
            }
            else if (result == FrameWriter.WOULD_BLOCK)
            {
                wouldBlock++;
            }
        }
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertTrue(wouldBlock > 900, "most frames found the queue full: sent " + sent + ", would block " + wouldBlock
            + ", last error " + writer.lastError());
        assertEquals(1000, sent + wouldBlock, "none failed otherwise: " + writer.lastError());
        assertTrue(elapsedMs < 1000, "1000 writes to a full queue took " + elapsedMs + " ms: they must not wait");
    }

    @Test
    void theEpollLoopWakesOnTheCapturesDescriptor() throws Exception
    {
        final PcapCapture a = capture("sgpa", SNAPLEN);
        final PcapCapture b = capture("sgpb", SNAPLEN);
        final IngestRing ringB = new IngestRing(1920, 64);
        final PcapIngest ingestB = new PcapIngest(1, b, MAC_B, ringB, counters, System::nanoTime);
        NettyNative.ensureLoaded();
        final MultiThreadIoEventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try
        {
            final IoRegistration registration = loop.next().register(ingestB).syncUninterruptibly().getNow();
            registration.submit(EpollIoOps.EPOLLIN);
            final PcapFrameWriter writer = new PcapFrameWriter(a);
            for (int i = 0; i < 20; i++)
            {
                inject(writer, frame(64 + i, MAC_B, HOST_MAC, i));
            }
            final List<byte[]> received = new ArrayList<>();
            final long deadline = System.currentTimeMillis() + 5_000;
            while (received.size() < 20 && System.currentTimeMillis() < deadline)
            {
                received.addAll(drain(ringB));
                Thread.sleep(5);
            }
            assertEquals(20, received.size(), "every frame arrived without anyone but the loop reading");
            assertEquals(64 + 19, received.get(19).length);
        }
        finally
        {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        assertTrue(ingestB.stopped(), "the loop closed the handle on shutdown");
    }

    @Test
    void injectingAndReadingAllocateNothing() throws Exception
    {
        final PcapCapture a = capture("sgpa", SNAPLEN);
        final PcapCapture b = capture("sgpb", SNAPLEN);
        final IngestRing ringB = new IngestRing(1920, 256);
        final PcapIngest ingestB = new PcapIngest(1, b, MAC_B, ringB, counters, () -> now);
        final PcapFrameWriter writer = new PcapFrameWriter(a);
        frameBuffer.putBytes(0, frame(200, MAC_B, HOST_MAC, 9));
        final ControlledMessageHandler discard = (typeId, buffer, index, length) ->
            ControlledMessageHandler.Action.CONTINUE;
        final long[] moved = new long[1];

        final long bytes = namespace.call(() -> AllocationMeter.leastBytesAllocatedBy(() ->
        {
            for (int i = 0; i < 32; i++)
            {
                writer.write(frameBuffer.addressOffset(), 200);
            }
            moved[0] += readFrames(ingestB, 32);
            ringB.read(discard, Integer.MAX_VALUE);
        }));

        assertEquals(0, bytes, "bytes allocated per 32 frames injected and read");
        assertTrue(moved[0] >= 32 * 10, "frames went through: " + moved[0]);
        assertEquals(0, counters.dropped(1, PortDropReason.INGEST_CAPTURE_BUFFER_FULL)
            + counters.dropped(1, PortDropReason.INGEST_QUEUE_FULL_NEW_FLOW)
            + counters.dropped(1, PortDropReason.INGEST_QUEUE_FULL_KNOWN_FLOW));
    }

    @Test
    void aPortWithoutMacTakesTheInterfacesAndBringsItUp() throws Exception
    {
        final PortConfig port = new PortConfig("wan", PortType.PCAP, "sgpb", MacAddress.derivedFrom("wan"), false, 1500,
            List.of());

        final PortDevice device = namespace.call(() -> PcapPorts.open(port));
        opened.add(device);

        assertEquals(MAC_B, device.mac().value());
        assertTrue(device.describe().startsWith("capturing on interface sgpb with libpcap version "), device.describe());
        assertTrue(device.describe().contains("(promiscuous, immediate, inbound only, snaplen 1518)"), device.describe());
        assertTrue(device.describe().endsWith(", interface mtu 1500, brought up; mac: the interface's own"),
            device.describe());
        assertTrue(namespace.call(() -> LinkControl.isUp("sgpb")));
    }

    @Test
    void aPortWithAMacKeepsIt() throws Exception
    {
        final MacAddress mac = MacAddress.parse("02:53:47:00:00:99");
        namespace.ip("link", "set", "sgpb", "up");
        final PortConfig port = new PortConfig("wan", PortType.PCAP, "sgpb", mac, true, 1500, List.of());

        final PortDevice device = namespace.call(() -> PcapPorts.open(port));
        opened.add(device);

        assertEquals(mac, device.mac());
        assertFalse(device.describe().contains("brought up"), device.describe());
        assertFalse(device.describe().contains("the interface's own"), device.describe());
    }

    @Test
    void anInterfaceWithASmallerMtuIsRefused() throws Exception
    {
        namespace.ip("link", "set", "sgpb", "mtu", "1400");
        final PortConfig port = new PortConfig("wan", PortType.PCAP, "sgpb", MacAddress.derivedFrom("wan"), false, 1500,
            List.of());

        final PortOpenException ex = assertThrows(PortOpenException.class, () -> namespace.call(() -> PcapPorts.open(port)));

        assertEquals("port wan: " + PcapPorts.mtuTooSmall("sgpb", 1400, 1500), ex.getMessage());
    }
}
