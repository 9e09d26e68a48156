package io.sixgate.daemon.control;

import static io.sixgate.daemon.control.TestGateway.CLIENT;
import static io.sixgate.daemon.control.TestGateway.INTERNET_HOST_MAC;
import static io.sixgate.daemon.control.TestGateway.INTERNET_PORT_MAC;
import static io.sixgate.daemon.control.TestGateway.VPC_HOST6;
import static io.sixgate.daemon.control.TestGateway.VPC_HOST_MAC;
import static io.sixgate.daemon.control.TestGateway.VPC_PORT_MAC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.daemon.stat.CounterSample;
import io.sixgate.egress.TokenBucket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * The IPv6 gateway's verbs (bandwidth, egress-only rules) and its reload against the whole daemon
 * on socket pairs: each change goes through the worker's command queue, shows in the traffic at
 * once, and leaves the flows and token buckets of the addresses it does not touch as they were.
 * The VPC is 2001:db8:0:1::/64: ::10 egress-only at 100 Mbit/s, ::30 at 1 Mbit/s with a 3000-byte
 * burst, ::20 VPC-only; the Internet host is 2001:db8:ffff::7.
 */
class Ipv6GatewayControlTest
{
    private static final String VPC_ONLY_HOST = "2001:db8:0:1::20";
    private static final String CAPPED_HOST = "2001:db8:0:1::30";
    private static final String SECTION = String.join("\n",
        "ipv6-gateway:",
        "  vpc: [\"2001:db8:0:1::/64\"]",
        "  internet-port: internet",
        "  addresses:",
        "    - {address: \"2001:db8:0:1::10\", bandwidth-mbps: 100, egress-only: true}",
        "    - {address: \"2001:db8:0:1::30\", bandwidth-mbps: 1, burst-bytes: 3000}",
        "");
    private static final String NEIGHBOURS = "neighbours:\n"
        + "  - {address: \"2001:db8:0:1::20\", mac: \"02:53:47:00:01:10\", port: vpc}\n"
        + "  - {address: \"2001:db8:0:1::30\", mac: \"02:53:47:00:01:10\", port: vpc}\n";
    /** The test gateway's configuration with the VPC hosts' neighbours and {@link #SECTION}. */
    private static final String CONFIG = TestGateway.BASE.replace("neighbours:\n", NEIGHBOURS) + SECTION;

    @TempDir
    Path dir;

    private TestGateway gateway;

    @AfterEach
    void stop() throws Exception
    {
        if (gateway != null)
        {
            gateway.close();
        }
    }

    private static Ipv6Prefix address(final String address)
    {
        return Ipv6Prefix.parse(address + "/128");
    }

    private static byte[] inbound(final String host, final int remotePort, final int hostPort, final int flags)
    {
        return PacketBuilder.ipv6(CLIENT, host).tcp(remotePort, hostPort, flags)
            .ethernet(INTERNET_PORT_MAC, INTERNET_HOST_MAC).build();
    }

    private static byte[] outbound(final String host, final int hostPort, final int remotePort, final int flags)
    {
        return PacketBuilder.ipv6(host, CLIENT).tcp(hostPort, remotePort, flags)
            .ethernet(VPC_PORT_MAC, VPC_HOST_MAC).build();
    }

    private long dropped(final String reason)
    {
        for (final CounterSample counter : gateway.control().counters())
        {
            if (counter.label().equals("drop ipv6-gateway/" + reason + " worker=0"))
            {
                return counter.value();
            }
        }
        return 0;
    }

    /** Sends from the Internet side and expects the frame at the VPC side. */
    private void passesIn(final byte[] frame) throws Exception
    {
        assertNotNull(gateway.fromInternet(frame));
    }

    /** Sends from the VPC side and expects the frame at the Internet side. */
    private void passesOut(final byte[] frame) throws Exception
    {
        assertNotNull(gateway.fromVpc(frame, 5000), "the frame crossed to the Internet");
    }

    /** Sends a frame that must be dropped for {@code reason}: the counter moves, nothing comes out. */
    private void dropped(final String reason, final Executable send) throws Throwable
    {
        final long before = dropped(reason);
        send.execute();
        final long deadline = System.currentTimeMillis() + 5000;
        while (dropped(reason) == before && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(5);
        }
        assertEquals(before + 1, dropped(reason), reason);
    }

    private void droppedIn(final String reason, final byte[] frame) throws Throwable
    {
        dropped(reason, () -> assertTrue(gateway.internetHost().send(frame)));
        assertNull(gateway.vpcHost().receive(100), "nothing came through");
    }

