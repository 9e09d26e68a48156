package io.sixgate.daemon.cli;

import static io.sixgate.daemon.replay.TestCaptures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import io.sixgate.daemon.pipeline.PipelineFactory;
import io.sixgate.daemon.pipeline.PipelineFactoryLoader;
import io.sixgate.daemon.replay.ForwardingTestFactory;
import io.sixgate.daemon.replay.TestCaptures;
import io.sixgate.daemon.replay.TestFrames;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.packet.namednumber.DataLinkType;

import picocli.CommandLine;

class SixgateCommandTest
{
    static final long T0 = 1_700_000_000_000_000_000L;

    @TempDir
    Path dir;

    private String out = "";
    private String err = "";

    private int run(final Supplier<PipelineFactory> factory, final String... args)
    {
        final StringWriter outText = new StringWriter();
        final StringWriter errText = new StringWriter();
        final CommandLine commandLine = SixgateCommand.commandLine(factory);
        commandLine.setOut(new PrintWriter(outText, true));
        commandLine.setErr(new PrintWriter(errText, true));
        final int exitCode = commandLine.execute(args);
        out = outText.toString();
        err = errText.toString();
        return exitCode;
    }

    private int run(final String... args)
    {
        return run(ForwardingTestFactory::new, args);
    }

    private void assertBadUsage(final String expectedLine, final String... args)
    {
        assertEquals(2, run(args), err);
        assertEquals(expectedLine + System.lineSeparator(), err);
        assertEquals("", out);
    }

    @Test
    void helpListsTheCommandsThatExist()
    {
        assertEquals(0, run("--help"));

        assertTrue(out.startsWith("Usage: sixgate [-hV] [COMMAND]"), out);
        assertTrue(out.contains("\n  check "), out);
        assertTrue(out.contains("\n  ctl "), out);
        assertTrue(out.contains("\n  stat "), out);
        assertTrue(out.contains("\n  replay "), out);
        assertTrue(out.contains("\n  run "), out);
        assertTrue(out.contains("\n  version "), out);
        assertTrue(out.contains("2   bad usage or bad input"), out);
        assertEquals("", err);
    }

    @Test
    void everyCommandHasHelp()
    {
        for (final String command : new String[]{"check", "ctl", "demo", "replay", "run", "stat", "version"})
        {
            assertEquals(0, run(command, "-h"), command);
            assertTrue(out.startsWith("Usage: sixgate " + command), out);
        }
        assertEquals(0, run("replay", "--help"));
        assertTrue(out.contains("--in=PORT=FILE"), out);
        assertTrue(out.contains("--out=PORT=FILE"), out);
        assertTrue(out.contains("--counters=FILE"), out);
        assertTrue(out.contains("-q, --quiet"), out);
        assertEquals(0, run("ctl", "--help"));
        for (final String sub : new String[]{"counters", "sessions", "bib", "eip", "ipv6-gateway", "reload", "health"})
        {
            assertTrue(out.contains("\n  " + sub + " "), sub + ": " + out);
        }
        assertTrue(out.contains("--admin=URL"), out);
        assertTrue(out.contains("--token-file=FILE"), out);
        assertEquals(0, run("ctl", "bib", "add", "--help"));
        assertTrue(out.startsWith("Usage: sixgate ctl bib add "), out);
        assertTrue(out.contains("--ipv4-port=PORT"), out);
        assertEquals(0, run("ctl", "ipv6-gateway", "--help"));
        for (final String sub : new String[]{"list", "bandwidth", "egress-only"})
        {
            assertTrue(out.contains("\n  " + sub + " "), sub + ": " + out);
        }
        assertEquals(0, run("ctl", "ipv6-gateway", "bandwidth", "allocate", "--help"));
        assertTrue(out.startsWith("Usage: sixgate ctl ipv6-gateway bandwidth allocate "), out);
        for (final String option : new String[]{"--address=IPV6", "--prefix=PREFIX", "--bandwidth-mbps=N",
            "--burst-bytes=BYTES"})
        {
            assertTrue(out.contains(option), option + ": " + out);
        }
        assertEquals(0, run("ctl", "ipv6-gateway", "egress-only", "--help"));
        assertTrue(out.contains("\n  create ") && out.contains("\n  delete "), out);
        assertEquals(0, run("stat", "--help"));
        assertTrue(out.contains("--once"), out);
        assertTrue(out.contains("--interval=DURATION"), out);
    }

