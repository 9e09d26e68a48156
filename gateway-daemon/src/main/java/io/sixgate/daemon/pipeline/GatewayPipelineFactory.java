package io.sixgate.daemon.pipeline;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.neighbour.StaticNeighbourTable;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.TxSink;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.core.route.ForwardingTable;
import io.sixgate.core.stage.EthernetInputStage;
import io.sixgate.core.stage.Ipv4ForwardStage;
import io.sixgate.core.stage.Ipv4InputStage;
import io.sixgate.core.stage.Ipv6ForwardStage;
import io.sixgate.core.stage.Ipv6InputStage;
import io.sixgate.core.stage.L2OutputStage;
import io.sixgate.core.stage.RawInputStage;
import io.sixgate.core.stage.StageNames;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.config.IpCidr;
import io.sixgate.daemon.config.NeighbourConfig;
import io.sixgate.daemon.config.RouteConfig;

import org.agrona.concurrent.status.CountersManager;

/**
 * The gateway's packet graph, as the daemon and replay run it:
 *
 * <pre>
 *  ethernet-input --+--> ipv4-input --> ipv4-forward --+
 *  raw-input -------+--> ipv6-input --> ipv6-forward --+--> l2-output --> port
 * </pre>
 *
 * Routes are the connected subnets of every port address plus the configured static routes;
 * next-hop MACs come from the static neighbours.
 */
public final class GatewayPipelineFactory implements PipelineFactory
{
    @Override
    public Pipeline create(
        final GatewayConfig config,
        final Port[] ports,
        final FramePool pool,
        final TxSink txSink,
        final CountersManager countersManager)
    {
        final ForwardingTable forwarding = forwardingTable(config);
        final Pipeline.Builder builder = Pipeline.builder()
            .pool(pool)
            .txSink(txSink)
            .stage(new EthernetInputStage(pool))
            .stage(new RawInputStage(pool))
            .stage(new Ipv4InputStage(pool, StageNames.IPV4_FORWARD))
            .stage(new Ipv6InputStage(pool, StageNames.IPV6_FORWARD))
            .stage(new Ipv4ForwardStage(pool, forwarding))
            .stage(new Ipv6ForwardStage(pool, forwarding))
            .stage(new L2OutputStage(pool, neighbours(config)));
        for (final Port port : ports)
        {
            builder.port(port, port.linkType() == LinkType.ETHERNET ? StageNames.ETHERNET_INPUT : StageNames.RAW_INPUT);
        }
        return builder.build(countersManager, 0);
    }

    /**
     * Connected routes for each port address, then the static routes (a static route for the
     * same prefix replaces the connected one).
     */
    static ForwardingTable forwardingTable(final GatewayConfig config)
    {
        final ForwardingTable.Builder table = ForwardingTable.builder();
        for (int portId = 0; portId < config.ports().size(); portId++)
        {
            for (final IpCidr address : config.ports().get(portId).addresses())
            {
                add(table, address.network(), portId, null);
            }
        }
        for (final RouteConfig route : config.routes())
        {
            add(table, route.prefix(), config.portId(route.port()), route);
        }
        return table.build();
    }

    private static void add(final ForwardingTable.Builder table, final IpCidr prefix, final int portId, final RouteConfig route)
    {
        final boolean connected = route == null || route.isConnected();
        if (prefix.isIpv6())
        {
            table.ipv6(prefix.address().ipv6High(), prefix.address().ipv6Low(), prefix.length(), portId, connected,
                connected ? 0 : route.via().ipv6High(), connected ? 0 : route.via().ipv6Low());
        }
        else
        {
            table.ipv4(prefix.address().ipv4(), prefix.length(), portId, connected, connected ? 0 : route.via().ipv4());
        }
    }

    static StaticNeighbourTable neighbours(final GatewayConfig config)
    {
        final StaticNeighbourTable table = new StaticNeighbourTable();
        for (final NeighbourConfig neighbour : config.neighbours())
        {
            final int portId = config.portId(neighbour.port());
            if (neighbour.address().isIpv6())
            {
                table.addIpv6(portId, neighbour.address().ipv6High(), neighbour.address().ipv6Low(), neighbour.mac().value());
            }
            else
            {
                table.addIpv4(portId, neighbour.address().ipv4(), neighbour.mac().value());
            }
        }
        return table;
    }
}
