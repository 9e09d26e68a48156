package io.sixgate.daemon.control;

import java.util.concurrent.CompletableFuture;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * The worker's command queue (DESIGN.md "Shape": other threads talk to an agent only through a
 * command queue). Any thread {@link #submit}s; the worker drains it in {@link #doWork()}, one
 * command (or one slice of a long one) per duty cycle, so control traffic never holds up more
 * than a sliver of packet time. An empty poll reads two indexes and allocates nothing.
 */
public final class WorkerCommandQueue implements Agent
{
    /** Commands waiting at once; control traffic is a few requests a second. */
    public static final int CAPACITY = 64;

    private final ManyToOneConcurrentArrayQueue<WorkerCommand<?>> queue = new ManyToOneConcurrentArrayQueue<>(CAPACITY);
    private final WorkerState worker;
    private WorkerCommand<?> current;
    private volatile String closedReason;

    public WorkerCommandQueue(final WorkerState worker)
    {
        this.worker = worker;
    }

    /**
     * Hands a command to the worker. When the queue is full or closed the reply fails at once
     * ({@link IllegalStateException} saying why).
     *
     * @return the command's reply.
     */
    public <T> CompletableFuture<T> submit(final WorkerCommand<T> command)
    {
        final String closed = closedReason;
        if (closed != null)
        {
            command.fail(new IllegalStateException(closed));
        }
        else if (!queue.offer(command))
        {
            command.fail(new IllegalStateException("the worker has " + CAPACITY + " commands waiting; try again"));
        }
        else if (closedReason != null)
        {
            // Closed while offering: close() may have drained before the offer landed.
            failPending(closedReason);
        }
        return command.reply();
    }

    /**
     * Runs the current command's next slice, or the next command. Worker thread only.
     *
     * @return 1 when a command ran, else 0.
     */
    @Override
    public int doWork()
    {
        WorkerCommand<?> command = current;
        if (command == null)
        {
            command = queue.poll();
            if (command == null)
            {
                return 0;
            }
            current = command;
        }
        boolean done;
        try
        {
            done = command.execute(worker);
        }
        catch (final RuntimeException | Error ex)
        {
            command.fail(ex);
            done = true;
        }
        if (done)
        {
            current = null;
        }
        return 1;
    }

    /**
     * @return whether the current command holds the worker off its frames (a pause); worker thread only.
     */
    public boolean pausesPackets()
    {
        final WorkerCommand<?> command = current;
        return command != null && command.pausesPackets();
    }

    @Override
    public String roleName()
    {
        return "sixgate-worker-commands-" + worker.workerId();
    }

    public WorkerState worker()
    {
        return worker;
    }

    /**
     * Refuses further commands and fails those still waiting. Call once the worker has stopped.
     *
     * @param reason the message their replies fail with.
     */
    public void close(final String reason)
    {
        closedReason = reason;
        failPending(reason);
    }

    private synchronized void failPending(final String reason)
    {
        final WorkerCommand<?> unfinished = current;
        current = null;
        if (unfinished != null)
        {
            unfinished.fail(new IllegalStateException(reason));
        }
        WorkerCommand<?> waiting;
        while ((waiting = queue.poll()) != null)
        {
            waiting.fail(new IllegalStateException(reason));
        }
    }
}
