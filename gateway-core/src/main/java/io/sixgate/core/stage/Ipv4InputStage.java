package io.sixgate.core.stage;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.packet.Ipv4InputDropReason;
import io.sixgate.core.packet.Ipv4Validator;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;

/**
 * Validates an IPv4 packet at the frame's L3 offset (RFC 791, RFC 1812 §5.2.2), trims
 * link-layer padding, records the upper-layer offset and protocol, and passes the packet on to
 * the stage named at construction (a classifier, or forwarding).
 */
public final class Ipv4InputStage extends Stage
{
    private final FramePool pool;
    private final String nextStageName;
    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();
    private int next;

    /**
     * @param nextStageName where valid packets go, e.g. {@link StageNames#IPV4_CLASSIFY}.
     */
    public Ipv4InputStage(final FramePool pool, final String nextStageName)
    {
        super(StageNames.IPV4_INPUT, Ipv4InputDropReason.values());
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
        final Ipv4InputDropReason invalid = Ipv4Validator.validate(pool.buffer(), l3Offset, available);
        if (invalid != null)
        {
            return drop(invalid);
        }
        ipv4.wrap(pool.buffer(), l3Offset);
        // Ethernet pads short frames to 60 bytes: the IP total length rules (RFC 894).
        pool.setLength(frame, l3Offset + ipv4.totalLength() - pool.offset(frame));
        pool.l4Offset(frame, ipv4.payloadOffset());
        pool.l4Protocol(frame, ipv4.protocol());
        return Verdict.next(next);
    }
}
