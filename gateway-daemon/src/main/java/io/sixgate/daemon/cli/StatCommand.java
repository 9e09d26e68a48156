package io.sixgate.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

import io.sixgate.core.counters.CountersFile;
import io.sixgate.daemon.config.ConfigException;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.stat.CounterSample;
import io.sixgate.daemon.stat.CounterSnapshot;
import io.sixgate.daemon.stat.StatReport;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sixgate stat}: a {@code top} for drops. Maps the running daemon's counters file
 * read-only and prints its non-zero counters with their rates, drops first, every interval;
 * it never talks to the daemon, so it works while the admin API is off or stuck.
 */
@Command(
    name = "stat",
    description = {
        "Print the gateway's counters live from its memory-mapped counters file: the non-zero counters, drops "
            + "first and largest first, then rx/tx per port, each with its rate per second, every --interval until "
            + "Ctrl-C. Needs read access to the file, not the admin API.",
        "--once prints one screen and exits; its rates are averages since the daemon started."})
final class StatCommand implements Callable<Integer>
{
    /** Where the counters file is: given, or from a configuration. */
    static final class Source
    {
        @Option(names = "--counters-file", paramLabel = "FILE",
            description = "The counters file (counters-file of the configuration).")
        private Path countersFile;

        @Option(names = "--config", paramLabel = "FILE",
            description = "Read counters-file from this configuration. Default: the built-in configuration's, "
                + "/dev/shm/sixgate/counters.dat.")
        private Path config;
    }

    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true)
    private Source source;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "1s", converter = DurationConverter.class,
        description = "Time between screens: 500ms, 1s, 2m. Default: ${DEFAULT-VALUE}.")
    private Duration interval;

    @Option(names = "--once", description = "Print one screen and exit.")
    private boolean once;

    @Override
    public Integer call() throws ConfigException, IOException, InterruptedException
    {
        final Path file = countersFile();
        final PrintWriter out = spec.commandLine().getOut();
        final boolean terminal = !once && System.console() != null;
        Map<String, Long> previous = null;
        long previousNs = 0;
        Object previousKey = null;
        while (true)
        {
            final Object key = fileKey(file);
            final long nowNs = System.nanoTime();
            final List<CounterSample> samples;
            final String header;
            try (CountersFile counters = CountersFile.open(file.toFile()))
            {
                samples = StatReport.withTotals(CounterSnapshot.read(counters.reader()));
                header = header(file, counters);
                if (previous != null && !Objects.equals(key, previousKey))
                {
                    previous = null;    // a new daemon replaced the file: start the rates again
                }
                final double seconds;
                if (once)
                {
                    seconds = isAlive(counters.writerPid())
                        ? (System.currentTimeMillis() - counters.startTimeMs()) / 1000.0 : 0;
                }
                else
                {
                    seconds = previous == null ? 0 : (nowNs - previousNs) / 1e9;
                }
                final String table = StatReport.format(samples, once ? null : previous, seconds);
                out.print((terminal ? CLEAR_SCREEN : "") + header + (once ? " (/s: average since start)"
                    : previous == null ? "" : " (/s: over the last " + interval.toMillis() + " ms)") + "\n" + table);
                out.flush();
            }
            if (once)
            {
                return 0;
            }
            previous = new HashMap<>();
            for (final CounterSample sample : samples)
            {
                previous.put(sample.label(), sample.value());
            }
            previousNs = nowNs;
            previousKey = key;
            Thread.sleep(interval.toMillis());
            if (!terminal)
            {
                out.println();
            }
        }
    }

    private Path countersFile() throws ConfigException
    {
        if (source != null && source.countersFile != null)
        {
            return source.countersFile;
        }
        return (source != null && source.config != null ? ConfigLoader.load(source.config)
            : ConfigLoader.loadDefault()).countersFile();
    }

    private static String header(final Path file, final CountersFile counters)
    {
        final long pid = counters.writerPid();
        return "sixgate stat: " + file + ", pid " + pid + (isAlive(pid) ? "" : " (not running: its last values)")
            + ", started " + Instant.ofEpochMilli(counters.startTimeMs());
    }

    private static boolean isAlive(final long pid)
    {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static Object fileKey(final Path file)
    {
        try
        {
            return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }
}
