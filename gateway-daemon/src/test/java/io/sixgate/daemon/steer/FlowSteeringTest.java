package io.sixgate.daemon.steer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.core.packet.ArpFlyweight;
import io.sixgate.core.packet.Icmpv4Flyweight;
import io.sixgate.core.packet.Icmpv6Flyweight;
import io.sixgate.core.packet.NdpFlyweight;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.testing.AllocationMeter;
import io.sixgate.nat64.address.Rfc6052Prefix;
import io.sixgate.nat64.state.Pool4;
import io.sixgate.nat64.state.PortPartition;
import io.sixgate.nat64.state.PortRange;
import io.sixgate.nat64.state.SessionProtocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every rule of {@link FlowSteering}, and the property the workers rely on: both directions of
 * a NAT64 flow and of a native IPv6 flow land on the same worker.
 */
class FlowSteeringTest
{
    private static final int WORKERS = 4;
    private static final int VPC_PORT = 0;
    private static final int INTERNET_PORT = 1;
    private static final long GW_MAC = 0x02_53_47_00_00_01L;
    private static final long HOST_MAC = 0x02_53_47_00_01_10L;
    private static final String POOL4 = "203.0.113.64";
    private static final String SERVER4 = "192.0.2.5";
    private static final Rfc6052Prefix POOL6 = Rfc6052Prefix.parse("64:ff9b::/96");
    private static final String EIP6 = "64:ff9b::cb00:7105";
    private static final Ipv6Prefix VPC = Ipv6Prefix.parse("2001:db8:0:1::/64");

    private final FlowSteering steering = new FlowSteering(WORKERS, new int[]{Ipv4Address.parse(POOL4)}, POOL6,
        List.of(VPC), INTERNET_PORT, 42);
    private final FlowSteering.Reader reader = steering.reader();
    private final List<Pool4> pools = new ArrayList<>();

    @AfterEach
    void close()
    {
        pools.forEach(Pool4::close);
    }

    private int steer(final byte[] frame, final int portId)
    {
        return reader.workerOf(new UnsafeBuffer(frame), 0, frame.length, portId);
    }

    private static byte[] frame(final PacketBuilder packet)
    {
        return packet.ethernet(GW_MAC, HOST_MAC).build();
    }

    private int home(final String ipv6)
    {
        return steering.ipv6Home(PacketBuilder.ipv6High(ipv6), PacketBuilder.ipv6Low(ipv6));
    }

    private static String client(final int i)
    {
        return "2001:db8:ffff::" + Integer.toHexString(i);
    }

    @Test
    void oneWorkerGetsEverything()
    {
        final FlowSteering single = new FlowSteering(1, new int[0], null, List.of(), -1, 1);
        final FlowSteering.Reader one = single.reader();
        for (final byte[] frame : List.of(
            frame(PacketBuilder.ipv6(client(1), EIP6).udp(1, 2)),
            PacketBuilder.arp(-1L & 0xFFFF_FFFF_FFFFL, ArpFlyweight.OPER_REQUEST, HOST_MAC, "192.0.2.10", 0, "192.0.2.1"),
            new byte[3]))
        {
            assertEquals(0, one.workerOf(new UnsafeBuffer(frame), 0, frame.length, 0));
        }
    }

    @Test
    void arpAndNeighborSolicitationsAndAdvertisementsGoToEveryWorker()
    {
        assertEquals(FlowSteering.ALL_WORKERS, steer(PacketBuilder.arp(0xFFFF_FFFF_FFFFL, ArpFlyweight.OPER_REQUEST,
            HOST_MAC, "192.0.2.10", 0, "192.0.2.1"), VPC_PORT));
        assertEquals(FlowSteering.ALL_WORKERS, steer(PacketBuilder.arp(GW_MAC, ArpFlyweight.OPER_REPLY,
            HOST_MAC, "192.0.2.10", GW_MAC, "192.0.2.1"), VPC_PORT));
        assertEquals(FlowSteering.ALL_WORKERS, steer(frame(PacketBuilder.ipv6("2001:db8:0:1::10", "ff02::1:ff00:1")
            .ttl(255).neighborSolicitation("2001:db8:0:1::1", HOST_MAC)), VPC_PORT));
        assertEquals(FlowSteering.ALL_WORKERS, steer(frame(PacketBuilder.ipv6("2001:db8:0:1::10", "2001:db8:0:1::1")
            .ttl(255).neighborAdvertisement("2001:db8:0:1::10", NdpFlyweight.FLAG_SOLICITED, HOST_MAC)), VPC_PORT));
        assertEquals(FlowSteering.ALL_WORKERS, steer(frame(PacketBuilder.ipv6("2001:db8:0:1::10", "ff02::1:ff00:1")
            .hopByHop().ttl(255).neighborSolicitation("2001:db8:0:1::1", HOST_MAC)), VPC_PORT),
            "found behind an extension header too");
    }

