package io.sixgate.daemon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.counters.PipelineCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.packet.ArpFlyweight;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.core.stage.ArpInputStage;
import io.sixgate.core.stage.NdpInputStage;
import io.sixgate.core.stage.StageNames;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.steer.FlowSteering;
import io.sixgate.daemon.steer.StaticBibPlacement;
import io.sixgate.nat64.state.PortPartition;
import io.sixgate.nat64.stateful.StaticBibEntry;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

/**
 * Several workers' pipelines, as {@link GatewayPipelineFactory} builds them, fed through the
 * daemon's {@link FlowSteering} on one thread: what the daemon's ingest and workers do, minus
 * the threads. Every frame goes to the worker (or workers) the steering picks, so the test shows
 * that each flow's state is found where its packets land.
 */
class MultiWorkerPipelineTest
{
    private static final int WORKERS = 3;
    private static final int VPC = 0;
    private static final int INTERNET = 1;
    private static final long VPC_MAC = 0x02_53_47_00_00_01L;
    private static final long INTERNET_MAC = 0x02_53_47_00_00_02L;
    private static final long INSTANCE_MAC = 0x02_53_47_00_01_05L;
    private static final long CLIENTS_MAC = 0x02_53_47_00_02_10L;
    private static final String INSTANCE = "10.0.1.5";
    private static final String EIP6 = "64:ff9b::cb00:7105";
    private static final String POOL4 = "198.51.100.10";
    private static final String SERVER6 = "2001:db8:ffff::80";
    /** Inside the dynamic range, so that the owner's reservation matters. */
    private static final int STATIC_PORT = 40010;

    private static final String CONFIG = String.join("\n",
        "workers: " + WORKERS,
        "frame-pool: {frames: 256}",
        "ports:",
        "  - {name: vpc, type: tap, mac: \"02:53:47:00:00:01\", addresses: [\"2001:db8:0:1::1/64\", 10.0.1.1/24]}",
        "  - {name: internet, type: tap, mac: \"02:53:47:00:00:02\","
            + " addresses: [\"2001:db8:ffff::1/64\", 198.51.100.1/24]}",
        "neighbours:",
        "  - {address: 10.0.1.5, mac: \"02:53:47:00:01:05\", port: vpc}",
        "%NEIGHBOURS%",
        "nat64:",
        "  mode: stateful",
        "  prefix: \"64:ff9b::/96\"",
        "  wkp-global-only: false",
        "  pool4: [{address: 198.51.100.10, ports: 40000-40999}]",
        "  static-bib:",
        "    - {protocol: tcp, ipv6-address: \"" + SERVER6 + "\", ipv6-port: 8080, ipv4-address: " + POOL4
            + ", ipv4-port: " + STATIC_PORT + "}",
        "eip:",
        "  - {public: 203.0.113.5, private: 10.0.1.5}",
        "");

    /** One frame a worker transmitted. */
    private record Sent(int worker, int port, byte[] frame)
    {
    }

    private final GatewayConfig config;
    private final FlowSteering steering;
    private final FlowSteering.Reader reader;
    private final FramePool[] pools = new FramePool[WORKERS];
    private final Pipeline[] pipelines = new Pipeline[WORKERS];
    private final List<Sent> sent = new ArrayList<>();
    private long nowNs = 1_000_000_000L;

    MultiWorkerPipelineTest() throws Exception
    {
        final StringBuilder neighbours = new StringBuilder();
        for (int i = 0; i < 16; i++)
        {
            neighbours.append("  - {address: \"").append(client(i)).append("\", mac: \"02:53:47:00:02:10\", port: internet}\n");
        }
        neighbours.append("  - {address: \"" + SERVER6 + "\", mac: \"02:53:47:00:02:10\", port: internet}");
        config = ConfigLoader.load("workers.yaml", new ByteArrayInputStream(
            CONFIG.replace("%NEIGHBOURS%", neighbours).getBytes(StandardCharsets.UTF_8)));
        steering = steeringWhereTheStaticEntryIsNotOnItsPortsOwner(config);
        reader = steering.reader();
        final CountersManager counters = InMemoryCounters.create(8192);
        final Port[] ports = {
            new Port(VPC, "vpc", LinkType.ETHERNET, VPC_MAC, 1500),
            new Port(INTERNET, "internet", LinkType.ETHERNET, INTERNET_MAC, 1500)};
        for (int w = 0; w < WORKERS; w++)
        {
            final int worker = w;
            final FramePool pool = new FramePool(256);
            pools[w] = pool;
            pipelines[w] = new GatewayPipelineFactory().create(config, ports, pool, (port, frame) ->
            {
                sent.add(new Sent(worker, port, pool.copyOut(frame)));
                pool.release(frame);
            }, counters, new WorkerSlot(w, WORKERS, steering));
        }
    }

