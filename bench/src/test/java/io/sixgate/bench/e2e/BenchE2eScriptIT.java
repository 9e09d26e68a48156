package io.sixgate.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/bench-e2e.sh --quick} as root: all three cases and all three figures come out
 * as numbers, in the table, the CSV and the Markdown, and its namespaces are gone afterwards.
 * About a minute; it runs only in the {@code bench-e2e} Maven profile
 * ({@code ./mvnw verify -pl bench -am -Pbench-e2e}), after the sixgate jar is packaged.
 *
 * <p>Needs root and {@code /dev/net/tun} (the script installs tayga, iperf3 and jq when they
 * are missing) and fails without them, or skips saying so with {@code -Dsixgate.e2e.optional=true},
 * as the daemon's namespace tests do.
 */
class BenchE2eScriptIT
{
    private static final Path LOCK_FILE = Path.of(System.getProperty("java.io.tmpdir"), "sixgate-e2e-topology.lock");
    private static final List<String> CASES = List.of("kernel", "tayga", "sixgate");
    private static final List<String> TESTS = List.of("udp", "offered", "tcp", "connect");

    @Test
    void quickModeMeasuresEveryFigureOfEveryCaseAndRemovesItsNamespaces(@TempDir final Path results) throws Exception
    {
        requireRoot();
        final BenchE2eScript.Result bench;
        final String namespacesAfter;
        // The fcntl lock, as the namespace tests take it (E2eTopology); the script takes the flock one.
        try (FileChannel channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.lock())
        {
            bench = BenchE2eScript.run(600, List.of("--quick", "--results", results.toString()),
                Map.of("SIXGATE_NO_BUILD", "1"));
            namespacesAfter = new String(new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start()
                .getInputStream().readAllBytes());
        }
        final String out = bench.output();

        assertEquals(0, bench.exit(), out);
        assertTrue(out.endsWith("bench-e2e: OK: results in " + results.toRealPath() + "; namespaces removed\n"), out);
        for (final String label : List.of("(a) kernel IPv6 forwarding", "(b) TAYGA 6->4, TUN", "(c) sixgate 6->4, TAP"))
        {
            assertTrue(Pattern.compile("UDP 64 B delivered, packets/s +" + Pattern.quote(label) + " +[1-9]\\d*")
                .matcher(out).find(), label + " in the table: " + out);
        }
        final List<String> csv = Files.readAllLines(results.resolve("results.csv"));
        assertEquals("test,unit,case,value,ratio_to_kernel,ratio_to_tayga", csv.get(0));
        assertEquals(1 + CASES.size() * TESTS.size(), csv.size(), String.join("\n", csv));
        for (final String test : TESTS)
        {
            for (final String name : CASES)
            {
                final Matcher row = Pattern.compile("(?m)^" + test + ",[A-Za-z/]+," + name + ",([1-9]\\d*),(\\d+\\.\\d\\d),(\\d+\\.\\d\\d)$")
                    .matcher(String.join("\n", csv));
                assertTrue(row.find(), test + " of " + name + " measured, with both ratios: " + String.join("\n", csv));
            }
        }
        assertTrue(csv.stream().anyMatch(line -> line.matches("udp,packets/s,kernel,\\d+,1\\.00,\\d+\\.\\d\\d")),
            "a figure's ratio to itself is 1.00: " + String.join("\n", csv));
        assertTrue(Files.readString(results.resolve("results.md")).startsWith("| figure | case | value | vs kernel (a) | vs TAYGA (b) |"));
        assertTrue(Files.readString(results.resolve("environment.txt")).contains("jdk: "));
        for (final String namespace : List.of("sgbcli", "sgbrtr", "sgbsrv"))
        {
            assertFalse(namespacesAfter.matches("(?s)(.*\n)?" + namespace + "\\b.*"), namespace + " is gone: " + namespacesAfter);
        }
    }

    private static void requireRoot() throws Exception
    {
        String missing = null;
        if (!Files.readString(Path.of("/proc/self/status")).matches("(?s).*\nUid:\\s+0\\s.*"))
        {
            missing = "not running as root (uid 0)";
        }
        else if (!Files.exists(Path.of("/dev/net/tun")))
        {
            missing = "/dev/net/tun is missing (modprobe tun)";
        }
        if (missing == null)
        {
            return;
        }
        final String message = missing + " (run as root, or pass -Dsixgate.e2e.optional=true to skip this test)";
        if (Boolean.getBoolean("sixgate.e2e.optional"))
        {
            Assumptions.abort("SKIPPED: " + message);
        }
        fail(message);
    }
}