    @Test
    void otherIcmpv6AndRouterSolicitationsAreOrdinaryFlows()
    {
        final byte[] rs = frame(PacketBuilder.ipv6("2001:db8:0:1::10", "ff02::2")
            .icmp(Icmpv6Flyweight.TYPE_ROUTER_SOLICITATION, 0, 0));
        final int worker = steer(rs, VPC_PORT);
        assertTrue(worker >= 0 && worker < WORKERS, "one worker: " + worker);
    }

    @Test
    void ipv6ToPool6GoesToTheHomeOfItsSource()
    {
        for (int i = 1; i < 200; i++)
        {
            final String client = client(i);
            final int home = home(client);
            assertEquals(home, steer(frame(PacketBuilder.ipv6(client, EIP6).tcp(40000 + i, 80, TcpFlyweight.SYN)),
                INTERNET_PORT));
            assertEquals(home, steer(frame(PacketBuilder.ipv6(client, EIP6).udp(50000, 53)), INTERNET_PORT));
            assertEquals(home, steer(frame(PacketBuilder.ipv6(client, EIP6).icmpEchoRequest(i, 1)), INTERNET_PORT));
            assertEquals(home, steer(frame(PacketBuilder.ipv6(client, EIP6).fragmentHeader(1480, false, 7)
                .udp(50000, 53)), INTERNET_PORT), "a non-first fragment goes where its flow goes");
        }
    }

    @Test
    void anIcmpv6ErrorToPool6GoesToTheHomeOfTheHostItIsAbout()
    {
        // A translated packet from the IPv4 server (as 64:ff9b::c000:205) to the client bounced at a router.
        final String client = client(0x77);
        final byte[] quoted = PacketBuilder.ipv6("64:ff9b::c000:205", client).udp(53, 50000).payload(8).build();
        final byte[] error = frame(PacketBuilder.ipv6("2001:db8:ffff::fe", "64:ff9b::c000:205")
            .icmp(Icmpv6Flyweight.TYPE_DESTINATION_UNREACHABLE, Icmpv6Flyweight.CODE_PORT_UNREACHABLE, 0)
            .payload(quoted));
        assertEquals(home(client), steer(error, INTERNET_PORT));
        assertNotEquals(home("2001:db8:ffff::fe"), home(client), "the test means something: the router's home differs");
    }

    @Test
    void ipv4ToPool4GoesToTheOwnerOfTheDestinationPortOrIdentifier()
    {
        for (int port = 1024; port < 1200; port++)
        {
            final int owner = PortPartition.owner(port, WORKERS);
            assertEquals(owner, steer(frame(PacketBuilder.ipv4(SERVER4, POOL4).tcp(80, port, TcpFlyweight.ACK)),
                VPC_PORT));
            assertEquals(owner, steer(frame(PacketBuilder.ipv4(SERVER4, POOL4).udp(53, port)), VPC_PORT));
            assertEquals(owner, steer(frame(PacketBuilder.ipv4(SERVER4, POOL4).icmpEchoReply(port, 9)), VPC_PORT));
        }
    }