    /**
     * A seed whose static entry lives on a worker other than its port's owner, so the steering's
     * exception and the owner's reservation are both needed for the test to pass.
     */
    private static FlowSteering steeringWhereTheStaticEntryIsNotOnItsPortsOwner(final GatewayConfig config)
    {
        final StaticBibEntry entry = config.nat64().stateful().staticBib().get(0);
        for (long seed = 1; ; seed++)
        {
            final FlowSteering candidate = FlowSteering.of(config, seed);
            final StaticBibPlacement placement = new StaticBibPlacement(candidate);
            if (placement.holder(entry) != placement.owner(entry))
            {
                candidate.staticBib(placement.steeringOf(config.nat64().stateful().staticBib()));
                return candidate;
            }
        }
    }

    private static String client(final int i)
    {
        return "2001:db8:ffff::" + Integer.toHexString(0x10 + i);
    }

    /** Steers a frame as ingest does and runs it through the chosen workers' pipelines. */
    private void receive(final int port, final byte[] frame)
    {
        nowNs += 1_000_000;
        final int target = reader.workerOf(new UnsafeBuffer(frame), 0, frame.length, port);
        for (int w = 0; w < WORKERS; w++)
        {
            if (target == FlowSteering.ALL_WORKERS || target == w)
            {
                final int handle = pools[w].allocateCopy(frame, 0, frame.length);
                pools[w].port(handle, port);
                pools[w].timestampNs(handle, nowNs);
                pipelines[w].receive(handle);
            }
        }
    }

    /** Sends a frame and returns the one frame that came out, checking where. */
    private Sent exchange(final int inPort, final byte[] frame, final int outPort)
    {
        sent.clear();
        receive(inPort, frame);
        assertEquals(1, sent.size(), "one frame out: " + sent);
        assertEquals(outPort, sent.get(0).port());
        return sent.get(0);
    }

    private static byte[] fromClient(final PacketBuilder packet)
    {
        return packet.ethernet(INTERNET_MAC, CLIENTS_MAC).build();
    }

    private static byte[] fromInstance(final PacketBuilder packet)
    {
        return packet.ethernet(VPC_MAC, INSTANCE_MAC).build();
    }

    private static int u16(final byte[] frame, final int offset)
    {
        return (frame[offset] & 0xFF) << 8 | frame[offset + 1] & 0xFF;
    }

    private static String ipv4At(final byte[] frame, final int offset)
    {
        return Ipv4Address.format(PacketBuilder.ipv4Address((frame[offset] & 0xFF) + "." + (frame[offset + 1] & 0xFF)
            + "." + (frame[offset + 2] & 0xFF) + "." + (frame[offset + 3] & 0xFF)));
    }

