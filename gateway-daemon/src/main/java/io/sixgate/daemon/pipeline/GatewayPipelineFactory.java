package io.sixgate.daemon.pipeline;

import java.security.SecureRandom;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.icmp.IcmpErrorSender;
import io.sixgate.core.icmp.IdentificationGenerator;
import io.sixgate.core.neighbour.NeighbourCache;
import io.sixgate.core.net.Ipv4Prefix;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.TxSink;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.core.port.PortAddresses;
import io.sixgate.core.route.ForwardingTable;
import io.sixgate.core.stage.ArpInputStage;
import io.sixgate.core.stage.EthernetInputStage;
import io.sixgate.core.stage.Ipv4ForwardStage;
import io.sixgate.core.stage.Ipv4InputStage;
import io.sixgate.core.stage.Ipv4LocalStage;
import io.sixgate.core.stage.Ipv6ForwardStage;
import io.sixgate.core.stage.Ipv6InputStage;
import io.sixgate.core.stage.Ipv6LocalStage;
import io.sixgate.core.stage.L2OutputStage;
import io.sixgate.core.stage.NdpInputStage;
import io.sixgate.core.stage.RawInputStage;
import io.sixgate.core.stage.StageNames;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.config.IpAddress;
import io.sixgate.daemon.config.IpCidr;
import io.sixgate.daemon.config.Ipv6GatewayConfig;
import io.sixgate.daemon.config.Nat64Config;
import io.sixgate.daemon.config.Nat64StatefulSettings;
import io.sixgate.daemon.config.NeighbourConfig;
import io.sixgate.daemon.config.PortConfig;
import io.sixgate.daemon.config.RouteConfig;
import io.sixgate.daemon.steer.StaticBibPlacement;
import io.sixgate.egress.EgressOnlyTable;
import io.sixgate.egress.Ipv6GatewayStage;
import io.sixgate.egress.acl.Nat64Addresses;
import io.sixgate.nat64.siit.EgressMtu;
import io.sixgate.nat64.siit.Siit46Stage;
import io.sixgate.nat64.siit.Siit4ClassifyStage;
import io.sixgate.nat64.siit.Siit64Stage;
import io.sixgate.nat64.siit.Siit6ClassifyStage;
import io.sixgate.nat64.siit.TranslatorConfig;
import io.sixgate.nat64.stateful.Nat64Shard;
import io.sixgate.nat64.stateful.Nat64Stateful46Stage;
import io.sixgate.nat64.stateful.Nat64Stateful64Stage;
import io.sixgate.nat64.stateful.Nat64StatefulClassifyStage;
import io.sixgate.nat64.stateful.StaticBibEntry;

import org.agrona.concurrent.status.CountersManager;

/**
 * The gateway's packet graph, as the daemon and replay run it:
 *
 * <pre>
 *  ethernet-input --+--> arp-input (answered out of the port, or learned)
 *  raw-input -------+--> ipv4-input --> [ipv4-classify] --> ipv4-forward ---------------+
 *                   |                          |               +--> ipv4-local (echo) --+--> ipv4-output --+
 *                   |                          +--> siit-4to6 --> ipv6-output ----------+                 |
 *                   +--> ipv6-input --> [ipv6-gateway] --> [ipv6-classify] --> ipv6-forward ---------------+--> l2-output --> port
 *                                              |               +--> ipv6-local (echo) --> ipv6-output --+
 *                                              |                       +--> ndp-input (answered, learned)
 *                                              +--> siit-6to4 --> ipv4-output ----------+
 * </pre>
 *
 * ipv6-gateway is there when the configuration has an {@code ipv6-gateway} section: per-address
 * Internet access, egress-only state and anti-spoofing for what crosses the Internet port.
 * network-acl and security-group are there with {@code network-acls} and {@code security-groups},
 * for both families between IP input (after ipv6-gateway) and classification, where
 * {@link VpcFilterStages} explains; with stateful NAT64 they see an IPv6 EIP's instance through the
 * shard's EIP bindings.
 * The classify and siit stages are there when the configuration has a {@code nat64} section;
 * with {@code mode: stateful} the translation stages are nat64-4to6, nat64-6to4 and
 * nat64-hairpin over one {@link Nat64Shard} (RFC 6146), classified by pool4 and pool6.
 * Classification comes before local delivery, so a pool4 address that is also a port address
 * still reaches the NAT64 (its ARP is answered, being a port address).
 * Routes are the connected subnets of every port address plus the configured static routes.
 * The gateway's addresses are the ports' {@code addresses} plus, on each Ethernet port, the
 * link-local address formed from its MAC. Next-hop MACs are resolved by ARP and Neighbor
 * Discovery into one {@link NeighbourCache} per worker of {@link #NEIGHBOUR_CACHE_ENTRIES}
 * entries; the configured {@code neighbours} are permanent entries in it.
 *
 * <p>Each worker gets its own graph over its own state; {@link WorkerSlot} says which worker it
 * is and how the workers share what the configuration gives as totals.
 */
