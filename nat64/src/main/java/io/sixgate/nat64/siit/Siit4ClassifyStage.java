package io.sixgate.nat64.siit;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.net.Ipv4Prefix;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.stage.StageNames;
import io.sixgate.nat64.address.EamTable;

/**
 * Decides, per IPv4 packet, between translation and native forwarding: a destination inside
 * an EAMT IPv4 prefix (RFC 7757 §3.3) or one of the configured IPv4 prefixes that stand for
 * IPv6 hosts through the RFC 6052 prefix goes to {@link Siit46Stage}; anything else is native
 * IPv4 and goes to {@link StageNames#IPV4_FORWARD}.
 *
 * <p>The configured prefixes are few (config time): a linear scan over two int arrays.
 */
public final class Siit4ClassifyStage extends Stage
{
    private final FramePool pool;
    private final EamTable eamt;
    private final int[] prefixes;
    private final int[] masks;
    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();
    private int translate;
    private int forward;

    /**
     * @param translateIpv4 IPv4 prefixes whose addresses stand for IPv6 hosts through pool6.
     */
    public Siit4ClassifyStage(final FramePool pool, final EamTable eamt, final Ipv4Prefix[] translateIpv4)
    {
        super(StageNames.IPV4_CLASSIFY, new DropReason[0]);
        this.pool = pool;
        this.eamt = eamt;
        this.prefixes = new int[translateIpv4.length];
        this.masks = new int[translateIpv4.length];
        for (int i = 0; i < translateIpv4.length; i++)
        {
            prefixes[i] = translateIpv4[i].address();
            masks[i] = translateIpv4[i].netmask();
        }
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        translate = pipeline.stageId(Siit46Stage.NAME);
        forward = pipeline.stageId(StageNames.IPV4_FORWARD);
    }

    @Override
    public int process(final int frame)
    {
        final int destination = ipv4.wrap(pool.buffer(), pool.l3Offset(frame)).dstAddress();
        if (eamt.containsIpv4(destination))
        {
            return Verdict.next(translate);
        }
        for (int i = 0; i < prefixes.length; i++)
        {
            if ((destination & masks[i]) == prefixes[i])
            {
                return Verdict.next(translate);
            }
        }
        return Verdict.next(forward);
    }
}
