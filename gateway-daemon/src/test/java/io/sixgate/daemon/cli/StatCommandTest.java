package io.sixgate.daemon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sixgate.core.counters.CountersFile;
import io.sixgate.core.counters.PipelineCounters;
import io.sixgate.daemon.pipeline.GatewayPipelineFactory;
import io.sixgate.daemon.port.PortCounters;
import io.sixgate.daemon.port.PortDropReason;

import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * {@code sixgate stat --once} on a counters file this test writes the way the daemon does.
 */
class StatCommandTest
{
    @TempDir
    Path dir;

    private String out = "";
    private String err = "";

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

    private Path writeCounters()
    {
        final Path file = dir.resolve("counters.dat");
        try (CountersFile counters = CountersFile.create(file.toFile(), 64))
        {
            final CountersManager manager = counters.manager();
            final PipelineCounters pipeline = new PipelineCounters(manager, 0, new String[]{"vpc", "internet"},
                new String[]{"ipv6-forward/no-route", "ipv4-input/bad-checksum", "ipv6-forward/hop-limit-exceeded"});
            final PortCounters ports = new PortCounters(manager, 0, new String[]{"vpc", "internet"});
            for (int i = 0; i < 120; i++)
            {
                pipeline.onReceived(0);
                pipeline.onTransmitted(1);
            }
            pipeline.onReceived(1);
            for (int i = 0; i < 7; i++)
            {
                pipeline.onDropped(0);
            }
            for (int i = 0; i < 30; i++)
            {
                pipeline.onDropped(2);
            }
            ports.onDropped(0, PortDropReason.INGEST_QUEUE_FULL_NEW_FLOW);
        }
        return file;
    }

    @Test
    void printsTheNonZeroCountersDropsFirstAndLargestFirst()
    {
        final Path file = writeCounters();

        assertEquals(0, run("stat", "--counters-file", file.toString(), "--once"), err);

        final String[] lines = out.split("\n");
        assertTrue(lines[0].startsWith("sixgate stat: " + file + ", pid " + ProcessHandle.current().pid()
            + ", started "), lines[0]);
        assertTrue(lines[0].endsWith(" (/s: average since start)"), lines[0]);
        assertTrue(lines[1].matches("counter +value +/s"), lines[1]);
        final String[] labels = new String[lines.length - 2];
        for (int i = 2; i < lines.length; i++)
        {
            labels[i - 2] = lines[i].replaceAll(" {2,}.*", "");
        }
        assertEquals(String.join("|",
            "drop ipv6-forward/hop-limit-exceeded worker=0",
            "drop ipv6-forward/no-route worker=0",
            "drop ingest/queue-full-new-flow port=vpc worker=0",
            "rx port=vpc worker=0",
            "rx port=internet worker=0",
            "tx port=internet worker=0"), String.join("|", labels), out);
        assertTrue(lines[2].matches("drop ipv6-forward/hop-limit-exceeded worker=0 +30 +[0-9]+\\.[0-9]"), lines[2]);
        assertTrue(lines[5].matches("rx port=vpc worker=0 +120 +[0-9]+\\.[0-9]"), lines[5]);
        assertEquals("", err);
    }

    @Test
    void withSeveralWorkersEachCounterIsAlsoShownSummedOverThem()
    {
        final Path file = dir.resolve("counters.dat");
        try (CountersFile counters = CountersFile.create(file.toFile(), 64))
        {
            final CountersManager manager = counters.manager();
            for (int worker = 0; worker < 2; worker++)
            {
                final PipelineCounters pipeline = new PipelineCounters(manager, worker, new String[]{"vpc"},
                    new String[]{"ipv6-forward/no-route"});
                for (int i = 0; i < 10 * (worker + 1); i++)
                {
                    pipeline.onReceived(0);
                }
                pipeline.onDropped(0);
            }
        }

        assertEquals(0, run("stat", "--counters-file", file.toString(), "--once"), err);

        assertTrue(out.contains("\nrx port=vpc worker=0 "), out);
        assertTrue(out.contains("\nrx port=vpc worker=1 "), out);
        assertTrue(out.matches("(?s).*\nrx port=vpc workers=all +30 .*"), out);
        assertTrue(out.matches("(?s).*\ndrop ipv6-forward/no-route workers=all +2 .*"), out);
        assertTrue(out.indexOf("drop ipv6-forward/no-route workers=all") < out.indexOf("drop ipv6-forward/no-route worker=0"),
            "the sum of drops is the largest drop: first");
    }

    @Test
    void findsTheCountersFileThroughTheConfiguration() throws Exception
    {
        final Path file = writeCounters();
        final Path config = Files.writeString(dir.resolve("gw.yaml"), "counters-file: " + file
            + "\nports: [{name: vpc, type: tap}]\n");

        assertEquals(0, run("stat", "--config", config.toString(), "--once"), err);

        assertTrue(out.contains("\nrx port=vpc worker=0 "), out);
    }

    @Test
    void noCountersFileIsOneLineAndExitOne()
    {
        final Path missing = dir.resolve("nothing.dat");

        assertEquals(1, run("stat", "--counters-file", missing.toString(), "--once"));

        assertEquals("sixgate: no counters file at " + missing + " (is sixgate running?)" + System.lineSeparator(), err);
        assertEquals("", out);
    }

    @Test
    void badUsageIsExitTwo()
    {
        assertEquals(2, run("stat", "--counters-file", "a", "--config", "b"));
        assertTrue(err.startsWith("sixgate: Error: --counters-file=FILE, --config=FILE are mutually exclusive"), err);
        assertEquals(2, run("stat", "--interval", "soon"));
        assertTrue(err.contains("expected a duration like 500ms, 1s or 2m, got 'soon'"), err);
    }
}