public final class GatewayPipelineFactory implements PipelineFactory
{
    /** Neighbour cache entries per worker, configured ones included (176 bytes each). */
    public static final int NEIGHBOUR_CACHE_ENTRIES = 4096;

    @Override
    public Pipeline create(
        final GatewayConfig config,
        final Port[] ports,
        final FramePool pool,
        final TxSink txSink,
        final CountersManager countersManager,
        final WorkerSlot worker)
    {
        final ForwardingTable forwarding = forwardingTable(config);
        final Nat64Config nat64 = config.nat64();
        final Ipv6GatewayConfig ipv6Gateway = config.ipv6Gateway();
        final String afterIpv6Filters = nat64 == null ? StageNames.IPV6_FORWARD : StageNames.IPV6_CLASSIFY;
        final String afterIpv4Filters = nat64 == null ? StageNames.IPV4_FORWARD : StageNames.IPV4_CLASSIFY;
        final String afterIpv6Input = VpcFilterStages.entry(config.firewall(), afterIpv6Filters);
        final SecureRandom random = new SecureRandom();
        final PortAddresses addresses = portAddresses(config, ports);
        final NeighbourCache neighbours = neighbourCache(config, pool);
        final IcmpErrorSender errors = new IcmpErrorSender(pool, addresses, new IdentificationGenerator(random.nextInt()));
        final Pipeline.Builder builder = Pipeline.builder()
            .pool(pool)
            .txSink(txSink)
            .stage(new EthernetInputStage(pool))
            .stage(new ArpInputStage(pool, neighbours, addresses, worker.answersNeighbourRequests()))
            .stage(new RawInputStage(pool))
            .stage(new Ipv4InputStage(pool, VpcFilterStages.entry(config.firewall(), afterIpv4Filters)))
            .stage(new Ipv6InputStage(pool, ipv6Gateway != null ? Ipv6GatewayStage.NAME : afterIpv6Input));
        if (ipv6Gateway != null)
        {
            // The IPv6 gateway polices what crosses between the VPC and the Internet port before
            // NAT64 classification and forwarding, so NAT64's IPv6 clients get its anti-spoofing.
            final EgressOnlyTable table = new EgressOnlyTable(worker.share(ipv6Gateway.maxFlows()),
                ipv6Gateway.maxFlowsPerAddress(), ipv6Gateway.timeouts(), random.nextLong());
            builder.stage(new Ipv6GatewayStage(pool, addresses, ipv6Gateway.policy(), table,
                config.portId(ipv6Gateway.internetPort()), ipv6Gateway.udpEndpointIndependent(), afterIpv6Input));
        }
        // RFC 6146: one shard per worker, with its part of pool4 and its share of the sessions.
        final Nat64Shard shard = nat64 != null && nat64.isStateful()
            ? nat64Shard(config, nat64, worker, random.nextLong()) : null;
        VpcFilterStages.add(builder, config.firewall(), pool, addresses,
            shard == null ? Nat64Addresses.NONE : new StatefulNat64Addresses(shard), afterIpv6Filters,
            afterIpv4Filters, worker, random.nextLong());
        if (shard != null)
        {
            builder
                .stage(Nat64StatefulClassifyStage.ipv4(pool, shard))
                .stage(Nat64StatefulClassifyStage.ipv6(pool, shard))
                .stage(new Nat64Stateful46Stage(shard, pool, StageNames.IPV6_OUTPUT, StageNames.IPV4_OUTPUT))
                .stage(new Nat64Stateful64Stage(shard, pool, StageNames.IPV4_OUTPUT, StageNames.IPV6_OUTPUT,
                    Nat64Stateful46Stage.HAIRPIN_NAME))
                .stage(Nat64Stateful46Stage.hairpin(shard, pool, StageNames.IPV6_OUTPUT, StageNames.IPV4_OUTPUT));
        }
        else if (nat64 != null)
        {
            final TranslatorConfig translator = translatorConfig(config, nat64);
            final Ipv4Prefix[] translateIpv4 = new Ipv4Prefix[nat64.translateIpv4().size()];
            for (int i = 0; i < translateIpv4.length; i++)
            {
                translateIpv4[i] = Ipv4Prefix.parse(nat64.translateIpv4().get(i).toString());
            }
            builder
                .stage(new Siit4ClassifyStage(pool, nat64.eamt(), translateIpv4))
                .stage(new Siit6ClassifyStage(pool, nat64.pool6(), nat64.eamt()))
                .stage(new Siit46Stage(translator, pool, StageNames.IPV6_OUTPUT, StageNames.IPV4_OUTPUT))
                .stage(new Siit64Stage(translator, pool, StageNames.IPV4_OUTPUT, StageNames.IPV6_OUTPUT));
        }
        builder
            .stage(new Ipv4ForwardStage(pool, forwarding, addresses, errors))
            .stage(new Ipv6ForwardStage(pool, forwarding, addresses, errors))
            .stage(new Ipv4ForwardStage(pool, forwarding, false))
            .stage(new Ipv6ForwardStage(pool, forwarding, false))
            .stage(new Ipv4LocalStage(pool, addresses))
            .stage(new Ipv6LocalStage(pool, addresses))
            .stage(new NdpInputStage(pool, neighbours, addresses, worker.answersNeighbourRequests()))
            .stage(new L2OutputStage(pool, neighbours, addresses, errors));
        for (final Port port : ports)
        {
            builder.port(port, port.linkType() == LinkType.ETHERNET ? StageNames.ETHERNET_INPUT : StageNames.RAW_INPUT);
        }
        return builder.build(countersManager, worker.index());
    }