    @Test
    void versionNamesSixgateJavaAndLibpcap()
    {
        assertEquals(0, run("version"));

        final String[] lines = out.split(System.lineSeparator());
        assertEquals("sixgate " + VersionInfo.sixgateVersion(), lines[0]);
        assertFalse(VersionInfo.sixgateVersion().contains("unknown"), "the build filled in the version");
        assertTrue(lines[1].startsWith("java " + System.getProperty("java.version")), lines[1]);
        assertTrue(lines[2].startsWith("libpcap: libpcap version"), lines[2]);
        assertEquals(0, run("--version"));
        assertEquals(String.join(System.lineSeparator(), lines) + System.lineSeparator(), out);
    }

    @Test
    void badUsageIsOneLineAndExitStatusTwo()
    {
        assertBadUsage("sixgate: no command given (see 'sixgate --help')");
        assertBadUsage("sixgate: Unknown option: '--bogus' (see 'sixgate --help')", "--bogus");
        assertBadUsage("sixgate: Unmatched argument at index 0: 'start' (see 'sixgate --help')", "start");
        assertBadUsage("sixgate: Missing required option: '--config=FILE' (see 'sixgate run --help')", "run");
        assertBadUsage("sixgate: Missing required option: '--in=PORT=FILE' (see 'sixgate replay --help')",
            "replay");
        assertBadUsage("sixgate: Invalid value for option '--in' (PORT=FILE): expected PORT=FILE, got 'capture.pcap'"
            + " (see 'sixgate replay --help')", "replay", "--in", "capture.pcap");
        assertBadUsage("sixgate: Invalid value for option '--out' (PORT=FILE): expected PORT=FILE with a port name of"
            + " a-z, 0-9 and '-', got 'V6=out.pcap' (see 'sixgate replay --help')",
            "replay", "--in", "v6=in.pcap", "--out", "V6=out.pcap");
        assertBadUsage("sixgate: Unknown options: '--in', 'v6=x.pcap' (see 'sixgate check --help')",
            "check", "--in", "v6=x.pcap");
    }

    @Test
    void checkAcceptsTheBuiltInConfig()
    {
        assertEquals(0, run("check"));

        assertEquals("config OK: 2 ports, 2 routes" + System.lineSeparator(), out);
        assertEquals("", err);
    }

    @Test
    void checkSaysWhatIsWrongInAConfigFile() throws Exception
    {
        final Path config = Files.writeString(dir.resolve("gw.yaml"), """
            ports:
              - name: v6
                type: tap
                mtu: 40
            """);
        final Path single = Files.writeString(dir.resolve("one.yaml"), "ports: [{name: a, type: tap}]\n");

        assertBadUsage("sixgate: " + config + " line 4: ports[0].mtu: must be 68..65535, got 40",
            "check", "--config", config.toString());
        assertBadUsage("sixgate: " + dir.resolve("none.yaml") + ": no such file",
            "check", "--config", dir.resolve("none.yaml").toString());
        assertEquals(0, run("check", "--config", single.toString()));
        assertEquals("config OK: 1 port, 0 routes" + System.lineSeparator(), out);
    }

