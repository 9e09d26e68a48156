package io.sixgate.daemon.port;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.frame.Offload;
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
 * <p>A ring of a TAP with offload holds each frame behind its virtio-net header: the header
 * becomes the frame's {@link FramePool#offload(int) offload state} (a TCP super-packet, counted
 * as {@code gso-frames}), a lone partial checksum is completed here, and what the pipeline does
 * not carry is dropped as {@code ingest/offload-unsupported}.
 *
 * <p>Worker thread only. The handler is this object, so reading allocates nothing.
 */
public final class IngestFrameSource implements FrameSource, ControlledMessageHandler
{
    private static final int ETHERNET_HEADER_LENGTH = VirtioFrameWriter.ETHERNET_HEADER_LENGTH;

    private final FramePool pool;
    private final IngestRing[] rings;
    private final int[] portOfRing;
    private final int[] headerOfRing;
    private final PortCounters counters;
    private int nextRing;
    private int currentHeader;

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
        this(pool, rings, portOfRing, new int[rings.length], null);
    }

    /**
     * @param pool          the worker's frame pool.
     * @param rings         the worker's rings.
     * @param portOfRing    the port id of each ring's frames.
     * @param headerOfRing  bytes of virtio-net header before each frame of a ring (a TAP with offload), or 0.
     * @param counters      the worker's port counters: offload drops and super-packets; may be
     *                      null when no ring has a header.
     */
    public IngestFrameSource(final FramePool pool, final IngestRing[] rings, final int[] portOfRing,
        final int[] headerOfRing, final PortCounters counters)
    {
        if (headerOfRing.length != rings.length)
        {
            throw new IllegalArgumentException("one header length per ring: " + rings.length + " rings, "
                + headerOfRing.length + " header lengths");
        }
        this.headerOfRing = headerOfRing.clone();
        this.counters = counters;
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
            currentHeader = headerOfRing[ring];
            rings[ring].read(this, Math.min(share, max - count));
        }
        out = null;
        return count;
    }

    @Override
    public Action onMessage(final int msgTypeId, final MutableDirectBuffer buffer, final int index, final int length)
    {
        final int header = currentHeader;
        final int data = index + IngestRing.DATA_OFFSET + header;
        final int frameLength = IngestRing.frameLength(buffer, index) - header;
        long offload = Offload.NONE;
        if (header > 0)
        {
            // DATA_VALID (the sender checked the checksum) changes nothing here: sixgate does not
            // verify transport checksums.
            offload = Offload.read(buffer, index + IngestRing.DATA_OFFSET, ETHERNET_HEADER_LENGTH)
                & ~(long)Offload.F_DATA_VALID;
            if (offload != Offload.NONE && !carried(offload, frameLength))
            {
                counters.onDropped(currentPort, PortDropReason.INGEST_OFFLOAD_UNSUPPORTED);
                return Action.CONTINUE;
            }
        }
        final int frame = pool.allocate();
        if (frame == FramePool.NO_FRAME)
        {
            poolEmpty = true;
            return Action.ABORT;
        }
        final int offset = pool.offset(frame);
        pool.buffer().putBytes(offset, buffer, data, frameLength);
        pool.setLength(frame, frameLength);
        pool.port(frame, currentPort);
        pool.timestampNs(frame, IngestRing.timestampNs(buffer, index));
        if (Offload.isGso(offload))
        {
            pool.offload(frame, offload);
            counters.onGsoFrame(currentPort);
        }
        else if (Offload.needsChecksum(offload))
        {
            // One segment with a partial checksum: completed here, so the pipeline sees a plain
            // frame (cheaper than carrying it: one pass over at most an MTU of bytes).
            final int start = offset + ETHERNET_HEADER_LENGTH + Offload.csumStartFromIp(offload);
            Offload.complete(pool.buffer(), start, Offload.csumOffset(offload), offset + frameLength);
        }
        out[count++] = frame;
        return Action.CONTINUE;
    }

    /**
     * @return whether the pipeline takes the frame in this offloaded form: a TCP super-packet with
     * a partial checksum (TSO), or one segment with a partial checksum anywhere inside it.
     */
    private static boolean carried(final long offload, final int frameLength)
    {
        if (Offload.isGso(offload) && !(Offload.isTcpGso(offload) && Offload.needsChecksum(offload)
            && Offload.gsoSize(offload) > 0))
        {
            return false;
        }
        if (!Offload.needsChecksum(offload))
        {
            return !Offload.isGso(offload);
        }
        return Offload.csumStartFromIp(offload) >= 20
            && ETHERNET_HEADER_LENGTH + Offload.csumStartFromIp(offload) + Offload.csumOffset(offload) + 2 <= frameLength;
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
