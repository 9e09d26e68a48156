package io.sixgate.egress.acl;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.StageEvent;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.core.port.PortAddresses;
import io.sixgate.core.stage.Ipv4InputStage;
import io.sixgate.core.stage.Ipv6InputStage;
import io.sixgate.core.stage.RawInputStage;
import io.sixgate.core.stage.StageNames;
import io.sixgate.egress.EgressOnlyTable;
import io.sixgate.egress.EgressOnlyTimeouts;

/**
 * A two-port pipeline, ipv4-input | ipv6-input -> network-acl -> security-group -> a stage that
 * sends every packet out of the other port, for driving the filter stages with built packets and a
 * packet clock.
 */
final class FilterTestbed implements AutoCloseable
{
    static final int INSIDE = 0;
    static final int OUTSIDE = 1;

    final FramePool pool = new FramePool(64);
    final EgressOnlyTable flows;
    final NetworkAclStage aclStage;
    final SecurityGroupStage groupStage;
    final Pipeline pipeline;
    long transmitted;

    FilterTestbed(final NetworkAcls acls, final SecurityGroups groups, final Nat64Addresses nat64, final int capacity,
        final int perAddress)
    {
        this(acls, groups, nat64, capacity, perAddress, PortAddresses.none(2));
    }

    FilterTestbed(final NetworkAcls acls, final SecurityGroups groups, final Nat64Addresses nat64, final int capacity,
        final int perAddress, final PortAddresses addresses)
    {
        flows = new EgressOnlyTable(capacity, perAddress, EgressOnlyTimeouts.DEFAULTS, 11);
        aclStage = new NetworkAclStage(pool, addresses, acls, nat64, SecurityGroupStage.NAME, SecurityGroupStage.NAME);
        groupStage = new SecurityGroupStage(pool, addresses, groups, flows, nat64, "other-port", "other-port");
        pipeline = Pipeline.builder()
            .pool(pool)
            .txSink((port, frame) ->
            {
                transmitted++;
                pool.release(frame);
            })
            .stage(new RawInputStage(pool))
            .stage(new Ipv4InputStage(pool, NetworkAclStage.NAME))
            .stage(new Ipv6InputStage(pool, NetworkAclStage.NAME))
            .stage(aclStage)
            .stage(groupStage)
            .stage(new OtherPort(pool))
            .port(new Port(INSIDE, "inside", LinkType.RAW, 0, 1500), StageNames.RAW_INPUT)
            .port(new Port(OUTSIDE, "outside", LinkType.RAW, 0, 1500), StageNames.RAW_INPUT)
            .build(InMemoryCounters.create(1024), 0);
    }

    /** @return whether the packet was transmitted. */
    boolean send(final int port, final byte[] packet, final long nowNs)
    {
        final long before = transmitted;
        final int frame = pool.allocateCopy(packet, 0, packet.length);
        pool.port(frame, port);
        pool.timestampNs(frame, nowNs);
        pool.l3Offset(frame, pool.offset(frame));
        pipeline.receive(frame);
        return transmitted > before;
    }

    long aclDrops(final DropReason reason)
    {
        return pipeline.counters().dropped(pipeline.dropReasonId(NetworkAclStage.NAME, reason));
    }

    long groupDrops(final DropReason reason)
    {
        return pipeline.counters().dropped(pipeline.dropReasonId(SecurityGroupStage.NAME, reason));
    }

    long groupEvents(final StageEvent event)
    {
        return pipeline.counters().event(pipeline.eventId(SecurityGroupStage.NAME, event));
    }

    @Override
    public void close()
    {
        flows.close();
    }

    private static final class OtherPort extends Stage
    {
        private final FramePool pool;

        OtherPort(final FramePool pool)
        {
            super("other-port", new DropReason[0]);
            this.pool = pool;
        }

        @Override
        public int process(final int frame)
        {
            return Verdict.tx(pool.port(frame) ^ 1);
        }
    }
}
