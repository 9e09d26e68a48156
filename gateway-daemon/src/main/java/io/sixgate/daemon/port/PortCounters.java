package io.sixgate.daemon.port;

import java.nio.charset.StandardCharsets;

import io.sixgate.core.counters.CounterType;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * The ports' own drop counters ({@link PortDropReason}), one per port and reason, in the
 * counters file as {@link CounterType#PORT_DROPS} with label
 * {@code drop ingest/queue-full-new-flow port=vpc worker=0}. One set per worker N: its tx reasons are
 * written by worker N (which writes queue N of a multi-queue TAP), its ingest reasons by the event
 * loop that reads queue N (read errors, oversize frames; a pcap port's one capture is queue 0),
 * except {@code ingest/queue-full-new-flow} and {@code -known-flow}, which count what was lost because
 * worker N's ring had no room, whichever loop found it full: that one is added to atomically
 * ({@link #onQueueFull}); and {@code ingest/offload-unsupported}, written by worker N when it reads
 * the frame's virtio-net header. Beside them, one {@link CounterType#EVENTS} counter per port,
 * {@code event ingest/gso-frames port=vpc worker=0}: the TCP super-packets worker N took from a TAP
 * with offload.
 */
public final class PortCounters
{
    private static final PortDropReason[] REASONS = PortDropReason.values();
    /** Key index of the gso-frames counters, apart from the pipeline's event indexes. */
    private static final int GSO_FRAMES_KEY_BASE = 1 << 20;

    private final AtomicCounter[] drops;
    private final AtomicCounter[] gsoFrames;
    private final String[] portNames;

    /**
     * Allocates the counters; call on the thread that owns {@code manager}, before start.
     */
    public PortCounters(final CountersManager manager, final int workerId, final String[] portNames)
    {
        this.portNames = portNames.clone();
        this.drops = new AtomicCounter[portNames.length * REASONS.length];
        for (int port = 0; port < portNames.length; port++)
        {
            for (final PortDropReason reason : REASONS)
            {
                final int index = index(port, reason);
                final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
                key.putInt(CounterType.KEY_WORKER_OFFSET, workerId);
                key.putInt(CounterType.KEY_INDEX_OFFSET, index);
                final byte[] label = ("drop " + reason.qualifiedLabel() + " port=" + portNames[port]
                    + " worker=" + workerId).getBytes(StandardCharsets.UTF_8);
                drops[index] = manager.newCounter(CounterType.PORT_DROPS.typeId(), key, 0, key.capacity(),
                    new UnsafeBuffer(label), 0, label.length);
            }
        }
        this.gsoFrames = new AtomicCounter[portNames.length];
        for (int port = 0; port < portNames.length; port++)
        {
            final UnsafeBuffer key = new UnsafeBuffer(new byte[8]);
            key.putInt(CounterType.KEY_WORKER_OFFSET, workerId);
            key.putInt(CounterType.KEY_INDEX_OFFSET, GSO_FRAMES_KEY_BASE + port);
            final byte[] label = ("event ingest/gso-frames port=" + portNames[port] + " worker=" + workerId)
                .getBytes(StandardCharsets.UTF_8);
            gsoFrames[port] = manager.newCounter(CounterType.EVENTS.typeId(), key, 0, key.capacity(),
                new UnsafeBuffer(label), 0, label.length);
        }
    }

    /**
     * A frame for this worker found no room in its ring; any ingest thread.
     *
     * @param knownFlow whether the worker had published the frame's flow as known.
     */
    public void onQueueFull(final int portId, final boolean knownFlow)
    {
        drops[index(portId, knownFlow ? PortDropReason.INGEST_QUEUE_FULL_KNOWN_FLOW
            : PortDropReason.INGEST_QUEUE_FULL_NEW_FLOW)].increment();
    }

    public void onDropped(final int portId, final PortDropReason reason)
    {
        drops[index(portId, reason)].incrementRelease();
    }

    /**
     * Adds {@code count} drops at once, for drops learnt as a total (the kernel's capture drops).
     */
    public void onDropped(final int portId, final PortDropReason reason, final long count)
    {
        drops[index(portId, reason)].getAndAddRelease(count);
    }

    /**
     * A TCP super-packet came in (TAP with offload); the worker's thread.
     */
    public void onGsoFrame(final int portId)
    {
        gsoFrames[portId].incrementRelease();
    }

    /**
     * @return the TCP super-packets this worker took from the port.
     */
    public long gsoFrames(final int portId)
    {
        return gsoFrames[portId].get();
    }

    public long dropped(final int portId, final PortDropReason reason)
    {
        return drops[index(portId, reason)].get();
    }

    public String portName(final int portId)
    {
        return portNames[portId];
    }

    private static int index(final int portId, final PortDropReason reason)
    {
        return portId * REASONS.length + reason.ordinal();
    }
}
