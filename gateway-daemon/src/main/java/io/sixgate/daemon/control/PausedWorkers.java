package io.sixgate.daemon.control;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Every worker held between two batches of frames, so that the control plane can check and
 * change their state together, all or nothing: a change that spans workers (a static BIB entry
 * on one worker and its port reserved on another, a reload, an EIP binding that every worker
 * keeps) is checked against every worker before any of them changes, and nothing moves in
 * between. Frames wait in the ingest rings meanwhile; a pause lasts as long as the checks and
 * changes, well under a millisecond for a few entries.
 *
 * <p>Each worker runs a {@link PauseCommand}: it marks itself parked (a volatile write, so its
 * state is visible to the control thread that sees the mark) and then only polls for the release
 * (a volatile read, so the control thread's changes are visible to it). The control thread uses
 * {@link #worker(int)} only between {@link #pause} and {@link #close()}.
 */
final class PausedWorkers implements AutoCloseable
{
    private static final long POLL_NS = TimeUnit.MICROSECONDS.toNanos(20);

    /** Holds one worker off its frames until released. */
    static final class PauseCommand extends WorkerCommand<Void>
    {
        private volatile boolean parked;
        private volatile boolean released;

        @Override
        protected boolean execute(final WorkerState worker)
        {
            parked = true;
            if (released)
            {
                complete(null);
                return true;
            }
            return false;
        }

        @Override
        boolean pausesPackets()
        {
            return !released;
        }

        boolean parked()
        {
            return parked;
        }

        void release()
        {
            released = true;
        }
    }

    private final List<WorkerCommandQueue> queues;
    private final List<PauseCommand> pauses;

    private PausedWorkers(final List<WorkerCommandQueue> queues, final List<PauseCommand> pauses)
    {
        this.queues = queues;
        this.pauses = pauses;
    }

    /**
     * Pauses every worker and waits until all are parked.
     *
     * @throws ControlException 503 when a worker does not park within {@code timeoutMs}, or is
     *                          stopping; every worker is released again.
     */
    static PausedWorkers pause(final List<WorkerCommandQueue> queues, final long timeoutMs) throws ControlException
    {
        final List<PauseCommand> pauses = new ArrayList<>(queues.size());
        for (final WorkerCommandQueue queue : queues)
        {
            final PauseCommand pause = new PauseCommand();
            pauses.add(pause);
            queue.submit(pause);
        }
        final PausedWorkers paused = new PausedWorkers(queues, pauses);
        final long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        for (int w = 0; w < pauses.size(); w++)
        {
            final PauseCommand pause = pauses.get(w);
            while (!pause.parked())
            {
                if (pause.reply().isCompletedExceptionally())
                {
                    paused.close();
                    throw new ControlException(ControlException.UNAVAILABLE, failure(pause));
                }
                if (System.nanoTime() - deadline > 0)
                {
                    paused.close();
                    throw new ControlException(ControlException.UNAVAILABLE, (queues.size() == 1 ? "the worker"
                        : "worker " + w) + " did not answer within " + timeoutMs + " ms (nothing was changed)");
                }
                LockSupport.parkNanos(POLL_NS);
            }
        }
        return paused;
    }

    private static String failure(final PauseCommand pause)
    {
        try
        {
            pause.reply().get();
            return "the worker stopped";
        }
        catch (final ExecutionException ex)
        {
            return ex.getCause().getMessage();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            return "interrupted while waiting for the workers";
        }
    }

    /**
     * @return how many workers are paused.
     */
    int count()
    {
        return queues.size();
    }

    /**
     * @return a paused worker's state; the control thread may read and change it until {@link #close()}.
     */
    WorkerState worker(final int worker)
    {
        return queues.get(worker).worker();
    }

    /**
     * Runs a command on a paused worker from the control thread, all its slices back to back.
     *
     * @return its reply.
     * @throws WorkerRefusal the command's refusal.
     */
    <T> T run(final int worker, final WorkerCommand<T> command)
    {
        final WorkerState state = worker(worker);
        while (!command.execute(state))
        {
            Thread.onSpinWait();
        }
        return command.reply().join();
    }

    /**
     * Lets every worker go back to its frames.
     */
    @Override
    public void close()
    {
        for (final PauseCommand pause : pauses)
        {
            pause.release();
        }
    }
}
