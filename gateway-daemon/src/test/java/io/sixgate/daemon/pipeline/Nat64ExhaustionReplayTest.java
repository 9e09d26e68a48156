package io.sixgate.daemon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.port.LinkType;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.state.SessionTable;

import org.junit.jupiter.api.Test;

/**
 * State exhaustion through the gateway's own pipeline on the packet clock (issue 8): floods of
 * new flows from random IPv6 sources against the stateful NAT64 while established flows keep
 * running. The established flows lose no packet, the tables never pass their caps, the
 * per-source quota holds, every refused flow is a named drop, and once the flood stops and its
 * sessions expire new clients get sessions again.
 */
class Nat64ExhaustionReplayTest
{
    private static final String EIP6 = "64:ff9b::cb00:7105";
    private static final String INSTANCE = "10.0.1.5";
    private static final String POOL4 = "198.51.100.10";
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final int FLOOD_SOURCES = 100_000;

    private static String config(final int maxSessions, final int perSource, final String pool4Ports)
    {
        return config(maxSessions, perSource, pool4Ports, "");
    }

    private static String config(final int maxSessions, final int perSource, final String pool4Ports, final String extra)
    {
        return String.join("\n",
            "frame-pool: {frames: 1024}",
            "ports:",
            "  - {name: v6, type: tap, mtu: 1500, addresses: [\"2001:db8::1/64\"]}",
            "  - {name: v4, type: tap, mtu: 1500, addresses: [10.0.1.1/24]}",
            "routes:",
            "  - {prefix: \"::/0\", via: \"2001:db8::9\", port: v6}",
            "nat64:",
            "  mode: stateful",
            "  prefix: \"64:ff9b::/96\"",
            "  wkp-global-only: false",
            "  pool4: [{address: " + POOL4 + ", ports: " + pool4Ports + "}]",
            "  max-sessions: " + maxSessions,
            "  max-sessions-per-source: " + perSource,
            extra,
            "eip:",
            "  - {public: 203.0.113.5, private: " + INSTANCE + "}",
            "");
    }

    /**
     * A long-lived flow of an established client: UDP and a TCP connection to the instance,
     * packets both ways.
     */
    private static final class EstablishedClient
    {
        final String address;
        int udpPool4Port;
        int tcpPool4Port;
        long sent;

        EstablishedClient(final String address)
        {
            this.address = address;
        }

        void open(final PacketClockPipeline gateway)
        {
            gateway.forgetTransmitted();
            gateway.send("v6", PacketBuilder.ipv6(address, EIP6).udp(50000, 53).payload(20).build());
            udpPool4Port = sourcePort(only(gateway.take("v4")));
            gateway.send("v6", PacketBuilder.ipv6(address, EIP6).tcp(50001, 80, TcpFlyweight.SYN).build());
            tcpPool4Port = sourcePort(only(gateway.take("v4")));
            gateway.send("v4", PacketBuilder.ipv4(INSTANCE, POOL4).tcp(80, tcpPool4Port, TcpFlyweight.SYN | TcpFlyweight.ACK)
                .build());
            only(gateway.take("v6"));
            gateway.send("v6", PacketBuilder.ipv6(address, EIP6).tcp(50001, 80, TcpFlyweight.ACK).build());
            only(gateway.take("v4"));
        }

        /** One packet each way on each flow; every one must come out. */
        void exchange(final PacketClockPipeline gateway)
        {
            gateway.forgetTransmitted();
            gateway.send("v6", PacketBuilder.ipv6(address, EIP6).udp(50000, 53).payload(20).build());
            assertEquals(udpPool4Port, sourcePort(only(gateway.take("v4"))), address + ": UDP out");
            gateway.send("v4", PacketBuilder.ipv4(INSTANCE, POOL4).udp(53, udpPool4Port).payload(40).build());
            only(gateway.take("v6"));
            gateway.send("v6", PacketBuilder.ipv6(address, EIP6).tcp(50001, 80, TcpFlyweight.ACK).payload(100).build());
            only(gateway.take("v4"));
            gateway.send("v4", PacketBuilder.ipv4(INSTANCE, POOL4).tcp(80, tcpPool4Port, TcpFlyweight.ACK).payload(1000)
                .build());
            only(gateway.take("v6"));
            sent += 4;
        }
    }

