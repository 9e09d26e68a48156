package io.sixgate.daemon.port;

import io.sixgate.core.pipeline.DropReason;

/**
 * Why a port lost a frame outside the pipeline. Ingest reasons happen on the event loop before
 * the worker sees the frame (so the pipeline never counts it received); tx reasons happen after
 * the pipeline counted the frame transmitted. Counter label: {@code drop <side>/<label> port=P}.
 */
public enum PortDropReason implements DropReason
{
    /**
     * The worker's ingest ring had no room for a frame of a flow it has no state for: the ring was
     * more than 3/4 full (the last quarter is kept for known flows) or full. The worker is behind,
     * a new-flow flood lands here; the frame was read and dropped.
     */
    INGEST_QUEUE_FULL_NEW_FLOW(Side.INGEST, "queue-full-new-flow"),
    /**
     * The worker's ingest ring was full even for a frame of a flow it forwards ({@code KnownFlowHints}):
     * known flows alone outran the worker, or it stalled. Established traffic was lost here.
     */
    INGEST_QUEUE_FULL_KNOWN_FLOW(Side.INGEST, "queue-full-known-flow"),
    /**
     * The device gave a frame longer than a frame-pool slot holds (its MTU was raised behind sixgate's
     * back), or, on a pcap port, longer than the snapshot length MTU + 18 (a GRO/LRO-merged frame).
     */
    INGEST_OVERSIZE_FRAME(Side.INGEST, "oversize-frame"),
    /** A read failed with an error other than EAGAIN; ingest on the port stops (logged). */
    INGEST_READ_ERROR(Side.INGEST, "read-error"),
    /**
     * pcap ports: a frame came in with the port's own MAC as its source: a loop on the link, or the
     * gateway's own frame where the capture cannot be limited to received frames (pcap_setdirection).
     */
    INGEST_OWN_SOURCE_MAC(Side.INGEST, "own-source-mac"),
    /**
     * pcap ports: frames the kernel dropped before sixgate read them because the capture buffer was
     * full ({@code ps_drop} of {@code pcap_stats}, read at most every 100 ms and at stop).
     */
    INGEST_CAPTURE_BUFFER_FULL(Side.INGEST, "capture-buffer-full"),
    /**
     * TAP ports: frames the kernel dropped before sixgate read them because the device's queue to
     * sixgate ({@code ports[].queue-length} frames) was full: the device's {@code tx_dropped}, read
     * from {@code /proc/net/dev} at most every 100 ms and at stop (see {@code KernelQueueDrops}).
     */
    INGEST_KERNEL_QUEUE_FULL(Side.INGEST, "kernel-queue-full"),
    /**
     * TAP with offload: the virtio-net header announced what the pipeline does not carry (a UDP
     * super-packet, GSO without a partial checksum, a checksum position outside the frame).
     */
    INGEST_OFFLOAD_UNSUPPORTED(Side.INGEST, "offload-unsupported"),
    /** The device would block the write (EAGAIN): dropped, not queued, so the worker never waits. */
    TX_WOULD_BLOCK(Side.TX, "would-block"),
    /** The device took part of the frame only. */
    TX_SHORT_WRITE(Side.TX, "short-write"),
    /**
     * A TCP super-packet routed to a port that takes no offloads (a pcap port, a TAP with
     * {@code offload: false}): not segmented in software.
     */
    TX_OFFLOAD_UNSUPPORTED(Side.TX, "offload-unsupported"),
    /** A write failed with an error other than EAGAIN (the device is gone or refused the frame; logged once). */
    TX_ERROR(Side.TX, "error");

    /** Where on the port the frame was lost. */
    public enum Side
    {
        INGEST("ingest"),
        TX("tx");

        private final String label;

        Side(final String label)
        {
            this.label = label;
        }

        public String label()
        {
            return label;
        }
    }

    private final Side side;
    private final String label;

    PortDropReason(final Side side, final String label)
    {
        this.side = side;
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }

    public Side side()
    {
        return side;
    }

    /**
     * @return {@code side/label}, e.g. {@code ingest/queue-full-new-flow}, as in the counter labels.
     */
    public String qualifiedLabel()
    {
        return side.label() + "/" + label;
    }
}
