package io.sixgate.daemon.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.management.ThreadMXBean;

import io.sixgate.core.counters.CountersFile;
import io.sixgate.core.packet.ArpFlyweight;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.daemon.BadInputException;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.pipeline.GatewayPipelineFactory;
import io.sixgate.daemon.port.PortDeviceOpener;
import io.sixgate.daemon.port.PortDropReason;
import io.sixgate.daemon.port.PortOpenException;
import io.sixgate.daemon.port.SocketPair;
import io.sixgate.daemon.port.Wire;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole daemon, Netty epoll event loop and worker thread included, on socket pairs instead
 * of TAP devices, so it runs without root. The namespace end-to-end test does the same on TAPs.
 */
class GatewayDaemonTest
{
    private static final long VPC_PORT_MAC = 0x02_53_47_00_00_01L;
    private static final long VPC_HOST_MAC = 0x02_53_47_00_01_10L;
    private static final long INTERNET_HOST_MAC = 0x02_53_47_00_02_10L;

    @TempDir
    Path dir;

    private final SocketPair vpc = SocketPair.open();
    private final SocketPair internet = SocketPair.open();
    private final Wire vpcHost = new Wire(vpc.wireSide());
    private final Wire internetHost = new Wire(internet.wireSide());
    private final PortDeviceOpener socketPairs = port -> port.name().equals("vpc")
        ? vpc.device(port, "socket pair vpc") : internet.device(port, "socket pair internet");

    @AfterEach
    void close() throws Exception
    {
        vpc.close();
        internet.close();
    }

    private Path countersFile()
    {
        return dir.resolve("counters.dat");
    }

    private GatewayConfig config() throws Exception
    {
        return config(1);
    }