    private static byte[] only(final List<byte[]> frames)
    {
        assertEquals(1, frames.size(), "exactly one packet came out");
        return frames.get(0);
    }

    private static int sourcePort(final byte[] ipv4)
    {
        final int l4 = (ipv4[0] & 0x0F) * 4;
        return (ipv4[l4] & 0xFF) << 8 | ipv4[l4 + 1] & 0xFF;
    }

    /**
     * A UDP packet from a random source in 2001:db8::/32 (not 2001:db8:ffff::/48, the established
     * clients'), written over a template: the gateway does not check transport checksums.
     */
    private static final class Flood
    {
        private final byte[] template = PacketBuilder.ipv6("2001:db8::2", EIP6).udp(1024, 53).payload(8).build();
        private final SplittableRandom random = new SplittableRandom(8);

        byte[] next()
        {
            final byte[] packet = template.clone();
            final long low = random.nextLong();
            final int high = random.nextInt(0xFFFF) << 16 | random.nextInt(0x10000);
            // 2001:0db8:xxxx:xxxx:<random 64>
            packet[12] = (byte)(high >>> 24);
            packet[13] = (byte)(high >>> 16);
            packet[14] = (byte)(high >>> 8);
            packet[15] = (byte)high;
            for (int i = 0; i < 8; i++)
            {
                packet[16 + i] = (byte)(low >>> (56 - 8 * i));
            }
            final int port = 1024 + random.nextInt(60000);
            packet[40] = (byte)(port >>> 8);
            packet[41] = (byte)port;
            return packet;
        }
    }

    @Test
    void floodOfNewFlowsFromAHundredThousandSourcesLeavesEstablishedFlowsAlone() throws Exception
    {
        final int maxSessions = 4096;
        final int perSource = 8;
        final PacketClockPipeline gateway = new PacketClockPipeline(config(maxSessions, perSource, "1024-65535"),
            LinkType.RAW);
        final SessionTable sessions = gateway.nat64().sessions();
        final EstablishedClient[] clients = {
            new EstablishedClient("2001:db8:ffff::7"), new EstablishedClient("2001:db8:ffff::8"),
            new EstablishedClient("2001:db8:ffff::9"), new EstablishedClient("2001:db8:ffff::a")};
        for (final EstablishedClient client : clients)
        {
            client.open(gateway);
        }

        // A greedy source first: 100 flows, but only its quota of sessions (RFC 6888 REQ-4).
        final String greedy = "2001:db8:ffff::66";
        for (int port = 2000; port < 2100; port++)
        {
            gateway.send("v6", PacketBuilder.ipv6(greedy, EIP6).udp(port, 53).build());
        }
        assertEquals(perSource, sessions.quotas().sessionCount(PacketBuilder.ipv6High(greedy), PacketBuilder.ipv6Low(greedy)),
            "the greedy source got its quota");
        assertEquals(100 - perSource, gateway.dropped("nat64-6to4/source-bib-quota")
            + gateway.dropped("nat64-6to4/source-session-quota"), "and the rest of its flows are named drops");

        // The flood: 100 000 sources in one second of packet time, the established flows every 1 000.
        final Flood flood = new Flood();
        int largest = 0;
        for (int i = 0; i < FLOOD_SOURCES; i++)
        {
            gateway.advance(10_000);
            gateway.send("v6", flood.next());
            largest = Math.max(largest, sessions.size());
            if (i % 1_000 == 999)
            {
                gateway.forgetTransmitted();
                for (final EstablishedClient client : clients)
                {
                    client.exchange(gateway);
                }
            }
        }

        assertTrue(largest <= maxSessions, "the session table never exceeded max-sessions: " + largest);
        assertEquals(maxSessions, sessions.size(), "the flood filled the table");
        final long refused = gateway.dropped("nat64-6to4/session-table-full") + gateway.dropped("nat64-6to4/bib-table-full")
            + gateway.dropped("nat64-6to4/source-table-full");
        assertEquals(FLOOD_SOURCES - (maxSessions - 2 * clients.length - perSource), refused,
            "every flood flow that found no room is a named drop");
        assertTrue(sessions.quotas().sessionCount(PacketBuilder.ipv6High(greedy), PacketBuilder.ipv6Low(greedy)) <= perSource,
            "the per-source quota held through the flood");
        for (final EstablishedClient client : clients)
        {
            assertEquals(4L * FLOOD_SOURCES / 1_000, client.sent, "the established flows ran all along");
        }

        // The flood stops; the established flows go on once a minute; the flood's sessions expire (UDP: 5 min).
        for (int minute = 0; minute < 6; minute++)
        {
            gateway.advance(60 * SECOND, SECOND);
            for (final EstablishedClient client : clients)
            {
                client.exchange(gateway);
            }
        }
        assertEquals(2 * clients.length, sessions.size(), "only the established flows' sessions are left");

        // New clients get sessions again.
        gateway.forgetTransmitted();
        for (int i = 1; i <= 1_000; i++)
        {
            gateway.send("v6", PacketBuilder.ipv6("2001:db8:eeee::" + Integer.toHexString(i), EIP6).udp(4000, 53).build());
        }
        assertEquals(1_000, gateway.take("v4").size(), "every new client was translated");
        gateway.assertConserved(0);
    }

