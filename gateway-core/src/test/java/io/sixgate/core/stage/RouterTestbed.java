package io.sixgate.core.stage;

import static io.sixgate.core.packet.PacketBuilder.ipv4Address;
import static io.sixgate.core.packet.PacketBuilder.ipv6High;
import static io.sixgate.core.packet.PacketBuilder.ipv6Low;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.icmp.IcmpErrorSender;
import io.sixgate.core.icmp.IdentificationGenerator;
import io.sixgate.core.neighbour.NeighbourCache;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.StageEvent;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.core.port.PortAddresses;
import io.sixgate.core.route.ForwardingTable;

/**
 * The router as the daemon wires it, on two Ethernet ports:
 * <pre>
 *  lan (0, MAC ..:01, MTU 1500): 192.0.2.1/24, 2001:db8:1::1/64, fe80::EUI-64
 *      host 192.0.2.10 / 2001:db8:1::10 at HOST_MAC (configured neighbour)
 *  wan (1, MAC ..:02, MTU 1280): 198.51.100.1/24, 2001:db8:2::1/64, fe80::EUI-64
 *      router 198.51.100.254 / 2001:db8:2::fe at ROUTER_MAC (configured neighbour)
 *      routes 203.0.113.0/24 and 2001:db8:99::/48 via the router
 * </pre>
 * Frames that leave are recorded (or only released, for allocation tests).
 */
final class RouterTestbed
{
    static final int LAN = 0;
    static final int WAN = 1;
    static final long LAN_MAC = 0x02_00_00_00_00_01L;
    static final long WAN_MAC = 0x02_00_00_00_00_02L;
    static final long HOST_MAC = 0x02_00_00_00_00_10L;
    static final long ROUTER_MAC = 0x02_00_00_00_00_FEL;
    static final long SECONDS = 1_000_000_000L;

    final FramePool pool = new FramePool(256);
    final List<Integer> txPorts = new ArrayList<>();
    final List<byte[]> txFrames = new ArrayList<>();
    final NeighbourCache cache;
    final PortAddresses addresses;
    final Pipeline pipeline;
    private final boolean record;

    RouterTestbed()
    {
        this(true, 4, IcmpErrorSender.DEFAULT_RATE_PER_SECOND, IcmpErrorSender.DEFAULT_BURST);
    }

    /**
     * @param record              keep a copy of each transmitted frame (allocates).
     * @param queuePerNeighbour   frames that may wait for one neighbour.
     */
    RouterTestbed(final boolean record, final int queuePerNeighbour, final int errorRate, final int errorBurst)
    {
        this(record, queuePerNeighbour, errorRate, errorBurst, true);
    }

    /**
     * A worker that learns from ARP and NDP but leaves the answers to another worker.
     */
    static RouterTestbed notAnswering()
    {
        return new RouterTestbed(true, 4, IcmpErrorSender.DEFAULT_RATE_PER_SECOND, IcmpErrorSender.DEFAULT_BURST, false);
    }

