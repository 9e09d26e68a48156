package io.sixgate.core.stage;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.Ipv6HeaderChain;
import io.sixgate.core.packet.Ipv6InputDropReason;
import io.sixgate.core.packet.Ipv6Validator;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;

/**
 * Validates an IPv6 packet and its extension-header chain at the frame's L3 offset
 * (RFC 8200 §3, §4), trims link-layer padding, records where the upper layer starts and which
 * protocol it is, and passes the packet on to the stage named at construction.
 */
public final class Ipv6InputStage extends Stage
{
    private final FramePool pool;
    private final String nextStageName;
    private final Ipv6HeaderChain chain = new Ipv6HeaderChain();
    private int next;

    /**
     * @param nextStageName where valid packets go, e.g. {@link StageNames#IPV6_CLASSIFY}.
     */
    public Ipv6InputStage(final FramePool pool, final String nextStageName)
    {
        super(StageNames.IPV6_INPUT, Ipv6InputDropReason.values());
        this.pool = pool;
        this.nextStageName = nextStageName;
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        next = pipeline.stageId(nextStageName);
    }

    @Override
    public int process(final int frame)
    {
        final int l3Offset = pool.l3Offset(frame);
        final int available = pool.offset(frame) + pool.length(frame) - l3Offset;
        final Ipv6InputDropReason invalid = Ipv6Validator.validate(pool.buffer(), l3Offset, available, chain);
        if (invalid != null)
        {
            return drop(invalid);
        }
        pool.setLength(frame, l3Offset + chain.packetLength() - pool.offset(frame));
        pool.l4Offset(frame, chain.upperLayerOffset());
        pool.l4Protocol(frame, chain.upperLayerProtocol());
        return Verdict.next(next);
    }
}
