package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * A network namespace a test creates ({@code ip netns add}) with one thread inside it
 * ({@code setns(2)} moves only the calling thread), so that tests in the build's JVM can open
 * interfaces there and send frames that never reach the machine's own namespace. IPv6 is off
 * in it, so the kernel sends nothing of its own on the test's links. {@link #close()} ends the
 * thread and deletes the namespace with everything in it.
 */
public final class NetworkNamespace implements AutoCloseable
{
    private static final int CLONE_NEWNET = 0x4000_0000;

    /** The one libc call a thread needs to enter a namespace. */
    interface Setns extends Library
    {
        Setns INSTANCE = Native.load("c", Setns.class);

        int setns(int fd, int nstype) throws LastErrorException;
    }

    private final String name;
    private final ExecutorService thread;

    private NetworkNamespace(final String name, final ExecutorService thread)
    {
        this.name = name;
        this.thread = thread;
    }

    /**
     * Creates namespace {@code name} (deleting a leftover of that name first) and a thread in it.
     */
    public static NetworkNamespace create(final String name) throws Exception
    {
        ip(true, "netns", "del", name);
        ip(false, "netns", "add", name);
        final NetworkNamespace namespace = new NetworkNamespace(name, Executors.newSingleThreadExecutor(
            task -> new Thread(task, "netns-" + name)));
        try
        {
            namespace.exec("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
            namespace.ip("link", "set", "lo", "up");
            namespace.call(() ->
            {
                final int fd = LibC.INSTANCE.open("/run/netns/" + name, 0);
                try
                {
                    Setns.INSTANCE.setns(fd, CLONE_NEWNET);
                }
                finally
                {
                    LibC.INSTANCE.close(fd);
                }
                return null;
            });
            return namespace;
        }
        catch (final Exception ex)
        {
            namespace.close();
            throw ex;
        }
    }

    public String name()
    {
        return name;
    }

    /**
     * Runs {@code task} on the thread inside the namespace and returns what it returns; an
     * assertion error or exception in it is thrown here.
     */
    public <T> T call(final Callable<T> task) throws Exception
    {
        final Future<T> result = thread.submit(task);
        try
        {
            return result.get(60, TimeUnit.SECONDS);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof Error)
            {
                throw (Error)ex.getCause();
            }
            throw (Exception)ex.getCause();
        }
    }

    /**
     * {@code ip -n NAME ARGS...}, which must succeed.
     */
    public void ip(final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("-n", name));
        command.addAll(List.of(args));
        ip(false, command.toArray(new String[0]));
    }

    /**
     * {@code ip netns exec NAME COMMAND...}, which must succeed.
     */
    public void exec(final String... command) throws Exception
    {
        final List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        run(false, full);
    }

    private static void ip(final boolean mayFail, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        run(mayFail, command);
    }

    private static void run(final boolean mayFail, final List<String> command) throws Exception
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(30, TimeUnit.SECONDS))
        {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + ": no end after 30 s");
        }
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!mayFail)
        {
            assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
        }
    }

    @Override
    public void close() throws Exception
    {
        thread.shutdownNow();
        thread.awaitTermination(10, TimeUnit.SECONDS);
        ip(true, "netns", "del", name);
    }
}
