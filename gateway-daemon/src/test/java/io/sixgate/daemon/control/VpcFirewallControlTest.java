package io.sixgate.daemon.control;

import static io.sixgate.daemon.control.TestGateway.CLIENT;
import static io.sixgate.daemon.control.TestGateway.INTERNET_HOST_MAC;
import static io.sixgate.daemon.control.TestGateway.INTERNET_PORT_MAC;
import static io.sixgate.daemon.control.TestGateway.OTHER_CLIENT;
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

import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.daemon.stat.CounterSample;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Network ACLs and security groups reloaded into the whole daemon on socket pairs: a reload puts
 * the file's rules in force before the next packet, keeps the security group's tracked flows, and
 * a bad or restart-only firewall section changes nothing. The VPC subnet is 2001:db8:0:1::/64 with
 * the host ::10; the Internet clients are 2001:db8:ffff::7 and ::8.
 */
class VpcFirewallControlTest
{
    private static final String ACL = String.join("\n",
        "vpc: [\"2001:db8:0:1::/64\"]",
        "network-acls:",
        "  - name: web",
        "    subnets: [\"2001:db8:0:1::/64\"]",
        "    rules:",
        "      - {priority: 100, direction: inbound, protocol: udp, cidr: \"::/0\", ports: 53, action: allow}",
        "      - {priority: 200, direction: outbound, protocol: any, cidr: \"::/0\", action: allow}",
        "");
    private static final String GROUP = String.join("\n",
        "vpc: [\"2001:db8:0:1::/64\"]",
        "security-groups:",
        "  - name: ssh",
        "    members: [\"2001:db8:0:1::10\"]",
        "    inbound:",
        "      - {protocol: tcp, cidr: \"2001:db8:ffff::/48\", ports: 22}",
        "");

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

    private static byte[] udpIn(final int hostPort)
    {
        return PacketBuilder.ipv6(CLIENT, VPC_HOST6).udp(40000, hostPort).payload(20)
            .ethernet(INTERNET_PORT_MAC, INTERNET_HOST_MAC).build();
    }

    private static byte[] tcpIn(final String client, final int clientPort, final int hostPort, final int flags)
    {
        return PacketBuilder.ipv6(client, VPC_HOST6).tcp(clientPort, hostPort, flags)
            .ethernet(INTERNET_PORT_MAC, INTERNET_HOST_MAC).build();
    }

    private static byte[] tcpOut(final String client, final int clientPort, final int hostPort, final int flags)
    {
        return PacketBuilder.ipv6(VPC_HOST6, client).tcp(hostPort, clientPort, flags)
            .ethernet(VPC_PORT_MAC, VPC_HOST_MAC).build();
    }

    private long dropped(final String label)
    {
        for (final CounterSample counter : gateway.control().counters())
        {
            if (counter.label().equals("drop " + label + " worker=0"))
            {
                return counter.value();
            }
        }
        return 0;
    }

    private void passesIn(final byte[] frame) throws Exception
    {
        assertNotNull(gateway.fromInternet(frame));
    }

    private void passesOut(final byte[] frame) throws Exception
    {
        assertNotNull(gateway.fromVpc(frame, 5000), "the frame crossed to the Internet");
    }

    /** Sends from the Internet side a frame that must be dropped: the named counter moves, nothing comes out. */
    private void droppedIn(final String label, final byte[] frame) throws Exception
    {
        final long before = dropped(label);
        assertTrue(gateway.internetHost().send(frame));
        final long deadline = System.currentTimeMillis() + 5000;
        while (dropped(label) == before && System.currentTimeMillis() < deadline)
        {
            Thread.sleep(5);
        }
        assertEquals(before + 1, dropped(label), label);
        assertNull(gateway.vpcHost().receive(100), "nothing came through");
    }

    @Test
    void aReloadedAclRuleDropsWhatItAllowedAndAllowsWhatItDropped() throws Exception
    {
        gateway = TestGateway.start(dir, ACL);
        passesIn(udpIn(53));
        droppedIn("network-acl/inbound-no-rule", udpIn(54));
        gateway.writeConfig(TestGateway.BASE + ACL.replace(
            "      - {priority: 100, direction: inbound, protocol: udp, cidr: \"::/0\", ports: 53, action: allow}",
            "      - {priority: 50, direction: inbound, protocol: udp, cidr: \"::/0\", ports: 53, action: deny}\n"
                + "      - {priority: 100, direction: inbound, protocol: udp, cidr: \"::/0\", ports: 54, action: allow}"));

        final ReloadReport report = gateway.control().reload("test");

        assertEquals(List.of("network-acls: changed web (rules)"), report.changes());
        droppedIn("network-acl/inbound-denied", udpIn(53));
        passesIn(udpIn(54));
        assertEquals(List.of(), gateway.control().reload("test").changes(), "the same file again changes nothing");
    }

