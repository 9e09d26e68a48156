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
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.sixgate.daemon.port.RootRequirement;
import io.sixgate.daemon.run.E2eTopology.Result;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's headline scenario end to end with real Linux stacks: an IPv6 client on the
 * Internet (namespace sginet, 2001:db8:ffff::10) reaches the IPv4-only instance 192.0.2.5 in the
 * VPC (namespace sgsrv, no IPv6 at all) at its IPv6 EIP 64:ff9b::cb00:7105, i.e. the RFC 6052
 * prefix 64:ff9b::/96 plus its public IPv4 EIP 203.0.113.5. {@code scripts/sixgate run} in
 * namespace sggw runs stateful NAT64 ({@code scripts/e2e-topology.sh config FILE nat64}); the
 * instance sees the client as the pool4 address 203.0.113.64. In the same run, native IPv6 between
 * the VPC host (sgvpc) and the Internet host is routed as usual.
 *
 * <p>Needs root, /dev/net/tun, ip, ping, nc, tcpdump (scripts/setup-debian.sh installs them);
 * without them the test fails with the reason, or is skipped with it under
 * {@code -Dsixgate.e2e.optional=true}. Everything is torn down afterwards, also when the JVM dies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Nat64EipNamespacesIT
{
    private static final String CLIENT_NS = "sginet";
    private static final String INSTANCE_NS = "sgsrv";
    private static final String VPC_NS = "sgvpc";
    private static final String CLIENT = "2001:db8:ffff::10";
    private static final String EIP6 = "64:ff9b::cb00:7105";
    private static final String INSTANCE = "192.0.2.5";
    private static final String POOL4 = "203.0.113.64";
    private static final String VPC_HOST6 = "2001:db8:0:1::10";
    private static final int TRANSFER_BYTES = 10 * 1024 * 1024;

    @TempDir
    static Path dir;

    private static E2eTopology topology;
    private static final NamespaceDaemon daemon = new NamespaceDaemon(50);
    private static Path counters;

    @BeforeAll
    static void startTheGatewayWithStatefulNat64() throws Exception
    {
        RootRequirement.require("ip", "ping", "nc", "tcpdump", "flock", "timeout", "sha256sum");
        topology = E2eTopology.up();

        counters = dir.resolve("counters.dat");
        final Path config = dir.resolve("gw.yaml");
        final Result printed = run(10, "bash", E2eTopology.SCRIPT, "config", counters.toString(), "nat64");
        assertEquals(0, printed.exit(), printed.output());
        // With offloads on the TAPs (opt-in) and slots for a 64 KiB super-packet.
        Files.writeString(config, printed.output()
            .replace("frame-pool: {frames: 4096, slot-size: 2048}", "frame-pool: {frames: 2048, slot-size: 65664}")
            .replace("    type: tap\n", "    type: tap\n    offload: true\n"));

        daemon.start(config, counters, dir.resolve("sixgate.log"));
    }

    @AfterAll
    static void stopAndTearDown() throws InterruptedException
    {
        daemon.stop();
        if (topology != null)
        {
            topology.down();
        }
        daemon.printLogAndCounters();
    }

    @Test
    @Order(1)
    void theInstanceHasNoIpv6AndTheConfigurationIsStatefulNat64() throws Exception
    {
        final Result addresses = inNamespace(INSTANCE_NS, 10, "ip", "-6", "addr", "show");
        assertEquals("", addresses.output().trim(), "the instance is IPv4 only");
        assertTrue(daemon.log().contains("port vpc: attached to TAP device sg-vpc0"), daemon.log());
        final Result printed = run(10, "bash", E2eTopology.SCRIPT, "config", counters.toString(), "nat64");
        assertTrue(printed.output().contains("mode: stateful"), printed.output());
        assertTrue(printed.output().contains("- {public: 203.0.113.5, private: 192.0.2.5}"), printed.output());
    }

    @Test
    @Order(2)
    void pingSixToTheIpv6EipIsAnsweredByTheIpv4InstanceTranslatedBothWays() throws Exception
    {
        // What the instance sees: echo requests from pool4, its replies to pool4.
        final Capture capture = Capture.start(INSTANCE_NS, "sgh-srv", 2, "icmp");

        final Result ping = inNamespace(CLIENT_NS, 30, "ping", "-n", "-6", "-c", "3", "-i", "0.2", "-W", "5", "-w", "20", EIP6);

        assertEquals(0, ping.exit(), ping.output() + daemon.log());
        assertTrue(NamespaceShell.pingAnswered(ping.exit(), ping.output(), 3), ping.output());
        assertTrue(ping.output().contains("bytes from " + EIP6 + ": icmp_seq=1"), "the reply comes from the EIP: "
            + ping.output());
        final String seen = capture.await(10);
        assertTrue(seen.contains("IP " + POOL4 + " > " + INSTANCE + ": ICMP echo request"), seen);
        assertTrue(seen.contains("IP " + INSTANCE + " > " + POOL4 + ": ICMP echo reply"), seen);
    }

    @Test
    @Order(3)
    void tenMegabytesOfTcpFromTheInstanceReachTheClientIntact() throws Exception
    {
        final byte[] data = new byte[TRANSFER_BYTES];
        new Random(6146).nextBytes(data);
        final Path sent = Files.write(dir.resolve("sent.bin"), data);
        final Path received = dir.resolve("received.bin");
        final Path serverLog = dir.resolve("nc-server.log");
        final Map<String, Long> before = CounterValues.read(counters);

        // The instance serves the file to whoever connects (-N: FIN after the last byte); the
        // client reads it through its IPv6 EIP with bash's /dev/tcp until that FIN.
        final Process server = new ProcessBuilder(inNamespaceCommand(INSTANCE_NS, "timeout", "120",
            "nc", "-n", "-4", "-v", "-N", "-l", INSTANCE, "5001"))
            .redirectInput(sent.toFile()).redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        daemon.awaitOrFail(30, () -> read(serverLog).contains("Listening on"), () -> "nc -l: " + read(serverLog));
        Result client = null;
        for (int attempt = 0; attempt < 50; attempt++)
        {
            // Should the listener not be up yet, the instance refuses (its RST comes back translated).
            client = inNamespace(CLIENT_NS, 120, "timeout", "110", "bash", "-c",
                "cat < /dev/tcp/" + EIP6 + "/5001 > " + received);
            if (client.exit() == 0)
            {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(0, client.exit(), "client: " + client.output() + read(serverLog));
        assertTrue(server.waitFor(60, TimeUnit.SECONDS), "nc on the instance did not end: " + read(serverLog));

        final String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        final Result atInstance = inNamespace(INSTANCE_NS, 30, "sha256sum", sent.toString());
        final Result atClient = inNamespace(CLIENT_NS, 30, "sha256sum", received.toString());
        assertEquals(expected, atInstance.output().split(" ")[0], atInstance.output());
        assertEquals(expected, atClient.output().split(" ")[0], "received " + Files.size(received) + " of "
            + TRANSFER_BYTES + " bytes: " + atClient.output());
        assertTrue(read(serverLog).contains("Connection received on " + POOL4 + " "),
            "the instance sees the client as the pool4 address: " + read(serverLog));

        // The TAPs take offloads (offload: true): the instance's TCP comes over as super-packets of
        // several segments (GSO_TCPV4), each translated once and written as GSO_TCPV6 for the
        // kernel to segment; the content above shows their checksums were completed right.
        final Map<String, Long> after = CounterValues.read(counters);
        final String shown = CountersPrinter.nonZero(counters).toString();
        assertTrue(delta(before, after, "event ingest/gso-frames port=vpc worker=0") > 0,
            "super-packets from the instance: " + shown);
        assertTrue(delta(before, after, "rx port=vpc worker=0") > 0, "from the instance: " + shown);
        assertTrue(delta(before, after, "tx port=internet worker=0") > 0, "to the client: " + shown);
        assertTrue(delta(before, after, "rx port=internet worker=0") > 0, "the client's ACKs: " + shown);
        assertTrue(delta(before, after, "tx port=vpc worker=0") > 0, "the client's ACKs, translated: " + shown);
    }

    @Test
    @Order(4)
    void udpGoesBothWaysThroughOneSession() throws Exception
    {
        final Path atInstance = dir.resolve("udp-at-instance.txt");
        final Path atClient = dir.resolve("udp-at-client.txt");
        final Process server = new ProcessBuilder(inNamespaceCommand(INSTANCE_NS, "timeout", "60",
            "nc", "-n", "-4", "-u", "-v", "-l", INSTANCE, "5353"))
            .redirectErrorStream(true).redirectOutput(atInstance.toFile()).start();
        daemon.awaitOrFail(30, () -> read(atInstance).contains("Bound on"), () -> "nc -l -u: " + read(atInstance));
        final Process client = new ProcessBuilder(inNamespaceCommand(CLIENT_NS, "timeout", "60",
            "nc", "-n", "-6", "-u", EIP6, "5353"))
            .redirectErrorStream(true).redirectOutput(atClient.toFile()).start();
        try
        {
            final OutputStream toInstance = client.getOutputStream();
            for (int attempt = 0; attempt < 50 && !read(atInstance).contains("sixgate-udp-question"); attempt++)
            {
                // UDP may lose one: send until one arrives.
                toInstance.write(("sixgate-udp-question " + attempt + "\n").getBytes(StandardCharsets.UTF_8));
                toInstance.flush();
                Thread.sleep(200);
            }
            assertTrue(read(atInstance).contains("sixgate-udp-question"), "client to instance: " + read(atInstance)
                + " / " + read(atClient));
            assertTrue(read(atInstance).contains("Connection received on " + POOL4 + " "),
                "from the pool4 address: " + read(atInstance));

            // nc -l -u answers the first sender: its stdin goes back to the client's pool4 address and port.
            final OutputStream toClient = server.getOutputStream();
            for (int attempt = 0; attempt < 20 && !read(atClient).contains("sixgate-udp-answer"); attempt++)
            {
                toClient.write(("sixgate-udp-answer " + attempt + "\n").getBytes(StandardCharsets.UTF_8));
                toClient.flush();
                Thread.sleep(200);
            }
            assertTrue(read(atClient).contains("sixgate-udp-answer"), "instance to client: " + read(atClient));
        }
        finally
        {
            stop(client);
            stop(server);
        }
    }

    @Test
    @Order(5)
    void udpToAClosedPortOfTheInstanceComesBackAsIcmpv6PortUnreachable() throws Exception
    {
        final Capture capture = Capture.start(CLIENT_NS, "sgh-inet", 1, "icmp6 and ip6[40] == 1");

        // A connected UDP socket: the second send fails with ECONNREFUSED only if the client's
        // kernel matched the translated error (its embedded packet) to this socket.
        final Result probe = inNamespace(CLIENT_NS, 30, "bash", "-c",
            "exec 3<>/dev/udp/" + EIP6 + "/9; echo probe >&3; sleep 1; echo probe >&3 && echo no-error");

        final String seen = capture.await(10);
        assertTrue(seen.contains("IP6 " + EIP6 + " > " + CLIENT + ": ICMP6, destination unreachable, unreachable port, "
            + EIP6 + " udp port 9"), seen);
        assertTrue(probe.output().contains("Connection refused"), "the socket got the error: " + probe.output());
    }

    @Test
    @Order(6)
    void nativeIpv6IsRoutedInTheSameRun() throws Exception
    {
        final Result fromInternet = inNamespace(CLIENT_NS, 30, "ping", "-n", "-6", "-c", "3", "-i", "0.2", "-W", "5", "-w", "20", VPC_HOST6);
        final Result fromVpc = inNamespace(VPC_NS, 30, "ping", "-n", "-6", "-c", "3", "-i", "0.2", "-W", "5", "-w", "20", CLIENT);

        assertTrue(NamespaceShell.pingAnswered(fromInternet.exit(), fromInternet.output(), 3), fromInternet.output());
        assertTrue(NamespaceShell.pingAnswered(fromVpc.exit(), fromVpc.output(), 3), fromVpc.output());
        assertTrue(fromVpc.output().contains("bytes from " + CLIENT + ": icmp_seq=1 ttl=63"),
            "one hop, not translated: " + fromVpc.output());
    }

    @Test
    @Order(7)
    void theCountersShowTheSessionsTrafficAndNoLoss()
    {
        final Map<String, Long> values = CounterValues.read(counters);
        final String shown = CountersPrinter.nonZero(counters).toString();
        // The transfer put frames (super-packets, offload: true) on both sides.
        assertTrue(CounterValues.get(values, "rx port=vpc worker=0") > 0, shown);
        assertTrue(CounterValues.get(values, "tx port=internet worker=0") > 0, shown);
        assertTrue(CounterValues.get(values, "rx port=internet worker=0") > 0, shown);
        assertTrue(CounterValues.get(values, "tx port=vpc worker=0") > 0, shown);
        assertEquals(0, CounterValues.sum(values, "drop tx/"), "no write failed: " + shown);
        assertEquals(0, CounterValues.sum(values, "drop ingest/"), "nothing lost at ingest: " + shown);
        assertEquals(0, CounterValues.sum(values, "drop nat64-"), "NAT64 dropped nothing: " + shown);
    }

    @Test
    @Order(8)
    void stopsOnSigtermWithExitZero() throws Exception
    {
        daemon.process().destroy();

        assertTrue(daemon.process().waitFor(30, TimeUnit.SECONDS), "no exit after SIGTERM: " + daemon.log());
        assertEquals(0, daemon.process().exitValue(), daemon.log());
        assertTrue(daemon.log().contains("stopped: port vpc rx "), daemon.log());
    }

    private static void stop(final Process process) throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
        }
    }

    /** tcpdump in a namespace, started and listening before the test sends anything. */
    private static final class Capture
    {
        private final Process process;
        private final Path output;

        private Capture(final Process process, final Path output)
        {
            this.process = process;
            this.output = output;
        }

        static Capture start(final String namespace, final String device, final int packets, final String filter)
            throws IOException, InterruptedException
        {
            final Path output = Files.createTempFile(dir, "tcpdump-", ".txt");
            final Process process = new ProcessBuilder(inNamespaceCommand(namespace, "timeout", "30",
                "tcpdump", "-n", "-l", "-i", device, "-c", Integer.toString(packets), filter))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!read(output).contains("listening on"))
            {
                if (!process.isAlive() || System.nanoTime() > deadline)
                {
                    fail("tcpdump did not start in " + namespace + ": " + read(output));
                }
                Thread.sleep(20);
            }
            return new Capture(process, output);
        }

        /**
         * @return what tcpdump printed once it saw its packets (or gave up: then the test's assertions say what is missing).
         */
        String await(final int seconds) throws InterruptedException
        {
            if (!process.waitFor(seconds, TimeUnit.SECONDS))
            {
                process.destroy();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            return read(output);
        }
    }
}