    /**
     * The worker's stateful NAT64 shard: its share of {@code max-sessions}, its part of pool4, the
     * static BIB entries it holds, and the ports of other workers' static entries that fall in
     * its part reserved (see {@link io.sixgate.daemon.steer.StaticBibPlacement}).
     */
    static Nat64Shard nat64Shard(final GatewayConfig config, final Nat64Config nat64, final WorkerSlot worker,
        final long seed)
    {
        final Nat64StatefulSettings stateful = nat64.stateful();
        final StaticBibPlacement placement = worker.placement();
        final Nat64Shard shard = new Nat64Shard(stateful.shardConfig(translatorConfig(config, nat64), seed,
            worker.share(stateful.maxSessions()), worker.share(stateful.maxSources()),
            placement.heldBy(stateful.staticBib(), worker.index())),
            worker.partition());
        for (final StaticBibEntry entry : placement.reservedOn(stateful.staticBib(), worker.index()))
        {
            shard.pool4().reserve(entry.protocol(), entry.pool4Address(), entry.pool4Port());
        }
        return shard;
    }

    /**
     * The translator's own addresses are the gateway's first IPv4 and first IPv6 port address
     * (sources of the ICMP errors it makes); its MTU per side is the smallest MTU among the
     * ports that carry that family, so a Packet Too Big never promises more than a link takes.
     */
    static TranslatorConfig translatorConfig(final GatewayConfig config, final Nat64Config nat64)
    {
        IpAddress localIpv4 = null;
        IpAddress localIpv6 = null;
        int mtuIpv4 = Integer.MAX_VALUE;
        int mtuIpv6 = Integer.MAX_VALUE;
        for (final PortConfig port : config.ports())
        {
            for (final IpCidr address : port.addresses())
            {
                if (address.isIpv6())
                {
                    localIpv6 = localIpv6 == null ? address.address() : localIpv6;
                    mtuIpv6 = Math.min(mtuIpv6, port.mtu());
                }
                else
                {
                    localIpv4 = localIpv4 == null ? address.address() : localIpv4;
                    mtuIpv4 = Math.min(mtuIpv4, port.mtu());
                }
            }
        }
        if (localIpv4 == null || localIpv6 == null)
        {
            // The config validator refuses such a file; reaching here is a bug.
            throw new IllegalStateException("nat64 needs an IPv4 and an IPv6 port address");
        }
        return nat64.translatorConfig(localIpv4.ipv4(), localIpv6.ipv6High(), localIpv6.ipv6Low(),
            EgressMtu.fixed(mtuIpv4, mtuIpv6));
    }

