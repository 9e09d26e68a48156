package io.sixgate.egress;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.core.port.PortAddresses;
import io.sixgate.core.stage.Ipv6InputStage;
import io.sixgate.core.stage.StageNames;

/**
 * A two-port pipeline, ipv6-input -> ipv6-gateway -> a stage that sends every packet out of the
 * other port, for driving the gateway stage with built packets and a packet clock.
 */
final class GatewayTestbed implements AutoCloseable
{
    static final int INSIDE = 0;
    static final int INTERNET = 1;
    static final String VPC = "2001:db8:100::/48";
    static final String HOST = "2001:db8:100::10";
    static final String OTHER_HOST = "2001:db8:100::11";
    static final String REMOTE = "2001:db8:ffff::1";

    final FramePool pool = new FramePool(64);
    final EgressOnlyTable table;
    final Ipv6GatewayStage stage;
    final Pipeline pipeline;
    long transmitted;
    long transmittedBytes;
    int lastPort = -1;

    GatewayTestbed(final Ipv6GatewayPolicy policy, final int capacity, final int perAddress, final boolean eif)
    {
        table = new EgressOnlyTable(capacity, perAddress, EgressOnlyTimeouts.DEFAULTS, 7);
        stage = new Ipv6GatewayStage(pool, PortAddresses.none(2), policy, table, INTERNET, eif, "other-port");
        pipeline = Pipeline.builder()
            .pool(pool)
            .txSink((port, frame) ->
            {
                transmitted++;
                transmittedBytes += pool.length(frame);
                lastPort = port;
                pool.release(frame);
            })
            .stage(new Ipv6InputStage(pool, Ipv6GatewayStage.NAME))
            .stage(stage)
            .stage(new OtherPort(pool))
            .port(new Port(INSIDE, "inside", LinkType.RAW, 0, 1500), StageNames.IPV6_INPUT)
            .port(new Port(INTERNET, "internet", LinkType.RAW, 0, 1500), StageNames.IPV6_INPUT)
            .build(InMemoryCounters.create(1024), 0);
    }

    static Ipv6GatewayPolicy.Builder policy()
    {
        return Ipv6GatewayPolicy.builder().vpc(Ipv6Prefix.parse(VPC));
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

    long dropped(final DropReason reason)
    {
        return pipeline.counters().dropped(pipeline.dropReasonId(Ipv6GatewayStage.NAME, reason));
    }

    @Override
    public void close()
    {
        table.close();
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
