package io.sixgate.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.egress.acl.NetworkAcls;
import io.sixgate.egress.acl.SecurityGroups;

import org.junit.jupiter.api.Test;

class VpcFirewallConfigTest
{
    private static final Path EXAMPLE = Path.of("..", "src", "examples", "vpc-firewall.yaml");

    private static long high(final String address)
    {
        return PacketBuilder.ipv6High(address);
    }

    private static long low(final String address)
    {
        return PacketBuilder.ipv6Low(address);
    }

    @Test
    void theDocumentedExampleIsTheExampleFile() throws Exception
    {
        final String example = Files.readString(EXAMPLE);
        final String fromVpc = example.substring(example.indexOf("\nvpc:") + 1);
        assertTrue(Files.readString(Path.of("..", "docs", "config.md")).contains("```yaml\n" + fromVpc + "```"),
            "docs/config.md shows another firewall example than src/examples/vpc-firewall.yaml");
    }

    @Test
    void theExampleCompilesToWhatItSays() throws Exception
    {
        final VpcFirewallConfig firewall = ConfigLoader.load(EXAMPLE).firewall();
        final NetworkAcls acls = firewall.compileNetworkAcls();
        final int subnet = acls.subnetOfIpv6(high("2001:db8:100:1::10"), low("2001:db8:100:1::10"));
        assertEquals(0, acls.aclOf(subnet));
        assertEquals(NetworkAcls.NO_SUBNET, acls.subnetOfIpv6(high("2001:db8:100:2::10"), 0));
        final int ssh = acls.classifyIpv6(0, NetworkAcls.INBOUND, high("2001:db8:ffff:66::1"), 1, IpProtocol.TCP, 22);
        assertFalse(acls.allows(ssh), "the ssh deny comes before the ephemeral-port allow");
        final int web = acls.classifyIpv6(0, NetworkAcls.INBOUND, high("2001:db8:ffff:66::1"), 1, IpProtocol.TCP, 443);
        assertTrue(acls.allows(web));
        assertEquals(NetworkAcls.NO_MATCH, acls.classifyIpv4(0, NetworkAcls.INBOUND,
            PacketBuilder.ipv4Address("198.51.100.7"), IpProtocol.TCP, 443), "no IPv4 inbound rule: implicit deny");

        final SecurityGroups groups = firewall.compileSecurityGroups();
        final int member = groups.memberIpv6(high("2001:db8:100:1::10"), low("2001:db8:100:1::10"));
        assertTrue(groups.allowsIpv6(member, SecurityGroups.INBOUND, high("2001:db8:100:9::5"),
            low("2001:db8:100:9::5"), IpProtocol.TCP, 22), "ssh from the bastion group's member");
        assertFalse(groups.allowsIpv6(member, SecurityGroups.INBOUND, high("2001:db8:100:9::6"),
            low("2001:db8:100:9::6"), IpProtocol.TCP, 22));
        assertTrue(groups.allowsIpv4(groups.memberIpv4(PacketBuilder.ipv4Address("10.0.1.5")),
            SecurityGroups.OUTBOUND, PacketBuilder.ipv4Address("203.0.113.1"), IpProtocol.UDP, 53),
            "no outbound key: all outbound");
        final int bastion = groups.memberIpv6(high("2001:db8:100:9::5"), low("2001:db8:100:9::5"));
        assertFalse(groups.allowsIpv6(bastion, SecurityGroups.OUTBOUND, high("2001:db8:ffff::1"), 1,
            IpProtocol.TCP, 443), "explicit outbound rules only");
        assertEquals(65_536, firewall.maxFlows());
    }

    @Test
    void ipv6GatewayVpcCountsAsVpcAndDefaultsApply() throws Exception
    {
        final GatewayConfig config = ConfigLoaderTest.load("""
            ports: [{name: wan, type: tap}]
            ipv6-gateway:
              vpc: ["2001:db8:100::/48"]
              internet-port: wan
            security-groups:
              - name: web
                members: ["2001:db8:100::10"]
            """);
        assertEquals(List.of(), config.firewall().vpc());
        assertEquals(VpcFirewallConfig.DEFAULT_MAX_FLOWS_PER_ADDRESS, config.firewall().maxFlowsPerAddress());
        assertFalse(config.firewall().hasNetworkAcls());
    }

    @Test
    void noFirewallKeysNoFirewall() throws Exception
    {
        assertNull(ConfigLoaderTest.load("ports: [{name: wan, type: tap}]\n").firewall());
    }

    @Test
    void vpcTablesAndAddingOrRemovingAFilterAreRestartOnlyButRulesAreNot() throws Exception
    {
        final VpcFirewallConfig running = ConfigLoader.load(EXAMPLE).firewall();
        assertEquals(List.of(), VpcFirewallConfig.restartOnlyKeys(running, running));
        assertEquals(List.of("vpc", "network-acls (removed)", "security-groups (removed)"),
            VpcFirewallConfig.restartOnlyKeys(running, null), "the example's connection-tracking values are the defaults");
        assertEquals(List.of("vpc", "network-acls (added)", "security-groups (added)"),
            VpcFirewallConfig.restartOnlyKeys(null, running));
        final VpcFirewallConfig fewerFlows = new VpcFirewallConfig(running.vpc(), running.networkAcls(),
            running.securityGroups(), 100, 10);
        assertEquals(List.of("connection-tracking"), VpcFirewallConfig.restartOnlyKeys(running, fewerFlows));
        final VpcFirewallConfig oneAclOneGroup = new VpcFirewallConfig(running.vpc(), running.networkAcls().subList(0, 1),
            running.securityGroups().subList(0, 1), running.maxFlows(), running.maxFlowsPerAddress());
        assertEquals(List.of(), VpcFirewallConfig.restartOnlyKeys(running, oneAclOneGroup),
            "fewer ACLs and groups, but both filters still there");
    }
}