    /**
     * Connected routes for each port address, then the static routes (a static route for the
     * same prefix replaces the connected one).
     */
    public static ForwardingTable forwardingTable(final GatewayConfig config)
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

    /**
     * The gateway's own addresses: each port's {@code addresses}, and on an Ethernet port the
     * link-local address from its MAC (RFC 4291 §2.1: every IPv6 interface has one).
     */
    static PortAddresses portAddresses(final GatewayConfig config, final Port[] ports)
    {
        final PortAddresses.Builder addresses = PortAddresses.builder(ports.length);
        for (int portId = 0; portId < config.ports().size(); portId++)
        {
            for (final IpCidr address : config.ports().get(portId).addresses())
            {
                if (address.isIpv6())
                {
                    addresses.ipv6(portId, address.address().ipv6High(), address.address().ipv6Low(), address.length());
                }
                else
                {
                    addresses.ipv4(portId, address.address().ipv4(), address.length());
                }
            }
            if (ports[portId].linkType() == LinkType.ETHERNET)
            {
                addresses.linkLocalFromMac(portId, ports[portId].mac());
            }
        }
        return addresses.build();
    }

    /**
     * The worker's neighbour cache, with the configured neighbours as permanent entries: they are
     * never solicited, never expire, and ARP or NDP never change them.
     */
    static NeighbourCache neighbourCache(final GatewayConfig config, final FramePool pool)
    {
        final NeighbourCache cache = new NeighbourCache(
            Math.max(NEIGHBOUR_CACHE_ENTRIES, 2 * config.neighbours().size()), pool.capacity());
        addPermanentNeighbours(config, cache);
        return cache;
    }

    /**
     * Installs the configured neighbours as permanent entries (start-up, and a reload after
     * {@link NeighbourCache#clearPermanent()}, on the worker thread).
     */
    public static void addPermanentNeighbours(final GatewayConfig config, final NeighbourCache cache)
    {
        for (final NeighbourConfig neighbour : config.neighbours())
        {
            final int portId = config.portId(neighbour.port());
            final IpAddress address = neighbour.address();
            cache.addPermanent(portId, address.isIpv6(),
                address.isIpv6() ? address.ipv6High() : 0,
                address.isIpv6() ? address.ipv6Low() : address.ipv4() & 0xFFFF_FFFFL,
                neighbour.mac().value());
        }
    }
}
