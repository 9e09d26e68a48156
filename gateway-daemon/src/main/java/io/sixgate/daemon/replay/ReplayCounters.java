package io.sixgate.daemon.replay;

import java.nio.charset.StandardCharsets;

import io.sixgate.core.counters.CounterType;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The drop counters of {@link ReplayDropReason}, in the same counters file and format as the
 * pipeline's ({@link CounterType#DROPS}, label {@code drop replay/<reason> worker=N}), so
 * readers of the file see them with the other drops. Their key index continues after the
 * pipeline's drop reason ids, keeping ids unique within the worker.
 */
final class ReplayCounters
{
    private final AtomicCounter[] drops = new AtomicCounter[ReplayDropReason.values().length];

    /**
     * @param manager        the worker's counters manager.
     * @param workerId       the worker.
     * @param dropReasonBase the first id after the pipeline's drop reasons.
     */
    ReplayCounters(final CountersManager manager, final int workerId, final int dropReasonBase)
    {
        for (final ReplayDropReason reason : ReplayDropReason.values())
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
            key.putInt(CounterType.KEY_WORKER_OFFSET, workerId);
            key.putInt(CounterType.KEY_INDEX_OFFSET, dropReasonBase + reason.ordinal());
            final byte[] label = ("drop " + ReplayDropReason.SOURCE_NAME + "/" + reason.label() + " worker=" + workerId)
                .getBytes(StandardCharsets.UTF_8);
            drops[reason.ordinal()] = manager.newCounter(
                CounterType.DROPS.typeId(), key, 0, key.capacity(), new UnsafeBuffer(label), 0, label.length);
        }
    }

    void onDropped(final ReplayDropReason reason)
    {
        drops[reason.ordinal()].incrementRelease();
    }

    long dropped(final ReplayDropReason reason)
    {
        return drops[reason.ordinal()].get();
    }
}