    @Test
    void anIcmpErrorToPool4GoesToTheOwnerOfThePortItQuotes()
    {
        for (int port = 2000; port < 2100; port++)
        {
            final int owner = PortPartition.owner(port, WORKERS);
            final byte[] udp = PacketBuilder.ipv4(POOL4, SERVER4).udp(port, 53).payload(8).build();
            final byte[] tcp = PacketBuilder.ipv4(POOL4, SERVER4).tcp(port, 80, TcpFlyweight.SYN).build();
            final byte[] echo = PacketBuilder.ipv4(POOL4, SERVER4).icmpEchoRequest(port, 1).build();
            for (final byte[] quoted : List.of(udp, tcp, echo))
            {
                assertEquals(owner, steer(frame(PacketBuilder.ipv4(SERVER4, POOL4)
                    .icmp(Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, 3, 0).payload(quoted)), VPC_PORT));
                assertEquals(owner, steer(frame(PacketBuilder.ipv4("192.0.2.254", POOL4)
                    .icmp(Icmpv4Flyweight.TYPE_TIME_EXCEEDED, 0, 0).payload(quoted)), VPC_PORT));
            }
        }
    }

    @Test
    void aStaticBibPortGoesToTheWorkerHoldingTheEntry()
    {
        final int pool4 = Ipv4Address.parse(POOL4);
        final int owner = PortPartition.owner(80, WORKERS);
        final int holder = (owner + 1) % WORKERS;
        steering.staticBib(StaticBibSteering.of(Map.of(StaticBibSteering.key(SessionProtocol.TCP, pool4, 80), holder)));

        assertEquals(holder, steer(frame(PacketBuilder.ipv4(SERVER4, POOL4).tcp(5555, 80, TcpFlyweight.SYN)), VPC_PORT));
        assertEquals(owner, steer(frame(PacketBuilder.ipv4(SERVER4, POOL4).udp(5555, 80)), VPC_PORT),
            "the exception is per protocol");
        final byte[] quoted = PacketBuilder.ipv4(POOL4, SERVER4).tcp(80, 5555, TcpFlyweight.SYN | TcpFlyweight.ACK).build();
        assertEquals(holder, steer(frame(PacketBuilder.ipv4(SERVER4, POOL4)
            .icmp(Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, 3, 0).payload(quoted)), VPC_PORT));

        steering.staticBib(StaticBibSteering.EMPTY);
        assertEquals(owner, steer(frame(PacketBuilder.ipv4(SERVER4, POOL4).tcp(5555, 80, TcpFlyweight.SYN)), VPC_PORT));
    }

    @Test
    void bothDirectionsOfNat64FlowsLandOnTheSameWorker()
    {
        final Pool4[] parts = new Pool4[WORKERS];
        for (int w = 0; w < WORKERS; w++)
        {
            parts[w] = new Pool4(new int[]{Ipv4Address.parse(POOL4)}, PortRange.NON_WELL_KNOWN, PortRange.NON_WELL_KNOWN,
                PortRange.ALL, w, new PortPartition(w, WORKERS));
            pools.add(parts[w]);
        }
        final Random random = new Random(6146);
        final int[] perWorker = new int[WORKERS];
        for (int i = 0; i < 2_000; i++)
        {
            final String client = "2001:db8:" + Integer.toHexString(random.nextInt(0x10000)) + "::"
                + Integer.toHexString(1 + random.nextInt(0xFFFF));
            final int clientPort = 1024 + random.nextInt(60000);
            final int protocol = random.nextInt(SessionProtocol.COUNT);
            final PacketBuilder out = PacketBuilder.ipv6(client, EIP6);
            final int worker = steer(frame(protocol == SessionProtocol.TCP ? out.tcp(clientPort, 443, TcpFlyweight.SYN)
                : protocol == SessionProtocol.UDP ? out.udp(clientPort, 53) : out.icmpEchoRequest(clientPort, 1)),
                INTERNET_PORT);
            perWorker[worker]++;
            // The worker's shard maps the flow within its part of pool4 ...
            final long mapped = parts[worker].allocate(protocol, PacketBuilder.ipv6High(client),
                PacketBuilder.ipv6Low(client), clientPort);
            assertNotEquals(Pool4.NO_PORT, mapped);
            final int port = Pool4.port(mapped);
            // ... so the IPv4 answer, and an ICMP error about the flow, come back to it.
            final PacketBuilder back = PacketBuilder.ipv4(SERVER4, POOL4);
            final byte[] reply = frame(protocol == SessionProtocol.TCP ? back.tcp(443, port, TcpFlyweight.SYN
                | TcpFlyweight.ACK) : protocol == SessionProtocol.UDP ? back.udp(53, port) : back.icmpEchoReply(port, 1));
            assertEquals(worker, steer(reply, VPC_PORT), client + "#" + clientPort + " mapped to port " + port);
            final PacketBuilder sent = PacketBuilder.ipv4(POOL4, SERVER4);
            final byte[] quoted = (protocol == SessionProtocol.TCP ? sent.tcp(port, 443, TcpFlyweight.SYN)
                : protocol == SessionProtocol.UDP ? sent.udp(port, 53) : sent.icmpEchoRequest(port, 1)).build();
            assertEquals(worker, steer(frame(PacketBuilder.ipv4("192.0.2.254", POOL4)
                .icmp(Icmpv4Flyweight.TYPE_TIME_EXCEEDED, 0, 0).payload(quoted)), VPC_PORT));
        }
        for (int w = 0; w < WORKERS; w++)
        {
            assertTrue(perWorker[w] > 2_000 / WORKERS / 2, "flows spread over the workers: " + java.util.Arrays
                .toString(perWorker));
        }
    }

