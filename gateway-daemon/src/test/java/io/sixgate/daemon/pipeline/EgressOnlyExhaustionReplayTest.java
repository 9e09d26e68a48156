package io.sixgate.daemon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.port.LinkType;
import io.sixgate.egress.EgressOnlyTable;

import org.junit.jupiter.api.Test;

/**
 * Exhaustion of the egress-only state table (issue 6's RFC 6092 filter) through the gateway's
 * own pipeline on the packet clock (issue 8): a flood of new outbound flows from 100 000 random
 * VPC addresses while established flows keep running both ways. The table never passes
 * {@code max-flows}, an address never holds more than {@code max-flows-per-address}, refused
 * flows are named drops, established flows lose nothing, and new flows are accepted again once
 * the flood's state expired.
 */
class EgressOnlyExhaustionReplayTest
{
    private static final String REMOTE = "2001:db8:ffff::99";
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final int MAX_FLOWS = 4096;
    private static final int PER_ADDRESS = 64;
    private static final String CONFIG = String.join("\n",
        "frame-pool: {frames: 1024}",
        "ports:",
        "  - {name: vpc, type: tap, addresses: [\"2001:db8:0:1::1/64\"]}",
        "  - {name: internet, type: tap, addresses: [\"2001:db8:ffff::1/64\"]}",
        "routes:",
        "  - {prefix: \"::/0\", via: \"2001:db8:ffff::2\", port: internet}",
        "ipv6-gateway:",
        "  vpc: [\"2001:db8:0:1::/64\"]",
        "  internet-port: internet",
        "  max-flows: " + MAX_FLOWS,
        "  max-flows-per-address: " + PER_ADDRESS,
        "  addresses:",
        "    - {prefix: \"2001:db8:0:1::/64\", bandwidth-mbps: 5000, egress-only: true}",
        "");

    /** A VPC host with a TCP connection and a UDP flow to the Internet, both answered. */
    private static final class EstablishedHost
    {
        final String address;
        long sent;

        EstablishedHost(final String address)
        {
            this.address = address;
        }

        void open(final PacketClockPipeline gateway)
        {
            gateway.forgetTransmitted();
            gateway.send("vpc", PacketBuilder.ipv6(address, REMOTE).tcp(40000, 443, TcpFlyweight.SYN).build());
            only(gateway.take("internet"));
            gateway.send("internet", PacketBuilder.ipv6(REMOTE, address).tcp(443, 40000, TcpFlyweight.SYN | TcpFlyweight.ACK)
                .build());
            only(gateway.take("vpc"));
            gateway.send("vpc", PacketBuilder.ipv6(address, REMOTE).tcp(40000, 443, TcpFlyweight.ACK).build());
            only(gateway.take("internet"));
        }

        void exchange(final PacketClockPipeline gateway)
        {
            gateway.forgetTransmitted();
            gateway.send("vpc", PacketBuilder.ipv6(address, REMOTE).tcp(40000, 443, TcpFlyweight.ACK).payload(100).build());
            only(gateway.take("internet"));
            gateway.send("internet", PacketBuilder.ipv6(REMOTE, address).tcp(443, 40000, TcpFlyweight.ACK).payload(1000)
                .build());
            only(gateway.take("vpc"));
            gateway.send("vpc", PacketBuilder.ipv6(address, REMOTE).udp(5000, 53).payload(20).build());
            only(gateway.take("internet"));
            gateway.send("internet", PacketBuilder.ipv6(REMOTE, address).udp(53, 5000).payload(60).build());
            only(gateway.take("vpc"));
            sent += 4;
        }
    }

    private static byte[] only(final List<byte[]> frames)
    {
        assertEquals(1, frames.size(), "exactly one packet came out");
        return frames.get(0);
    }

    @Test
    void floodOfNewOutboundFlowsFillsTheTableButNeverPassesItsCaps() throws Exception
    {
        final PacketClockPipeline gateway = new PacketClockPipeline(CONFIG, LinkType.RAW);
        final EgressOnlyTable table = gateway.egressOnly();
        final EstablishedHost[] hosts = {new EstablishedHost("2001:db8:0:1::10"), new EstablishedHost("2001:db8:0:1::11"),
            new EstablishedHost("2001:db8:0:1::12"), new EstablishedHost("2001:db8:0:1::13")};
        for (final EstablishedHost host : hosts)
        {
            host.open(gateway);
            host.exchange(gateway);
        }
        final int established = table.size();

        // A greedy address: 100 flows, its limit of them.
        gateway.forgetTransmitted();
        for (int port = 2000; port < 2100; port++)
        {
            gateway.send("vpc", PacketBuilder.ipv6("2001:db8:0:1::66", REMOTE).udp(port, 53).build());
        }
        assertEquals(PER_ADDRESS, gateway.take("internet").size(), "the greedy address got its flows");
        assertEquals(100 - PER_ADDRESS, gateway.dropped("ipv6-gateway/address-flow-limit"));

        // 100 000 new flows from random VPC addresses in one second; the established flows every 1 000.
        final byte[] template = PacketBuilder.ipv6("2001:db8:0:1::2", REMOTE).udp(1024, 53).payload(8).build();
        final SplittableRandom random = new SplittableRandom(6092);
        int largest = 0;
        for (int i = 0; i < 100_000; i++)
        {
            final byte[] packet = template.clone();
            final long low = random.nextLong() | 0x100_0000L;    // never one of the hosts above
            for (int b = 0; b < 8; b++)
            {
                packet[16 + b] = (byte)(low >>> (56 - 8 * b));
            }
            gateway.advance(10_000);
            gateway.send("vpc", packet);
            largest = Math.max(largest, table.size());
            if (i % 1_000 == 999)
            {
                for (final EstablishedHost host : hosts)
                {
                    host.exchange(gateway);
                }
            }
        }
        assertTrue(largest <= MAX_FLOWS, "never more than max-flows: " + largest);
        assertEquals(MAX_FLOWS, table.size(), "the flood filled the table");
        assertEquals(100_000 - (MAX_FLOWS - established - PER_ADDRESS), gateway.dropped("ipv6-gateway/state-table-full"),
            "every flow that found no room is a named drop");
        for (final EstablishedHost host : hosts)
        {
            assertEquals(4 + 4L * 100, host.sent, "the established flows ran all along");
        }
        // Unsolicited inbound stays out, however full the table.
        gateway.forgetTransmitted();
        gateway.send("internet", PacketBuilder.ipv6(REMOTE, "2001:db8:0:1::10").tcp(443, 22, TcpFlyweight.SYN).build());
        assertEquals(0, gateway.take("vpc").size());

        // The flood stops; the established flows go on once a minute; the UDP state expires (5 min).
        for (int minute = 0; minute < 6; minute++)
        {
            gateway.advance(60 * SECOND, SECOND);
            for (final EstablishedHost host : hosts)
            {
                host.exchange(gateway);
            }
        }
        assertEquals(established, table.size(), "only the established flows are left");
        gateway.forgetTransmitted();
        for (int i = 1; i <= 1_000; i++)
        {
            gateway.send("vpc", PacketBuilder.ipv6("2001:db8:0:1::e:" + Integer.toHexString(i), REMOTE).udp(4000, 53).build());
        }
        assertEquals(1_000, gateway.take("internet").size(), "new flows are accepted again");
        gateway.assertConserved(0);
    }
}
