package io.sixgate.daemon.port;

import io.sixgate.daemon.steer.FlowSteering;

import org.agrona.DirectBuffer;

/**
 * Where the frames read from one queue of one port go: into the ring of the worker the
 * {@link FlowSteering} picks, or a copy into every worker's ring (ARP, Neighbor Discovery). One
 * ring per (queue, worker) pair, so each ring has one producer (the event loop that reads the
 * queue) and one consumer (the worker). A full ring drops the frame for that worker only, counted
 * as {@code ingest/queue-full} for that worker; ingest never waits.
 *
 * <p>With one worker there is nothing to steer: {@link #onlyRing()} is read into in place.
 *
 * <p>Used on the event loop thread that reads the queue; allocates nothing per frame.
 */
public final class IngestDispatch
{
    private final int portId;
    private final IngestRing[] rings;
    private final FlowSteering.Reader steering;
    private final PortCounters[] counters;

    /**
     * @param portId   the port whose frames these are.
     * @param rings    this queue's ring to each worker, by worker.
     * @param steering picks the worker; its worker count is {@code rings.length}.
     * @param counters each worker's port counters, by worker.
     */
    public IngestDispatch(
        final int portId, final IngestRing[] rings, final FlowSteering.Reader steering, final PortCounters[] counters)
    {
        if (rings.length != counters.length || rings.length != steering.steering().workers())
        {
            throw new IllegalArgumentException("one ring and one set of counters per worker: " + rings.length + " rings, "
                + counters.length + " counters, " + steering.steering().workers() + " workers");
        }
        this.portId = portId;
        this.rings = rings.clone();
        this.steering = steering;
        this.counters = counters.clone();
    }

    /**
     * The one worker's ring.
     */
    public static IngestDispatch single(final int portId, final IngestRing ring, final PortCounters counters)
    {
        return new IngestDispatch(portId, new IngestRing[]{ring}, FlowSteering.SINGLE.reader(),
            new PortCounters[]{counters});
    }

    public int portId()
    {
        return portId;
    }

    /**
     * @return whether frames are steered among several workers (else {@link #onlyRing()} takes all).
     */
    public boolean steered()
    {
        return rings.length > 1;
    }

    /**
     * @return the ring of worker 0, the only one when not {@link #steered()}.
     */
    public IngestRing onlyRing()
    {
        return rings[0];
    }

    /**
     * @return the longest frame a ring record holds.
     */
    public int maxFrame()
    {
        return rings[0].maxFrame();
    }

    /**
     * Steers a frame and copies it into its worker's ring, or into every ring.
     *
     * @return how many rings took it (0 when they were full: counted).
     */
    public int dispatch(final DirectBuffer frame, final int offset, final int length, final long timestampNs)
    {
        return dispatch(frame, offset, length, timestampNs, 0);
    }

    /**
     * As {@link #dispatch(DirectBuffer, int, int, long)} for a frame behind a virtio-net header of
     * {@code headerLength} bytes: steered by the frame, copied with the header.
     */
    public int dispatch(
        final DirectBuffer frame, final int offset, final int length, final long timestampNs, final int headerLength)
    {
        final int worker = steering.workerOf(frame, offset + headerLength, length - headerLength, portId);
        if (worker != FlowSteering.ALL_WORKERS)
        {
            return offer(worker, frame, offset, length, timestampNs);
        }
        int taken = 0;
        for (int w = 0; w < rings.length; w++)
        {
            taken += offer(w, frame, offset, length, timestampNs);
        }
        return taken;
    }

    private int offer(final int worker, final DirectBuffer frame, final int offset, final int length,
        final long timestampNs)
    {
        if (rings[worker].offer(frame, offset, length, timestampNs))
        {
            return 1;
        }
        counters[worker].onQueueFull(portId);
        return 0;
    }
}