    @Test
    void bothDirectionsOfNativeIpv6FlowsLandOnTheSameWorker()
    {
        final Random random = new Random(4890);
        final FlowSteering withoutGateway = new FlowSteering(WORKERS, new int[0], null, List.of(), -1, 7);
        final FlowSteering.Reader plain = withoutGateway.reader();
        final int[] perWorker = new int[WORKERS];
        for (int i = 0; i < 2_000; i++)
        {
            final String vpcHost = "2001:db8:0:1::" + Integer.toHexString(1 + random.nextInt(0xFFFF));
            final String otherVpcHost = "2001:db8:0:1::" + Integer.toHexString(1 + random.nextInt(0xFFFF));
            final String internetHost = "2001:db8:" + Integer.toHexString(0x100 + random.nextInt(0xFE00)) + "::"
                + Integer.toHexString(1 + random.nextInt(0xFFFF));
            final int port = 1024 + random.nextInt(60000);
            final byte[] out = frame(PacketBuilder.ipv6(vpcHost, internetHost).tcp(port, 443, TcpFlyweight.SYN));
            final byte[] in = frame(PacketBuilder.ipv6(internetHost, vpcHost).tcp(443, port, TcpFlyweight.SYN
                | TcpFlyweight.ACK));
            final int worker = steer(out, VPC_PORT);
            perWorker[worker]++;
            assertEquals(home(vpcHost), worker, "outbound: the VPC host's home");
            assertEquals(worker, steer(in, INTERNET_PORT), "inbound to " + vpcHost + " from " + internetHost);
            final byte[] unsolicited = frame(PacketBuilder.ipv6(internetHost, vpcHost).udp(53, port));
            assertEquals(worker, steer(unsolicited, INTERNET_PORT), "all of a VPC host's Internet traffic: one worker");

            final byte[] east = frame(PacketBuilder.ipv6(vpcHost, otherVpcHost).udp(port, 53));
            final byte[] west = frame(PacketBuilder.ipv6(otherVpcHost, vpcHost).udp(53, port));
            assertEquals(steer(east, VPC_PORT), steer(west, VPC_PORT), "between two VPC hosts");

            assertEquals(plain.workerOf(new UnsafeBuffer(out), 0, out.length, VPC_PORT),
                plain.workerOf(new UnsafeBuffer(in), 0, in.length, INTERNET_PORT), "without an ipv6-gateway section");
        }
        for (int w = 0; w < WORKERS; w++)
        {
            assertTrue(perWorker[w] > 2_000 / WORKERS / 2, java.util.Arrays.toString(perWorker));
        }
    }

