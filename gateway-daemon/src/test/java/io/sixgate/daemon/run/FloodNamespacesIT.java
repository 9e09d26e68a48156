package io.sixgate.daemon.run;

import static io.sixgate.daemon.run.CounterValues.delta;
import static io.sixgate.daemon.run.E2eTopology.inNamespace;
import static io.sixgate.daemon.run.E2eTopology.inNamespaceCommand;
import static io.sixgate.daemon.run.E2eTopology.read;
import static io.sixgate.daemon.run.E2eTopology.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.daemon.port.RootRequirement;
import io.sixgate.daemon.replay.TestCaptures;
import io.sixgate.daemon.run.E2eTopology.Result;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * State exhaustion end to end (issue 8), the counterpart of {@code Nat64ExhaustionReplayTest}
 * with real Linux stacks: while an established TCP connection from the Internet host (sginet)
 * to the IPv4-only instance (sgsrv) through its IPv6 EIP carries a few MiB, tcpreplay plays a
 * flood of new UDP flows from 100 000 random IPv6 sources in 2001:db8::/32 (and first a greedy
 * source with 100 flows) onto the Internet host's link. The transfer arrives intact and loses
 * no frame at the gateway's ingest (known flows first: only {@code ingest/queue-full-new-flow}
 * drops), the instance's retransmissions are either spurious (D-SACKed) or matched by drops in a
 * TAP's kernel queue, outside the daemon, the session count never passes
 * {@code nat64.max-sessions}, the flood is refused under named drops, and once its sessions
 * expire (UDP at RFC 6146's floor, 2 min) a new client connects.
 * Topology and requirements as {@link Nat64EipNamespacesIT}, plus tcpreplay.
 */
class FloodNamespacesIT
{
    private static final String CLIENT_NS = "sginet";
    private static final String INSTANCE_NS = "sgsrv";
    private static final String EIP6 = "64:ff9b::cb00:7105";
    private static final String INSTANCE = "192.0.2.5";
    private static final long GATEWAY_INTERNET_MAC = 0x025347000002L;
    private static final long INTERNET_HOST_MAC = 0x025347000210L;
    private static final int MAX_SESSIONS = 4096;
    private static final int PER_SOURCE = 8;
    private static final int FLOOD_SOURCES = 100_000;
    private static final int GREEDY_FLOWS = 100;
    private static final String GREEDY = "2001:db8:ffff::66";
    private static final int FLOOD_PPS = 20_000;
    private static final int CHUNKS = 32;
    private static final int CHUNK_BYTES = 128 * 1024;
    /** The gateway's TAPs, in sggw: vpc first (the transfer's data), then internet (its ACKs and the flood). */
    private static final List<String> TAPS = List.of("sg-vpc0", "sg-inet0");
    /** The instance's TCP counters that say why it sent segments again (and whether they were needed). */
    private static final String[] TCP_EXT = {"TCPLossProbes", "TCPTimeouts", "TCPFastRetrans", "TCPDSACKRecv"};
    private static final int DSACK_RECV = 3;

    @TempDir
    Path dir;

    private E2eTopology topology;
    private Path counters;
    private final NamespaceDaemon daemon = new NamespaceDaemon(200);
    private final List<Process> helpers = new ArrayList<>();

    @Test
    void aFloodOfNewFlowsIsRefusedNamedWhileAnEstablishedTransferCompletesAndTheGatewayRecovers() throws Exception
    {
        RootRequirement.require("ip", "nc", "flock", "timeout", "tcpreplay");
        final Path flood = writeFlood(dir.resolve("flood.pcap"));
        topology = E2eTopology.up();
        startDaemon();

        // The established connection: the instance sends what the test writes, the client keeps it.
        final Path serverLog = dir.resolve("server.log");
        final Path received = dir.resolve("received.bin");
        final Process server = helper(new ProcessBuilder(inNamespaceCommand(INSTANCE_NS, "timeout", "600",
            "nc", "-n", "-4", "-v", "-N", "-l", INSTANCE, "5003"))
            .redirectError(serverLog.toFile()).redirectOutput(dir.resolve("server.out").toFile()));
        daemon.awaitOrFail(30, () -> read(serverLog).contains("Listening on"), () -> "nc -l: " + read(serverLog));
        final Process client = helper(new ProcessBuilder(inNamespaceCommand(CLIENT_NS, "timeout", "600", "bash", "-c",
            "cat < /dev/tcp/" + EIP6 + "/5003 > " + received)).redirectErrorStream(true)
            .redirectOutput(dir.resolve("client.log").toFile()));
        daemon.awaitOrFail(30, () -> read(serverLog).contains("Connection received on"), () -> "no connection: "
            + read(serverLog) + read(dir.resolve("client.log")));
        final MessageDigest sentDigest = MessageDigest.getInstance("SHA-256");
        final Random random = new Random(8);
        final OutputStream toClient = server.getOutputStream();
        sendChunk(toClient, random, sentDigest);
        daemon.awaitOrFail(30, () -> size(received) >= CHUNK_BYTES,
            () -> "the first chunk did not arrive: " + daemon.log());

        // The flood, with the session count watched from the admin API all along.
        final long retransBefore = KernelStats.tcpRetransmittedSegments(INSTANCE_NS);
        final long clientRetransBefore = KernelStats.tcpRetransmittedSegments(CLIENT_NS);
        final long[] tcpExtBefore = KernelStats.tcpExt(INSTANCE_NS, TCP_EXT);
        final long[] tapDropsBefore = KernelStats.drops("sggw", TAPS);
        final Map<String, Long> before = CounterValues.read(counters);
        final SessionWatch watch = new SessionWatch();
        watch.start();
        final Path replayLog = dir.resolve("tcpreplay.log");
        final Process replay = helper(new ProcessBuilder(inNamespaceCommand(CLIENT_NS, "tcpreplay", "-i", "sgh-inet",
            "--pps=" + FLOOD_PPS, flood.toString())).redirectErrorStream(true).redirectOutput(replayLog.toFile()));
        for (int chunk = 1; chunk < CHUNKS; chunk++)
        {
            sendChunk(toClient, random, sentDigest);
            Thread.sleep(150);
        }
        toClient.close();   // nc -N: FIN after the last byte
        assertTrue(replay.waitFor(120, TimeUnit.SECONDS), "tcpreplay did not end: " + read(replayLog));
        final long floodEndNs = System.nanoTime();
        assertEquals(0, replay.exitValue(), read(replayLog));
        assertTrue(client.waitFor(60, TimeUnit.SECONDS), "the transfer did not end: " + size(received) + " bytes; "
            + daemon.log());
        assertEquals(0, client.exitValue(), read(dir.resolve("client.log")));
        final String expected = HexFormat.of().formatHex(sentDigest.digest());
        final String got = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(received)));
        assertEquals((long)CHUNKS * CHUNK_BYTES, size(received), "every byte of the established transfer arrived");
        assertEquals(expected, got, "the established transfer arrived intact (sha256)");
        Thread.sleep(1_000);
        watch.stopWatching();

        final Map<String, Long> after = CounterValues.read(counters);
        final long retransmitted = KernelStats.tcpRetransmittedSegments(INSTANCE_NS) - retransBefore;
        final long clientRetransmitted = KernelStats.tcpRetransmittedSegments(CLIENT_NS) - clientRetransBefore;
        final long[] tcpExt = KernelStats.tcpExt(INSTANCE_NS, TCP_EXT);
        final StringBuilder tcpFigures = new StringBuilder();
        for (int i = 0; i < TCP_EXT.length; i++)
        {
            tcpFigures.append(i == 0 ? " (" : ", ").append(TCP_EXT[i]).append(' ').append(tcpExt[i] - tcpExtBefore[i]);
        }
        tcpFigures.append(')');
        final long[] tapDrops = KernelStats.drops("sggw", TAPS);
        final StringBuilder tapFigures = new StringBuilder();
        for (int i = 0; i < TAPS.size(); i++)
        {
            tapFigures.append("; ").append(TAPS.get(i)).append(" rx_dropped ")
                .append(tapDrops[2 * i] - tapDropsBefore[2 * i]).append(" tx_dropped (the kernel's queue to sixgate) ")
                .append(tapDrops[2 * i + 1] - tapDropsBefore[2 * i + 1]);
        }
        final long knownFlowDrops = delta(before, after, "drop ingest/queue-full-known-flow");
        final long newFlowDrops = delta(before, after, "drop ingest/queue-full-new-flow");
        final long kernelQueueFull = delta(before, after, "drop ingest/kernel-queue-full");
        final long vpcTapDrops = tapDrops[1] - tapDropsBefore[1];
        final long internetTapDrops = tapDrops[3] - tapDropsBefore[3];
        final long tableFull = delta(before, after, "drop nat64-6to4/session-table-full")
            + delta(before, after, "drop nat64-6to4/bib-table-full") + delta(before, after, "drop nat64-6to4/source-table-full");
        final long quota = delta(before, after, "drop nat64-6to4/source-session-quota")
            + delta(before, after, "drop nat64-6to4/source-bib-quota");
        final long rxInternet = delta(before, after, "rx port=internet");
        final long ingestDrops = delta(before, after, "drop ingest/");
        final String figures = "flood " + (FLOOD_SOURCES + GREEDY_FLOWS) + " frames at " + FLOOD_PPS + " pps; rx internet "
            + rxInternet + "; ingest drops " + ingestDrops + " (new flow " + newFlowDrops + ", known flow " + knownFlowDrops
            + ", kernel queue " + kernelQueueFull + "); table-full drops " + tableFull + "; quota drops " + quota
            + "; largest session count seen " + watch.largest.get() + " in " + watch.samples.get() + " samples; transfer "
            + (CHUNKS * CHUNK_BYTES) + " bytes intact; TCP segments the instance sent again " + retransmitted
            + tcpFigures + ", the client " + clientRetransmitted + tapFigures;
        System.out.println("FloodNamespacesIT: " + figures + "\n" + read(replayLog));
        assertTrue(watch.samples.get() >= 5, "the session count was watched during the flood: " + figures);
        assertTrue(watch.largest.get() <= MAX_SESSIONS, "never above max-sessions: " + figures);
        assertEquals(MAX_SESSIONS, sessionTotal(), "the flood filled the table: " + figures);
        assertEquals(GREEDY_FLOWS - PER_SOURCE, quota, "the greedy source held its quota: " + figures);
        // Accounting: the sessions the flood got (the table minus the established connection's),
        // its named refusals and what ingest could not take (named, the kernel's TAP queue's drops
        // among them as ingest/kernel-queue-full) add up to the flood.
        final long floodFrames = FLOOD_SOURCES + GREEDY_FLOWS;
        final long floodAtNat64 = (MAX_SESSIONS - 1) + tableFull + quota;
        // (The ingest drops may hold some of the transfer's ACKs too: only a lower bound with them.)
        assertTrue(floodAtNat64 <= rxInternet && floodAtNat64 <= floodFrames, "no more counted than sent: " + figures);
        assertTrue(floodAtNat64 + ingestDrops >= floodFrames * 99 / 100,
            "the daemon saw the flood and named what it refused: " + figures);
        assertEquals(0, delta(before, after, "drop tx/"), "no write failed: " + figures);
        // Known flows first: the established transfer lost nothing at the gateway's ingest.
        assertEquals(0, knownFlowDrops, "no frame of a known flow was dropped at ingest: " + figures);
        assertEquals(ingestDrops, newFlowDrops + kernelQueueFull, "every ingest drop was a new flow's: " + figures);
        // Nor before it: the kernel's queues to sixgate (ports[].queue-length, 16384 frames) did
        // not overflow, ingest reading at its own priority (ingest-nice -10) while the worker,
        // tcpreplay and the transfer share the two cores. The kernel drops blind to flows, so
        // this is what lets the gateway shed the flood by flow.
        assertEquals(0, vpcTapDrops + internetTapDrops, "the kernel's TAP queues to sixgate dropped nothing: " + figures);
        // So the transfer lost nothing: a retransmission the client answered with a D-SACK
        // (RFC 2883) was spurious (the segment had arrived; an ACK was late, queued behind the
        // flood; typically a tail loss probe, RFC 8985), and there must be no other.
        final long needed = retransmitted - (tcpExt[DSACK_RECV] - tcpExtBefore[DSACK_RECV]);
        assertTrue(needed <= 0, "the instance retransmitted segments that were lost: " + figures);

        // The flood's sessions expire (udp: 2m); the established connection's stays.
        daemon.awaitOrFail(240, () -> sessionTotal() <= 1,
            () -> "the flood's sessions did not expire: " + sessionTotal());
        final long recoverySeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - floodEndNs);
        final Path newLog = dir.resolve("new-server.log");
        final Path newIn = dir.resolve("new-in.txt");
        Files.writeString(newIn, "a new client after the flood\n");
        helper(new ProcessBuilder(inNamespaceCommand(INSTANCE_NS, "timeout", "60", "nc", "-n", "-4", "-v", "-N", "-l",
            INSTANCE, "5004")).redirectInput(newIn.toFile()).redirectError(newLog.toFile())
            .redirectOutput(dir.resolve("new-server.out").toFile()));
        daemon.awaitOrFail(30, () -> read(newLog).contains("Listening on"), () -> "nc -l: " + read(newLog));
        final Result newClient = inNamespace(CLIENT_NS, 60, "timeout", "30", "bash", "-c", "cat < /dev/tcp/" + EIP6 + "/5004");
        assertEquals(0, newClient.exit(), newClient.output() + read(newLog));
        assertEquals("a new client after the flood\n", newClient.output(), "a new client connects once the flood expired");
        System.out.println("FloodNamespacesIT: the flood's sessions expired " + recoverySeconds
            + " s after it ended; a new TCP client connected");
        // The daemon names what the kernel's TAP queues drop (0 above; counted as it reads, so
        // compared once frames came again).
        final long[] tapDropsAtEnd = KernelStats.drops("sggw", TAPS);
        final Map<String, Long> atEnd = CounterValues.read(counters);
        assertEquals(tapDropsAtEnd[1] - tapDropsBefore[1] + tapDropsAtEnd[3] - tapDropsBefore[3],
            delta(before, atEnd, "drop ingest/kernel-queue-full"), "ingest/kernel-queue-full is the TAPs' tx_dropped");
    }

    @AfterEach
    void stopAndTearDown() throws Exception
    {
        for (final Process process : helpers)
        {
            process.destroyForcibly();
        }
        daemon.stop();
        if (topology != null)
        {
            topology.down();
        }
        daemon.printLogAndCounters();
    }

    /**
     * The flood as the Internet host's link would carry it, to the gateway's internet-port MAC:
     * the greedy source's 100 flows, then one new UDP flow from each of 100 000 random sources in
     * 2001:db8::/32 (outside 2001:db8:ffff::/48, the Internet host's), to the EIP. Written over a
     * template; the gateway does not check transport checksums.
     */
    private static Path writeFlood(final Path file) throws Exception
    {
        final List<TestCaptures.Record> records = new ArrayList<>(FLOOD_SOURCES + GREEDY_FLOWS);
        long time = 0;
        for (int port = 2000; port < 2000 + GREEDY_FLOWS; port++)
        {
            records.add(TestCaptures.record(time += 50_000, PacketBuilder.ipv6(GREEDY, EIP6).udp(port, 9).payload(8)
                .ethernet(GATEWAY_INTERNET_MAC, INTERNET_HOST_MAC).build()));
        }
        final byte[] template = PacketBuilder.ipv6("2001:db8::2", EIP6).udp(1024, 9).payload(8)
            .ethernet(GATEWAY_INTERNET_MAC, INTERNET_HOST_MAC).build();
        final int ip = 14;
        final SplittableRandom random = new SplittableRandom(8);
        for (int i = 0; i < FLOOD_SOURCES; i++)
        {
            final byte[] frame = template.clone();
            final int high = random.nextInt(0xFFFF) << 16 | random.nextInt(0x10000);    // 2001:db8:xxxx:xxxx, never ffff
            final long low = random.nextLong();
            for (int b = 0; b < 4; b++)
            {
                frame[ip + 12 + b] = (byte)(high >>> (24 - 8 * b));
            }
            for (int b = 0; b < 8; b++)
            {
                frame[ip + 16 + b] = (byte)(low >>> (56 - 8 * b));
            }
            final int port = 1024 + random.nextInt(60000);
            frame[ip + 40] = (byte)(port >>> 8);
            frame[ip + 41] = (byte)port;
            records.add(TestCaptures.record(time += 50_000, frame));
        }
        return TestCaptures.write(file, DataLinkType.EN10MB, records);
    }

    /** Polls the admin API's session total (inside sggw) until stopped, keeping the largest. */
    private final class SessionWatch extends Thread
    {
        final AtomicLong largest = new AtomicLong();
        final AtomicLong samples = new AtomicLong();
        private volatile boolean watching = true;

        SessionWatch()
        {
            super("session-watch");
            setDaemon(true);
        }

        @Override
        public void run()
        {
            while (watching)
            {
                try
                {
                    final long total = sessionTotal();
                    largest.accumulateAndGet(total, Math::max);
                    samples.incrementAndGet();
                    Thread.sleep(100);
                }
                catch (final Exception | AssertionError ex)
                {
                    System.err.println("session watch: " + ex);
                    return;
                }
            }
        }

        void stopWatching() throws InterruptedException
        {
            watching = false;
            join(30_000);
        }
    }

    /** Named as the assertions read; the daemon asks its admin API. */
    private long sessionTotal()
    {
        return daemon.sessionTotal();
    }

    private void startDaemon() throws Exception
    {
        counters = dir.resolve("counters.dat");
        final Result printed = run(10, "bash", E2eTopology.SCRIPT, "config", counters.toString(), "nat64");
        assertEquals(0, printed.exit(), printed.output());
        final String mode = "  mode: stateful\n";
        assertTrue(printed.output().contains(mode), printed.output());
        // Small caps so 100 000 flows overflow them; UDP at its floor so the flood expires in the test's time.
        final Path config = Files.writeString(dir.resolve("gw.yaml"), printed.output().replace(mode, mode
            + "  max-sessions: " + MAX_SESSIONS + "\n"
            + "  max-sessions-per-source: " + PER_SOURCE + "\n"
            + "  timeouts: {udp: 2m}\n"));
        daemon.start(config, counters, dir.resolve("sixgate.log"));
    }

    private Process helper(final ProcessBuilder builder) throws IOException
    {
        final Process process = builder.start();
        helpers.add(process);
        return process;
    }

    private static void sendChunk(final OutputStream out, final Random random, final MessageDigest digest)
        throws IOException
    {
        final byte[] chunk = new byte[CHUNK_BYTES];
        random.nextBytes(chunk);
        digest.update(chunk);
        out.write(chunk);
        out.flush();
    }

    private static long size(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }
}
