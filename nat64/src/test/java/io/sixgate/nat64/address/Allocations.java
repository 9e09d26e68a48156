package io.sixgate.nat64.address;

import io.sixgate.core.testing.AllocationMeter;

/**
 * Heap bytes allocated by the current thread, to prove hot-path methods allocate nothing.
 */
final class Allocations
{
    private Allocations()
    {
    }

    /**
     * @return what the task allocates once warm (see {@link AllocationMeter}).
     */
    static long bytesAllocatedBy(final Runnable task)
    {
        return AllocationMeter.leastBytesAllocatedBy(task);
    }
}