    @Test
    void nativeIpv4AndOtherFramesGoToOneWorkerPerAddressPair()
    {
        final byte[] out = frame(PacketBuilder.ipv4("192.0.2.10", "198.51.100.10").udp(4000, 53));
        final byte[] back = frame(PacketBuilder.ipv4("198.51.100.10", "192.0.2.10").udp(53, 4000));
        assertEquals(steer(out, VPC_PORT), steer(back, INTERNET_PORT));
        final byte[] fragment = frame(PacketBuilder.ipv4(SERVER4, POOL4).ipv4Fragment(1480, false).udp(53, 2000));
        final int worker = steer(fragment, VPC_PORT);
        assertTrue(worker >= 0 && worker < WORKERS, "a non-first fragment to pool4 has no port: any worker, " + worker);
    }

    @Test
    void framesTooShortToParseGoToWorkerZero()
    {
        final byte[] ipv6 = frame(PacketBuilder.ipv6(client(5), EIP6).udp(1, 2));
        final byte[] ipv4 = frame(PacketBuilder.ipv4(SERVER4, POOL4).udp(53, 2001));
        for (final int length : new int[]{0, 1, 13, 14, 20, 33})
        {
            assertEquals(0, reader.workerOf(new UnsafeBuffer(ipv4), 0, length, VPC_PORT), "IPv4 cut at " + length);
        }
        for (final int length : new int[]{13, 14, 53})
        {
            assertEquals(0, reader.workerOf(new UnsafeBuffer(ipv6), 0, length, INTERNET_PORT), "IPv6 cut at " + length);
        }
        // A pool4 packet cut inside its UDP header: no port, but not too short for IP.
        final int cut = reader.workerOf(new UnsafeBuffer(ipv4), 0, 14 + 21, VPC_PORT);
        assertTrue(cut >= 0 && cut < WORKERS);
    }

    @Test
    void steeringAllocatesNothing()
    {
        final String client = client(9);
        final List<byte[]> frames = List.of(
            frame(PacketBuilder.ipv6(client, EIP6).tcp(40000, 80, TcpFlyweight.SYN)),
            frame(PacketBuilder.ipv6(client, EIP6).icmpEchoRequest(7, 1)),
            frame(PacketBuilder.ipv6("2001:db8:0:1::10", "ff02::1:ff00:1").ttl(255)
                .neighborSolicitation("2001:db8:0:1::1", HOST_MAC)),
            frame(PacketBuilder.ipv6("2001:db8:ffff::10", "2001:db8:0:1::10").udp(53, 4000)),
            frame(PacketBuilder.ipv4(SERVER4, POOL4).udp(53, 2001)),
            frame(PacketBuilder.ipv4(SERVER4, POOL4).icmp(Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, 3, 0)
                .payload(PacketBuilder.ipv4(POOL4, SERVER4).udp(2001, 53).build())),
            frame(PacketBuilder.ipv4("192.0.2.10", "198.51.100.10").udp(4000, 53)),
            PacketBuilder.arp(0xFFFF_FFFF_FFFFL, ArpFlyweight.OPER_REQUEST, HOST_MAC, "192.0.2.10", 0, "192.0.2.1"));
        final UnsafeBuffer[] buffers = new UnsafeBuffer[frames.size()];
        for (int i = 0; i < buffers.length; i++)
        {
            final byte[] bytes = frames.get(i);
            buffers[i] = new UnsafeBuffer(java.nio.ByteBuffer.allocateDirect(bytes.length));
            buffers[i].putBytes(0, bytes);
        }
        steering.staticBib(StaticBibSteering.of(Map.of(StaticBibSteering.key(SessionProtocol.UDP,
            Ipv4Address.parse(POOL4), 2001), 3)));
        final long[] sink = new long[1];
        final long bytes = AllocationMeter.leastBytesAllocatedBy(() ->
        {
            for (int round = 0; round < 1_000; round++)
            {
                for (final UnsafeBuffer buffer : buffers)
                {
                    sink[0] += reader.workerOf(buffer, 0, buffer.capacity(), round & 1);
                }
            }
        });
        assertEquals(0, bytes, "steering allocated " + bytes + " bytes");
    }
}
