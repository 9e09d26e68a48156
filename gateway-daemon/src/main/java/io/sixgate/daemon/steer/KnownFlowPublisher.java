package io.sixgate.daemon.steer;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.TxSink;

/**
 * The worker's transmit side, seen by ingest: publishes the {@link FlowKey} of every frame the
 * worker transmits to its {@link KnownFlowHints} before handing the frame on. A frame leaving the
 * worker went through every stage, so its flow is one the worker keeps forwarding, and the replies
 * (same symmetric key) are admitted first when a ring runs short. After NAT64 the transmitted frame
 * is the other family's: the IPv4 packet's key hints the IPv4 replies, the IPv6 packet's the IPv6
 * client's next segments.
 *
 * <p>Worker thread only; no allocation. The stamp is the frame's receive time (or the time the
 * worker made it), from the clock ingest stamps with.
 */
public final class KnownFlowPublisher implements TxSink
{
    private final FramePool pool;
    private final FlowKey flowKey;
    private final KnownFlowHints hints;
    private final TxSink next;

    /**
     * @param pool    the worker's frame pool.
     * @param flowKey the daemon's flow key, the one ingest computes.
     * @param hints   this worker's table; this publisher is its only writer.
     * @param next    where the frame goes then.
     */
    public KnownFlowPublisher(final FramePool pool, final FlowKey flowKey, final KnownFlowHints hints, final TxSink next)
    {
        this.pool = pool;
        this.flowKey = flowKey;
        this.hints = hints;
        this.next = next;
    }

    @Override
    public void transmit(final int portId, final int frame)
    {
        final long key = flowKey.of(pool.buffer(), pool.offset(frame), pool.length(frame));
        if (key != FlowKey.NO_FLOW)
        {
            hints.publish(key, pool.timestampNs(frame));
        }
        next.transmit(portId, frame);
    }
}
