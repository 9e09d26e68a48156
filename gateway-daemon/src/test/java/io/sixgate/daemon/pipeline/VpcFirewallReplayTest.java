package io.sixgate.daemon.pipeline;

import static io.sixgate.daemon.replay.TestCaptures.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.replay.CaptureBinding;
import io.sixgate.daemon.replay.ReplayEngine;
import io.sixgate.daemon.replay.ReplayRequest;
import io.sixgate.daemon.replay.ReplayResult;
import io.sixgate.daemon.replay.TestCaptures;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Network ACLs and security groups through the daemon's own pipeline and {@code sixgate replay},
 * with the IPv6 gateway and stateful NAT64 in the same graph, captures made by the test. The VPC
 * is behind port {@code vpc}: subnet 2001:db8:100:1::/64 has the network ACL "web" (host ::10),
 * 2001:db8:100:2::20 and the IPv4-only instance 10.0.1.5 are members of the security group "app";
 * the instance's IPv6 EIP is 64:ff9b::cb00:7105 (203.0.113.5). The Internet is behind {@code wan}.
 */
class VpcFirewallReplayTest
{
    private static final String CONFIG = String.join("\n",
        "ports:",
        "  - {name: vpc, type: tap, mtu: 1500, addresses: [\"2001:db8:100:1::1/64\", \"2001:db8:100:2::1/64\","
            + " 10.0.1.1/24]}",
        "  - {name: wan, type: tap, mtu: 1500, addresses: [\"2001:db8::1/64\", 198.51.100.1/24]}",
        "routes:",
        "  - {prefix: \"::/0\", via: \"2001:db8::9\", port: wan}",
        "  - {prefix: 0.0.0.0/0, via: 198.51.100.9, port: wan}",
        "ipv6-gateway:",
        "  vpc: [\"2001:db8:100::/48\"]",
        "  internet-port: wan",
        "  addresses: [{prefix: \"2001:db8:100::/48\", bandwidth-mbps: 1000}]",
        "nat64:",
        "  mode: stateful",
        "  prefix: \"64:ff9b::/96\"",
        "  wkp-global-only: false",
        "  pool4: [{address: 203.0.113.64, ports: 40000-40000}]",
        "eip: [{public: 203.0.113.5, private: 10.0.1.5}]",
        "vpc: [10.0.0.0/16]",
        "network-acls:",
        "  - name: web",
        "    subnets: [\"2001:db8:100:1::/64\"]",
        "    rules:",
        // Deny before allow: the deny has the lower number, whatever the order in the file.
        "      - {priority: 200, direction: inbound, protocol: tcp, cidr: \"::/0\", ports: 443, action: allow}",
        "      - {priority: 100, direction: inbound, protocol: tcp, cidr: \"2001:db8:bad::/48\", action: deny}",
        // Allow before deny.
        "      - {priority: 300, direction: inbound, protocol: tcp, cidr: \"2001:db8:ffff::/48\", ports: 8080,"
            + " action: allow}",
        "      - {priority: 310, direction: inbound, protocol: tcp, cidr: \"::/0\", ports: 8000-8999, action: deny}",
        // Stateless: replies to the clients' ephemeral ports need this one.
        "      - {priority: 400, direction: outbound, protocol: tcp, cidr: \"::/0\", ports: 1024-65535,"
            + " action: allow}",
        "security-groups:",
        "  - name: app",
        "    members: [\"2001:db8:100:2::20\", 10.0.1.5]",
        "    inbound:",
        "      - {protocol: tcp, cidr: \"2001:db8:ffff::/48\", ports: 80}",
        "connection-tracking: {max-flows: %d, max-flows-per-address: %d}",
        "");
    private static final String WEB = "2001:db8:100:1::10";
    private static final String APP = "2001:db8:100:2::20";
    private static final String INSTANCE = "10.0.1.5";
    private static final String EIP6 = "64:ff9b::cb00:7105";
    private static final String POOL4 = "203.0.113.64";
    private static final String CLIENT = "2001:db8:ffff::7";
    private static final String STRANGER = "2001:db8:eeee::7";
    private static final String BAD = "2001:db8:bad::7";
    private static final long T0 = 1_767_225_600_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final int SYN = TcpFlyweight.SYN;
    private static final int ACK = TcpFlyweight.ACK;

    @TempDir
    Path dir;

