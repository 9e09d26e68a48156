package io.sixgate.nat64.siit;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.stage.StageNames;
import io.sixgate.nat64.address.EamTable;
import io.sixgate.nat64.address.Rfc6052Prefix;

/**
 * Decides, per IPv6 packet, between translation and native forwarding: a destination inside
 * the RFC 6052 prefix or an EAMT IPv6 prefix (RFC 7757 §3.3) names an IPv4 host and goes to
 * {@link Siit64Stage}; anything else is native IPv6 and goes to {@link StageNames#IPV6_FORWARD}.
 */
public final class Siit6ClassifyStage extends Stage
{
    private final FramePool pool;
    private final Rfc6052Prefix pool6;
    private final EamTable eamt;
    private final Ipv6Flyweight ipv6 = new Ipv6Flyweight();
    private int translate;
    private int forward;

    /**
     * @param pool6 the RFC 6052 prefix, or {@code null} when only the EAMT maps addresses.
     */
    public Siit6ClassifyStage(final FramePool pool, final Rfc6052Prefix pool6, final EamTable eamt)
    {
        super(StageNames.IPV6_CLASSIFY, new DropReason[0]);
        this.pool = pool;
        this.pool6 = pool6;
        this.eamt = eamt;
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        translate = pipeline.stageId(Siit64Stage.NAME);
        forward = pipeline.stageId(StageNames.IPV6_FORWARD);
    }

    @Override
    public int process(final int frame)
    {
        ipv6.wrap(pool.buffer(), pool.l3Offset(frame));
        final long high = ipv6.dstHigh();
        final long low = ipv6.dstLow();
        final boolean toIpv4 = (pool6 != null && pool6.matches(high, low)) || eamt.containsIpv6(high, low);
        return Verdict.next(toIpv4 ? translate : forward);
    }
}
