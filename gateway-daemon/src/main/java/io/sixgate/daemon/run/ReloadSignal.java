package io.sixgate.daemon.run;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGHUP into a configuration reload (systemd's {@code ExecReload=/bin/kill -HUP $MAINPID}),
 * in the manner of {@link ShutdownSignal}: without it the JVM would treat SIGHUP as a reason to
 * exit. The reload runs on its own thread, not the JVM's signal thread, so a slow reload never
 * holds up a SIGTERM; signals that arrive while one is waiting to run make no second one.
 */
public final class ReloadSignal implements SignalHandler, AutoCloseable
{
    private static final Signal HUP = new Signal("HUP");

    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private final Runnable reload;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(task ->
    {
        final Thread thread = new Thread(task, "sixgate-reload");
        thread.setDaemon(true);
        return thread;
    });
    private SignalHandler previous;

    private ReloadSignal(final Runnable reload)
    {
        this.reload = reload;
    }

    /**
     * Installs the handler for HUP.
     *
     * @param reload what a SIGHUP runs; it logs its own outcome.
     */
    public static ReloadSignal install(final Runnable reload)
    {
        final ReloadSignal signal = new ReloadSignal(reload);
        signal.previous = Signal.handle(HUP, signal);
        return signal;
    }

    @Override
    public void handle(final Signal signal)
    {
        request("SIG" + signal.getName());
    }

    /**
     * Asks for a reload on the reload thread, unless one is already waiting to run.
     *
     * @param why for the log.
     */
    void request(final String why)
    {
        if (pending.compareAndSet(false, true))
        {
            LOG.info("{}: reloading the configuration", why);
            executor.execute(this::run);
        }
    }

    private void run()
    {
        pending.set(false);
        try
        {
            reload.run();
        }
        catch (final RuntimeException ex)
        {
            LOG.error("reload failed", ex);
        }
    }

    /**
     * Puts back the previous handler and ends the reload thread.
     */
    @Override
    public void close()
    {
        Signal.handle(HUP, previous);
        executor.shutdownNow();
    }
}