    @Test
    void pool4PortExhaustionRefusesNewFlowsNamedAndRecoversAfterExpiry() throws Exception
    {
        // 100 ports per protocol: the established clients hold 4 UDP and 4 TCP of them.
        final PacketClockPipeline gateway = new PacketClockPipeline(config(65536, 65536, "40000-40099"), LinkType.RAW);
        final EstablishedClient[] clients = {
            new EstablishedClient("2001:db8:ffff::7"), new EstablishedClient("2001:db8:ffff::8"),
            new EstablishedClient("2001:db8:ffff::9"), new EstablishedClient("2001:db8:ffff::a")};
        for (final EstablishedClient client : clients)
        {
            client.open(gateway);
        }

        final Flood flood = new Flood();
        for (int i = 0; i < 10_000; i++)
        {
            gateway.advance(100_000);
            gateway.send("v6", flood.next());
            if (i % 100 == 99)
            {
                for (final EstablishedClient client : clients)
                {
                    client.exchange(gateway);
                }
            }
        }
        assertEquals(0, gateway.nat64().pool4().freePorts(SessionProtocol.UDP), "every UDP port is taken");
        assertEquals(10_000 - (100 - clients.length), gateway.dropped("nat64-6to4/pool4-exhausted"),
            "every flood flow that found no port is a named drop");
        for (final EstablishedClient client : clients)
        {
            assertEquals(4L * 100, client.sent, "the established flows ran all along");
        }

        for (int minute = 0; minute < 6; minute++)
        {
            gateway.advance(60 * SECOND, SECOND);
            for (final EstablishedClient client : clients)
            {
                client.exchange(gateway);
            }
        }
        gateway.forgetTransmitted();
        for (int i = 1; i <= 90; i++)
        {
            gateway.send("v6", PacketBuilder.ipv6("2001:db8:eeee::" + Integer.toHexString(i), EIP6).udp(4000, 53).build());
        }
        assertEquals(90, gateway.take("v4").size(), "once the flood's mappings expired, new clients get ports");
        gateway.assertConserved(0);
    }

    @Test
    void sourcesBeyondMaxSourcesAreRefusedByNameWhileKnownSourcesStillOpenFlows() throws Exception
    {
        // 1 000 sessions of 64 per source, but room for 10 subscribers (nat64.max-sources).
        final PacketClockPipeline gateway = new PacketClockPipeline(
            config(1000, 64, "1024-65535", "  max-sources: 10"), LinkType.RAW);
        final SessionTable sessions = gateway.nat64().sessions();
        for (int i = 1; i <= 12; i++)
        {
            gateway.send("v6", PacketBuilder.ipv6("2001:db8:eeee::" + Integer.toHexString(i), EIP6).udp(4000, 53).build());
        }
        assertEquals(10, gateway.take("v4").size(), "ten subscribers got a session");
        assertEquals(2, gateway.dropped("nat64-6to4/source-table-full"), "the eleventh and twelfth are named drops");

        for (int port = 4001; port < 4033; port++)
        {
            gateway.send("v6", PacketBuilder.ipv6("2001:db8:eeee::1", EIP6).udp(port, 53).build());
        }
        assertEquals(32, gateway.take("v4").size(), "a known subscriber still opens new flows");
        assertEquals(10 + 32, sessions.size());
        gateway.assertConserved(0);
    }
}
