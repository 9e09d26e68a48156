package io.sixgate.daemon.run;

import static io.sixgate.daemon.run.CounterValues.delta;
import static io.sixgate.daemon.run.E2eTopology.inNamespace;
import static io.sixgate.daemon.run.E2eTopology.inNamespaceCommand;
import static io.sixgate.daemon.run.E2eTopology.read;
import static io.sixgate.daemon.run.E2eTopology.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sixgate.core.neighbour.NeighbourCache;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.daemon.port.RootRequirement;
import io.sixgate.daemon.replay.TestCaptures;
import io.sixgate.daemon.run.E2eTopology.Result;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Pool4 port exhaustion and the neighbour queue end to end (issue 8), the counterparts of
 * {@code Nat64ExhaustionReplayTest.pool4PortExhaustionRefusesNewFlowsNamedAndRecoversAfterExpiry}
 * and {@code NeighbourExhaustionReplayTest} with real Linux stacks in the namespaces of
 * {@code scripts/e2e-topology.sh config FILE nat64}. A ping that runs all along is the established
 * flow: it must not lose one reply. tcpreplay plays each flood onto the Internet host's link. The
 * test configuration keeps lifetimes short (ICMP sessions 2 s) so each test takes well under a
 * minute. Topology and requirements as {@link FloodNamespacesIT}, plus ping.
 */
class ExhaustionNamespacesIT
{
    private static final String CLIENT_NS = "sginet";
    private static final String VPC_NS = "sgvpc";
    private static final String EIP6 = "64:ff9b::cb00:7105";
    private static final long GATEWAY_INTERNET_MAC = 0x025347000002L;
    private static final long INTERNET_HOST_MAC = 0x025347000210L;
    private static final String POOL4_LINE = "    - {address: 203.0.113.64, ports: 1024-65535}\n";
    /** ICMP identifiers pool4 hands out in the pool4 test: 16. */
    private static final int POOL4_PORTS = 16;
    private static final int ICMP_FLOOD = 3_000;
    private static final int NEIGHBOUR_FLOOD_IPV6 = 6_000;
    private static final int NEIGHBOUR_FLOOD_IPV4 = 2_000;
    private static final int IPV4_UNRESOLVED = 200;
    private static final int FLOOD_PPS = 4_000;
    private static final Pattern PING_RECEIVED = Pattern.compile("(\\d+) packets transmitted, (\\d+) received");

    @TempDir
    Path dir;

    private E2eTopology topology;
    private final NamespaceDaemon daemon = new NamespaceDaemon(200);
    private final List<Process> helpers = new ArrayList<>();

    @Test
    void pool4ExhaustionRefusesNewFlowsNamedWhileAnEstablishedOneFlowsAndRecoversAfterExpiry() throws Exception
    {
        final Path flood = writeIcmpFlood(dir.resolve("icmp-flood.pcap"));
        up(config -> config.replace(POOL4_LINE,
            "    - {address: 203.0.113.64, ports: 2000-" + (2000 + POOL4_PORTS - 1) + "}\n")
            .replace("  mode: stateful\n", "  mode: stateful\n  timeouts: {icmp: 2s}\n"));

        // The established flow: a ping through the IPv6 EIP, one pool4 identifier, all along.
        final Process established = ping(CLIENT_NS, EIP6, "established-ping.log");
        daemon.awaitOrFail(30, () -> read(dir.resolve("established-ping.log")).contains("bytes from"),
            () -> "the established ping got no reply: " + read(dir.resolve("established-ping.log")) + daemon.log());
        final Map<String, Long> before = CounterValues.read(daemon.counters());
        final long[] tapBefore = KernelStats.drops("sggw", List.of("sg-inet0"));
        long largest = 0;
        final Process replay = tcpreplay(flood, "icmp-replay.log");
        while (replay.isAlive())
        {
            largest = Math.max(largest, daemon.sessionTotal());
            Thread.sleep(100);
        }
        assertEquals(0, replay.exitValue(), read(dir.resolve("icmp-replay.log")));
        largest = Math.max(largest, daemon.sessionTotal());
        Thread.sleep(1_000);
        final Map<String, Long> after = CounterValues.read(daemon.counters());
        final long tapDrops = KernelStats.drops("sggw", List.of("sg-inet0"))[1] - tapBefore[1];
        final String replies = stopPing(established, "established-ping.log");

        final long exhausted = delta(before, after, "drop nat64-6to4/pool4-exhausted");
        final long ingestDrops = daemonIngestDrops(before, after);
        final String figures = ICMP_FLOOD + " echo requests from new sources at " + FLOOD_PPS + " pps against "
            + POOL4_PORTS + " pool4 identifiers; pool4-exhausted " + exhausted + "; ingest drops " + ingestDrops
            + " (known flow " + delta(before, after, "drop ingest/queue-full-known-flow") + "); sg-inet0 tx_dropped "
            + tapDrops + "; largest session count " + largest + "; established ping " + replies;
        System.out.println("ExhaustionNamespacesIT pool4: " + figures);
        assertTrue(largest <= POOL4_PORTS, "never more sessions than pool4 identifiers: " + figures);
        assertTrue(exhausted + (POOL4_PORTS - 1) + ingestDrops + tapDrops >= ICMP_FLOOD,
            "every new flow that found no identifier was refused by name: " + figures);
        assertEquals(0, delta(before, after, "drop ingest/queue-full-known-flow"), figures);
        assertNoLoss(replies, figures);

        // Recovery: the flood's sessions expire (icmp: 2s), and a new client gets an identifier.
        daemon.awaitOrFail(30, () -> daemon.sessionTotal() == 0,
            () -> "the flood's sessions did not expire: " + daemon.sessionTotal());
        final Result fresh = inNamespace(CLIENT_NS, 30, "ping", "-n", "-c", "3", "-W", "2", EIP6);
        assertEquals(0, fresh.exit(), "a new client pings through pool4 after the flood: " + fresh.output());
    }