    private void droppedOut(final String reason, final byte[] frame) throws Throwable
    {
        dropped(reason, () -> assertTrue(gateway.vpcHost().send(frame)));
        assertNull(gateway.internetHost().receive(100), "nothing came through");
    }

    private Ipv6GatewayRuleView rule(final String target) throws ControlException
    {
        for (final Ipv6GatewayRuleView rule : gateway.control().ipv6Gateway().addresses())
        {
            if (rule.target().equals(target))
            {
                return rule;
            }
        }
        return null;
    }

    @Test
    void listsThePolicyInForce() throws Exception
    {
        gateway = TestGateway.startWith(dir, CONFIG);

        final Ipv6GatewayView view = gateway.control().ipv6Gateway();

        assertEquals(List.of("2001:db8:0:1::/64"), view.vpc());
        assertEquals("internet", view.internetPort());
        assertEquals(0, view.flows());
        assertEquals(65_536, view.maxFlows());
        assertEquals(List.of(
            new Ipv6GatewayRuleView("2001:db8:0:1::10", null, 100, 1_250_000, true, "egress-only", 0, 0, 0),
            new Ipv6GatewayRuleView(CAPPED_HOST, null, 1, 3000, false, "internet", 0, 0, 0)), view.addresses());
    }

    @Test
    void bandwidthAllocatedAtRunTimeMakesAVpcOnlyAddressReachableAndDeletingItTakesThatBack() throws Throwable
    {
        gateway = TestGateway.startWith(dir, CONFIG);
        final ControlPlane control = gateway.control();
        droppedIn("vpc-only", inbound(VPC_ONLY_HOST, 40000, 22, TcpFlyweight.SYN));
        droppedOut("vpc-only", outbound(VPC_ONLY_HOST, 40000, 443, TcpFlyweight.SYN));

        final Ipv6GatewayRuleView allocated = control.allocateIpv6Bandwidth(address(VPC_ONLY_HOST), 20, 0);

        assertEquals(new Ipv6GatewayRuleView(VPC_ONLY_HOST, null, 20, 250_000, false, "internet", 0, 0, 0), allocated);
        passesIn(inbound(VPC_ONLY_HOST, 40000, 22, TcpFlyweight.SYN));
        passesOut(outbound(VPC_ONLY_HOST, 40001, 443, TcpFlyweight.SYN));

        final Ipv6GatewayRuleView modified = control.modifyIpv6Bandwidth(address(VPC_ONLY_HOST), 0, 0);

        assertEquals("vpc-only", modified.mode(), "0 Mbit/s: VPC-only again");
        droppedIn("vpc-only", inbound(VPC_ONLY_HOST, 40000, 22, TcpFlyweight.SYN));
        control.modifyIpv6Bandwidth(address(VPC_ONLY_HOST), 5, 20_000);
        assertEquals(20_000, rule(VPC_ONLY_HOST).burstBytes());
        passesIn(inbound(VPC_ONLY_HOST, 40000, 22, TcpFlyweight.SYN));

        final Ipv6GatewayRuleView deleted = control.deleteIpv6Bandwidth(address(VPC_ONLY_HOST));

        assertEquals(5, deleted.bandwidthMbps(), "the answer is the rule as it was");
        assertNull(rule(VPC_ONLY_HOST));
        droppedIn("vpc-only", inbound(VPC_ONLY_HOST, 40000, 22, TcpFlyweight.SYN));
    }

    @Test
    void anEgressOnlyRuleCreatedAtRunTimeStopsUnsolicitedInboundAndDeletingItOpensItAgain() throws Throwable
    {
        gateway = TestGateway.startWith(dir, CONFIG);
        final ControlPlane control = gateway.control();
        passesIn(inbound(CAPPED_HOST, 40000, 22, TcpFlyweight.SYN));

        final Ipv6GatewayRuleView created = control.createIpv6EgressOnly(address(CAPPED_HOST));

        assertEquals("egress-only", created.mode());
        droppedIn("unsolicited-inbound", inbound(CAPPED_HOST, 40000, 22, TcpFlyweight.SYN));
        passesOut(outbound(CAPPED_HOST, 50000, 443, TcpFlyweight.SYN));
        passesIn(inbound(CAPPED_HOST, 443, 50000, TcpFlyweight.SYN | TcpFlyweight.ACK));
        assertEquals(1, rule(CAPPED_HOST).egressOnlyFlows());

        control.deleteIpv6EgressOnly(address(CAPPED_HOST));

        assertEquals("internet", rule(CAPPED_HOST).mode());
        passesIn(inbound(CAPPED_HOST, 40000, 22, TcpFlyweight.SYN));
    }