    @Test
    void replayPrintsCapturesCountersAndTheConservationLine() throws Exception
    {
        final Path in = TestCaptures.write(dir.resolve("in.pcap"), DataLinkType.RAW, List.of(
            record(T0, TestFrames.ipv6(64, 1, 8)),
            record(T0 + 1000, TestFrames.ipv6(1, 2, 8)),
            record(T0 + 2000, TestFrames.ipv4(64, 3, 8))));
        final Path outV4 = dir.resolve("out.pcap");

        assertEquals(0, run("replay", "--in", "v6=" + in, "--out", "v4=" + outV4), err);

        final String nl = System.lineSeparator();
        assertEquals(String.format("in   %-15s %-40s %10d frames (raw)%n", "v6", in, 3)
            + String.format("out  %-15s %-40s %10d frames (raw)%n", "v4", outV4, 2)
            + "counters (non-zero):" + nl
            + String.format("  %-45s %10d%n", "rx port=v6 worker=0", 3)
            + String.format("  %-45s %10d%n", "tx port=v4 worker=0", 2)
            + String.format("  %-45s %10d%n", "drop test-forward/hop-limit-exceeded worker=0", 1)
            + "counters: OK (received 3 + generated 0 = transmitted 2 + consumed 0 + dropped 1)" + nl, out);
        assertEquals("", err);
        assertEquals(2, TestCaptures.read(outV4).size());
    }

    @Test
    void quietReplayPrintsNothing() throws Exception
    {
        final Path in = TestCaptures.write(dir.resolve("in.pcap"), DataLinkType.RAW, List.of(
            record(T0, TestFrames.ipv4(64, 1, 8))));

        assertEquals(0, run("replay", "--quiet", "--in", "v4=" + in));

        assertEquals("", out);
        assertEquals("", err);
    }

    @Test
    void replayRefusesBadInputWithOneLine() throws Exception
    {
        final Path in = TestCaptures.write(dir.resolve("in.pcap"), DataLinkType.RAW, List.of(
            record(T0, TestFrames.ipv4(64, 1, 8))));

        assertBadUsage("sixgate: --in lan=" + in + ": no port named \"lan\" in the configuration (ports: v6, v4)",
            "replay", "--in", "lan=" + in);
        assertBadUsage("sixgate: --in v4=" + dir.resolve("nope.pcap") + ": no such file",
            "replay", "--in", "v4=" + dir.resolve("nope.pcap"));
        assertBadUsage("sixgate: " + dir.resolve("nope.yaml") + ": no such file",
            "replay", "--config", dir.resolve("nope.yaml").toString(), "--in", "v4=" + in);
    }

    @Test
    void replayRunsTheGatewayPipelineFoundOnTheClassPath() throws Exception
    {
        // TestFrames writes no IPv4 header checksum: the real ipv4-input stage must catch it.
        final Path in = TestCaptures.write(dir.resolve("in.pcap"), DataLinkType.RAW, List.of(
            record(T0, TestFrames.ipv4(64, 1, 8))));

        assertEquals(0, run(PipelineFactoryLoader::load, "replay", "--in", "v4=" + in));

        assertTrue(out.contains("drop ipv4-input/bad-header-checksum"), out);
        assertEquals("", err);
    }

    @Test
    void replayWhoseCountersDoNotAddUpFailsLoudly() throws Exception
    {
        final Path in = TestCaptures.write(dir.resolve("in.pcap"), DataLinkType.RAW, List.of(
            record(T0, TestFrames.ipv4(64, 1, 8))));
        final Path outV6 = dir.resolve("out.pcap");
        final PipelineFactory losesFrames = (config, ports, pool, txSink, counters, worker) ->
            new ForwardingTestFactory().create(config, ports, pool, (port, frame) -> pool.release(frame), counters);

        assertEquals(1, run(() -> losesFrames, "replay", "--quiet", "--in", "v4=" + in, "--out", "v6=" + outV6));

        assertTrue(out.contains("counters: MISMATCH: port v6: wrote 0 frames to " + outV6 + " but counted 1 transmitted"),
            out);
        assertEquals("sixgate: the counters do not add up after the replay: port v6: wrote 0 frames to " + outV6
            + " but counted 1 transmitted" + System.lineSeparator(), err);
    }
}
