package io.sixgate.daemon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sixgate.daemon.port.RootRequirement;
import io.sixgate.daemon.run.E2eTopology;
import io.sixgate.daemon.run.E2eTopology.Result;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/demo.sh}, the README's first command, on the packaged jar: as root it runs to
 * completion in network namespaces and prints each step with its result, the counters, and a last
 * line; without root it says so in one line and runs the replay demo.
 */
class DemoScriptIT
{
    private static final String DEMO = "../scripts/demo.sh";

    @Test
    void asRootItRunsEveryStepInNamespacesAndRemovesThem() throws Exception
    {
        RootRequirement.require("ip", "ping", "nc", "flock", "timeout", "sha256sum");
        final Result demo;
        final String namespacesAfter;
        // The fcntl lock keeps other builds' namespace tests out until the namespaces are listed
        // (another build may build them again right after); the demo takes the flock one itself.
        try (E2eTopology lock = E2eTopology.lock(false))
        {
            demo = E2eTopology.run(300, "env", "SIXGATE_NO_BUILD=1", "bash", DEMO);
            namespacesAfter = namespaces();
        }
        final String out = demo.output();

        assertEquals(0, demo.exit(), out);
        assertTrue(out.startsWith("sixgate demo: an IPv6 client on the Internet reaches an IPv4-only instance in the VPC"
            + " through its IPv6 EIP\n"), out);
        assertTrue(out.contains("demo: configuration (io/sixgate/daemon/demo/namespace-demo.yaml"), out);
        assertTrue(out.contains("\n      - {public: 203.0.113.5, private: 192.0.2.5}\n"), "the configuration is shown: " + out);
        assertTrue(out.contains("[1/3] ping -6 from the Internet host 2001:db8:ffff::10 to the IPv6 EIP 64:ff9b::cb00:7105"
            + " of the IPv4-only instance 192.0.2.5\n      ok: 3 packets transmitted, 3 received, 0% packet loss"), out);
        assertTrue(out.contains("; replies from 64:ff9b::cb00:7105\n"), out);
        assertTrue(Pattern.compile("\\[2/3] TCP: .*\n      ok: 10485760 bytes in \\d+ ms, sha256 [0-9a-f]{16}\\.\\.\\. on both"
            + " sides; the instance saw the client as 203\\.0\\.113\\.64 port \\d+ \\(pool4 is 203\\.0\\.113\\.64\\)\n")
            .matcher(out).find(), out);
        assertTrue(out.contains("[3/3] native IPv6: ping -6 from the Internet host 2001:db8:ffff::10 to the VPC host"
            + " 2001:db8:0:1::10 (routed, not translated)\n      ok: 3 packets transmitted, 3 received, 0% packet loss"), out);
        // 10 MiB in segments of at most 1440 bytes: more than 7000 frames from the instance to the client.
        for (final Map.Entry<String, Long> least : Map.of("rx port=vpc worker=0", 7000L,
            "tx port=internet worker=0", 7000L, "rx port=internet worker=0", 1L, "tx port=vpc worker=0", 1L).entrySet())
        {
            assertTrue(counter(out, least.getKey()) >= least.getValue(), least + " in " + out);
        }
        assertTrue(out.contains("\n    dropped in all: "), out);
        assertTrue(out.contains("demo: sixgate run stopped on SIGTERM (exit status 0): stopped: port vpc rx "), out);
        assertTrue(out.endsWith("\ndemo: OK: all 3 steps worked; namespaces removed\n"), out);
        assertFalse(out.contains("FAILED"), out);
        assertNoNamespaces(namespacesAfter);
        final Matcher countersFile = Pattern.compile("counters-file: (/tmp/sixgate-demo\\.\\w+)/counters\\.dat").matcher(out);
        assertTrue(countersFile.find(), out);
        assertFalse(Files.exists(Path.of(countersFile.group(1))), "its work directory is gone: " + countersFile.group(1));
    }

    @Test
    void stoppedHalfWayItStillRemovesEverythingItBuilt() throws Exception
    {
        RootRequirement.require("ip", "ping", "nc", "flock", "timeout", "sha256sum");
        final Path output = Files.createTempFile("sixgate-demo-it", ".txt");
        try (E2eTopology lock = E2eTopology.lock(false))
        {
            final ProcessBuilder builder = new ProcessBuilder("bash", DEMO).redirectErrorStream(true)
                .redirectOutput(output.toFile());
            builder.environment().put("SIXGATE_NO_BUILD", "1");
            final Process demo = builder.start();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!E2eTopology.read(output).contains("[1/3] ping -6"))
            {
                assertTrue(demo.isAlive() && System.nanoTime() < deadline, "no first step: " + E2eTopology.read(output));
                Thread.sleep(20);
            }

            demo.destroy();

            assertTrue(demo.waitFor(60, TimeUnit.SECONDS), "no end after SIGTERM: " + E2eTopology.read(output));
            final String out = E2eTopology.read(output);
            assertEquals(130, demo.exitValue(), out);
            assertTrue(out.matches("(?s).*\\ndemo: FAILED: stopped \\(exit status 130\\) after [12] of 3 steps;"
                + " namespaces removed\\n"), out);
            assertNoNamespaces(namespaces());
        }
        finally
        {
            Files.deleteIfExists(output);
        }
    }

    @Test
    void withoutRootItSaysSoInOneLineAndRunsTheReplayDemo() throws Exception
    {
        final String[] command;
        if (RootRequirement.isRootForTests())
        {
            // Run it as nobody, as a newcomer without root would; nobody must be able to read the checkout.
            final String[] asNobody = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env",
                "HOME=/tmp", "SIXGATE_NO_BUILD=1"};
            final Result readable = E2eTopology.run(30, concat(asNobody, "test", "-r", "../gateway-daemon/target/sixgate.jar"));
            Assumptions.assumeTrue(readable.exit() == 0, "SKIPPED: user nobody cannot read this checkout's jar "
                + Path.of("../gateway-daemon/target/sixgate.jar").toAbsolutePath().normalize());
            command = concat(asNobody, "bash", DEMO);
        }
        else
        {
            command = new String[]{"env", "SIXGATE_NO_BUILD=1", "bash", DEMO};
        }

        final Result demo = E2eTopology.run(120, command);

        final String out = demo.output();
        assertEquals(0, demo.exit(), out);
        assertTrue(out.startsWith("demo: not root, so no network namespaces: running the replay demo (scripts/sixgate"
            + " demo) instead; run as root for the live one\nsixgate demo: "), out);
        assertTrue(out.contains("counters: OK (received "), out);
    }

    private static String namespaces() throws Exception
    {
        return E2eTopology.run(10, "ip", "netns", "list").output();
    }

    private static void assertNoNamespaces(final String listing)
    {
        for (final String namespace : List.of("sgvpc", "sgsrv", "sggw", "sginet"))
        {
            assertFalse(listing.matches("(?s)(.*\n)?" + namespace + "\\b.*"), namespace + " is gone: " + listing);
        }
    }

    private static long counter(final String text, final String label)
    {
        final Matcher value = Pattern.compile("\n {6}" + Pattern.quote(label) + " +(\\d+)\n").matcher(text);
        return value.find() ? Long.parseLong(value.group(1)) : -1;
    }

    private static String[] concat(final String[] first, final String... rest)
    {
        final String[] all = new String[first.length + rest.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(rest, 0, all, first.length, rest.length);
        return all;
    }
}