    @Test
    void aReloadedSecurityGroupRuleTakesNewFlowsAndLeavesTrackedOnesGoing() throws Exception
    {
        gateway = TestGateway.start(dir, GROUP);
        passesIn(tcpIn(CLIENT, 40000, 22, TcpFlyweight.SYN));
        passesOut(tcpOut(CLIENT, 40000, 22, TcpFlyweight.SYN | TcpFlyweight.ACK));
        passesIn(tcpIn(CLIENT, 40000, 22, TcpFlyweight.ACK));
        droppedIn("security-group/inbound-not-allowed", tcpIn(CLIENT, 40001, 2222, TcpFlyweight.SYN));
        gateway.writeConfig(TestGateway.BASE + GROUP.replace("ports: 22}", "ports: 2222}")
            + "  - name: admins\n    members: [\"2001:db8:0:1::10\"]\n");

        final ReloadReport report = gateway.control().reload("test");

        assertEquals(List.of("security-groups: changed ssh (inbound)", "security-groups: added admins",
            "security-groups: new rules for new flows; tracked flows stay"), report.changes());
        passesIn(tcpIn(CLIENT, 40000, 22, TcpFlyweight.ACK));
        passesOut(tcpOut(CLIENT, 40000, 22, TcpFlyweight.ACK));
        droppedIn("security-group/inbound-not-allowed", tcpIn(OTHER_CLIENT, 40000, 22, TcpFlyweight.SYN));
        passesIn(tcpIn(CLIENT, 40001, 2222, TcpFlyweight.SYN));
    }

    @Test
    void aBadAclOnReloadIsRefusedWithItsLineAndTheOldRulesStay() throws Exception
    {
        gateway = TestGateway.start(dir, ACL);
        gateway.writeConfig(TestGateway.BASE + ACL.replace("priority: 200", "priority: 100"));

        final ControlException refused = assertThrows(ControlException.class, () -> gateway.control().reload("test"));

        assertEquals(422, refused.status());
        assertEquals("reload refused: " + gateway.configFile() + " line 27: network-acls[0].rules[1].priority:"
            + " duplicate priority 100 (first at network-acls[0].rules[0], line 26): priorities are unique in a network"
            + " ACL; the running configuration stays", refused.getMessage());
        passesIn(udpIn(53));
        droppedIn("network-acl/inbound-no-rule", udpIn(54));
    }

    @Test
    void vpcConnectionTrackingAndAddingOrRemovingAFilterStillNeedARestart() throws Exception
    {
        gateway = TestGateway.start(dir, GROUP);
        gateway.writeConfig(TestGateway.BASE + GROUP.replace("vpc: [\"2001:db8:0:1::/64\"]", "vpc: [\"2001:db8::/48\"]")
            + "connection-tracking: {max-flows: 1024}\n");

        final ControlException refused = assertThrows(ControlException.class, () -> gateway.control().reload("test"));

        assertEquals(409, refused.status());
        assertEquals("reload refused: " + gateway.configFile() + ": vpc, connection-tracking change only with a"
            + " restart; the running configuration stays", refused.getMessage());
        gateway.writeConfig(TestGateway.BASE + ACL + GROUP.replace("vpc: [\"2001:db8:0:1::/64\"]\n", ""));
        final ControlException added = assertThrows(ControlException.class, () -> gateway.control().reload("test"));
        assertEquals("reload refused: " + gateway.configFile() + ": network-acls (added) changes only with a"
            + " restart; the running configuration stays", added.getMessage());
        gateway.writeConfig(TestGateway.BASE + "vpc: [\"2001:db8:0:1::/64\"]\n");
        final ControlException removed = assertThrows(ControlException.class, () -> gateway.control().reload("test"));
        assertEquals("reload refused: " + gateway.configFile() + ": security-groups (removed) changes only with a"
            + " restart; the running configuration stays", removed.getMessage());
        passesIn(tcpIn(CLIENT, 40000, 22, TcpFlyweight.SYN));
        droppedIn("security-group/inbound-not-allowed", tcpIn(CLIENT, 40001, 2222, TcpFlyweight.SYN));
    }
}
