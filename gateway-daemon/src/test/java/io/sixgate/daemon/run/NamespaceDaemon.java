package io.sixgate.daemon.run;

import static io.sixgate.daemon.run.E2eTopology.inNamespace;
import static io.sixgate.daemon.run.E2eTopology.read;
import static io.sixgate.daemon.run.E2eTopology.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sixgate.daemon.run.E2eTopology.Result;

/**
 * The daemon a namespace test runs: {@code scripts/sixgate run --config FILE} in the gateway
 * namespace of {@code scripts/e2e-topology.sh} (sggw, or sgpgw with {@code --pcap}) (SIXGATE_NO_BUILD=1: the build made the jar), its log and
 * its counters file. Its waits fail as soon as the daemon died, not at their deadline.
 */
final class NamespaceDaemon
{
    private static final Pattern SESSION_TOTAL = Pattern.compile("\"total\"\\s*:\\s*(\\d+)");

    private final long pollMillis;
    private final String namespace;
    private final String[] topologyOptions;
    private Process process;
    private Path log;
    private Path counters;

    /**
     * @param pollMillis how often {@link #awaitOrFail} looks again: a test whose conditions ask
     *                   the daemon through a process (the admin API) looks less often.
     */
    NamespaceDaemon(final long pollMillis)
    {
        this(pollMillis, "sggw");
    }

    /**
     * @param namespace       where the daemon runs: the topology's gateway namespace.
     * @param topologyOptions the options the topology was brought up with ({@code --pcap}), for its {@code ready}.
     */
    NamespaceDaemon(final long pollMillis, final String namespace, final String... topologyOptions)
    {
        this.pollMillis = pollMillis;
        this.namespace = namespace;
        this.topologyOptions = topologyOptions.clone();
    }

    /**
     * Starts the daemon (again, for a test that stopped it) with its output in {@code log}, and
     * returns once it runs and the topology's hosts are ready: the daemon says how to stop it,
     * then {@code e2e-topology.sh OPTIONS ready 20}.
     *
     * @param counters the counters file {@code config} names.
     */
    void start(final Path config, final Path counters, final Path log) throws Exception
    {
        this.counters = counters;
        this.log = log;
        final ProcessBuilder launcher = new ProcessBuilder("ip", "netns", "exec", namespace,
            "bash", "../scripts/sixgate", "run", "--config", config.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile());
        launcher.environment().put("SIXGATE_NO_BUILD", "1");
        process = launcher.start();
        awaitOrFail(60, () -> log().contains("stop with SIGTERM"), () -> "sixgate run did not start: " + log());
        final List<String> ready = new ArrayList<>(List.of("bash", E2eTopology.SCRIPT));
        ready.addAll(List.of(topologyOptions));
        ready.addAll(List.of("ready", "20"));
        final Result readiness = run(30, ready.toArray(new String[0]));
        assertEquals(0, readiness.exit(), readiness.output() + log());
    }

    /**
     * Waits until {@code condition} holds; fails with {@code why} after {@code seconds}, or as
     * soon as the daemon died (then with its log too, unless {@code why} already has it).
     */
    void awaitOrFail(final int seconds, final BooleanSupplier condition, final Supplier<String> why)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean())
        {
            final boolean died = process != null && !process.isAlive();
            if (died || System.nanoTime() > deadline)
            {
                final String message = why.get();
                if (!died)
                {
                    fail(message);
                }
                final String logText = log();
                fail(message + "\nsixgate run ended (exit " + process.exitValue() + ")"
                    + (message.contains(logText) ? "" : "; its log:\n" + logText));
            }
            Thread.sleep(pollMillis);
        }
    }

    /**
     * @return the daemon's process (the latest one started), for a test that signals it itself.
     */
    Process process()
    {
        return process;
    }

    /**
     * @return what the daemon printed so far ("" before it started).
     */
    String log()
    {
        return read(log);
    }

    Path counters()
    {
        return counters;
    }

    /**
     * @return the session count the admin API (127.0.0.1:8464 inside sggw) gives.
     */
    long sessionTotal()
    {
        try
        {
            final Result answer = inNamespace("sggw", 20, "timeout", "10", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8464"
                + " && printf 'GET /v1/sessions?limit=1 HTTP/1.0\\r\\n\\r\\n' >&3 && cat <&3");
            final Matcher total = SESSION_TOTAL.matcher(answer.output());
            if (!total.find())
            {
                fail("GET /v1/sessions: " + answer.output());
            }
            return Long.parseLong(total.group(1));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException(ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /**
     * SIGTERM, then SIGKILL after 20 s; nothing when it is not running.
     */
    void stop() throws InterruptedException
    {
        if (process != null && process.isAlive())
        {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
        }
    }

    /**
     * For teardown: the log and the non-zero counters, what a failed test is read from.
     */
    void printLogAndCounters()
    {
        if (log != null)
        {
            System.out.println("--- sixgate log ---\n" + log());
        }
        if (counters != null && Files.exists(counters))
        {
            CountersPrinter.print(counters, new PrintWriter(System.out, true, StandardCharsets.UTF_8));
        }
    }
}
