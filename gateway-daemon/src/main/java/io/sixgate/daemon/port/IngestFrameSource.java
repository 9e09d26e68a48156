package io.sixgate.daemon.port;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.FrameSource;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;

/**
 * The worker's side of the ingest rings: copies frames from each of its {@link IngestRing}s
 * (one per port, or with several workers one per port queue) into fresh frames of the worker's
 * own {@link FramePool}, with port and receive time set. Rings take turns: each poll starts at
 * the next ring and gives each at most its share of the batch, so a flooded port cannot starve
 * the others.
 *
 * <p>When the pool is empty the frame stays in its ring and polling stops until frames are
 * released; a ring that then fills makes ingest drop ({@code ingest/queue-full-new-flow} first).
 *
 * <p>Worker thread only. The handler is this object, so reading allocates nothing.
 */
public final class IngestFrameSource implements FrameSource, ControlledMessageHandler
{
    private final FramePool pool;
    private final IngestRing[] rings;
    private final int[] portOfRing;
    private int nextRing;

    private int[] out;
    private int count;
    private int currentPort;
    private boolean poolEmpty;

    /**
     * @param pool  the worker's frame pool.
     * @param rings one ring per port, indexed by port id (one worker).
     */
    public IngestFrameSource(final FramePool pool, final IngestRing[] rings)
    {
        this(pool, rings, identity(rings.length));
    }

    /**
     * @param pool       the worker's frame pool.
     * @param rings      the worker's rings.
     * @param portOfRing the port id of each ring's frames.
     */
    public IngestFrameSource(final FramePool pool, final IngestRing[] rings, final int[] portOfRing)
    {
        if (rings.length != portOfRing.length || rings.length == 0)
        {
            throw new IllegalArgumentException("one port id per ring, at least one ring: " + rings.length + " rings, "
                + portOfRing.length + " port ids");
        }
        this.pool = pool;
        this.rings = rings.clone();
        this.portOfRing = portOfRing.clone();
    }

    private static int[] identity(final int length)
    {
        final int[] ids = new int[length];
        for (int i = 0; i < length; i++)
        {
            ids[i] = i;
        }
        return ids;
    }

    @Override
    public int poll(final int[] frames, final int max)
    {
        out = frames;
        count = 0;
        poolEmpty = false;
        final int ringCount = rings.length;
        final int share = Math.max(1, max / ringCount);
        final int first = nextRing;
        nextRing = first + 1 == ringCount ? 0 : first + 1;
        for (int i = 0; i < ringCount && count < max && !poolEmpty; i++)
        {
            final int ring = first + i < ringCount ? first + i : first + i - ringCount;
            currentPort = portOfRing[ring];
            rings[ring].read(this, Math.min(share, max - count));
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