    @Test
    void tcpUdpAndPingRoundTripsOfManyClientsStayOnTheirSourcesWorker()
    {
        final int[] flowsPerWorker = new int[WORKERS];
        for (int i = 0; i < 16; i++)
        {
            final String client = client(i);
            final int home = steering.ipv6Home(PacketBuilder.ipv6High(client), PacketBuilder.ipv6Low(client));

            // UDP: client -> IPv6 EIP -> the instance, from pool4; and the answer back.
            final Sent udpOut = exchange(INTERNET, fromClient(PacketBuilder.ipv6(client, EIP6).udp(50000 + i, 53)
                .payload(20)), VPC);
            assertEquals(home, udpOut.worker(), "translated by the source's home worker");
            assertEquals(INSTANCE, ipv4At(udpOut.frame(), 14 + 16));
            final int udpPort = u16(udpOut.frame(), 14 + 20);
            assertEquals(home, PortPartition.owner(udpPort, WORKERS), "mapped in the worker's part of pool4");
            final Sent udpBack = exchange(VPC, fromInstance(PacketBuilder.ipv4(INSTANCE, POOL4).udp(53, udpPort)
                .payload(20)), INTERNET);
            assertEquals(home, udpBack.worker(), "the answer found the session");
            assertEquals(50000 + i, u16(udpBack.frame(), 14 + 40 + 2));

            // TCP handshake.
            final Sent syn = exchange(INTERNET, fromClient(PacketBuilder.ipv6(client, EIP6)
                .tcp(40000 + i, 443, TcpFlyweight.SYN)), VPC);
            final int tcpPort = u16(syn.frame(), 14 + 20);
            final Sent synAck = exchange(VPC, fromInstance(PacketBuilder.ipv4(INSTANCE, POOL4)
                .tcp(443, tcpPort, TcpFlyweight.SYN | TcpFlyweight.ACK)), INTERNET);
            assertEquals(home, synAck.worker());
            final Sent ack = exchange(INTERNET, fromClient(PacketBuilder.ipv6(client, EIP6)
                .tcp(40000 + i, 443, TcpFlyweight.ACK)), VPC);
            assertEquals(tcpPort, u16(ack.frame(), 14 + 20), "the same mapping");

            // Ping.
            final Sent echo = exchange(INTERNET, fromClient(PacketBuilder.ipv6(client, EIP6).icmpEchoRequest(100 + i, 1)),
                VPC);
            final int identifier = u16(echo.frame(), 14 + 20 + 4);
            final Sent echoReply = exchange(VPC, fromInstance(PacketBuilder.ipv4(INSTANCE, POOL4)
                .icmpEchoReply(identifier, 1)), INTERNET);
            assertEquals(home, echoReply.worker());
            assertEquals(Icmpv6Flyweight.TYPE_ECHO_REPLY, echoReply.frame()[14 + 40] & 0xFF);
            flowsPerWorker[home]++;
        }
        for (int w = 0; w < WORKERS; w++)
        {
            assertTrue(flowsPerWorker[w] > 0, "the clients spread over the workers: " + java.util.Arrays.toString(
                flowsPerWorker));
        }
        assertConserved();
    }

    @Test
    void anIpv4HostReachesTheStaticBibServerOnTheWorkerThatHoldsTheEntry()
    {
        final StaticBibEntry entry = config.nat64().stateful().staticBib().get(0);
        final StaticBibPlacement placement = new StaticBibPlacement(steering);
        final int holder = placement.holder(entry);
        assertNotEquals(placement.owner(entry), holder);

        final Sent in = exchange(VPC, fromInstance(PacketBuilder.ipv4(INSTANCE, POOL4).tcp(5555, STATIC_PORT,
            TcpFlyweight.SYN)), INTERNET);
        assertEquals(holder, in.worker(), "steered to the entry, not to the port's owner");
        assertEquals(8080, u16(in.frame(), 14 + 40 + 2), "to the IPv6 server's port");
        final Sent out = exchange(INTERNET, fromClient(PacketBuilder.ipv6(SERVER6, "64:ff9b::a00:105")
            .tcp(8080, 5555, TcpFlyweight.SYN | TcpFlyweight.ACK)), VPC);
        assertEquals(holder, out.worker());
        assertEquals(STATIC_PORT, u16(out.frame(), 14 + 20), "from the static pool4 port");

        // The owner never hands the port out: map flows of its own clients until its part is used up.
        final int owner = placement.owner(entry);
        assertTrue(nat64PoolOf(owner).isAllocated(entry.protocol(), entry.pool4Address(), STATIC_PORT),
            "reserved on the owner");
        int mapped = 0;
        for (int i = 0; mapped < 400; i++)
        {
            final String source = "2001:db8:ffff::" + Integer.toHexString(0x1000 + i);
            if (steering.ipv6Home(PacketBuilder.ipv6High(source), PacketBuilder.ipv6Low(source)) != owner)
            {
                continue;
            }
            sent.clear();
            receive(INTERNET, fromClient(PacketBuilder.ipv6(source, EIP6).tcp(40000 + (i & 1), 443, TcpFlyweight.SYN)));
            mapped++;
            if (sent.size() == 1 && sent.get(0).port() == VPC)
            {
                assertNotEquals(STATIC_PORT, u16(sent.get(0).frame(), 14 + 20), "the static port was handed out");
            }
        }
        assertEquals(0, nat64PoolOf(owner).freePorts(entry.protocol()), "the owner's part is used up, "
            + STATIC_PORT + " aside");
        assertConserved();
    }

