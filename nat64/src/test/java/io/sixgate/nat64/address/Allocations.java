package io.sixgate.nat64.address;

import java.lang.management.ManagementFactory;

/**
 * Measures heap bytes allocated by the current thread, to prove hot-path methods allocate nothing.
 */
final class Allocations
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private Allocations()
    {
    }

    /**
     * Run the task a few times to get past class loading, then report what one more run allocates.
     */
    static long bytesAllocatedBy(final Runnable task)
    {
        for (int i = 0; i < 3; i++)
        {
            task.run();
        }
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        task.run();
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }
}
