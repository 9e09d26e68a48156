package io.sixgate.core.counters;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * One worker's counters: frames received and transmitted per port, consumed and generated
 * frames, one counter per drop reason and one per stage event. Single writer (the worker); values are published
 * with release stores so readers in other processes see them without locks.
 *
 * <p>Conservation, checked by tests: {@code received + generated = transmitted + consumed +
 * dropped} once no frame is in flight.
 */
public final class PipelineCounters
{
    private final AtomicCounter[] rx;
    private final AtomicCounter[] tx;
    private final AtomicCounter[] drops;
    private final AtomicCounter[] events;
    private final AtomicCounter consumed;
    private final AtomicCounter generated;

    /**
     * Allocates this worker's counters in {@code manager}.
     *
     * @param manager    where the counters live (usually a {@link CountersFile}).
     * @param workerId   the worker, written into every counter's key and label.
     * @param portNames  port names by port id.
     * @param dropLabels drop reason labels by pipeline-wide drop reason id.
     */
    public PipelineCounters(
        final CountersManager manager, final int workerId, final String[] portNames, final String[] dropLabels)
    {
        this(manager, workerId, portNames, dropLabels, new String[0]);
    }

    /**
     * Allocates this worker's counters in {@code manager}.
     *
     * @param manager     where the counters live (usually a {@link CountersFile}).
     * @param workerId    the worker, written into every counter's key and label.
     * @param portNames   port names by port id.
     * @param dropLabels  drop reason labels by pipeline-wide drop reason id.
     * @param eventLabels stage event labels by pipeline-wide event id.
     */
    public PipelineCounters(
        final CountersManager manager,
        final int workerId,
        final String[] portNames,
        final String[] dropLabels,
        final String[] eventLabels)
    {
        rx = new AtomicCounter[portNames.length];
        tx = new AtomicCounter[portNames.length];
        for (int i = 0; i < portNames.length; i++)
        {
            rx[i] = newCounter(manager, CounterType.RX_FRAMES, workerId, i, "rx port=" + portNames[i]);
            tx[i] = newCounter(manager, CounterType.TX_FRAMES, workerId, i, "tx port=" + portNames[i]);
        }
        drops = new AtomicCounter[dropLabels.length];
        for (int i = 0; i < dropLabels.length; i++)
        {
            drops[i] = newCounter(manager, CounterType.DROPS, workerId, i, "drop " + dropLabels[i]);
        }
        events = new AtomicCounter[eventLabels.length];
        for (int i = 0; i < eventLabels.length; i++)
        {
            events[i] = newCounter(manager, CounterType.EVENTS, workerId, i, "event " + eventLabels[i]);
        }
        consumed = newCounter(manager, CounterType.CONSUMED_FRAMES, workerId, 0, "consumed");
        generated = newCounter(manager, CounterType.GENERATED_FRAMES, workerId, 0, "generated");
    }

    private static AtomicCounter newCounter(
        final CountersManager manager, final CounterType type, final int workerId, final int index, final String label)
    {
        final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
        key.putInt(CounterType.KEY_WORKER_OFFSET, workerId);
        key.putInt(CounterType.KEY_INDEX_OFFSET, index);
        final String fullLabel = label + " worker=" + workerId;
        final UnsafeBuffer labelBuffer = new UnsafeBuffer(fullLabel.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return manager.newCounter(type.typeId(), key, 0, key.capacity(), labelBuffer, 0, labelBuffer.capacity());
    }

    public void onReceived(final int portId)
    {
        rx[portId].incrementRelease();
    }

    public void onTransmitted(final int portId)
    {
        tx[portId].incrementRelease();
    }

    public void onDropped(final int dropReasonId)
    {
        drops[dropReasonId].incrementRelease();
    }

    public void onEvent(final int eventId)
    {
        events[eventId].incrementRelease();
    }

    public void onConsumed()
    {
        consumed.incrementRelease();
    }

    public void onGenerated()
    {
        generated.incrementRelease();
    }

    public long received(final int portId)
    {
        return rx[portId].get();
    }

    public long transmitted(final int portId)
    {
        return tx[portId].get();
    }

    public long dropped(final int dropReasonId)
    {
        return drops[dropReasonId].get();
    }

    /**
     * @return how often the stage event with that pipeline-wide id happened.
     */
    public long event(final int eventId)
    {
        return events[eventId].get();
    }

    public long consumed()
    {
        return consumed.get();
    }

    public long generated()
    {
        return generated.get();
    }

    public long totalReceived()
    {
        return sum(rx);
    }

    public long totalTransmitted()
    {
        return sum(tx);
    }

    public long totalDropped()
    {
        return sum(drops);
    }

    private static long sum(final AtomicCounter[] counters)
    {
        long total = 0;
        for (final AtomicCounter counter : counters)
        {
            total += counter.get();
        }
        return total;
    }
}