    private GatewayConfig config(final int workers) throws Exception
    {
        final String yaml = String.join("\n",
            "workers: " + workers,
            "counters-file: " + countersFile(),
            "frame-pool: {frames: 2048}",
            "ports:",
            "  - {name: vpc, type: tap, mac: \"02:53:47:00:00:01\", addresses: [\"2001:db8:0:1::1/64\", 192.0.2.1/24]}",
            "  - {name: internet, type: tap, mac: \"02:53:47:00:00:02\","
                + " addresses: [\"2001:db8:ffff::1/64\", 198.51.100.1/24]}",
            "neighbours:",
            "  - {address: \"2001:db8:0:1::10\", mac: \"02:53:47:00:01:10\", port: vpc}",
            "  - {address: 192.0.2.10, mac: \"02:53:47:00:01:10\", port: vpc}",
            "  - {address: \"2001:db8:ffff::10\", mac: \"02:53:47:00:02:10\", port: internet}",
            "  - {address: 198.51.100.10, mac: \"02:53:47:00:02:10\", port: internet}",
            "");
        return ConfigLoader.load("gw.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] ipv6ToInternet(final int payload)
    {
        return PacketBuilder.ipv6("2001:db8:0:1::10", "2001:db8:ffff::10").udp(40000, 53).payload(payload)
            .ethernet(VPC_PORT_MAC, VPC_HOST_MAC).build();
    }

    private static long mac(final byte[] frame, final int offset)
    {
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = (mac << 8) | (frame[offset + i] & 0xFF);
        }
        return mac;
    }

    @Test
    void forwardsBothWaysThroughTheEventLoopAndTheWorker() throws Exception
    {
        try (GatewayDaemon daemon = GatewayDaemon.start(config(), new GatewayPipelineFactory(), socketPairs))
        {
            assertEquals(2, daemon.pipeline().portCount());
            assertTrue(vpcHost.send(ipv6ToInternet(100)));
            assertTrue(vpcHost.send(PacketBuilder.ipv4("192.0.2.10", "198.51.100.10").udp(40000, 53).payload(50)
                .ethernet(VPC_PORT_MAC, VPC_HOST_MAC).build()));

            final byte[] ipv6 = internetHost.receive(5000);
            final byte[] ipv4 = internetHost.receive(5000);
            assertNotNull(ipv6, "the IPv6 frame came out of port internet");
            assertNotNull(ipv4, "the IPv4 frame came out of port internet");
            assertEquals(INTERNET_HOST_MAC, mac(ipv6, 0), "to the neighbour's MAC");
            assertEquals(0x02_53_47_00_00_02L, mac(ipv6, 6), "from port internet's MAC");
            assertEquals(63, ipv6[14 + 7] & 0xFF, "hop limit decremented");
            assertEquals(63, ipv4[14 + 8] & 0xFF, "TTL decremented");

            assertTrue(internetHost.send(PacketBuilder.ipv6("2001:db8:ffff::10", "2001:db8:0:1::10").udp(53, 40000)
                .payload(10).ethernet(0x02_53_47_00_00_02L, INTERNET_HOST_MAC).build()));
            final byte[] reply = vpcHost.receive(5000);
            assertNotNull(reply, "the reply came back out of port vpc");
            assertEquals(VPC_HOST_MAC, mac(reply, 0));
        }

        final Map<String, Long> counters = CounterValues.read(countersFile());
        assertEquals(2, CounterValues.get(counters, "rx port=vpc worker=0"), counters.toString());
        assertEquals(2, CounterValues.get(counters, "tx port=internet worker=0"), counters.toString());
        assertEquals(1, CounterValues.get(counters, "rx port=internet worker=0"), counters.toString());
        assertEquals(1, CounterValues.get(counters, "tx port=vpc worker=0"), counters.toString());
        assertEquals(0, CounterValues.sum(counters, "drop "), counters.toString());
    }

    @Test
    void everyFrameOfABurstIsForwardedOrCountedAsDropped() throws Exception
    {
        final int frames = 20_000;
        final AtomicLong received = new AtomicLong();
        final long sent;
        try (GatewayDaemon daemon = GatewayDaemon.start(config(), new GatewayPipelineFactory(), socketPairs))
        {
            final Thread receiver = new Thread(() ->
            {
                try
                {
                    while (!Thread.currentThread().isInterrupted())
                    {
                        if (internetHost.receive() > 0)
                        {
                            received.incrementAndGet();
                        }
                        else
                        {
                            Thread.onSpinWait();
                        }
                    }
                }
                catch (final IOException ex)
                {
                    // The socket closed at the end of the test.
                }
            }, "test-internet-host");
            receiver.start();
            final byte[] frame = ipv6ToInternet(200);
            vpcHost.buffer().putBytes(0, frame);
            long written = 0;
            while (written < frames)
            {
                if (vpcHost.send(frame.length))
                {
                    written++;
                }
                else
                {
                    Thread.onSpinWait();
                }
            }
            sent = written;
            final long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline
                && daemon.pipeline().counters().received(0)
                + daemon.portCounters().dropped(0, PortDropReason.INGEST_QUEUE_FULL_NEW_FLOW)
                + daemon.portCounters().dropped(0, PortDropReason.INGEST_QUEUE_FULL_KNOWN_FLOW) < sent)
            {
                Thread.sleep(5);
            }
            while (System.currentTimeMillis() < deadline
                && received.get() + daemon.portCounters().dropped(1, PortDropReason.TX_WOULD_BLOCK)
                < daemon.pipeline().counters().transmitted(1))
            {
                Thread.sleep(5);
            }
            receiver.interrupt();
            receiver.join(5000);
        }

        final Map<String, Long> counters = CounterValues.read(countersFile());
        final long rx = CounterValues.get(counters, "rx port=vpc worker=0");
        final long queueFull = CounterValues.get(counters, "drop ingest/queue-full-new-flow port=vpc worker=0")
            + CounterValues.get(counters, "drop ingest/queue-full-known-flow port=vpc worker=0");
        final long tx = CounterValues.get(counters, "tx port=internet worker=0");
        final long wouldBlock = CounterValues.get(counters, "drop tx/would-block port=internet worker=0");
        assertEquals(sent, rx + queueFull, "every frame written was received or dropped at ingest: " + counters);
        assertEquals(rx, tx, "every frame received was transmitted: " + counters);
        assertEquals(tx, received.get() + wouldBlock, "every frame transmitted arrived or was counted: " + counters);
        assertTrue(received.get() > 0);
    }

