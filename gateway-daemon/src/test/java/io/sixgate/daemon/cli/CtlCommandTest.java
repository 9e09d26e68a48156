package io.sixgate.daemon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sixgate.daemon.admin.AdminServer;
import io.sixgate.daemon.control.TestGateway;
import io.sixgate.daemon.pipeline.GatewayPipelineFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * {@code sixgate ctl} against the admin API of the whole daemon on socket pairs: what it prints,
 * its one-line errors and its exit status.
 */
class CtlCommandTest
{
    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private TestGateway gateway;
    private AdminServer server;
    private Path tokenFile;
    private String out = "";
    private String err = "";

    @BeforeEach
    void start() throws Exception
    {
        tokenFile = Files.writeString(dir.resolve("token"), "ctl-t0ken\n");
        gateway = TestGateway.start(dir, "admin: {token-file: %DIR%/token}\n");
        server = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), gateway.control());
    }

    @AfterEach
    void stop() throws Exception
    {
        server.close();
        gateway.close();
    }

    private int run(final String... args)
    {
        final StringWriter outText = new StringWriter();
        final StringWriter errText = new StringWriter();
        final CommandLine commandLine = SixgateCommand.commandLine(GatewayPipelineFactory::new);
        commandLine.setOut(new PrintWriter(outText, true));
        commandLine.setErr(new PrintWriter(errText, true));
        final int exitCode = commandLine.execute(args);
        out = outText.toString();
        err = errText.toString();
        return exitCode;
    }

    /** ctl with the test server's URL and token, then the command. */
    private int ctl(final String... command)
    {
        final String[] args = new String[command.length + 5];
        args[0] = "ctl";
        args[1] = "--admin";
        args[2] = server.url();
        args[3] = "--token-file";
        args[4] = tokenFile.toString();
        System.arraycopy(command, 0, args, 5, command.length);
        return run(args);
    }

    private void assertFails(final int exit, final String line, final int actualExit)
    {
        assertEquals(exit, actualExit, out + err);
        assertEquals("sixgate: " + line + NL, err);
        assertEquals("", out);
    }

    @Test
    void healthFindsTheApiAndTokenThroughTheConfiguration() throws Exception
    {
        final Path config = Files.writeString(dir.resolve("ctl.yaml"), "ports: [{name: vpc, type: tap}]\n"
            + "admin: {listen: \"" + server.url().substring("http://".length()) + "\", token-file: " + tokenFile + "}\n");

        assertEquals(0, run("ctl", "--config", config.toString(), "health"), err);

        assertTrue(out.matches("ok: up \\d+ s, config " + gateway.configFile() + ", 2 ports, 1 worker, nat64 stateful"
            + "\n"), out);
        assertEquals("", err);
        assertEquals(0, run("ctl", "health", "--config", config.toString()), "the options also go after the command");
    }

    @Test
    void countersArePrintedDropsFirstOrAsJson() throws Exception
    {
        assertEquals(0, ctl("counters"), err);
        assertEquals("all counters are zero\n", out);

        gateway.fromInternet(TestGateway.clientToEip(TestGateway.CLIENT, 50000, 53));
        gateway.fromVpc(TestGateway.vpcHostTo("2001:db8:aaaa::1"), 200);
        assertEquals(0, ctl("counters"), err);
        final String[] lines = out.split("\n");
        assertTrue(lines[0].matches("drop ipv6-forward/no-route worker=0 +1"), out);
        assertTrue(out.contains("\nrx port=internet worker=0 "), out);

        assertEquals(0, ctl("--json", "counters"), err);
        assertTrue(out.contains("\"drop ipv6-forward/no-route worker=0\" : 1"), out);
    }

    @Test
    void staticBibAddListRemove()
    {
        assertEquals(0, ctl("bib", "add", "--protocol", "udp", "--ipv6-address", "2001:db8:ffff::80", "--ipv6-port",
            "5353", "--ipv4-address", "198.51.100.10", "--ipv4-port", "53"), err);
        assertEquals("added: udp 2001:db8:ffff::80#5353 <-> 198.51.100.10#53, 0 sessions\n", out);

        assertEquals(0, ctl("bib", "list"), err);
        assertEquals("udp 2001:db8:ffff::80#5353 <-> 198.51.100.10#53, 0 sessions\n", out);

        assertFails(1, "static BIB entry udp 2001:db8:ffff::80#5353 <-> 198.51.100.10#53 refused: one of its sides is"
            + " mapped already: static entry udp 2001:db8:ffff::80#5353 <-> 198.51.100.10#53 with 0 sessions",
            ctl("bib", "add", "--protocol", "udp", "--ipv6-address", "2001:db8:ffff::80", "--ipv6-port", "5353",
                "--ipv4-address", "198.51.100.10", "--ipv4-port", "53"));

        assertEquals(0, ctl("bib", "remove", "--protocol", "udp", "--ipv4-address", "198.51.100.10", "--ipv4-port", "53"),
            err);
        assertEquals("removed: udp 2001:db8:ffff::80#5353 <-> 198.51.100.10#53, 0 sessions\n", out);
        assertEquals(0, ctl("bib", "list"), err);
        assertEquals("no static BIB entries\n", out);
        assertFails(1, "no static BIB entry at udp 198.51.100.10#53",
            ctl("bib", "remove", "--protocol", "udp", "--ipv4-address", "198.51.100.10", "--ipv4-port", "53"));
    }

    @Test
    void eipAddListRemove()
    {
        assertEquals(0, ctl("eip", "add", "--public", "203.0.113.9", "--private", "10.0.1.9"), err);
        assertEquals("added: 203.0.113.9 -> 10.0.1.9 (IPv6 64:ff9b::cb00:7109)\n", out);
        assertEquals(0, ctl("eip", "list"), err);
        assertEquals("203.0.113.5 -> 10.0.1.5 (IPv6 64:ff9b::cb00:7105)\n"
            + "203.0.113.9 -> 10.0.1.9 (IPv6 64:ff9b::cb00:7109)\n", out);
        assertEquals(0, ctl("eip", "remove", "--public", "203.0.113.9"), err);
        assertEquals("removed: 203.0.113.9 -> 10.0.1.9 (IPv6 64:ff9b::cb00:7109)\n", out);
        assertFails(1, "no EIP binding of 203.0.113.9", ctl("eip", "remove", "--public", "203.0.113.9"));
    }

    /** The test gateway again, with an ipv6-gateway section: ::10 egress-only at 100 Mbit/s. */
    private void restartWithIpv6Gateway() throws Exception
    {
        stop();
        gateway = TestGateway.start(dir, "admin: {token-file: %DIR%/token}\n"
            + "ipv6-gateway:\n"
            + "  vpc: [\"2001:db8:0:1::/64\"]\n"
            + "  internet-port: internet\n"
            + "  addresses:\n"
            + "    - {address: \"2001:db8:0:1::10\", bandwidth-mbps: 100, egress-only: true}\n");
        server = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), gateway.control());
    }

    @Test
    void ipv6GatewayListBandwidthAndEgressOnlyRules() throws Exception
    {
        restartWithIpv6Gateway();

        assertEquals(0, ctl("ipv6-gateway", "list"), err);
        assertEquals("vpc 2001:db8:0:1::/64, Internet port internet, egress-only flows 0 of 65536\n"
            + "2001:db8:0:1::10: egress-only, 100 Mbit/s (burst 1250000 bytes), 0 flows, rate-limited 0 out / 0 in\n",
            out);

        assertEquals(0, ctl("ipv6-gateway", "bandwidth", "allocate", "--address", "2001:db8:0:1::20",
            "--bandwidth-mbps", "10"), err);
        assertEquals("allocated: 2001:db8:0:1::20: internet, 10 Mbit/s (burst 125000 bytes), 0 flows, rate-limited"
            + " 0 out / 0 in\n", out);
        assertEquals(0, ctl("ipv6-gateway", "egress-only", "create", "--address", "2001:db8:0:1::20"), err);
        assertEquals("egress-only rule created: 2001:db8:0:1::20: egress-only, 10 Mbit/s (burst 125000 bytes),"
            + " 0 flows, rate-limited 0 out / 0 in\n", out);
        assertEquals(0, ctl("ipv6-gateway", "bandwidth", "modify", "--address", "2001:db8:0:1::20",
            "--bandwidth-mbps", "0"), err);
        assertEquals("modified: 2001:db8:0:1::20: vpc-only (0 Mbit/s, egress-only rule waiting)\n", out);
        assertEquals(0, ctl("ipv6-gateway", "bandwidth", "delete", "--address", "2001:db8:0:1::20"), err);
        assertEquals("deleted: 2001:db8:0:1::20: vpc-only (0 Mbit/s, egress-only rule waiting)\n", out);
        assertEquals(0, ctl("ipv6-gateway", "bandwidth", "allocate", "--prefix", "2001:db8:0:1:8000::/65",
            "--bandwidth-mbps", "5", "--burst-bytes", "30000"), err);
        assertEquals("allocated: 2001:db8:0:1:8000::/65: internet, 5 Mbit/s (burst 30000 bytes), rate-limited 0 out"
            + " / 0 in\n", out);
        assertEquals(0, ctl("ipv6-gateway", "egress-only", "delete", "--address", "2001:db8:0:1::10"), err);
        assertEquals("egress-only rule deleted: 2001:db8:0:1::10: internet, 100 Mbit/s (burst 1250000 bytes), 0 flows,"
            + " rate-limited 0 out / 0 in\n", out);

        assertEquals(0, ctl("--json", "ipv6-gateway", "list"), err);
        assertTrue(out.contains("\"prefix\" : \"2001:db8:0:1:8000::/65\""), out);
    }

    @Test
    void ipv6GatewayRefusalsAreOneLine() throws Exception
    {
        restartWithIpv6Gateway();

        assertFails(2, "give --address or --prefix (one of them) (see 'sixgate ctl ipv6-gateway bandwidth allocate"
            + " --help')", ctl("ipv6-gateway", "bandwidth", "allocate", "--bandwidth-mbps", "10"));
        assertFails(2, "bandwidth-mbps: must be 1..5000, got 6000", ctl("ipv6-gateway", "bandwidth", "allocate",
            "--address", "2001:db8:0:1::20", "--bandwidth-mbps", "6000"));
        assertFails(1, "2001:db8:9::1 is not inside a vpc prefix (2001:db8:0:1::/64)", ctl("ipv6-gateway",
            "bandwidth", "allocate", "--address", "2001:db8:9::1", "--bandwidth-mbps", "10"));
        assertFails(1, "no egress-only rule for 2001:db8:0:1::20", ctl("ipv6-gateway", "egress-only", "delete",
            "--address", "2001:db8:0:1::20"));
        assertFails(2, "say list, bandwidth or egress-only (see 'sixgate ctl ipv6-gateway --help')", ctl("ipv6-gateway"));
        assertFails(2, "say allocate, modify or delete (see 'sixgate ctl ipv6-gateway bandwidth --help')",
            ctl("ipv6-gateway", "bandwidth"));
    }

    @Test
    void sessionsByAddress() throws Exception
    {
        final byte[] out6 = gateway.fromInternet(TestGateway.clientToEip(TestGateway.CLIENT, 50000, 53));
        final int pool4Port = TestGateway.u16(out6, 14 + 20);
        gateway.fromInternet(TestGateway.clientToEip(TestGateway.OTHER_CLIENT, 50001, 53));

        assertEquals(0, ctl("sessions", "--address", TestGateway.CLIENT), err);

        final String[] lines = out.split("\n");
        assertEquals(2, lines.length, out);
        assertTrue(lines[0].matches("udp 2001:db8:ffff::7#50000 64:ff9b::cb00:7105#53 \\| 198\\.51\\.100\\.10#" + pool4Port
            + " 10\\.0\\.1\\.5#53 \\| expires \\d+\\.\\d s"), lines[0]);
        assertEquals("1 session shown of 2 in the table", lines[1]);
        assertEquals(0, ctl("sessions", "--limit", "1"), err);
        assertTrue(out.endsWith("1 session shown of 2 in the table; more match (raise --limit)\n"), out);
    }

    @Test
    void reloadSaysWhatChangedOrWhyItWasRefused() throws Exception
    {
        gateway.writeConfig(TestGateway.BASE + "admin: {token-file: %DIR%/token}\n"
            + "routes:\n  - {prefix: \"2001:db8:aaaa::/48\", via: \"2001:db8:ffff::10\", port: internet}\n");

        assertEquals(0, ctl("reload"), err);
        assertEquals("reloaded " + gateway.configFile() + ":\n  routes: 0 -> 1\n", out);

        gateway.writeConfig(TestGateway.BASE + "admin: {token-file: %DIR%/token}\nworkers: 2\n");
        assertFails(1, "reload refused: " + gateway.configFile() + ": workers changes only with a restart; the running"
            + " configuration stays", ctl("reload"));
    }

    @Test
    void aMissingOrWrongTokenIsOneLineAndExitOne() throws Exception
    {
        assertFails(1, "this API needs a bearer token (Authorization: Bearer TOKEN, admin.token-file) (give"
            + " --token-file, or admin.token-file in --config)", run("ctl", "--admin", server.url(), "counters"));
        final Path wrong = Files.writeString(dir.resolve("wrong"), "nope\n");
        assertFails(1, "wrong bearer token (give --token-file, or admin.token-file in --config)",
            run("ctl", "--admin", server.url(), "--token-file", wrong.toString(), "eip", "list"));
        assertFails(1, "admin.token-file " + dir.resolve("none") + ": no such file",
            run("ctl", "--admin", server.url(), "--token-file", dir.resolve("none").toString(), "health"));
    }

    @Test
    void anUnreachableApiIsOneLineAndExitOne() throws Exception
    {
        final int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closedPort = socket.getLocalPort();
        }
        final String url = "http://127.0.0.1:" + closedPort;

        assertFails(1, "cannot reach the admin API at " + url + ": Connection refused (is sixgate run going?)",
            run("ctl", "--admin", url, "--token-file", tokenFile.toString(), "health"));
    }

    @Test
    void badUsageIsOneLineAndExitTwo() throws Exception
    {
        assertFails(2, "no ctl command given (see 'sixgate ctl --help')", run("ctl"));
        assertFails(2, "say list, add or remove (see 'sixgate ctl bib --help')", ctl("bib"));
        assertFails(2, "Missing required option: '--public=IPV4' (see 'sixgate ctl eip remove --help')",
            ctl("eip", "remove"));
        assertFails(2, "public: invalid IPv4 address '203.0.113': expected 4 octets, found 3",
            ctl("eip", "add", "--public", "203.0.113", "--private", "10.0.1.9"));
        assertFails(2, "--admin ftp://127.0.0.1:8464: expected an http URL like http://127.0.0.1:8464",
            run("ctl", "--admin", "ftp://127.0.0.1:8464", "--token-file", tokenFile.toString(), "health"));
        final Path off = Files.writeString(dir.resolve("off.yaml"), "ports: [{name: vpc, type: tap}]\nadmin: {listen: off}\n");
        assertFails(2, "admin.listen is off in " + off + "; give --admin URL", run("ctl", "--config", off.toString(), "health"));
    }
}