    @Test
    void unresolvedNextHopsOnTheVpcSideAreCappedAndCountedWhileEstablishedFlowsGoOnAndNewNeighboursResolve()
        throws Exception
    {
        final Path flood = writeNeighbourFlood(dir.resolve("neighbour-flood.pcap"));
        up(UnaryOperator.identity());

        // The established flows: the VPC host, both families, through its configured neighbour entries.
        final Process ping6 = ping(CLIENT_NS, "2001:db8:0:1::10", "ping6.log");
        final Process ping4 = ping(CLIENT_NS, "192.0.2.10", "ping4.log");
        daemon.awaitOrFail(30, () -> read(dir.resolve("ping6.log")).contains("bytes from")
            && read(dir.resolve("ping4.log")).contains("bytes from"), () -> "no ping reply: "
            + read(dir.resolve("ping6.log")) + read(dir.resolve("ping4.log")) + daemon.log());
        final Map<String, Long> before = CounterValues.read(daemon.counters());
        final long[] tapBefore = KernelStats.drops("sggw", List.of("sg-inet0"));
        final Process replay = tcpreplay(flood, "neighbour-replay.log");
        assertTrue(replay.waitFor(60, TimeUnit.SECONDS), read(dir.resolve("neighbour-replay.log")));
        assertEquals(0, replay.exitValue(), read(dir.resolve("neighbour-replay.log")));
        // Nobody answers, so every flood frame the daemon read is either dropped by name or still
        // waits for resolution: at most the queue's cap wait (frames lost before the daemon, which
        // the TAP counts, are on the dropped side; anything lost elsewhere would count as waiting).
        final long floodFrames = NEIGHBOUR_FLOOD_IPV6 + NEIGHBOUR_FLOOD_IPV4;
        final long waitingAtEnd = floodFrames - accounted(before, CounterValues.read(daemon.counters()), tapBefore);
        assertTrue(waitingAtEnd <= NeighbourCache.DEFAULT_QUEUE_TOTAL,
            "at most the neighbour queue's cap waits: " + waitingAtEnd);
        // Resolution gives up after 3 solicitations a second apart: then every waiting frame is
        // dropped (allow for a loaded machine).
        daemon.awaitOrFail(30, () -> accounted(before, CounterValues.read(daemon.counters()), tapBefore) >= floodFrames,
            () -> "frames still wait for resolution: "
                + (floodFrames - accounted(before, CounterValues.read(daemon.counters()), tapBefore)));
        final Map<String, Long> after = CounterValues.read(daemon.counters());
        final long tapDrops = KernelStats.drops("sggw", List.of("sg-inet0"))[1] - tapBefore[1];
        final String replies6 = stopPing(ping6, "ping6.log");
        final String replies4 = stopPing(ping4, "ping4.log");

        final long queueFull = delta(before, after, "drop l2-output/neighbour-queue-full");
        final long unresolved = delta(before, after, "drop l2-output/neighbour-unresolved");
        final long cacheFull = delta(before, after, "drop l2-output/neighbour-cache-full");
        final long ingestDrops = daemonIngestDrops(before, after);
        final String figures = floodFrames + " frames to " + (NEIGHBOUR_FLOOD_IPV6 + IPV4_UNRESOLVED)
            + " VPC addresses nobody answers for, at " + FLOOD_PPS + " pps; neighbour-queue-full " + queueFull
            + ", neighbour-unresolved " + unresolved + ", neighbour-cache-full " + cacheFull + ", solicitations "
            + delta(before, after, "event l2-output/solicitation-sent") + ", no-frame-for-solicitation "
            + delta(before, after, "drop l2-output/no-frame-for-solicitation") + "; ingest drops " + ingestDrops
            + "; sg-inet0 tx_dropped " + tapDrops + "; waiting for resolution when the flood ended " + waitingAtEnd
            + "; ping6 " + replies6 + "; ping4 " + replies4;
        System.out.println("ExhaustionNamespacesIT neighbour: " + figures);
        // More frames than the frame pool (4096) arrived within one resolution time: had the queue
        // cap not held, the pool would have run dry and the established pings lost replies.
        assertTrue(queueFull + unresolved + cacheFull + ingestDrops + tapDrops >= floodFrames,
            "every flood frame was dropped by name: " + figures);
        assertEquals(0, delta(before, after, "drop l2-output/no-frame-for-solicitation"), figures);
        assertEquals(0, delta(before, after, "drop ingest/queue-full-known-flow"), figures);
        assertNoLoss(replies6, figures);
        assertNoLoss(replies4, figures);

        // Recovery: a neighbour that does answer resolves at once, both families.
        final Result added = inNamespace(VPC_NS, 10, "bash", "-c",
            "ip addr add 2001:db8:0:1::77/64 dev sgh-vpc nodad && ip addr add 192.0.2.33/24 dev sgh-vpc");
        assertEquals(0, added.exit(), added.output());
        final Result new6 = inNamespace(CLIENT_NS, 30, "ping", "-n", "-c", "2", "-W", "3", "2001:db8:0:1::77");
        assertEquals(0, new6.exit(), "a new IPv6 neighbour resolves after the flood: " + new6.output());
        final Result new4 = inNamespace(CLIENT_NS, 30, "ping", "-n", "-c", "2", "-W", "3", "192.0.2.33");
        assertEquals(0, new4.exit(), "a new IPv4 neighbour resolves after the flood: " + new4.output());
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
     * Echo requests to the IPv6 EIP, each from a new random source in 2001:db8::/32 (outside the
     * Internet host's 2001:db8:ffff::/48) with its own identifier: each needs a pool4 identifier.
     */
    private static Path writeIcmpFlood(final Path file) throws Exception
    {
        final SplittableRandom random = new SplittableRandom(8);
        final List<TestCaptures.Record> records = new ArrayList<>();
        long time = 0;
        for (int i = 0; i < ICMP_FLOOD; i++)
        {
            final String source = String.format("2001:db8:%x:%x::%x", random.nextInt(0xFFFF), random.nextInt(0x10000),
                1 + random.nextInt(0xFFFF));
            records.add(TestCaptures.record(time += 1_000, PacketBuilder.ipv6(source, EIP6)
                .icmpEchoRequest(random.nextInt(0x10000), 1).payload(8)
                .ethernet(GATEWAY_INTERNET_MAC, INTERNET_HOST_MAC).build()));
        }
        return TestCaptures.write(file, DataLinkType.EN10MB, records);
    }

    /**
     * UDP from the Internet host to addresses of the VPC's subnets nobody has: 6 000 IPv6 ones,
     * one frame each, and 200 IPv4 ones, 10 frames each.
     */
    private static Path writeNeighbourFlood(final Path file) throws Exception
    {
        final List<TestCaptures.Record> records = new ArrayList<>();
        long time = 0;
        for (int i = 0; i < NEIGHBOUR_FLOOD_IPV6 + NEIGHBOUR_FLOOD_IPV4; i++)
        {
            final boolean ipv6 = i % 4 != 3;
            final PacketBuilder packet = ipv6
                ? PacketBuilder.ipv6("2001:db8:ffff::10", String.format("2001:db8:0:1::1:%x", i))
                : PacketBuilder.ipv4("198.51.100.10", "192.0.2." + (50 + i % IPV4_UNRESOLVED));
            records.add(TestCaptures.record(time += 1_000, packet.udp(40000, 9).payload(16)
                .ethernet(GATEWAY_INTERNET_MAC, INTERNET_HOST_MAC).build()));
        }
        return TestCaptures.write(file, DataLinkType.EN10MB, records);
    }

    private void up(final UnaryOperator<String> configChange) throws Exception
    {
        RootRequirement.require("ip", "flock", "timeout", "tcpreplay", "ping");
        topology = E2eTopology.up();
        final Path counters = dir.resolve("counters.dat");
        final Result printed = run(10, "bash", E2eTopology.SCRIPT, "config", counters.toString(), "nat64");
        assertEquals(0, printed.exit(), printed.output());
        assertTrue(printed.output().contains(POOL4_LINE), printed.output());
        final Path config = Files.writeString(dir.resolve("gw.yaml"), configChange.apply(printed.output()));
        daemon.start(config, counters, dir.resolve("sixgate.log"));
    }

    private Process ping(final String namespace, final String target, final String logName) throws IOException
    {
        return helper(new ProcessBuilder(inNamespaceCommand(namespace, "ping", "-n", "-i", "0.2", "-W", "2", target))
            .redirectErrorStream(true).redirectOutput(dir.resolve(logName).toFile()));
    }

    /**
     * Stops a ping (SIGINT: it prints its summary) and gives its "N packets transmitted, M received".
     */
    private String stopPing(final Process ping, final String logName) throws Exception
    {
        final Result interrupted = run(10, "kill", "-INT", Long.toString(ping.pid()));
        assertEquals(0, interrupted.exit(), interrupted.output());
        assertTrue(ping.waitFor(10, TimeUnit.SECONDS), "ping did not stop");
        final Matcher summary = PING_RECEIVED.matcher(read(dir.resolve(logName)));
        if (!summary.find())
        {
            fail("no ping summary: " + read(dir.resolve(logName)));
        }
        return summary.group(0);
    }

    /**
     * An interrupted ping may have one request still waiting for its reply: at most one short.
     */
    private static void assertNoLoss(final String replies, final String figures)
    {
        final Matcher summary = PING_RECEIVED.matcher(replies);
        assertTrue(summary.find(), replies);
        final long transmitted = Long.parseLong(summary.group(1));
        final long received = Long.parseLong(summary.group(2));
        assertTrue(transmitted >= 5, "the ping ran during the flood: " + figures);
        assertTrue(received >= transmitted - 1, "the established flow lost no packet: " + figures);
    }

    private Process tcpreplay(final Path pcap, final String logName) throws IOException
    {
        return helper(new ProcessBuilder(inNamespaceCommand(CLIENT_NS, "tcpreplay", "-i", "sgh-inet",
            "--pps=" + FLOOD_PPS, pcap.toString())).redirectErrorStream(true).redirectOutput(dir.resolve(logName).toFile()));
    }

    /**
     * The daemon's own ingest drops: the TAP's kernel drops, which it also counts (as
     * {@code ingest/kernel-queue-full}, up to 100 ms late), are taken from the kernel instead.
     */
    private static long daemonIngestDrops(final Map<String, Long> before, final Map<String, Long> now)
    {
        return delta(before, now, "drop ingest/") - delta(before, now, "drop ingest/kernel-queue-full");
    }

    /**
     * The neighbour flood's frames accounted for: dropped by name for want of a neighbour, at
     * ingest, or in the internet TAP's kernel queue before the daemon read them.
     */
    private static long accounted(final Map<String, Long> before, final Map<String, Long> now, final long[] tapBefore)
    {
        try
        {
            return delta(before, now, "drop l2-output/neighbour-queue-full")
                + delta(before, now, "drop l2-output/neighbour-unresolved")
                + delta(before, now, "drop l2-output/neighbour-cache-full") + daemonIngestDrops(before, now)
                + KernelStats.drops("sggw", List.of("sg-inet0"))[1] - tapBefore[1];
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private Process helper(final ProcessBuilder builder) throws IOException
    {
        final Process process = builder.start();
        helpers.add(process);
        return process;
    }
}
