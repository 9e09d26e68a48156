package io.sixgate.daemon.replay;

import io.sixgate.core.counters.PipelineCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.FrameSource;

/**
 * The replay's {@link FrameSource}: the input captures merged by timestamp (ties: the capture
 * given first), each record copied into the pool with its port and timestamp set.
 *
 * <p>A record that cannot become a frame is counted as received on its port and dropped with
 * a {@link ReplayDropReason}, so the pipeline's conservation law still holds with every
 * input record in it.
 */
final class MergedCaptureSource implements FrameSource
{
    private final CaptureReader[] readers;
    private final FramePool pool;
    private final PipelineCounters pipelineCounters;
    private final ReplayCounters replayCounters;

    MergedCaptureSource(final CaptureReader[] readers, final FramePool pool, final PipelineCounters pipelineCounters,
        final ReplayCounters replayCounters)
    {
        this.readers = readers.clone();
        this.pool = pool;
        this.pipelineCounters = pipelineCounters;
        this.replayCounters = replayCounters;
    }

    private long clockNs = Long.MIN_VALUE;

    /**
     * The replay's clock, for the worker's {@code NanoClock}: the timestamp of the record about to
     * be delivered, so timers that expire before it fire before it; after the last record, the
     * last record's time (the clock never runs past the capture).
     */
    long nanoTime()
    {
        final CaptureReader next = earliest();
        if (next != null)
        {
            clockNs = Math.max(clockNs, next.timestampNs());
        }
        return clockNs;
    }

    /**
     * Takes one record whenever any is left, so a loop on {@link #isExhausted()} ends. One at a
     * time keeps the clock exact: the worker ticks with each record's timestamp before running it.
     */
    @Override
    public int poll(final int[] frames, final int max)
    {
        int count = 0;
        while (count < Math.min(max, 1))
        {
            final CaptureReader reader = earliest();
            if (reader == null)
            {
                break;
            }
            final byte[] data = reader.frame();
            if (reader.originalLength() > data.length)
            {
                dropInput(reader, ReplayDropReason.SNAPPED_FRAME);
                continue;
            }
            if (data.length > pool.slotSize() - pool.headroom())
            {
                dropInput(reader, ReplayDropReason.OVERSIZE_FRAME);
                continue;
            }
            if (pool.available() == 0)
            {
                if (count > 0)
                {
                    // Let the pipeline run the batch and return its frames first.
                    break;
                }
                dropInput(reader, ReplayDropReason.POOL_EXHAUSTED);
                continue;
            }
            final int frame = pool.allocateCopy(data, 0, data.length);
            pool.port(frame, reader.portId());
            pool.timestampNs(frame, reader.timestampNs());
            frames[count++] = frame;
            reader.take();
        }
        return count;
    }

    /**
     * @return whether every record of every input has been taken.
     */
    boolean isExhausted()
    {
        return earliest() == null;
    }

    private void dropInput(final CaptureReader reader, final ReplayDropReason reason)
    {
        pipelineCounters.onReceived(reader.portId());
        replayCounters.onDropped(reason);
        reader.take();
    }

    private CaptureReader earliest()
    {
        CaptureReader earliest = null;
        for (final CaptureReader reader : readers)
        {
            if (reader.hasFrame() && (earliest == null || reader.timestampNs() < earliest.timestampNs()))
            {
                earliest = reader;
            }
        }
        return earliest;
    }
}
