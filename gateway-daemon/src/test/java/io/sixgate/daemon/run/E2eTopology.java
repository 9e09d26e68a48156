package io.sixgate.daemon.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the namespace tests share: the lock on {@code scripts/e2e-topology.sh}'s namespaces,
 * bringing them up and down under it, and running commands (in a namespace) with a time limit.
 *
 * <p>The lock is two locks on one file because two kinds of program take it: the tests of every
 * build on the machine (Java's {@link FileChannel#lock()}, an fcntl lock; older branches take only
 * this one) and {@code scripts/demo.sh} ({@code flock(1)}). Linux keeps fcntl and flock locks
 * apart, so a test takes both, fcntl first, and the demo only flock: any two of them take turns.
 */
public final class E2eTopology implements AutoCloseable
{
    public static final String SCRIPT = "../scripts/e2e-topology.sh";
    public static final Path LOCK_FILE = Path.of(System.getProperty("java.io.tmpdir"), "sixgate-e2e-topology.lock");

    private final FileChannel channel;
    private final FileLock fcntlLock;
    private final Process flockHolder;
    private Thread teardownHook;
    /** The script's options the namespaces were brought up with ({@code --pcap}), for taking them down. */
    private String[] options = {};

    /** What a command printed (stdout and stderr together) and how it ended. */
    public record Result(int exit, String output)
    {
    }

    private E2eTopology(final FileChannel channel, final FileLock fcntlLock, final Process flockHolder)
    {
        this.channel = channel;
        this.fcntlLock = fcntlLock;
        this.flockHolder = flockHolder;
    }

    /**
     * Waits for the namespaces: the fcntl lock, then (only when {@code withFlock}) the flock lock
     * held by a {@code flock} child that lives until {@link #close()} closes its stdin, or this
     * JVM dies. A test that runs {@code scripts/demo.sh} passes false: the demo takes flock itself.
     */
    public static E2eTopology lock(final boolean withFlock) throws IOException
    {
        final FileChannel channel = FileChannel.open(LOCK_FILE, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        final FileLock fcntlLock = channel.lock();
        Process holder = null;
        if (withFlock)
        {
            holder = new ProcessBuilder("flock", "-x", LOCK_FILE.toString(), "-c", "echo locked; exec cat > /dev/null")
                .redirectErrorStream(true).start();
            final String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
            if (!"locked".equals(line))
            {
                holder.destroyForcibly();
                fcntlLock.release();
                channel.close();
                fail("flock " + LOCK_FILE + " failed: " + line);
            }
        }
        return new E2eTopology(channel, fcntlLock, holder);
    }

    /**
     * For a test that works in the namespaces: takes the lock (both kinds), makes a JVM that dies
     * take the namespaces down, and brings them up ({@code e2e-topology.sh OPTIONS up}); fails
     * the test when they do not come up. {@link #down()} undoes it all.
     */
    public static E2eTopology up(final String... options) throws IOException, InterruptedException
    {
        final E2eTopology topology = lock(true);
        topology.options = options.clone();
        topology.teardownHook = new Thread(() -> downQuietly(topology.options), "e2e-topology-down");
        Runtime.getRuntime().addShutdownHook(topology.teardownHook);
        try
        {
            final List<String> command = new ArrayList<>(List.of("bash", SCRIPT));
            command.addAll(List.of(options));
            command.add("up");
            final Result up = run(60, command.toArray(new String[0]));
            assertEquals(0, up.exit(), up.output());
        }
        catch (final Throwable ex)
        {
            topology.down();
            throw ex;
        }
        return topology;
    }

    /**
     * Takes the namespaces down (printing what went wrong, not throwing) and releases the lock.
     */
    public void down()
    {
        downQuietly(options);
        if (teardownHook != null)
        {
            Runtime.getRuntime().removeShutdownHook(teardownHook);
        }
        close();
    }

    @Override
    public void close()
    {
        try
        {
            if (flockHolder != null)
            {
                flockHolder.getOutputStream().close();
                if (!flockHolder.waitFor(10, TimeUnit.SECONDS))
                {
                    flockHolder.destroyForcibly();
                }
            }
            fcntlLock.release();
            channel.close();
        }
        catch (final IOException | InterruptedException ex)
        {
            System.err.println("releasing " + LOCK_FILE + " failed: " + ex);
        }
    }

    /**
     * Runs {@code scripts/e2e-topology.sh OPTIONS down}, printing instead of throwing: for teardown paths.
     */
    public static void downQuietly(final String... options)
    {
        try
        {
            final List<String> command = new ArrayList<>(List.of("bash", SCRIPT));
            command.addAll(List.of(options));
            command.add("down");
            final Result down = run(60, command.toArray(new String[0]));
            if (down.exit() != 0)
            {
                System.err.println("e2e-topology.sh down: " + down.output());
            }
        }
        catch (final Exception | AssertionError ex)
        {
            System.err.println("e2e-topology.sh down failed: " + ex);
        }
    }

    /**
     * Runs a command to its end, at most {@code timeoutSeconds}; fails the test when it takes longer.
     */
    public static Result run(final int timeoutSeconds, final String... command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final byte[][] output = new byte[1][];
        // Read while it runs: a command printing more than a pipe holds would otherwise never end.
        final Thread reader = new Thread(() ->
        {
            try
            {
                output[0] = process.getInputStream().readAllBytes();
            }
            catch (final IOException ex)
            {
                output[0] = ("(output unreadable: " + ex + ")").getBytes(StandardCharsets.UTF_8);
            }
        }, "e2e-output");
        reader.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            reader.join(5_000);
            fail(String.join(" ", command) + ": no end after " + timeoutSeconds + " s");
        }
        reader.join();
        return new Result(process.exitValue(), new String(output[0], StandardCharsets.UTF_8));
    }

    public static Result inNamespace(final String namespace, final int timeoutSeconds, final String... command)
        throws IOException, InterruptedException
    {
        return run(timeoutSeconds, inNamespaceCommand(namespace, command));
    }

    public static String[] inNamespaceCommand(final String namespace, final String... command)
    {
        final List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return full.toArray(new String[0]);
    }

    /**
     * @return the file's text, or "" when there is none yet: for logs of processes still running.
     */
    public static String read(final Path file)
    {
        try
        {
            return file != null && Files.exists(file) ? Files.readString(file) : "";
        }
        catch (final IOException ex)
        {
            return "(" + file + " unreadable: " + ex + ")";
        }
    }
}
