package io.sixgate.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import com.sun.management.ThreadMXBean;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;

import org.junit.jupiter.api.Test;

/**
 * The worker's command queue, driven by calling {@code doWork()} as the worker thread would.
 */
class WorkerCommandQueueTest
{
    private final FramePool pool = new FramePool(8, 256, 64);
    private final Pipeline pipeline = Pipeline.builder()
        .pool(pool)
        .txSink((portId, frame) -> pool.release(frame))
        .port(new Port(0, "p0", LinkType.RAW, 0, 1500), null)
        .build(InMemoryCounters.create(64), 0);
    private final WorkerCommandQueue queue = new WorkerCommandQueue(new WorkerState(0, pipeline, () -> 42L));

    @Test
    void aCommandRunsOnTheNextDutyCycleAndRepliesWithItsResult() throws Exception
    {
        final CompletableFuture<Long> reply = queue.submit(WorkerCommand.of(WorkerState::nowNs));
        assertFalse(reply.isDone(), "nothing runs before the worker's duty cycle");

        assertEquals(1, queue.doWork());

        assertEquals(42L, reply.get());
        assertEquals(0, queue.doWork(), "an empty queue is no work");
    }

    @Test
    void aLongCommandRunsInSlicesOneDutyCycleEach() throws Exception
    {
        final int[] slices = {0};
        final CompletableFuture<Integer> sliced = queue.submit(new WorkerCommand<>()
        {
            @Override
            protected boolean execute(final WorkerState worker)
            {
                if (++slices[0] < 3)
                {
                    return false;
                }
                complete(slices[0]);
                return true;
            }
        });
        final CompletableFuture<String> next = queue.submit(WorkerCommand.of(worker -> "next"));

        queue.doWork();
        queue.doWork();
        assertFalse(sliced.isDone());
        assertFalse(next.isDone(), "one command at a time, in order");
        queue.doWork();
        assertEquals(3, sliced.get());
        queue.doWork();
        assertEquals("next", next.get());
    }

    @Test
    void aFailingCommandFailsItsReplyAndTheWorkerGoesOn()
    {
        final CompletableFuture<Object> reply = queue.submit(WorkerCommand.of(worker ->
        {
            throw new WorkerRefusal(409, "no");
        }));

        queue.doWork();

        final ExecutionException ex = assertThrows(ExecutionException.class, reply::get);
        assertInstanceOf(WorkerRefusal.class, ex.getCause());
        final CompletableFuture<Integer> after = queue.submit(WorkerCommand.of(worker -> 7));
        queue.doWork();
        assertEquals(7, after.join(), "the next command runs");
    }

    @Test
    void closingFailsTheWaitingCommandsAndRefusesNewOnes()
    {
        final CompletableFuture<String> waiting = queue.submit(WorkerCommand.of(worker -> "never"));

        queue.close("the daemon is stopping");

        assertTrue(waiting.isCompletedExceptionally());
        final CompletableFuture<String> late = queue.submit(WorkerCommand.of(worker -> "late"));
        assertTrue(late.isCompletedExceptionally());
        assertEquals("the daemon is stopping",
            late.handle((value, error) -> error.getMessage()).join());
        assertEquals(0, queue.doWork());
    }

    @Test
    void aFullQueueRefusesAtOnce()
    {
        for (int i = 0; i < WorkerCommandQueue.CAPACITY; i++)
        {
            assertFalse(queue.submit(WorkerCommand.of(worker -> 1)).isDone());
        }
        final CompletableFuture<Integer> refused = queue.submit(WorkerCommand.of(worker -> 1));
        assertTrue(refused.isCompletedExceptionally());
    }

    @Test
    void anEmptyPollAllocatesNothing()
    {
        final ThreadMXBean bean = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 100_000; i++)
        {
            queue.doWork();
        }
        final long before = bean.getCurrentThreadAllocatedBytes();
        int work = 0;
        for (int i = 0; i < 1_000_000; i++)
        {
            work += queue.doWork();
        }
        final long allocated = bean.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, work);
        assertTrue(allocated < 1000, allocated + " bytes over a million empty polls");
        assertNull(queue.worker().shard(), "no stateful NAT64 in this pipeline");
        assertSame(pipeline, queue.worker().pipeline());
    }
}
