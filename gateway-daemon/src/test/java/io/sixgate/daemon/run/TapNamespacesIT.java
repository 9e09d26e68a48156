package io.sixgate.daemon.run;

import static io.sixgate.daemon.run.E2eTopology.inNamespace;
import static io.sixgate.daemon.run.E2eTopology.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.daemon.port.RootRequirement;
import io.sixgate.daemon.run.E2eTopology.Result;
import io.sixgate.daemon.replay.TestCaptures;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * End to end: {@code scripts/e2e-topology.sh} builds three network namespaces (a VPC host, the
 * gateway, an Internet host), {@code scripts/sixgate run} on the packaged jar runs in the gateway
 * namespace on two TAP devices, and real Linux stacks talk through it: ping and ping -6, TCP and
 * UDP with nc, a burst of malformed frames written with tcpreplay, and a next hop nobody answers
 * for. Then SIGTERM, and the daemon must exit 0.
 *
 * <p>Needs root, /dev/net/tun, ip, ping, nc and tcpreplay (scripts/setup-debian.sh installs
 * them); without them the test fails with the reason, or is skipped with it under
 * {@code -Dsixgate.e2e.optional=true}. Everything is torn down afterwards, also when the JVM dies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TapNamespacesIT
{
    private static final String TOPOLOGY = "../scripts/e2e-topology.sh";
    private static final long VPC_PORT_MAC = 0x02_53_47_00_00_01L;
    private static final long VPC_HOST_MAC = 0x02_53_47_00_01_10L;

    @TempDir
    static Path dir;

    /** Held for the whole class: builds (and scripts/demo.sh) on one machine take turns with the namespaces. */
    private static E2eTopology topology;
    private static final NamespaceDaemon daemon = new NamespaceDaemon(50);
    private static Path counters;
    private static Path config;

    @BeforeAll
    static void startTheGatewayBetweenTwoHosts() throws Exception
    {
        RootRequirement.require("ip", "ping", "nc", "tcpreplay");
        topology = E2eTopology.up();
        counters = dir.resolve("counters.dat");
        config = dir.resolve("gw.yaml");
        final Result printed = run(10, "bash", TOPOLOGY, "config", counters.toString());
        assertEquals(0, printed.exit(), printed.output());
        Files.writeString(config, printed.output());
        // What sixgate ctl reads while the daemon's file is broken on purpose: the same admin section.
        Files.writeString(dir.resolve("ctl.yaml"), printed.output());
        daemon.start(config, counters, dir.resolve("sixgate.log"));
    }

    @AfterAll
    static void stopAndTearDown() throws Exception
    {
        daemon.stop();
        if (topology != null)
        {
            topology.down();
        }
        daemon.printLogAndCounters();
    }

    private static String log()
    {
        return daemon.log();
    }

    private static Map<String, Long> counters()
    {
        return CounterValues.read(counters);
    }

    private static void assertPings(final String target) throws Exception
    {
        final Result ping = inNamespace("sgvpc", 30, "ping", "-c", "3", "-i", "0.2", "-W", "2", "-w", "20", target);
        assertEquals(0, ping.exit(), ping.output() + log());
        assertTrue(NamespaceShell.pingAnswered(ping.exit(), ping.output(), 3), ping.output());
    }

    @Test
    @Order(1)
    void theDaemonAttachedToBothTapsAndBroughtThemUp() throws Exception
    {
        assertTrue(log().contains("port vpc: attached to TAP device sg-vpc0, mtu 1500, queue 16384 frames, up"), log());
        assertTrue(log().contains("port internet: attached to TAP device sg-inet0, mtu 1500, queue 16384 frames, up"),
            log());
        assertTrue(log().contains("ingest threads at nice -10"), log());
        final Result link = run(10, "ip", "-n", "sggw", "link", "show", "sg-vpc0");
        assertTrue(link.output().matches("(?s).*<[A-Z_,]*\\bUP\\b[A-Z_,]*>.*mtu 1500 .*qlen 16384\\b.*"),
            link.output());
    }

    @Test
    @Order(2)
    void pingsOverIpv6AndIpv4() throws Exception
    {
        assertPings("2001:db8:ffff::10");
        assertPings("198.51.100.10");
    }

    @Test
    @Order(3)
    void carriesATcpTransferOverEachFamily() throws Exception
    {
        final byte[] data = new byte[1 << 20];
        new Random(6146).nextBytes(data);
        final Path sent = Files.write(dir.resolve("sent.bin"), data);
        transferTcp(sent, "-6", "2001:db8:ffff::10", 5001);
        transferTcp(sent, "-4", "198.51.100.10", 5002);
    }

    private static void transferTcp(final Path sent, final String family, final String server, final int port)
        throws Exception
    {
        NamespaceShell.transferTcp(dir, "sgvpc", "sginet", sent, family, server, port);
    }

    @Test
    @Order(4)
    void carriesUdpOverEachFamily() throws Exception
    {
        sendUdp("-6", "2001:db8:ffff::10", 5353);
        sendUdp("-4", "198.51.100.10", 5354);
    }

    private static void sendUdp(final String family, final String server, final int port) throws Exception
    {
        final Path received = dir.resolve("udp" + family + ".txt");
        final Process listener = new ProcessBuilder("ip", "netns", "exec", "sginet", "timeout", "30",
            "nc", family, "-u", "-l", server, Integer.toString(port))
            .redirectOutput(received.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try
        {
            for (int attempt = 0; attempt < 50 && !Files.readString(received).contains("sixgate-udp"); attempt++)
            {
                // Datagrams sent before the listener binds are lost: send until one arrives.
                final Process sender = new ProcessBuilder("ip", "netns", "exec", "sgvpc", "timeout", "5",
                    "nc", family, "-u", "-w", "1", server, Integer.toString(port))
                    .redirectErrorStream(true).start();
                sender.getOutputStream().write(("sixgate-udp " + attempt + "\n").getBytes(StandardCharsets.UTF_8));
                sender.getOutputStream().close();
                assertTrue(sender.waitFor(10, TimeUnit.SECONDS), "nc -u client hung");
                Thread.sleep(100);
            }
            assertTrue(Files.readString(received).contains("sixgate-udp"), "no UDP datagram over " + family);
        }
        finally
        {
            listener.destroy();
            listener.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(5)
    void theCountersFileShowsTrafficBothWaysOnBothPorts()
    {
        final Map<String, Long> values = counters();
        for (final String label : List.of("rx port=vpc worker=0", "tx port=vpc worker=0",
            "rx port=internet worker=0", "tx port=internet worker=0"))
        {
            assertTrue(CounterValues.get(values, label) > 0, label + ": " + values);
        }
        assertEquals(0, CounterValues.sum(values, "drop tx/"), "no write failed: " + values);
        assertEquals(0, CounterValues.sum(values, "drop ingest/"), "nothing lost at ingest: " + values);
    }

    @Test
    @Order(6)
    void survivesABurstOfMalformedFramesCountingEachByReason() throws Exception
    {
        final int perKind = 100;
        final List<TestCaptures.Record> frames = new ArrayList<>();
        final byte[] udp6 = PacketBuilder.ipv6("2001:db8:0:1::10", "2001:db8:ffff::10").udp(4000, 53).payload(40)
            .ethernet(VPC_PORT_MAC, VPC_HOST_MAC).build();
        final byte[] udp4 = PacketBuilder.ipv4("192.0.2.10", "198.51.100.10").udp(4000, 53).payload(40)
            .ethernet(VPC_PORT_MAC, VPC_HOST_MAC).build();
        for (int i = 0; i < perKind; i++)
        {
            frames.add(TestCaptures.record(i, Arrays.copyOf(udp6, 14 + 20)));
            final byte[] longPayload = udp6.clone();
            longPayload[14 + 5] += 100;
            frames.add(TestCaptures.record(i, longPayload));
            final byte[] badChecksum = udp4.clone();
            badChecksum[14 + 10] ^= 0x5A;
            frames.add(TestCaptures.record(i, badChecksum));
            final byte[] badIhl = udp4.clone();
            badIhl[14] = 0x43;
            frames.add(TestCaptures.record(i, badIhl));
            final byte[] badVersion = udp4.clone();
            badVersion[14] = 0x65;
            frames.add(TestCaptures.record(i, badVersion));
            final byte[] otherEtherType = udp4.clone();
            otherEtherType[12] = (byte)0x88;
            otherEtherType[13] = (byte)0xB5;
            frames.add(TestCaptures.record(i, otherEtherType));
        }
        final Path capture = TestCaptures.write(dir.resolve("malformed.pcap"), DataLinkType.EN10MB, frames);
        final String[] reasons = {
            "drop ipv6-input/truncated-header worker=0",
            "drop ipv6-input/bad-payload-length worker=0",
            "drop ipv4-input/bad-header-checksum worker=0",
            "drop ipv4-input/bad-ihl worker=0",
            "drop ipv4-input/bad-version worker=0",
            "drop ethernet-input/unsupported-ethertype worker=0"};
        final Map<String, Long> before = counters();

        final Result replay = inNamespace("sgvpc", 60, "tcpreplay", "-q", "--topspeed", "-i", "sgh-vpc",
            capture.toString());
        assertEquals(0, replay.exit(), replay.output());

        final long deadline = System.currentTimeMillis() + 10_000;
        Map<String, Long> after = counters();
        while (System.currentTimeMillis() < deadline && !allAtLeast(before, after, reasons, perKind))
        {
            Thread.sleep(20);
            after = counters();
        }
        for (final String reason : reasons)
        {
            assertEquals(perKind, CounterValues.get(after, reason) - CounterValues.get(before, reason),
                reason + ": before " + before + " after " + after);
        }
        assertTrue(daemon.process().isAlive(), log());
        assertPings("2001:db8:ffff::10");
        assertPings("198.51.100.10");
    }

    private static boolean allAtLeast(
        final Map<String, Long> before, final Map<String, Long> after, final String[] labels, final long delta)
    {
        for (final String label : labels)
        {
            if (CounterValues.get(after, label) - CounterValues.get(before, label) < delta)
            {
                return false;
            }
        }
        return true;
    }

    @Test
    @Order(7)
    void survivesANeighbourThatNeverAnswers() throws Exception
    {
        final Map<String, Long> before = counters();

        final Result ping6 = inNamespace("sgvpc", 30, "ping", "-c", "3", "-i", "0.2", "-W", "1", "2001:db8:dead::5");
        final Result ping4 = inNamespace("sgvpc", 30, "ping", "-c", "3", "-i", "0.2", "-W", "1", "203.0.113.5");

        assertTrue(ping6.output().contains("3 packets transmitted, 0 received"), ping6.output());
        assertTrue(ping4.output().contains("3 packets transmitted, 0 received"), ping4.output());
        final Map<String, Long> after = counters();
        assertTrue(CounterValues.get(after, "tx port=internet worker=0")
            - CounterValues.get(before, "tx port=internet worker=0") >= 6, "the six echoes left: " + after);
        assertEquals(0, CounterValues.sum(after, "drop tx/"), "and nothing broke on the way out: " + after);
        assertTrue(daemon.process().isAlive(), log());
        assertPings("2001:db8:ffff::10");
        assertPings("198.51.100.10");
    }

    @Test
    @Order(8)
    void ctlStatAndSighupReachTheRunningDaemon() throws Exception
    {
        final Result health = inNamespace("sggw", 60, "bash", "../scripts/sixgate", "ctl", "--config", config.toString(),
            "health");
        assertEquals(0, health.exit(), health.output() + log());
        assertTrue(health.output().startsWith("ok: up "), health.output());
        final Result ctlCounters = inNamespace("sggw", 60, "bash", "../scripts/sixgate", "ctl", "--config",
            config.toString(), "counters");
        assertEquals(0, ctlCounters.exit(), ctlCounters.output());
        assertTrue(ctlCounters.output().contains("rx port=vpc worker=0 "), ctlCounters.output());
        final Result noNat64 = inNamespace("sggw", 60, "bash", "../scripts/sixgate", "ctl", "--config",
            config.toString(), "eip", "list");
        assertEquals(1, noNat64.exit(), noNat64.output());
        assertTrue(noNat64.output().contains("sixgate: the running configuration has no stateful NAT64"), noNat64.output());
        final Result stat = run(60, "bash", "../scripts/sixgate", "stat", "--config", config.toString(), "--once");
        assertEquals(0, stat.exit(), stat.output());
        assertTrue(stat.output().contains("\nrx port=vpc worker=0 "), stat.output());

        // SIGHUP with a file that drops the route to 203.0.113.0/24: pings there become no-route drops.
        final String original = Files.readString(config);
        Files.writeString(config, original.replaceAll("(?m)^  - \\{prefix: 203\\.0\\.113\\.0/24.*\\n", ""));
        final Result hup = run(10, "kill", "-HUP", Long.toString(daemon.process().pid()));
        assertEquals(0, hup.exit(), hup.output());
        final long deadline = System.currentTimeMillis() + 10_000;
        while (!log().contains("reload (SIGHUP): routes: 2 -> 1") && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(50);
        }
        assertTrue(log().contains("reload (SIGHUP): routes: 2 -> 1"), log());
        final long noRoute = CounterValues.get(counters(), "drop ipv4-forward/no-route worker=0");
        inNamespace("sgvpc", 30, "ping", "-c", "2", "-i", "0.2", "-W", "1", "203.0.113.5");
        assertEquals(noRoute + 2, CounterValues.get(counters(), "drop ipv4-forward/no-route worker=0"), log());

        // A bad file through ctl reload: refused with key and line, the running configuration keeps forwarding.
        Files.writeString(config, original.replace("mtu: 1500", "mtu: 40"));
        final Result refused = inNamespace("sggw", 60, "bash", "../scripts/sixgate", "ctl", "--config",
            dir.resolve("ctl.yaml").toString(), "reload");
        assertEquals(1, refused.exit(), refused.output());
        assertTrue(refused.output().startsWith("sixgate: reload refused: " + config + " line "), refused.output());
        assertTrue(refused.output().contains("ports[0].mtu: must be 68..65535, got 40; the running configuration stays"),
            refused.output());
        assertTrue(daemon.process().isAlive(), log());
        assertPings("2001:db8:ffff::10");
        assertPings("198.51.100.10");
        Files.writeString(config, original);
    }

    @Test
    @Order(9)
    void stopsOnSigtermWithExitZeroLeavingTheTapsItAttached() throws Exception
    {
        daemon.process().destroy();

        assertTrue(daemon.process().waitFor(30, TimeUnit.SECONDS), "no exit after SIGTERM: " + log());
        assertEquals(0, daemon.process().exitValue(), log());
        assertTrue(log().contains("stopping on SIGTERM"), log());
        assertTrue(log().contains("stopped: port vpc rx "), log());
        final Result link = run(10, "ip", "-n", "sggw", "link", "show", "sg-vpc0");
        assertEquals(0, link.exit(), "the persistent TAP stays: " + link.output());
        assertTrue(link.output().contains("NO-CARRIER"), "nobody holds it any more: " + link.output());
        assertTrue(CounterValues.get(counters(), "rx port=vpc worker=0") > 0, "the counters file stays readable");
    }
}