    /**
     * The real threads, measured from outside over 20 000 frames after as many to warm up: the
     * Netty event loop with the ingest handle, and the worker with the pipeline and TX.
     */
    @Test
    void theEventLoopAndTheWorkerAllocateNothingPerFrame() throws Exception
    {
        final int frames = 20_000;
        try (GatewayDaemon daemon = GatewayDaemon.start(config(), new GatewayPipelineFactory(), socketPairs))
        {
            final byte[] frame = ipv6ToInternet(200);
            vpcHost.buffer().putBytes(0, frame);
            pump(frame.length, frames);
            assertEquals(frames, daemon.pipeline().counters().transmitted(1));
            final long[] threads = {threadId("sixgate-ingest"), threadId("sixgate-worker-0")};
            final ThreadMXBean bean = (ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long[] before = bean.getThreadAllocatedBytes(threads);

            pump(frame.length, frames);

            final long[] after = bean.getThreadAllocatedBytes(threads);
            // Not asserted as exactly 0: the JVM may charge a thread a little bookkeeping (deoptimisation).
            assertTrue(after[0] - before[0] < frames / 100, "ingest thread: " + (after[0] - before[0]) + " bytes");
            assertTrue(after[1] - before[1] < frames / 100, "worker thread: " + (after[1] - before[1]) + " bytes");
        }
    }

    /** Sends frames one at a time, each forwarded and received before the next: no drops. */
    private void pump(final int length, final int frames) throws Exception
    {
        for (int i = 0; i < frames; i++)
        {
            assertTrue(vpcHost.send(length));
            final long deadline = System.nanoTime() + 5_000_000_000L;
            while (internetHost.receive() == 0)
            {
                assertTrue(System.nanoTime() < deadline, "frame " + i + " did not come through");
            }
        }
    }

    private static long threadId(final String name)
    {
        for (final Thread thread : Thread.getAllStackTraces().keySet())
        {
            if (thread.getName().startsWith(name))
            {
                return thread.getId();
            }
        }
        throw new AssertionError("no thread named " + name);
    }

    @Test
    void twoWorkersShareTheFlowsAndEachCountsItsOwn() throws Exception
    {
        final int flows = 32;
        try (GatewayDaemon daemon = GatewayDaemon.start(config(2), new GatewayPipelineFactory(), socketPairs))
        {
            assertEquals(2, daemon.pipelines().size());
            for (int i = 0; i < flows; i++)
            {
                // Different VPC sources: different flows, spread over the workers by the steering.
                assertTrue(vpcHost.send(PacketBuilder.ipv6("2001:db8:0:1::" + Integer.toHexString(0x100 + i),
                    "2001:db8:ffff::10").udp(40000, 53).payload(20).ethernet(VPC_PORT_MAC, VPC_HOST_MAC).build()));
                assertNotNull(internetHost.receive(5000), "flow " + i + " came through");
            }
        }

        final Map<String, Long> counters = CounterValues.read(countersFile());
        final long worker0 = CounterValues.get(counters, "rx port=vpc worker=0");
        final long worker1 = CounterValues.get(counters, "rx port=vpc worker=1");
        assertEquals(flows, worker0 + worker1, counters.toString());
        assertTrue(worker0 > 0 && worker1 > 0, "both workers carried flows: " + counters);
        assertEquals(worker0, CounterValues.get(counters, "tx port=internet worker=0"), counters.toString());
        assertEquals(worker1, CounterValues.get(counters, "tx port=internet worker=1"), counters.toString());
        assertEquals(0, CounterValues.sum(counters, "drop "), counters.toString());
    }

    @Test
    void withTwoWorkersAnArpRequestIsAnsweredOnceAndLearnedByBoth() throws Exception
    {
        try (GatewayDaemon daemon = GatewayDaemon.start(config(2), new GatewayPipelineFactory(), socketPairs))
        {
            assertTrue(vpcHost.send(PacketBuilder.arp(0xFFFF_FFFF_FFFFL, ArpFlyweight.OPER_REQUEST, VPC_HOST_MAC,
                "192.0.2.77", 0, "192.0.2.1")));
            final byte[] reply = vpcHost.receive(5000);
            assertNotNull(reply, "answered");
            assertEquals(ArpFlyweight.OPER_REPLY, (reply[20] & 0xFF) << 8 | reply[21] & 0xFF);
            assertNull(vpcHost.receive(500), "and only once");
        }
        final Map<String, Long> counters = CounterValues.read(countersFile());
        assertEquals(1, CounterValues.get(counters, "event arp-input/request-answered worker=0"), counters.toString());
        assertEquals(1, CounterValues.get(counters, "event arp-input/left-to-answering-worker worker=1"),
            counters.toString());
        assertEquals(1, CounterValues.get(counters, "rx port=vpc worker=0"), "a copy for worker 0");
        assertEquals(1, CounterValues.get(counters, "rx port=vpc worker=1"), "and one for worker 1");
    }

    /**
     * With two workers every frame is read into a scratch buffer, steered and copied into its
     * worker's ring: that path allocates nothing either.
     */
    @Test
    void theSteeredIngestAndTheWorkersAllocateNothingPerFrame() throws Exception
    {
        final int frames = 20_000;
        try (GatewayDaemon daemon = GatewayDaemon.start(config(2), new GatewayPipelineFactory(), socketPairs))
        {
            final byte[] frame = ipv6ToInternet(200);
            vpcHost.buffer().putBytes(0, frame);
            pump(frame.length, frames);
            final long[] threads = {threadId("sixgate-ingest"), threadId("sixgate-worker-0"), threadId("sixgate-worker-1")};
            final ThreadMXBean bean = (ThreadMXBean)ManagementFactory.getThreadMXBean();
            final long[] before = bean.getThreadAllocatedBytes(threads);

            pump(frame.length, frames);

            final long[] after = bean.getThreadAllocatedBytes(threads);
            assertEquals(2L * frames, daemon.pipelines().get(0).counters().transmitted(1)
                + daemon.pipelines().get(1).counters().transmitted(1));
            assertTrue(after[0] - before[0] < frames / 100, "ingest thread: " + (after[0] - before[0]) + " bytes");
            assertTrue(after[1] - before[1] < frames / 100, "worker 0: " + (after[1] - before[1]) + " bytes");
            assertTrue(after[2] - before[2] < frames / 100, "worker 1: " + (after[2] - before[2]) + " bytes");
        }
    }

    @Test
    void stopsInOrderClosingTheDevicesAndKeepingTheCountersFile() throws Exception
    {
        final GatewayDaemon daemon = GatewayDaemon.start(config(), new GatewayPipelineFactory(), socketPairs);
        assertTrue(vpcHost.send(ipv6ToInternet(10)));
        assertNotNull(internetHost.receive(5000));

        daemon.close();
        daemon.close();

        assertFalse(vpc.gatewaySide().isOpen());
        assertFalse(internet.gatewaySide().isOpen());
        assertTrue(Files.isRegularFile(countersFile()), "the counters file stays for a last look");
        assertEquals(1, CounterValues.get(CounterValues.read(countersFile()), "rx port=vpc worker=0"));
    }

    @Test
    void aPortThatCannotBeOpenedClosesThePortsOpenedBeforeIt() throws Exception
    {
        final PortDeviceOpener failing = port ->
        {
            if (port.name().equals("internet"))
            {
                throw new PortOpenException("port internet: cannot open /dev/net/tun: Operation not permitted"
                    + " (run as root)");
            }
            return vpc.device(port, "socket pair vpc");
        };

        final PortOpenException ex = assertThrows(PortOpenException.class,
            () -> GatewayDaemon.start(config(), new GatewayPipelineFactory(), failing));

        assertEquals("port internet: cannot open /dev/net/tun: Operation not permitted (run as root)", ex.getMessage());
        assertFalse(vpc.gatewaySide().isOpen(), "the port opened first was closed again");
        assertFalse(Files.exists(countersFile()), "nothing was created");
    }

    @Test
    void neverReplacesAFileThatIsNotACountersFile() throws Exception
    {
        Files.writeString(countersFile(), "someone's notes\n");

        final BadInputException ex = assertThrows(BadInputException.class,
            () -> GatewayDaemon.start(config(), new GatewayPipelineFactory(), socketPairs));

        assertEquals("counters-file " + countersFile() + " exists and is not a sixgate counters file; not replacing it"
            + " (move it away or choose another counters-file)", ex.getMessage());
        assertEquals("someone's notes\n", Files.readString(countersFile()));
        assertFalse(vpc.gatewaySide().isOpen(), "the ports were closed again");
    }

    @Test
    void neverTakesOverTheCountersFileOfAnotherRunningProcess() throws Exception
    {
        // Another live JVM: the build's (Maven's) JVM, an ancestor of this test JVM.
        ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
        while (parent != null && !parent.info().command().orElse("").contains("java"))
        {
            parent = parent.parent().orElse(null);
        }
        Assumptions.assumeTrue(parent != null, "SKIPPED: no other JVM among this test's ancestors");
        CountersFile.create(countersFile().toFile(), 16).close();
        try (RandomAccessFile file = new RandomAccessFile(countersFile().toFile(), "rw"))
        {
            // The writer pid, at offset 16 of the header, little-endian as the daemon writes it.
            file.seek(16);
            file.writeLong(Long.reverseBytes(parent.pid()));
        }

        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> GatewayDaemon.start(config(), new GatewayPipelineFactory(), socketPairs));

        assertEquals("counters-file " + countersFile() + " belongs to running process " + parent.pid()
            + " (another sixgate?); stop it or choose another counters-file", ex.getMessage());
    }

    @Test
    void replacesTheCountersFileAStoppedDaemonLeft() throws Exception
    {
        GatewayDaemon.start(config(), new GatewayPipelineFactory(), socketPairs).close();
        final SocketPair secondVpc = SocketPair.open();
        final SocketPair secondInternet = SocketPair.open();
        try
        {
            final PortDeviceOpener again = port -> port.name().equals("vpc")
                ? secondVpc.device(port, "vpc") : secondInternet.device(port, "internet");
            try (GatewayDaemon daemon = GatewayDaemon.start(config(), new GatewayPipelineFactory(), again))
            {
                assertEquals(0, daemon.pipeline().counters().totalReceived());
            }
        }
        finally
        {
            secondVpc.close();
            secondInternet.close();
        }
    }
}
