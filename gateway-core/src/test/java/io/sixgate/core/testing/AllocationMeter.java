package io.sixgate.core.testing;

import java.lang.management.ManagementFactory;

/**
 * Measures the heap bytes the current thread allocates while running a task, to prove a hot
 * path allocates nothing. Shared through gateway-core's test-jar so every module measures the
 * same way.
 *
 * <p>The task runs a few times first (class loading, JIT compilation), then several measured
 * times; the least of those is the answer. A single measured run is flaky: the JVM now and then
 * allocates a few hundred bytes of its own bookkeeping on the thread (recompilation,
 * deoptimisation), which is not the code under test allocating.
 */
public final class AllocationMeter
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private static final int WARM_UP_RUNS = 5;
    private static final int MEASURED_RUNS = 5;

    private AllocationMeter()
    {
    }

    /**
     * @param task the work to measure; keep its results alive (a field or array) so the JIT
     *             cannot remove it.
     * @return the fewest bytes any measured run allocated.
     */
    public static long leastBytesAllocatedBy(final Runnable task)
    {
        if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled())
        {
            throw new IllegalStateException("this JVM cannot measure per-thread allocation");
        }
        for (int i = 0; i < WARM_UP_RUNS; i++)
        {
            task.run();
        }
        long least = Long.MAX_VALUE;
        for (int i = 0; i < MEASURED_RUNS; i++)
        {
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            task.run();
            least = Math.min(least, THREADS.getCurrentThreadAllocatedBytes() - before);
        }
        return least;
    }
}
