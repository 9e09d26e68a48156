package io.sixgate.daemon.run;

import static io.sixgate.daemon.run.E2eTopology.inNamespace;
import static io.sixgate.daemon.run.E2eTopology.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.sixgate.daemon.port.RootRequirement;
import io.sixgate.daemon.run.E2eTopology.Result;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API cannot be reached from the data-plane ports (issue 8), end to end with real Linux
 * stacks: {@code scripts/sixgate run} in namespace sggw with the configuration of
 * {@code scripts/e2e-topology.sh} (no {@code admin} section: the default, 127.0.0.1:8464). The
 * API answers on loopback inside sggw; from the VPC host (sgvpc) and the Internet host (sginet),
 * connecting to any of the gateway's addresses on the admin port fails, while the same
 * addresses answer ping (the data plane is there, the API is not), and the attempts are counted
 * drops of the data plane.
 *
 * <p>Needs root, /dev/net/tun, ip, ping, nc (scripts/setup-debian.sh installs them); without them
 * the test fails with the reason, or is skipped with it under {@code -Dsixgate.e2e.optional=true}.
 */
class AdminApiNamespacesIT
{
    private static final int ADMIN_PORT = 8464;

    @TempDir
    static Path dir;

    private static E2eTopology topology;
    private static final NamespaceDaemon daemon = new NamespaceDaemon(50);
    private static Path counters;

    @BeforeAll
    static void startTheGateway() throws Exception
    {
        RootRequirement.require("ip", "ping", "nc", "flock", "timeout");
        topology = E2eTopology.up();

        counters = dir.resolve("counters.dat");
        final Path config = dir.resolve("gw.yaml");
        final Result printed = run(10, "bash", E2eTopology.SCRIPT, "config", counters.toString());
        assertEquals(0, printed.exit(), printed.output());
        assertTrue(!printed.output().contains("admin:"), "the default admin settings: " + printed.output());
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
    void theApiAnswersOnLoopbackInsideTheGatewayNamespace() throws Exception
    {
        assertTrue(daemon.log().contains("admin API on http://127.0.0.1:" + ADMIN_PORT), daemon.log());
        final Result health = inNamespace("sggw", 20, "timeout", "10", "bash", "-c",
            "exec 3<>/dev/tcp/127.0.0.1/" + ADMIN_PORT + " && printf 'GET /v1/health HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3");
        assertEquals(0, health.exit(), health.output());
        assertTrue(health.output().startsWith("HTTP/1.1 200"), health.output());
        assertTrue(health.output().contains("\"status\" : \"ok\""), health.output());
    }

    @Test
    void theApiCannotBeReachedFromTheVpcOrTheInternetAtAnyGatewayAddress() throws Exception
    {
        final Map<String, Long> before = CounterValues.read(counters);
        final String[][] attempts = {
            {"sgvpc", "2001:db8:0:1::1"}, {"sgvpc", "192.0.2.1"},
            {"sginet", "2001:db8:ffff::1"}, {"sginet", "198.51.100.1"},
            {"sgvpc", "2001:db8:ffff::1"}, {"sginet", "192.0.2.1"}};
        for (final String[] attempt : attempts)
        {
            final String family = attempt[1].contains(":") ? "-6" : "-4";
            final Result ping = inNamespace(attempt[0], 20, "ping", "-n", family, "-c", "1", "-W", "5", attempt[1]);
            assertEquals(0, ping.exit(), "the data plane answers ping at " + attempt[1] + " from " + attempt[0] + ": "
                + ping.output());
            final Result connect = inNamespace(attempt[0], 20, "nc", "-n", "-z", "-v", "-w", "3", attempt[1],
                Integer.toString(ADMIN_PORT));
            assertNotEquals(0, connect.exit(), "the admin API answered at " + attempt[1] + " from " + attempt[0] + ": "
                + connect.output());
        }
        final Map<String, Long> after = CounterValues.read(counters);
        final long refused = CounterValues.sum(after, "drop ipv6-local/for-gateway-unsupported-protocol")
            + CounterValues.sum(after, "drop ipv4-local/for-gateway-unsupported-protocol")
            - CounterValues.sum(before, "drop ipv6-local/for-gateway-unsupported-protocol")
            - CounterValues.sum(before, "drop ipv4-local/for-gateway-unsupported-protocol");
        assertTrue(refused >= attempts.length, "every SYN to the admin port is a named drop of the data plane: "
            + CountersPrinter.nonZero(counters));
    }
}