    private RouterTestbed(final boolean record, final int queuePerNeighbour, final int errorRate, final int errorBurst,
        final boolean answers)
    {
        this.record = record;
        final ForwardingTable table = ForwardingTable.builder()
            .ipv4(ipv4Address("192.0.2.0"), 24, LAN, true, 0)
            .ipv4(ipv4Address("198.51.100.0"), 24, WAN, true, 0)
            .ipv4(ipv4Address("203.0.113.0"), 24, WAN, false, ipv4Address("198.51.100.254"))
            .ipv6(ipv6High("2001:db8:1::"), 0, 64, LAN, true, 0, 0)
            .ipv6(ipv6High("2001:db8:2::"), 0, 64, WAN, true, 0, 0)
            .ipv6(ipv6High("2001:db8:99::"), 0, 48, WAN, false, ipv6High("2001:db8:2::fe"), ipv6Low("2001:db8:2::fe"))
            .build();
        addresses = PortAddresses.builder(2)
            .ipv4(LAN, ipv4Address("192.0.2.1"), 24)
            .ipv6(LAN, ipv6High("2001:db8:1::1"), ipv6Low("2001:db8:1::1"), 64)
            .linkLocalFromMac(LAN, LAN_MAC)
            .ipv4(WAN, ipv4Address("198.51.100.1"), 24)
            .ipv6(WAN, ipv6High("2001:db8:2::1"), ipv6Low("2001:db8:2::1"), 64)
            .linkLocalFromMac(WAN, WAN_MAC)
            .build();
        cache = new NeighbourCache(64, pool.capacity(), queuePerNeighbour, 4 * queuePerNeighbour,
            NeighbourCache.DEFAULT_REACHABLE_TIME_NS, NeighbourCache.DEFAULT_RETRANS_TIMER_NS,
            NeighbourCache.DEFAULT_STALE_LIFETIME_NS);
        cache.addPermanent(LAN, false, 0, ipv4Address("192.0.2.10") & 0xFFFF_FFFFL, HOST_MAC);
        cache.addPermanent(LAN, true, ipv6High("2001:db8:1::10"), ipv6Low("2001:db8:1::10"), HOST_MAC);
        cache.addPermanent(WAN, false, 0, ipv4Address("198.51.100.254") & 0xFFFF_FFFFL, ROUTER_MAC);
        cache.addPermanent(WAN, true, ipv6High("2001:db8:2::fe"), ipv6Low("2001:db8:2::fe"), ROUTER_MAC);
        final IcmpErrorSender errors = new IcmpErrorSender(pool, addresses, new IdentificationGenerator(1),
            errorRate, errorBurst);

        pipeline = Pipeline.builder()
            .pool(pool)
            .txSink((port, frame) ->
            {
                if (this.record)
                {
                    txPorts.add(port);
                    txFrames.add(pool.copyOut(frame));
                }
                pool.release(frame);
            })
            .port(new Port(LAN, "lan", LinkType.ETHERNET, LAN_MAC, 1500), StageNames.ETHERNET_INPUT)
            .port(new Port(WAN, "wan", LinkType.ETHERNET, WAN_MAC, 1280), StageNames.ETHERNET_INPUT)
            .stage(new EthernetInputStage(pool))
            .stage(new ArpInputStage(pool, cache, addresses, answers))
            .stage(new Ipv4InputStage(pool, StageNames.IPV4_FORWARD))
            .stage(new Ipv6InputStage(pool, StageNames.IPV6_FORWARD))
            .stage(new Ipv4ForwardStage(pool, table, addresses, errors))
            .stage(new Ipv6ForwardStage(pool, table, addresses, errors))
            .stage(new Ipv4ForwardStage(pool, table, false))
            .stage(new Ipv6ForwardStage(pool, table, false))
            .stage(new Ipv4LocalStage(pool, addresses))
            .stage(new Ipv6LocalStage(pool, addresses))
            .stage(new NdpInputStage(pool, cache, addresses, answers))
            .stage(new L2OutputStage(pool, cache, addresses, errors))
            .build(InMemoryCounters.create(1024), 0);
    }

    void receive(final int port, final byte[] bytes, final long timestampNs)
    {
        final int frame = pool.allocateCopy(bytes, 0, bytes.length);
        pool.port(frame, port);
        pool.timestampNs(frame, timestampNs);
        pipeline.receive(frame);
    }

    void receive(final int port, final byte[] bytes)
    {
        receive(port, bytes, 0);
    }

    void tick(final long nowNs)
    {
        pipeline.tick(nowNs);
    }

    byte[] tx(final int index)
    {
        return txFrames.get(index);
    }

    void clearTx()
    {
        txPorts.clear();
        txFrames.clear();
    }

    long dropped(final String stage, final DropReason reason)
    {
        final int id = pipeline.dropReasonId(stage, reason);
        if (id < 0)
        {
            throw new IllegalArgumentException(stage + "/" + reason.label() + " is not a drop reason of the pipeline");
        }
        return pipeline.counters().dropped(id);
    }

    long event(final String stage, final StageEvent event)
    {
        final int id = pipeline.eventId(stage, event);
        if (id < 0)
        {
            throw new IllegalArgumentException(stage + "/" + event.label() + " is not an event of the pipeline");
        }
        return pipeline.counters().event(id);
    }

    long totalDropped()
    {
        return pipeline.counters().totalDropped();
    }

    /**
     * Every frame is accounted for, and the only frames out of the pool are those waiting for a
     * neighbour.
     */
    void assertConserved()
    {
        final var c = pipeline.counters();
        assertEquals(c.totalReceived() + c.generated(), c.totalTransmitted() + c.totalDropped() + c.consumed(),
            "received + generated = transmitted + dropped + consumed");
        assertEquals(cache.queuedTotal(), pool.capacity() - pool.available(), "frames held = frames queued");
    }
}
