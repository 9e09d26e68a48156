package io.sixgate.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pausing every worker for a change that spans them: while paused no worker takes frames, the
 * control thread has their state, and a worker that does not answer releases the others.
 */
class PausedWorkersTest
{
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);

    @AfterEach
    void stop() throws InterruptedException
    {
        running.set(false);
        for (final Thread thread : threads)
        {
            thread.join(5_000);
        }
    }

    private static WorkerCommandQueue queue(final int worker)
    {
        final FramePool pool = new FramePool(8, 256, 64);
        final Pipeline pipeline = Pipeline.builder().pool(pool).txSink((port, frame) -> pool.release(frame))
            .port(new Port(0, "p0", LinkType.RAW, 0, 1500), null).build(InMemoryCounters.create(64), worker);
        return new WorkerCommandQueue(new WorkerState(worker, pipeline, () -> 0L));
    }

    /** A worker thread's duty cycle, as WorkerAgent runs it: commands, then frames unless paused. */
    private void drive(final WorkerCommandQueue queue, final AtomicLong batches)
    {
        final Thread thread = new Thread(() ->
        {
            while (running.get())
            {
                queue.doWork();
                if (!queue.pausesPackets())
                {
                    batches.incrementAndGet();
                }
                Thread.onSpinWait();
            }
        }, "test-worker");
        thread.start();
        threads.add(thread);
    }

    @Test
    void pausedWorkersTakeNoFramesUntilReleased() throws Exception
    {
        final List<WorkerCommandQueue> queues = List.of(queue(0), queue(1));
        final AtomicLong[] batches = {new AtomicLong(), new AtomicLong()};
        drive(queues.get(0), batches[0]);
        drive(queues.get(1), batches[1]);

        final long[] during = new long[2];
        try (PausedWorkers paused = PausedWorkers.pause(queues, 5_000))
        {
            assertEquals(2, paused.count());
            assertSame(queues.get(1).worker(), paused.worker(1));
            final long first0 = batches[0].get();
            final long first1 = batches[1].get();
            Thread.sleep(100);
            during[0] = batches[0].get() - first0;
            during[1] = batches[1].get() - first1;
        }
        assertEquals(0, during[0], "worker 0 took frames while paused");
        assertEquals(0, during[1], "worker 1 took frames while paused");
        final long after = batches[0].get() + batches[1].get();
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (batches[0].get() + batches[1].get() == after)
        {
            assertTrue(System.nanoTime() < deadline, "the workers went back to their frames");
            Thread.onSpinWait();
        }
    }

    @Test
    void aWorkerThatDoesNotAnswerFailsThePauseAndReleasesTheOthers() throws Exception
    {
        final List<WorkerCommandQueue> queues = List.of(queue(0), queue(1));
        final AtomicLong batches = new AtomicLong();
        drive(queues.get(0), batches);

        final ControlException ex = assertThrows(ControlException.class, () -> PausedWorkers.pause(queues, 200));

        assertEquals(503, ex.status());
        assertEquals("worker 1 did not answer within 200 ms (nothing was changed)", ex.getMessage());
        // Released, not just timed out: worker 0 goes back to its frames (within a deadline, as a
        // loaded machine may keep its thread from the CPU for a while).
        final long before = batches.get();
        final long deadline = System.nanoTime() + 5_000_000_000L;
        while (batches.get() == before)
        {
            assertTrue(System.nanoTime() < deadline, "worker 0 takes frames again");
            Thread.onSpinWait();
        }
    }

    @Test
    void aStoppedWorkerFailsThePauseAtOnce()
    {
        final WorkerCommandQueue stopped = queue(0);
        stopped.close("the daemon is stopping");

        final ControlException ex = assertThrows(ControlException.class,
            () -> PausedWorkers.pause(List.of(stopped), 5_000));

        assertEquals(503, ex.status());
        assertEquals("the daemon is stopping", ex.getMessage());
    }
}