    @Test
    void changesToOneAddressLeaveTheFlowsAndBucketsOfTheOthersAlone() throws Throwable
    {
        gateway = TestGateway.startWith(dir, CONFIG);
        final ControlPlane control = gateway.control();
        // ::10 opens a TCP connection through its egress-only rule.
        passesOut(outbound(VPC_HOST6, 50000, 443, TcpFlyweight.SYN));
        passesIn(inbound(VPC_HOST6, 443, 50000, TcpFlyweight.SYN | TcpFlyweight.ACK));
        // ::30 overruns its 3000-byte bucket: more than two 1448-byte packets at once are refused.
        final byte[] big = PacketBuilder.ipv6(CAPPED_HOST, CLIENT).udp(5000, 9).payload(1400)
            .ethernet(VPC_PORT_MAC, VPC_HOST_MAC).build();
        for (int i = 0; i < 20; i++)
        {
            assertTrue(gateway.vpcHost().send(big));
        }
        final long deadline = System.currentTimeMillis() + 5000;
        while (rule(CAPPED_HOST).rateLimitedOutbound() == 0 && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(5);
        }
        final long refused = rule(CAPPED_HOST).rateLimitedOutbound();
        assertTrue(refused > 0, "the bucket ran dry");
        while (gateway.internetHost().receive(50) != null)
        {
            // what passed
        }

        control.allocateIpv6Bandwidth(address(VPC_ONLY_HOST), 50, 0);
        control.createIpv6EgressOnly(address(VPC_ONLY_HOST));
        control.modifyIpv6Bandwidth(address(VPC_ONLY_HOST), 60, 0);
        control.allocateIpv6Bandwidth(Ipv6Prefix.parse("2001:db8:0:1:8000::/65"), 10, 0);

        assertEquals(refused, rule(CAPPED_HOST).rateLimitedOutbound(), "the same bucket: not reset, not refilled"
            + " by anyone else's change");
        assertEquals(1, rule(VPC_HOST6).egressOnlyFlows(), "::10's flow is still there");
        passesIn(inbound(VPC_HOST6, 443, 50000, TcpFlyweight.ACK));
        passesOut(outbound(VPC_HOST6, 50000, 443, TcpFlyweight.ACK));
        droppedIn("unsolicited-inbound", inbound(VPC_HOST6, 443, 50001, TcpFlyweight.SYN));
    }

    @Test
    void refusalsSayWhyWithTheirStatus() throws Exception
    {
        gateway = TestGateway.startWith(dir, CONFIG);
        final ControlPlane control = gateway.control();

        assertRefused(422, "2001:db8:0:2::5 is not inside a vpc prefix (2001:db8:0:1::/64)",
            () -> control.allocateIpv6Bandwidth(address("2001:db8:0:2::5"), 10, 0));
        assertRefused(409, "2001:db8:0:1::30 has Internet bandwidth already (1 Mbit/s); modify it instead",
            () -> control.allocateIpv6Bandwidth(address(CAPPED_HOST), 10, 0));
        assertRefused(400, "bandwidth-mbps: must be 1..5000, got 5001",
            () -> control.allocateIpv6Bandwidth(address(VPC_ONLY_HOST), 5001, 0));
        assertRefused(400, "bandwidth-mbps: must be 1..5000, got 0 (to make it VPC-only, modify it to 0 or delete it)",
            () -> control.allocateIpv6Bandwidth(address(VPC_ONLY_HOST), 0, 0));
        assertRefused(400, "bandwidth-mbps: must be 0..5000, got -1",
            () -> control.modifyIpv6Bandwidth(address(CAPPED_HOST), -1, 0));
        assertRefused(400, "burst-bytes: must be 1..4294967296, got 4294967297",
            () -> control.modifyIpv6Bandwidth(address(CAPPED_HOST), 5, TokenBucket.MAX_BURST_BYTES + 1));
        assertRefused(404, "no Internet bandwidth allocated to 2001:db8:0:1::20",
            () -> control.modifyIpv6Bandwidth(address(VPC_ONLY_HOST), 10, 0));
        assertRefused(404, "no Internet bandwidth allocated to 2001:db8:0:1::/64 (a rule is found by its exact prefix)",
            () -> control.deleteIpv6Bandwidth(Ipv6Prefix.parse("2001:db8:0:1::/64")));
        assertRefused(409, "2001:db8:0:1::20 has no Internet bandwidth; an egress-only rule applies to an address"
            + " with some: allocate it first", () -> control.createIpv6EgressOnly(address(VPC_ONLY_HOST)));
        assertRefused(409, "2001:db8:0:1::10 has an egress-only rule already",
            () -> control.createIpv6EgressOnly(address(VPC_HOST6)));
        assertRefused(404, "no egress-only rule for 2001:db8:0:1::30",
            () -> control.deleteIpv6EgressOnly(address(CAPPED_HOST)));
        assertEquals(2, control.ipv6Gateway().addresses().size(), "nothing changed");
    }