    private ReplayResult replay(final List<TestCaptures.Record> fromVpc, final List<TestCaptures.Record> fromWan)
        throws Exception
    {
        return replay(65_536, 4096, fromVpc, fromWan);
    }

    private ReplayResult replay(
        final int maxFlows,
        final int maxFlowsPerAddress,
        final List<TestCaptures.Record> fromVpc,
        final List<TestCaptures.Record> fromWan) throws Exception
    {
        final GatewayConfig config = ConfigLoader.load("firewall.yaml", new ByteArrayInputStream(
            String.format(CONFIG, maxFlows, maxFlowsPerAddress).getBytes(StandardCharsets.UTF_8)));
        final Path inVpc = TestCaptures.write(dir.resolve("vpc-in.pcap"), DataLinkType.RAW, fromVpc);
        final Path inWan = TestCaptures.write(dir.resolve("wan-in.pcap"), DataLinkType.RAW, fromWan);
        final ReplayResult result = new ReplayEngine(new GatewayPipelineFactory()).run(config, new ReplayRequest(
            List.of(new CaptureBinding("vpc", inVpc), new CaptureBinding("wan", inWan)),
            List.of(new CaptureBinding("vpc", dir.resolve("vpc-out.pcap")),
                new CaptureBinding("wan", dir.resolve("wan-out.pcap"))),
            null, false));
        assertTrue(result.balanced(), result.mismatches().toString());
        return result;
    }

    private List<TestCaptures.Record> out(final String port) throws Exception
    {
        return TestCaptures.read(dir.resolve(port + "-out.pcap"));
    }

    private static long drop(final ReplayResult result, final String stageAndReason)
    {
        return result.counter("drop " + stageAndReason + " worker=0");
    }

    private static byte[] tcp(final String src, final String dst, final int srcPort, final int dstPort, final int flags)
    {
        return PacketBuilder.ipv6(src, dst).tcp(srcPort, dstPort, flags).build();
    }

    @Test
    void aclPrioritiesDecideAllowBeforeDenyAndDenyBeforeAllow() throws Exception
    {
        final ReplayResult result = replay(List.of(), List.of(
            record(T0, tcp(CLIENT, WEB, 40000, 443, SYN)),
            record(T0 + MS, tcp(BAD, WEB, 40000, 443, SYN)),
            record(T0 + 2 * MS, tcp(CLIENT, WEB, 40000, 8080, SYN)),
            record(T0 + 3 * MS, tcp(CLIENT, WEB, 40000, 8081, SYN)),
            record(T0 + 4 * MS, tcp(STRANGER, WEB, 40000, 8080, SYN))));
        assertEquals(2, out("vpc").size(), "443 from the client and 8080 from its /48 only");
        assertEquals(3, drop(result, "network-acl/inbound-denied"), result.counters().toString());
    }

    @Test
    void noMatchingRuleIsDeniedAndStatelessRepliesNeedTheirOwnRule() throws Exception
    {
        final ReplayResult result = replay(
            List.of(
                record(T0 + MS, tcp(WEB, CLIENT, 443, 40000, SYN | ACK)),
                record(T0 + 3 * MS, PacketBuilder.ipv6(WEB, CLIENT).udp(5353, 53).build())),
            List.of(
                record(T0, tcp(CLIENT, WEB, 40000, 443, SYN)),
                record(T0 + 2 * MS, tcp(CLIENT, WEB, 40000, 22, SYN))));
        assertEquals(1, out("vpc").size());
        assertEquals(1, out("wan").size(), "the reply to an ephemeral port has its outbound rule");
        assertEquals(1, drop(result, "network-acl/inbound-no-rule"), result.counters().toString());
        assertEquals(1, drop(result, "network-acl/outbound-no-rule"), "UDP out has no rule: the implicit deny");
    }

    @Test
    void securityGroupAllowsInboundByCidrAndPortAndItsReplyWithoutARule() throws Exception
    {
        final ReplayResult result = replay(
            List.of(record(T0 + MS, tcp(APP, CLIENT, 80, 40000, SYN | ACK))),
            List.of(
                record(T0, tcp(CLIENT, APP, 40000, 80, SYN)),
                record(T0 + 2 * MS, tcp(CLIENT, APP, 40000, 80, ACK)),
                record(T0 + 3 * MS, tcp(CLIENT, APP, 40000, 81, SYN)),
                record(T0 + 4 * MS, tcp(STRANGER, APP, 40000, 80, SYN))));
        assertEquals(2, out("vpc").size());
        assertEquals(1, out("wan").size(), "the SYN-ACK passed on the flow's state");
        assertEquals(2, drop(result, "security-group/inbound-not-allowed"), result.counters().toString());
        assertEquals(1, result.counter("event security-group/flow-created worker=0"));
    }

