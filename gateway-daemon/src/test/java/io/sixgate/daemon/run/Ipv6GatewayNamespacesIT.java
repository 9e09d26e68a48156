package io.sixgate.daemon.run;

import static io.sixgate.daemon.run.E2eTopology.inNamespace;
import static io.sixgate.daemon.run.E2eTopology.inNamespaceCommand;
import static io.sixgate.daemon.run.E2eTopology.read;
import static io.sixgate.daemon.run.E2eTopology.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * The IPv6 gateway end to end with real Linux stacks: {@code scripts/sixgate run} in namespace
 * sggw with {@code scripts/e2e-topology.sh config FILE ipv6-gateway}, the Internet host
 * 2001:db8:ffff::10 (sginet) and the VPC host (sgvpc) with one address per mode: ::10
 * egress-only, ::20 Internet, ::30 VPC-only. TCP with nc each way, each VPC address bound as the
 * source or the listener: egress-only connects out but cannot be reached; Internet both ways;
 * VPC-only neither. Then the modes change while the daemon runs, through {@code sixgate ctl
 * ipv6-gateway} (the admin API), with an egress-only connection of an untouched address kept open
 * across the changes, and a SIGHUP puts the file's policy back. Every refused connection must
 * show in the counters file under its drop reason.
 *
 * <p>Needs root, /dev/net/tun, ip, nc, flock and timeout (scripts/setup-debian.sh installs them);
 * without them the test fails with the reason, or is skipped with it under
 * {@code -Dsixgate.e2e.optional=true}. Everything is torn down afterwards, also when the JVM dies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Ipv6GatewayNamespacesIT
{
    private static final String VPC_NS = "sgvpc";
    private static final String INTERNET_NS = "sginet";
    private static final String INTERNET_HOST = "2001:db8:ffff::10";
    private static final String EGRESS_ONLY = "2001:db8:0:1::10";
    private static final String INTERNET = "2001:db8:0:1::20";
    private static final String VPC_ONLY = "2001:db8:0:1::30";
    private static final String UNSOLICITED = "drop ipv6-gateway/unsolicited-inbound worker=0";
    private static final String VPC_ONLY_DROP = "drop ipv6-gateway/vpc-only worker=0";
    /** How long a connection the gateway drops is tried (the client's SYN is sent again after 1 s). */
    private static final int BLOCKED_WAIT_SECONDS = 3;

    @TempDir
    static Path dir;

    private static E2eTopology topology;
    private static final NamespaceDaemon daemon = new NamespaceDaemon(50);
    private static Path counters;
    private static Path config;
    private static int nextPort = 7000;

    @BeforeAll
    static void startTheGatewayWithThePerAddressPolicy() throws Exception
    {
        RootRequirement.require("ip", "nc", "flock", "timeout");
        topology = E2eTopology.up();

        counters = dir.resolve("counters.dat");
        config = dir.resolve("gw.yaml");
        final Result printed = run(10, "bash", E2eTopology.SCRIPT, "config", counters.toString(), "ipv6-gateway");
        assertEquals(0, printed.exit(), printed.output());
        Files.writeString(config, printed.output());

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
    void anEgressOnlyAddressConnectsOutButCannotBeReached() throws Exception
    {
        assertReaches(VPC_NS, EGRESS_ONLY, INTERNET_NS, INTERNET_HOST);
        assertBlocked(INTERNET_NS, INTERNET_HOST, VPC_NS, EGRESS_ONLY, UNSOLICITED);
    }

    @Test
    @Order(2)
    void anAddressWithInternetBandwidthIsReachableBothWays() throws Exception
    {
        assertReaches(VPC_NS, INTERNET, INTERNET_NS, INTERNET_HOST);
        assertReaches(INTERNET_NS, INTERNET_HOST, VPC_NS, INTERNET);
    }

    @Test
    @Order(3)
    void aVpcOnlyAddressNeitherConnectsOutNorCanBeReached() throws Exception
    {
        assertBlocked(VPC_NS, VPC_ONLY, INTERNET_NS, INTERNET_HOST, VPC_ONLY_DROP);
        assertBlocked(INTERNET_NS, INTERNET_HOST, VPC_NS, VPC_ONLY, VPC_ONLY_DROP);
    }

    @Test
    @Order(4)
    void modesChangeAtRunTimeThroughTheAdminApiAndOtherFlowsGoOn() throws Exception
    {
        // An egress-only connection of ::10, open across every change below (none touches ::10).
        final int port = nextPort++;
        final Path received = dir.resolve("long-lived.txt");
        final Process server = listen(INTERNET_NS, INTERNET_HOST, port, received);
        final Process client = new ProcessBuilder(inNamespaceCommand(VPC_NS, "timeout", "120",
            "nc", "-6", "-N", "-s", EGRESS_ONLY, INTERNET_HOST, Integer.toString(port)))
            .redirectErrorStream(true).redirectOutput(dir.resolve("long-lived-client.txt").toFile()).start();
        final OutputStream toServer = client.getOutputStream();
        try
        {
            toServer.write("sixgate-before\n".getBytes(StandardCharsets.UTF_8));
            toServer.flush();
            daemon.awaitOrFail(15, () -> read(received).contains("sixgate-before"), () -> "the long-lived connection: "
                + read(received) + read(dir.resolve("long-lived-client.txt")));

            // VPC-only -> Internet: ::30 gets bandwidth.
            final Result allocated = ctl("ipv6-gateway", "bandwidth", "allocate", "--address", VPC_ONLY,
                "--bandwidth-mbps", "50");
            assertEquals(0, allocated.exit(), allocated.output());
            assertTrue(allocated.output().startsWith("allocated: " + VPC_ONLY + ": internet, 50 Mbit/s"),
                allocated.output());
            assertReaches(INTERNET_NS, INTERNET_HOST, VPC_NS, VPC_ONLY);
            assertReaches(VPC_NS, VPC_ONLY, INTERNET_NS, INTERNET_HOST);

            // Internet -> egress-only: ::20 gets an egress-only rule.
            final Result created = ctl("ipv6-gateway", "egress-only", "create", "--address", INTERNET);
            assertEquals(0, created.exit(), created.output());
            assertTrue(created.output().startsWith("egress-only rule created: " + INTERNET + ": egress-only"),
                created.output());
            assertBlocked(INTERNET_NS, INTERNET_HOST, VPC_NS, INTERNET, UNSOLICITED);
            assertReaches(VPC_NS, INTERNET, INTERNET_NS, INTERNET_HOST);

            toServer.write("sixgate-after\n".getBytes(StandardCharsets.UTF_8));
            toServer.close();
            assertTrue(client.waitFor(30, TimeUnit.SECONDS), "the long-lived client did not end");
            assertEquals(0, client.exitValue(), read(dir.resolve("long-lived-client.txt")));
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the long-lived listener did not end");
            assertEquals("sixgate-before\nsixgate-after\n", read(received),
                "the egress-only flow of ::10 went on through the changes of the others");
        }
        finally
        {
            stop(client);
            stop(server);
        }

        // Egress-only -> VPC-only: ::10 loses its bandwidth (and its egress-only rule with it).
        final Result deleted = ctl("ipv6-gateway", "bandwidth", "delete", "--address", EGRESS_ONLY);
        assertEquals(0, deleted.exit(), deleted.output());
        assertBlocked(VPC_NS, EGRESS_ONLY, INTERNET_NS, INTERNET_HOST, VPC_ONLY_DROP);

        final Result list = ctl("ipv6-gateway", "list");
        assertEquals(0, list.exit(), list.output());
        assertTrue(list.output().startsWith("vpc 2001:db8:0:1::/64, Internet port internet, egress-only flows "),
            list.output());
        assertTrue(list.output().contains("\n" + INTERNET + ": egress-only, 100 Mbit/s"), list.output());
        assertTrue(list.output().contains("\n" + VPC_ONLY + ": internet, 50 Mbit/s"), list.output());
        assertFalse(list.output().contains(EGRESS_ONLY + ":"), list.output());
    }

    @Test
    @Order(5)
    void sighupPutsTheFilesPolicyBack() throws Exception
    {
        final Result hup = run(10, "kill", "-HUP", Long.toString(daemon.process().pid()));
        assertEquals(0, hup.exit(), hup.output());
        daemon.awaitOrFail(20, () -> daemon.log().contains("reload (SIGHUP): ipv6-gateway.addresses:"),
            () -> daemon.log());
        assertTrue(daemon.log().contains("ipv6-gateway.addresses: removed " + VPC_ONLY + " 50 Mbit/s"), daemon.log());
        assertTrue(daemon.log().contains("ipv6-gateway.addresses: added " + EGRESS_ONLY + " 100 Mbit/s egress-only"),
            daemon.log());

        assertReaches(VPC_NS, EGRESS_ONLY, INTERNET_NS, INTERNET_HOST);
        assertReaches(INTERNET_NS, INTERNET_HOST, VPC_NS, INTERNET);
        assertBlocked(INTERNET_NS, INTERNET_HOST, VPC_NS, VPC_ONLY, VPC_ONLY_DROP);
    }

    @Test
    @Order(6)
    void theCountersNameEveryDropAndNothingElseWasLost()
    {
        final Map<String, Long> values = CounterValues.read(counters);
        final String shown = CountersPrinter.nonZero(counters).toString();
        assertTrue(CounterValues.get(values, UNSOLICITED) > 0, shown);
        assertTrue(CounterValues.get(values, VPC_ONLY_DROP) > 0, shown);
        assertEquals(0, CounterValues.sum(values, "drop ipv6-gateway/spoofed-"), "no host was taken for a spoofer: "
            + shown);
        assertEquals(0, CounterValues.get(values, "drop ipv6-gateway/rate-limited worker=0"), shown);
        assertEquals(0, CounterValues.sum(values, "drop tx/"), "no write failed: " + shown);
        assertEquals(0, CounterValues.sum(values, "drop ingest/"), "nothing lost at ingest: " + shown);
    }

    @Test
    @Order(7)
    void stopsOnSigtermWithExitZero() throws Exception
    {
        daemon.process().destroy();

        assertTrue(daemon.process().waitFor(30, TimeUnit.SECONDS), "no exit after SIGTERM: " + daemon.log());
        assertEquals(0, daemon.process().exitValue(), daemon.log());
    }

    /**
     * A TCP connection from {@code source} in {@code clientNs} to a listener at {@code server} in
     * {@code serverNs} carries a line both ways: it is accepted and the line arrives.
     */
    private static void assertReaches(final String clientNs, final String source, final String serverNs,
        final String server) throws Exception
    {
        final int port = nextPort++;
        final Path received = dir.resolve("received-" + port + ".txt");
        final Process listener = listen(serverNs, server, port, received);
        try
        {
            final String line = "sixgate " + source + " -> " + server;
            final Result client = connect(clientNs, source, server, port, line, 10);
            assertEquals(0, client.exit(), source + " -> " + server + ": " + client.output() + daemon.log());
            assertTrue(listener.waitFor(10, TimeUnit.SECONDS), "the listener did not end");
            assertEquals(line + "\n", read(received), source + " -> " + server);
        }
        finally
        {
            stop(listener);
        }
    }

    /**
     * A TCP connection from {@code source} to a listener at {@code server} is never accepted, and
     * the gateway counts its SYNs under {@code dropCounter}.
     */
    private static void assertBlocked(final String clientNs, final String source, final String serverNs,
        final String server, final String dropCounter) throws Exception
    {
        final int port = nextPort++;
        final Path received = dir.resolve("received-" + port + ".txt");
        final long before = CounterValues.get(CounterValues.read(counters), dropCounter);
        final Process listener = listen(serverNs, server, port, received);
        try
        {
            final Result client = connect(clientNs, source, server, port, "sixgate must not arrive",
                BLOCKED_WAIT_SECONDS);
            assertNotEquals(0, client.exit(), source + " -> " + server + " was connected: " + client.output());
            assertEquals("", read(received), source + " -> " + server);
            daemon.awaitOrFail(5, () -> CounterValues.get(CounterValues.read(counters), dropCounter) > before,
                () -> dropCounter + " did not move: " + CountersPrinter.nonZero(counters));
        }
        finally
        {
            stop(listener);
        }
    }

    /**
     * An nc listener on {@code address} and {@code port}, listening when this returns; what it
     * receives goes to {@code received}. It ends when its peer closes.
     */
    private static Process listen(final String namespace, final String address, final int port, final Path received)
        throws Exception
    {
        final Path stderr = dir.resolve("listener-" + port + ".log");
        final Process listener = new ProcessBuilder(inNamespaceCommand(namespace, "timeout", "60",
            "nc", "-6", "-n", "-v", "-l", address, Integer.toString(port)))
            .redirectOutput(received.toFile()).redirectError(stderr.toFile()).start();
        daemon.awaitOrFail(10, () -> read(stderr).contains("Listening on"), () -> "nc -l " + address + " " + port + ": "
            + read(stderr));
        return listener;
    }

    /**
     * nc from {@code source}: sends the line, then FIN; gives up on a connection not made in
     * {@code waitSeconds}.
     */
    private static Result connect(final String namespace, final String source, final String server, final int port,
        final String line, final int waitSeconds) throws Exception
    {
        return inNamespace(namespace, waitSeconds + 20, "bash", "-c", "echo '" + line + "' | timeout "
            + (waitSeconds + 10) + " nc -6 -n -N -w " + waitSeconds + " -s " + source + " " + server + " " + port);
    }

    /** {@code sixgate ctl} in the gateway's namespace, where the admin API listens on 127.0.0.1:8464. */
    private static Result ctl(final String... command) throws IOException, InterruptedException
    {
        final List<String> full = new ArrayList<>(List.of("env", "SIXGATE_NO_BUILD=1", "bash", "../scripts/sixgate",
            "ctl", "--config", config.toString()));
        full.addAll(List.of(command));
        return inNamespace("sggw", 60, full.toArray(new String[0]));
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
