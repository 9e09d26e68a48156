package io.sixgate.daemon.port;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.FrameSource;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;

/**
 * The worker's side of the ingest rings: copies frames from each port's {@link IngestRing}
 * into fresh frames of the worker's own {@link FramePool}, with port and receive time set.
 * Ports take turns: each poll starts at the next port and gives each at most its share of the
 * batch, so a flooded port cannot starve the others.
 *
 * <p>When the pool is empty the frame stays in its ring and polling stops until frames are
 * released; a ring that then fills makes ingest drop as {@code ingest/queue-full}.
 *
 * <p>Worker thread only. The handler is this object, so reading allocates nothing.
 */
public final class IngestFrameSource implements FrameSource, ControlledMessageHandler
{
    private final FramePool pool;
    private final IngestRing[] rings;
    private int nextPort;

    private int[] out;
    private int count;
    private int currentPort;
    private boolean poolEmpty;

    /**
     * @param pool  the worker's frame pool.
     * @param rings one ring per port, indexed by port id.
     */
    public IngestFrameSource(final FramePool pool, final IngestRing[] rings)
    {
        this.pool = pool;
        this.rings = rings.clone();
    }

    @Override
    public int poll(final int[] frames, final int max)
    {
        out = frames;
        count = 0;
        poolEmpty = false;
        final int portCount = rings.length;
        final int share = Math.max(1, max / portCount);
        final int first = nextPort;
        nextPort = first + 1 == portCount ? 0 : first + 1;
        for (int i = 0; i < portCount && count < max && !poolEmpty; i++)
        {
            final int port = first + i < portCount ? first + i : first + i - portCount;
            currentPort = port;
            rings[port].read(this, Math.min(share, max - count));
        }
        out = null;
        return count;
    }

    @Override
    public Action onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int frame = pool.allocate();
        if (frame == FramePool.NO_FRAME)
        {
            poolEmpty = true;
            return Action.ABORT;
        }
        final int frameLength = IngestRing.frameLength(buffer, index);
        pool.buffer().putBytes(pool.offset(frame), buffer, index + IngestRing.DATA_OFFSET, frameLength);
        pool.setLength(frame, frameLength);
        pool.port(frame, currentPort);
        pool.timestampNs(frame, IngestRing.timestampNs(buffer, index));
        out[count++] = frame;
        return Action.CONTINUE;
    }

    /**
     * @return whether every ring is empty; for draining at shutdown.
     */
    public boolean isEmpty()
    {
        for (final IngestRing ring : rings)
        {
            if (!ring.isEmpty())
            {
                return false;
            }
        }
        return true;
    }
}