    @Test
    void aMembersOutboundFlowGetsItsRepliesAndUnsolicitedInboundIsDropped() throws Exception
    {
        final ReplayResult result = replay(
            List.of(record(T0, PacketBuilder.ipv6(APP, STRANGER).udp(5353, 53).build())),
            List.of(
                record(T0 + MS, PacketBuilder.ipv6(STRANGER, APP).udp(53, 5353).build()),
                record(T0 + 2 * MS, PacketBuilder.ipv6(STRANGER, APP).udp(53, 5354).build()),
                record(T0 + 3 * MS, tcp(STRANGER, APP, 40000, 22, SYN))));
        assertEquals(1, out("wan").size(), "no outbound key: all outbound allowed");
        assertEquals(1, out("vpc").size(), "only the reply came in");
        assertEquals(2, drop(result, "security-group/inbound-not-allowed"), result.counters().toString());
    }

    @Test
    void nat64ClientsAreMatchedByTheirIpv6SourceAndTheNat64SessionCarriesTheReply() throws Exception
    {
        final ReplayResult result = replay(
            List.of(record(T0 + MS, PacketBuilder.ipv4(INSTANCE, POOL4).tcp(80, 40000, SYN | ACK).build())),
            List.of(
                record(T0, tcp(CLIENT, EIP6, 50000, 80, SYN)),
                record(T0 + 2 * MS, tcp(CLIENT, EIP6, 50000, 80, ACK)),
                record(T0 + 3 * MS, tcp(STRANGER, EIP6, 50000, 80, SYN)),
                record(T0 + 4 * MS, tcp(CLIENT, EIP6, 50001, 22, SYN))));
        final List<TestCaptures.Record> toInstance = out("vpc");
        assertEquals(2, toInstance.size(), "the allowed client's SYN and ACK, translated");
        for (final TestCaptures.Record r : toInstance)
        {
            final Ipv4Flyweight ipv4 = new Ipv4Flyweight().wrap(new UnsafeBuffer(r.data()), 0);
            assertEquals(INSTANCE, Ipv4Address.format(ipv4.dstAddress()));
        }
        final List<TestCaptures.Record> toClient = out("wan");
        assertEquals(1, toClient.size(), "the instance's SYN-ACK went back through NAT64");
        final Ipv6Flyweight ipv6 = new Ipv6Flyweight().wrap(new UnsafeBuffer(toClient.get(0).data()), 0);
        assertEquals(CLIENT, Ipv6Address.format(ipv6.dstHigh(), ipv6.dstLow()));
        assertEquals(2, drop(result, "security-group/inbound-not-allowed"), result.counters().toString());
        assertEquals(1, result.counter("event security-group/nat64-return worker=0"));
    }

    @Test
    void aFullConnectionTableRefusesNewFlowsWhileTrackedFlowsKeepWorking() throws Exception
    {
        final ReplayResult result = replay(2, 2,
            List.of(
                record(T0, PacketBuilder.ipv6(APP, STRANGER).udp(1, 53).build()),
                record(T0 + MS, PacketBuilder.ipv6(APP, STRANGER).udp(2, 53).build()),
                record(T0 + 2 * MS, PacketBuilder.ipv6(APP, STRANGER).udp(3, 53).build())),
            List.of(
                record(T0 + 3 * MS, PacketBuilder.ipv6(STRANGER, APP).udp(53, 1).build()),
                record(T0 + 4 * MS, PacketBuilder.ipv6(STRANGER, APP).udp(53, 2).build()),
                record(T0 + 5 * MS, PacketBuilder.ipv6(STRANGER, APP).udp(53, 3).build())));
        assertEquals(2, out("wan").size());
        assertEquals(2, out("vpc").size(), "the two tracked flows' replies");
        assertEquals(1, drop(result, "security-group/state-table-full"), result.counters().toString());
        assertEquals(1, drop(result, "security-group/inbound-not-allowed"), "the refused flow has no state");
    }
}
