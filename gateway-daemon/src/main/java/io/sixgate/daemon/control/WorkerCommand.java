package io.sixgate.daemon.control;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Work another thread asks of the worker, run on the worker thread between two batches of
 * frames, with its answer in {@link #reply()}. A command that would hold the worker too long
 * (a scan over a million sessions) does its work in slices: {@link #execute} returns
 * {@code false} and is called again on the next duty cycle, frames flowing in between.
 *
 * @param <T> the reply.
 */
public abstract class WorkerCommand<T>
{
    private final CompletableFuture<T> reply = new CompletableFuture<>();

    /**
     * A command done in one step: {@code action}'s result is the reply.
     */
    public static <T> WorkerCommand<T> of(final Function<WorkerState, T> action)
    {
        return new WorkerCommand<>()
        {
            @Override
            protected boolean execute(final WorkerState worker)
            {
                complete(action.apply(worker));
                return true;
            }
        };
    }

    /**
     * Runs (a slice of) the command on the worker thread. An exception fails the reply.
     *
     * @return {@code true} when the command is finished and its reply completed.
     */
    protected abstract boolean execute(WorkerState worker);

    /**
     * @return whether the worker must leave its frames alone while this command is current (the
     * control plane is working on the worker's state, see {@link PausedWorkers}).
     */
    boolean pausesPackets()
    {
        return false;
    }

    protected final void complete(final T value)
    {
        reply.complete(value);
    }

    final void fail(final Throwable cause)
    {
        reply.completeExceptionally(cause);
    }

    /**
     * @return completed on the worker thread; wait for it with a timeout.
     */
    public final CompletableFuture<T> reply()
    {
        return reply;
    }
}