    private io.sixgate.nat64.state.Pool4 nat64PoolOf(final int worker)
    {
        return ((io.sixgate.nat64.stateful.Nat64Stateful64Stage)pipelines[worker]
            .stage(io.sixgate.nat64.stateful.Nat64Stateful64Stage.NAME)).shard().pool4();
    }

    @Test
    void arpAndNeighborSolicitationsTeachEveryWorkerAndAreAnsweredOnce()
    {
        sent.clear();
        receive(VPC, PacketBuilder.arp(EthernetFlyweight.BROADCAST_MAC, ArpFlyweight.OPER_REQUEST, INSTANCE_MAC,
            "10.0.1.77", 0, "10.0.1.1"));
        assertEquals(1, sent.size(), "one ARP reply, not one per worker: " + sent);
        assertEquals(0, sent.get(0).worker());
        assertEquals(EthernetFlyweight.ETHERTYPE_ARP, u16(sent.get(0).frame(), 12));
        for (int w = 1; w < WORKERS; w++)
        {
            assertEquals(1, event(w, StageNames.ARP_INPUT, ArpInputStage.Event.LEFT_TO_ANSWERING_WORKER));
        }

        sent.clear();
        receive(VPC, PacketBuilder.ipv6("2001:db8:0:1::77", "ff02::1:ff00:1").ttl(255)
            .neighborSolicitation("2001:db8:0:1::1", INSTANCE_MAC).ethernet(0x3333_ff00_0001L, INSTANCE_MAC).build());
        assertEquals(1, sent.size(), "one Neighbor Advertisement: " + sent);
        assertEquals(0, sent.get(0).worker());
        for (int w = 1; w < WORKERS; w++)
        {
            assertEquals(1, event(w, StageNames.NDP_INPUT, NdpInputStage.Event.LEFT_TO_ANSWERING_WORKER));
        }

        // Every worker learned both hosts: each forwards to them at once. What else goes out is the
        // neighbour cache's unicast reachability probe (RFC 4861 §7.3.3), to the learned MAC too,
        // never a broadcast or multicast question.
        sent.clear();
        for (int i = 0; i < 64; i++)
        {
            receive(INTERNET, fromClient(PacketBuilder.ipv4("198.51.100." + (100 + i), "10.0.1.77").udp(1000, 53)));
            receive(INTERNET, fromClient(PacketBuilder.ipv6(client(i % 16), "2001:db8:0:1::77").udp(1000 + i, 53)));
        }
        final List<Sent> data = sent.stream().filter(frame -> u16(frame.frame(), 12) == EthernetFlyweight.ETHERTYPE_IPV4
            || frame.frame().length == 14 + 40 + 8).toList();
        assertEquals(128, data.size(), () -> sent.stream().map(f -> f.worker() + ":" + f.port() + ":"
            + Integer.toHexString(u16(f.frame(), 12)) + ":" + f.frame().length).toList().toString());
        for (final Sent frame : sent)
        {
            assertEquals(INSTANCE_MAC, mac(frame.frame()), "to the learned MAC, worker " + frame.worker());
        }
        assertEquals(WORKERS, data.stream().map(Sent::worker).distinct().count(), "every worker forwarded");
        assertConserved();
    }

    private long event(final int worker, final String stage, final io.sixgate.core.pipeline.StageEvent event)
    {
        return pipelines[worker].counters().event(pipelines[worker].eventId(stage, event));
    }

    private static long mac(final byte[] frame)
    {
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = (mac << 8) | (frame[i] & 0xFF);
        }
        return mac;
    }

    /** received + generated = transmitted + dropped + consumed, per worker and so summed over them. */
    private void assertConserved()
    {
        long in = 0;
        long out = 0;
        for (final Pipeline pipeline : pipelines)
        {
            final PipelineCounters c = pipeline.counters();
            assertEquals(c.totalReceived() + c.generated(), c.totalTransmitted() + c.totalDropped() + c.consumed(),
                "worker conservation");
            in += c.totalReceived() + c.generated();
            out += c.totalTransmitted() + c.totalDropped() + c.consumed();
        }
        assertEquals(in, out, "summed over the workers");
        assertTrue(in > 0);
    }
}
