package io.sixgate.daemon.run;

import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGTERM and SIGINT into a request to stop, so the daemon shuts down in order and exits
 * 0. The JVM's own handling would run shutdown hooks and exit 143 or 130 instead. A second
 * signal while stopping ends the process at once (exit 130), for a stop that hangs.
 * {@link #close()} puts the previous handlers back, so a run that fails to start leaves the
 * JVM as it found it.
 *
 * <p>Why {@code sun.misc.Signal} (JEP 260 keeps it for this, javac still warns): Agrona's
 * {@code ShutdownSignalBarrier} and plain shutdown hooks run inside the JVM's own exit, whose
 * status after SIGTERM is 143 whatever the hooks do.
 *
 * <p>A signal the process inherited as ignored (SIGINT for a job started with {@code &} by a
 * non-interactive shell) stays ignored: the JVM does not install handlers for those.
 */
public final class ShutdownSignal implements SignalHandler, AutoCloseable
{
    private static final Signal TERM = new Signal("TERM");
    private static final Signal INT = new Signal("INT");

    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignal.class);

    private final CountDownLatch requested = new CountDownLatch(1);
    private volatile String name;
    private SignalHandler previousTerm;
    private SignalHandler previousInt;

    private ShutdownSignal()
    {
    }

    /**
     * Installs the handlers for TERM and INT; from now on those signals only set the request.
     */
    public static ShutdownSignal install()
    {
        final ShutdownSignal signal = new ShutdownSignal();
        signal.previousTerm = Signal.handle(TERM, signal);
        signal.previousInt = Signal.handle(INT, signal);
        return signal;
    }

    @Override
    public void handle(final Signal signal)
    {
        if (requested.getCount() == 0)
        {
            LOG.warn("second SIG{} while stopping: exiting now", signal.getName());
            Runtime.getRuntime().halt(130);
        }
        name = "SIG" + signal.getName();
        requested.countDown();
    }

    /**
     * Waits until a signal asks the daemon to stop.
     *
     * @return the signal's name, e.g. {@code SIGTERM}.
     */
    public String await()
    {
        while (true)
        {
            try
            {
                requested.await();
                return name;
            }
            catch (final InterruptedException ex)
            {
                // Only a signal stops the daemon; keep waiting.
            }
        }
    }

    /**
     * Puts back the handlers that were there before {@link #install()}.
     */
    @Override
    public void close()
    {
        Signal.handle(TERM, previousTerm);
        Signal.handle(INT, previousInt);
    }
}
