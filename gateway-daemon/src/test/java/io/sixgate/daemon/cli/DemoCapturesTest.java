package io.sixgate.daemon.cli;

import static io.sixgate.daemon.replay.TestCaptures.record;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.TestBuffers;
import io.sixgate.daemon.replay.TestCaptures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * The demo's bundled captures are generated here, so what they contain is readable code.
 * The test fails when the bundled files differ from what this code generates; run it with
 * {@code -Dsixgate.demo.regenerate=true} to rewrite them in src/main/resources.
 */
class DemoCapturesTest
{
    static final long T0_NS = 1_767_225_600_000_000_000L; // 2026-01-01T00:00:00Z
    static final long MS = 1_000_000L;

    static final long GATEWAY_VPC_MAC = 0x02_00_00_00_00_01L;
    static final long GATEWAY_INTERNET_MAC = 0x02_00_00_00_00_02L;
    static final long VPC_HOST_MAC = 0x02_00_00_00_00_10L;
    static final long INTERNET_ROUTER_MAC = 0x02_00_00_00_00_FEL;

    static final String VPC_HOST6 = "2001:db8:0:1::10";
    static final String VPC_HOST4 = "192.0.2.10";

    @TempDir
    Path dir;

    /**
     * A VPC host talks to the Internet; then come the frames the gateway must refuse or answer
     * itself; four seconds later a last ping, by when the gateway gave up resolving 192.0.2.99.
     */
    static List<TestCaptures.Record> vpcInput()
    {
        final List<TestCaptures.Record> frames = new ArrayList<>();
        frames.add(record(T0_NS, fromVpc(PacketBuilder.ipv6(VPC_HOST6, "2001:db8:aaaa::53").udp(40000, 53).payload(32))));
        frames.add(record(T0_NS + MS, fromVpc(PacketBuilder.ipv6(VPC_HOST6, "2001:db8:aaaa::80")
            .tcp(40001, 443, 0x02))));
        frames.add(record(T0_NS + 2 * MS, fromVpc(PacketBuilder.ipv6(VPC_HOST6, "2001:db8:aaaa::80")
            .icmpEchoRequest(7, 1).payload(16))));
        frames.add(record(T0_NS + 3 * MS, fromVpc(PacketBuilder.ipv4(VPC_HOST4, "203.0.113.53").udp(40000, 53)
            .payload(32))));
        frames.add(record(T0_NS + 4 * MS, fromVpc(PacketBuilder.ipv4(VPC_HOST4, "203.0.113.80")
            .icmpEchoRequest(7, 1).payload(16))));
        // Hop limit would reach 0 (answered with Time Exceeded); refused: a truncated packet, a
        // corrupt IPv4 header checksum, a frame for another station. Then ARP for the gateway.
        frames.add(record(T0_NS + 5 * MS, fromVpc(PacketBuilder.ipv6(VPC_HOST6, "2001:db8:aaaa::53").ttl(1)
            .udp(40000, 53))));
        frames.add(record(T0_NS + 6 * MS, Arrays.copyOf(fromVpc(PacketBuilder.ipv6(VPC_HOST6, "2001:db8:aaaa::53")
            .udp(40000, 53).payload(64)), 50)));
        final byte[] badChecksum = fromVpc(PacketBuilder.ipv4(VPC_HOST4, "203.0.113.53").udp(40000, 53));
        badChecksum[14 + 10] ^= (byte)0xFF;
        frames.add(record(T0_NS + 7 * MS, badChecksum));
        frames.add(record(T0_NS + 8 * MS, PacketBuilder.ipv6(VPC_HOST6, "2001:db8:aaaa::53").udp(40000, 53)
            .ethernet(0x02_00_00_00_00_77L, VPC_HOST_MAC).build()));
        frames.add(record(T0_NS + 9 * MS, TestBuffers.fromHex(
            "ffffffffffff 020000000010 0806 0001 0800 06 04 0001 020000000010 c000020a 000000000000 c0000201")));
        // The host asks for the gateway's IPv6 address and pings it over both families.
        frames.add(record(T0_NS + 10 * MS, PacketBuilder.ipv6(VPC_HOST6, "ff02::1:ff00:1").ttl(255)
            .neighborSolicitation("2001:db8:0:1::1", VPC_HOST_MAC).ethernet(0x3333_FF00_0001L, VPC_HOST_MAC).build()));
        frames.add(record(T0_NS + 11 * MS, fromVpc(PacketBuilder.ipv6(VPC_HOST6, "2001:db8:0:1::1")
            .icmpEchoRequest(9, 1).payload(16))));
        frames.add(record(T0_NS + 4_000 * MS, fromVpc(PacketBuilder.ipv4(VPC_HOST4, "192.0.2.1")
            .icmpEchoRequest(9, 2).payload(16))));
        return frames;
    }

    /**
     * Replies from the Internet, and one packet for a VPC address no host answers for: the
     * gateway asks by ARP, waits, and answers Host Unreachable when it gives up.
     */
    static List<TestCaptures.Record> internetInput()
    {
        final List<TestCaptures.Record> frames = new ArrayList<>();
        frames.add(record(T0_NS + MS / 2, fromInternet(PacketBuilder.ipv6("2001:db8:aaaa::53", VPC_HOST6)
            .udp(53, 40000).payload(48))));
        frames.add(record(T0_NS + 3 * MS / 2, fromInternet(PacketBuilder.ipv6("2001:db8:aaaa::80", VPC_HOST6)
            .tcp(443, 40001, 0x12))));
        frames.add(record(T0_NS + 7 * MS / 2, fromInternet(PacketBuilder.ipv4("203.0.113.53", VPC_HOST4)
            .udp(53, 40000).payload(48))));
        frames.add(record(T0_NS + 9 * MS / 2, fromInternet(PacketBuilder.ipv4("203.0.113.53", "192.0.2.99")
            .udp(53, 40000))));
        return frames;
    }

    private static byte[] fromVpc(final PacketBuilder packet)
    {
        return packet.ethernet(GATEWAY_VPC_MAC, VPC_HOST_MAC).build();
    }

    private static byte[] fromInternet(final PacketBuilder packet)
    {
        return packet.ethernet(GATEWAY_INTERNET_MAC, INTERNET_ROUTER_MAC).build();
    }

    @Test
    void bundledDemoCapturesMatchTheirGenerator() throws Exception
    {
        check("vpc-in.pcap", vpcInput());
        check("internet-in.pcap", internetInput());
    }

    private void check(final String name, final List<TestCaptures.Record> records) throws Exception
    {
        final Path generated = TestCaptures.write(dir.resolve(name), DataLinkType.EN10MB, records);
        final Path bundled = Path.of("src/main/resources", DemoCommand.RESOURCE_DIR, name);
        if (Boolean.getBoolean("sixgate.demo.regenerate"))
        {
            Files.copy(generated, bundled, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        assertArrayEquals(Files.readAllBytes(generated), Files.readAllBytes(bundled),
            name + " differs from its generator; rerun with -Dsixgate.demo.regenerate=true");
    }
}