    @Test
    void withoutAnIpv6GatewaySectionTheVerbsAreConflicts() throws Exception
    {
        gateway = TestGateway.start(dir);

        assertRefused(409, "the running configuration has no ipv6-gateway section; Internet bandwidth and egress-only"
            + " rules need one", () -> gateway.control().ipv6Gateway());
        assertRefused(409, Ipv6GatewayCommands.NO_IPV6_GATEWAY,
            () -> gateway.control().allocateIpv6Bandwidth(address(VPC_HOST6), 10, 0));
    }

    @Test
    void aReloadPutsTheFilesRulesAndTimeoutsInForceAndKeepsFlowsAndUnchangedBuckets() throws Throwable
    {
        gateway = TestGateway.startWith(dir, CONFIG);
        final ControlPlane control = gateway.control();
        passesOut(outbound(VPC_HOST6, 50000, 443, TcpFlyweight.SYN));
        passesIn(inbound(VPC_HOST6, 443, 50000, TcpFlyweight.SYN | TcpFlyweight.ACK));
        control.allocateIpv6Bandwidth(address(VPC_ONLY_HOST), 20, 0);
        gateway.writeConfig(CONFIG
            .replace("bandwidth-mbps: 100, egress-only: true}", "bandwidth-mbps: 200, egress-only: true}")
            .replace("  addresses:\n", "  timeouts: {udp: 10m}\n  addresses:\n")
            + "    - {prefix: \"2001:db8:0:1:8000::/65\", bandwidth-mbps: 10}\n");

        final ReloadReport report = control.reload("test");

        assertEquals(List.of(
            "ipv6-gateway.addresses: changed 2001:db8:0:1::10 100 Mbit/s egress-only -> 200 Mbit/s egress-only",
            "ipv6-gateway.addresses: removed 2001:db8:0:1::20 20 Mbit/s",
            "ipv6-gateway.addresses: added 2001:db8:0:1:8000::/65 10 Mbit/s",
            "ipv6-gateway.timeouts: new lifetimes from each flow's next packet"), report.changes());
        assertEquals(200, rule(VPC_HOST6).bandwidthMbps());
        assertNull(rule(VPC_ONLY_HOST), "the admin API's change lasted until the reload");
        droppedIn("vpc-only", inbound(VPC_ONLY_HOST, 40000, 22, TcpFlyweight.SYN));
        passesIn(inbound(VPC_HOST6, 443, 50000, TcpFlyweight.ACK));
        assertEquals(1, rule(VPC_HOST6).egressOnlyFlows(), "the egress-only flow survived the reload");
        assertEquals(List.of(), control.reload("test").changes(), "the same file again changes nothing");
    }

    @Test
    void aBadIpv6GatewaySectionOnReloadLeavesEverythingAsItWas() throws Throwable
    {
        gateway = TestGateway.startWith(dir, CONFIG);
        final ControlPlane control = gateway.control();
        control.allocateIpv6Bandwidth(address(VPC_ONLY_HOST), 20, 0);
        final Ipv6GatewayView before = control.ipv6Gateway();
        gateway.writeConfig(CONFIG.replace("bandwidth-mbps: 1, burst-bytes: 3000", "bandwidth-mbps: 6000"));

        final ControlException refused = assertThrows(ControlException.class, () -> control.reload("test"));

        assertEquals(422, refused.status());
        assertEquals("reload refused: " + gateway.configFile() + " line 28: ipv6-gateway.addresses[1].bandwidth-mbps:"
            + " must be 0..5000, got 6000; the running configuration stays", refused.getMessage());
        assertEquals(before, control.ipv6Gateway());
        passesIn(inbound(VPC_ONLY_HOST, 40000, 22, TcpFlyweight.SYN));

        gateway.writeConfig(CONFIG.replace("  internet-port: internet\n", "  internet-port: internet\n  max-flows: 100000\n"
            + "  udp-filtering: endpoint-independent\n"));
        final ControlException restart = assertThrows(ControlException.class, () -> control.reload("test"));
        assertEquals(409, restart.status());
        assertEquals("reload refused: " + gateway.configFile() + ": ipv6-gateway.udp-filtering, ipv6-gateway.max-flows"
            + " change only with a restart; the running configuration stays", restart.getMessage());
        assertEquals(before, control.ipv6Gateway());
    }

    private static void assertRefused(final int status, final String message, final Executable request)
    {
        final ControlException refused = assertThrows(ControlException.class, request);
        assertEquals(message, refused.getMessage());
        assertEquals(status, refused.status());
    }
}
