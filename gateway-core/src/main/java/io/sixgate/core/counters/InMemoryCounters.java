package io.sixgate.core.counters;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * Counters that live only in this process, for tests and in-process runners that need a
 * pipeline but no counters file. Aligned direct memory, as Agrona's atomic counters require.
 */
public final class InMemoryCounters
{
    private InMemoryCounters()
    {
    }

    /**
     * @param maxCounters how many counters the manager can allocate.
     * @return a manager over fresh zeroed memory.
     */
    public static CountersManager create(final int maxCounters)
    {
        return new CountersManager(
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                maxCounters * CountersReader.METADATA_LENGTH, CountersReader.METADATA_LENGTH)),
            new UnsafeBuffer(BufferUtil.allocateDirectAligned(
                maxCounters * CountersReader.COUNTER_LENGTH, CountersReader.COUNTER_LENGTH)));
    }
}
