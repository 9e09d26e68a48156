package io.sixgate.daemon.port;

import io.sixgate.daemon.steer.FlowKey;
import io.sixgate.daemon.steer.FlowSteering;
import io.sixgate.daemon.steer.KnownFlowHints;

import org.agrona.DirectBuffer;

/**
 * Where the frames read from one queue of one port go: into the ring of the worker the
 * {@link FlowSteering} picks, or a copy into every worker's ring (ARP, Neighbor Discovery). One
 * ring per (queue, worker) pair, so each ring has one producer (the event loop that reads the
 * queue) and one consumer (the worker). Ingest never waits: a frame that finds no room is dropped
 * for that worker only, counted for that worker.
 *
 * <p>Known flows first: while a ring is at most 3/4 full every frame goes in; past that, only
 * frames of flows the worker has published as known ({@link KnownFlowHints}, by the frame's
 * {@link FlowKey}) take the last quarter, and the others are dropped as
 * {@code ingest/queue-full-new-flow}. A known flow's frame that finds the ring full is
 * {@code ingest/queue-full-known-flow}. The key is computed only when the ring is past 3/4, so
 * an ingest that keeps up pays nothing for it. A hint only orders the queue; see
 * {@link KnownFlowHints} for why a stale or colliding one is harmless.
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
    private final FlowKey flowKey;
    private final KnownFlowHints[] hints;

    /**
     * @param portId   the port whose frames these are.
     * @param rings    this queue's ring to each worker, by worker.
     * @param steering picks the worker; its worker count is {@code rings.length}.
     * @param counters each worker's port counters, by worker.
     * @param flowKey  the key the workers publish their flows by.
     * @param hints    each worker's known flows, by worker.
     */
    public IngestDispatch(final int portId, final IngestRing[] rings, final FlowSteering.Reader steering,
        final PortCounters[] counters, final FlowKey flowKey, final KnownFlowHints[] hints)
    {
        if (rings.length != counters.length || rings.length != hints.length
            || rings.length != steering.steering().workers())
        {
            throw new IllegalArgumentException("one ring, one set of counters and one hint table per worker: "
                + rings.length + " rings, " + counters.length + " counters, " + hints.length + " hint tables, "
                + steering.steering().workers() + " workers");
        }
        this.portId = portId;
        this.rings = rings.clone();
        this.steering = steering;
        this.counters = counters.clone();
        this.flowKey = flowKey;
        this.hints = hints.clone();
    }

    /**
     * The one worker's ring.
     */
    public static IngestDispatch single(final int portId, final IngestRing ring, final PortCounters counters,
        final FlowKey flowKey, final KnownFlowHints hints)
    {
        return new IngestDispatch(portId, new IngestRing[]{ring}, FlowSteering.SINGLE.reader(),
            new PortCounters[]{counters}, flowKey, new KnownFlowHints[]{hints});
    }

    /**
     * The one worker's ring, with no flow known: frames past 3/4 of the ring are refused.
     */
    public static IngestDispatch single(final int portId, final IngestRing ring, final PortCounters counters)
    {
        return single(portId, ring, counters, new FlowKey(0), KnownFlowHints.NONE);
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
            return offer(worker, frame, offset, length, timestampNs, headerLength);
        }
        int taken = 0;
        for (int w = 0; w < rings.length; w++)
        {
            taken += offer(w, frame, offset, length, timestampNs, headerLength);
        }
        return taken;
    }

    /**
     * Whether {@code worker} has published the frame's flow as known at {@code nowNs}.
     */
    public boolean isKnownFlow(final int worker, final DirectBuffer frame, final int offset, final int length,
        final long nowNs)
    {
        final long key = flowKey.of(frame, offset, length);
        return key != FlowKey.NO_FLOW && hints[worker].isKnown(key, nowNs);
    }

    /**
     * Counts a frame that found no room in {@code worker}'s ring, as known or new flow.
     */
    public void onNoRoom(final int worker, final DirectBuffer frame, final int offset, final int length,
        final long nowNs)
    {
        counters[worker].onQueueFull(portId, isKnownFlow(worker, frame, offset, length, nowNs));
    }

    private int offer(final int worker, final DirectBuffer frame, final int offset, final int length,
        final long timestampNs, final int headerLength)
    {
        final IngestRing ring = rings[worker];
        boolean known = false;
        if (!ring.admitsNewFlow(false))
        {
            // The flow key is the Ethernet frame's, behind any virtio-net header.
            known = isKnownFlow(worker, frame, offset + headerLength, length - headerLength, timestampNs);
            if (!known)
            {
                counters[worker].onQueueFull(portId, false);
                return 0;
            }
        }
        if (ring.offer(frame, offset, length, timestampNs))
        {
            return 1;
        }
        counters[worker].onQueueFull(portId, known);
        return 0;
    }
}
