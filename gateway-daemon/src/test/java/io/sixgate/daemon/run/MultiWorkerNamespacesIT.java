package io.sixgate.daemon.run;

import static io.sixgate.daemon.run.E2eTopology.inNamespace;
import static io.sixgate.daemon.run.E2eTopology.inNamespaceCommand;
import static io.sixgate.daemon.run.E2eTopology.read;
import static io.sixgate.daemon.run.E2eTopology.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway with {@code workers: 2} end to end, on the namespaces of
 * {@code scripts/e2e-topology.sh --workers 2} (multi-queue TAPs, one queue per worker): sixteen
 * IPv6 clients on the Internet side (2001:db8:ffff::21 to ::30, added to namespace sginet) ping
 * the IPv4-only instance through its IPv6 EIP and download from it at once, over sixteen TCP
 * connections whose content is checked; native IPv6 is routed between the VPC host and each
 * client; the counters show that both workers carried traffic. The clients' sources are steered
 * by a keyed hash with a secret seed, so sixteen of them land on both workers (all on one: 1 in
 * 32768).
 *
 * <p>Needs root, /dev/net/tun, ip, ping, nc; without them the test fails with the reason, or is
 * skipped with it under {@code -Dsixgate.e2e.optional=true}. Everything is torn down afterwards.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiWorkerNamespacesIT
{
    private static final String CLIENT_NS = "sginet";
    private static final String INSTANCE_NS = "sgsrv";
    private static final String VPC_NS = "sgvpc";
    private static final String EIP6 = "64:ff9b::cb00:7105";
    private static final String INSTANCE = "192.0.2.5";
    private static final String VPC_HOST6 = "2001:db8:0:1::10";
    private static final int CLIENTS = 16;
    private static final int TRANSFER_BYTES = 1024 * 1024;

    /** Static: JUnit fills a static one before {@code @BeforeAll}, an instance one only before each test. */
    @TempDir
    static Path dir;

    private E2eTopology topology;
    private final NamespaceDaemon daemon = new NamespaceDaemon(50);
    private Path counters;

    /**
     * @return whether the TAPs take offloads ({@code ports[].offload}); {@link MultiWorkerOffloadNamespacesIT} says yes.
     */
    boolean offload()
    {
        return false;
    }

    /** The daemon's counters, for subclasses' checks. */
    Map<String, Long> counterValues()
    {
        return CounterValues.read(counters);
    }

    private static String client(final int i)
    {
        return "2001:db8:ffff::" + Integer.toHexString(0x21 + i);
    }

    @BeforeAll
    void startTheGatewayWithTwoWorkers() throws Exception
    {
        RootRequirement.require("ip", "ping", "nc", "flock", "timeout");
        topology = E2eTopology.up("--workers", "2");
        for (int i = 0; i < CLIENTS; i++)
        {
            final Result added = inNamespace(CLIENT_NS, 10, "ip", "addr", "add", client(i) + "/64", "dev", "sgh-inet",
                "nodad");
            assertEquals(0, added.exit(), added.output());
        }

        counters = dir.resolve("counters.dat");
        final Path config = dir.resolve("gw.yaml");
        final Result printed = run(10, "bash", E2eTopology.SCRIPT, "--workers", "2", "config", counters.toString(),
            "nat64");
        assertEquals(0, printed.exit(), printed.output());
        assertTrue(printed.output().contains("\nworkers: 2\n"), printed.output());
        Files.writeString(config, offload()
            // Slots for a 64 KiB super-packet, as with the offload defaults.
            ? printed.output().replace("frame-pool: {frames: 4096, slot-size: 2048}",
                "frame-pool: {frames: 2048, slot-size: 65664}").replace("    type: tap\n", "    type: tap\n    offload: true\n")
            : printed.output());

        daemon.start(config, counters, dir.resolve("sixgate.log"));
    }

    @AfterAll
    void stopAndTearDown() throws InterruptedException
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
    void theDaemonRunsTwoWorkersOnMultiQueueTaps() throws Exception
    {
        assertTrue(daemon.log().contains("port vpc: attached to TAP device sg-vpc0 (multi-queue, 2 queues)"),
            daemon.log());
        assertTrue(daemon.log().contains(offload() ? ", offload checksum and TSO, up" : "queue 16384 frames, up"),
            daemon.log());
        assertTrue(daemon.log().contains("2 workers, 2 ingest event loops"), daemon.log());
        final Result link = run(10, "ip", "-n", "sggw", "-d", "link", "show", "sg-vpc0");
        assertTrue(link.output().contains("multi_queue"), link.output());
    }

    @Test
    @Order(2)
    void everyClientPingsTheIpv6Eip() throws Exception
    {
        for (int i = 0; i < CLIENTS; i++)
        {
            final Result ping = inNamespace(CLIENT_NS, 30, "ping", "-n", "-6", "-I", client(i), "-c", "2", "-i", "0.2",
                "-W", "5", "-w", "20", EIP6);
            assertTrue(NamespaceShell.pingAnswered(ping.exit(), ping.output(), 2), client(i) + ": " + ping.output()
                + daemon.log());
        }
    }

    @Test
    @Order(3)
    void sixteenConcurrentDownloadsFromTheInstanceArriveIntact() throws Exception
    {
        final List<Process> servers = new ArrayList<>();
        final List<Process> clients = new ArrayList<>();
        final byte[][] data = new byte[CLIENTS][];
        try
        {
            for (int i = 0; i < CLIENTS; i++)
            {
                data[i] = new byte[TRANSFER_BYTES];
                new Random(6146 + i).nextBytes(data[i]);
                final Path sent = Files.write(dir.resolve("sent-" + i + ".bin"), data[i]);
                final Path serverLog = dir.resolve("server-" + i + ".log");
                servers.add(new ProcessBuilder(inNamespaceCommand(INSTANCE_NS, "timeout", "120",
                    "nc", "-n", "-4", "-v", "-N", "-l", INSTANCE, Integer.toString(5201 + i)))
                    .redirectInput(sent.toFile()).redirectErrorStream(true).redirectOutput(serverLog.toFile()).start());
                daemon.awaitOrFail(30, () -> read(serverLog).contains("Listening on"),
                    () -> "nc -l: " + read(serverLog));
            }
            // All at once: each client from its own source address, so the downloads spread over the workers.
            for (int i = 0; i < CLIENTS; i++)
            {
                clients.add(new ProcessBuilder(inNamespaceCommand(CLIENT_NS, "timeout", "110",
                    "nc", "-n", "-6", "-s", client(i), EIP6, Integer.toString(5201 + i)))
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(dir.resolve("received-" + i + ".bin").toFile())
                    .redirectError(dir.resolve("client-" + i + ".log").toFile()).start());
            }
            for (int i = 0; i < CLIENTS; i++)
            {
                assertTrue(clients.get(i).waitFor(120, TimeUnit.SECONDS), "client " + i + " did not finish");
                final Path received = dir.resolve("received-" + i + ".bin");
                assertEquals(TRANSFER_BYTES, Files.size(received), "client " + client(i) + ": "
                    + read(dir.resolve("client-" + i + ".log")) + read(dir.resolve("server-" + i + ".log")));
                assertArrayEquals(sha256(data[i]), sha256(Files.readAllBytes(received)), "content of download " + i);
                assertTrue(read(dir.resolve("server-" + i + ".log")).contains("Connection received on 203.0.113.64 "),
                    "the instance sees the pool4 address: " + read(dir.resolve("server-" + i + ".log")));
            }
        }
        finally
        {
            for (final Process process : clients)
            {
                stop(process);
            }
            for (final Process process : servers)
            {
                stop(process);
            }
        }
    }

    @Test
    @Order(4)
    void nativeIpv6IsRoutedBetweenTheVpcHostAndEveryClient() throws Exception
    {
        for (int i = 0; i < CLIENTS; i++)
        {
            final Result ping = inNamespace(VPC_NS, 30, "ping", "-n", "-6", "-c", "2", "-i", "0.2", "-W", "5", "-w", "20", client(i));
            assertTrue(NamespaceShell.pingAnswered(ping.exit(), ping.output(), 2), client(i) + ": " + ping.output());
            assertTrue(ping.output().contains("ttl=63"), "one hop, not translated: " + ping.output());
        }
        final Result back = inNamespace(CLIENT_NS, 30, "ping", "-n", "-6", "-I", client(0), "-c", "2", "-i", "0.2",
            "-W", "5", "-w", "20", VPC_HOST6);
        assertTrue(NamespaceShell.pingAnswered(back.exit(), back.output(), 2), back.output());
    }

    @Test
    @Order(5)
    void bothWorkersCarriedTheTraffic()
    {
        final Map<String, Long> values = CounterValues.read(counters);
        final String shown = CountersPrinter.nonZero(counters).toString();
        for (int worker = 0; worker < 2; worker++)
        {
            // The downloads: segments from the instance, translated and sent to the clients.
            assertTrue(CounterValues.get(values, "rx port=vpc worker=" + worker) > 100, "worker " + worker + ": " + shown);
            assertTrue(CounterValues.get(values, "tx port=internet worker=" + worker) > 100,
                "worker " + worker + ": " + shown);
            assertTrue(CounterValues.get(values, "rx port=internet worker=" + worker) > 0, "worker " + worker + ": " + shown);
        }
        assertEquals(0, CounterValues.sum(values, "drop tx/"), "no write failed: " + shown);
        assertEquals(0, CounterValues.sum(values, "drop nat64-"), "NAT64 dropped nothing: " + shown);
    }

    @Test
    @Order(6)
    void stopsOnSigtermWithExitZero() throws Exception
    {
        daemon.process().destroy();

        assertTrue(daemon.process().waitFor(30, TimeUnit.SECONDS), "no exit after SIGTERM: " + daemon.log());
        assertEquals(0, daemon.process().exitValue(), daemon.log());
        assertTrue(daemon.log().contains("; received per worker "), daemon.log());
    }

    private static byte[] sha256(final byte[] bytes) throws Exception
    {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    private static void stop(final Process process) throws InterruptedException
    {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
        }
    }
}
