package io.sixgate.nat64.stateful;

import static java.nio.ByteOrder.BIG_ENDIAN;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.stage.StageNames;
import io.sixgate.nat64.address.Rfc6052Prefix;
import io.sixgate.nat64.state.Pool4;

/**
 * Decides, per packet, between stateful NAT64 and native forwarding: an IPv6 destination under
 * pool6 goes to {@link Nat64Stateful64Stage}, an IPv4 destination in pool4 to
 * {@link Nat64Stateful46Stage}, anything else to the forward stage of its family. Frames sent to
 * translation start at their IP header from then on (the L2 header is rebuilt on output).
 *
 * <p>IPv4 packets to an EIP public address are not NAT64 traffic (the instance's replies come
 * from its private address to pool4) and are forwarded.
 */
public final class Nat64StatefulClassifyStage extends Stage
{
    private final FramePool pool;
    private final boolean ipv6;
    private final Rfc6052Prefix pool6;
    private final Pool4 pool4;
    private int translate;
    private int forward;

    private Nat64StatefulClassifyStage(final boolean ipv6, final FramePool pool, final Nat64Shard shard)
    {
        super(ipv6 ? StageNames.IPV6_CLASSIFY : StageNames.IPV4_CLASSIFY, new DropReason[0]);
        this.ipv6 = ipv6;
        this.pool = pool;
        this.pool6 = shard.pool6();
        this.pool4 = shard.pool4();
    }

    /** "ipv6-classify": pool6 destinations to "nat64-6to4". */
    public static Nat64StatefulClassifyStage ipv6(final FramePool pool, final Nat64Shard shard)
    {
        return new Nat64StatefulClassifyStage(true, pool, shard);
    }

    /** "ipv4-classify": pool4 destinations to "nat64-4to6". */
    public static Nat64StatefulClassifyStage ipv4(final FramePool pool, final Nat64Shard shard)
    {
        return new Nat64StatefulClassifyStage(false, pool, shard);
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        translate = pipeline.stageId(ipv6 ? Nat64Stateful64Stage.NAME : Nat64Stateful46Stage.NAME);
        forward = pipeline.stageId(ipv6 ? StageNames.IPV6_FORWARD : StageNames.IPV4_FORWARD);
    }

    @Override
    public int process(final int frame)
    {
        final int l3 = pool.l3Offset(frame);
        final boolean mine = ipv6
            ? pool6.matches(pool.buffer().getLong(l3 + Ipv6Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN),
                pool.buffer().getLong(l3 + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, BIG_ENDIAN))
            : pool4.contains(pool.buffer().getInt(l3 + Ipv4Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN));
        if (!mine)
        {
            return Verdict.next(forward);
        }
        final int end = pool.offset(frame) + pool.length(frame);
        pool.setData(frame, l3, end - l3);
        return Verdict.next(translate);
    }
}
