package io.sixgate.daemon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.egress.EgressOnlyTable;
import io.sixgate.egress.acl.AclClassifier;

/**
 * Checks the {@code vpc}, {@code network-acls}, {@code security-groups} and
 * {@code connection-tracking} keys; every refusal names the key path (and so the line).
 */
final class VpcFirewallValidator
{
    static final int MIN_PRIORITY = 1;
    /** The cloud products' range of rule numbers (AWS network ACLs: 1 to 32766). */
    static final int MAX_PRIORITY = 32766;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern PORTS = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");

    private final ConfigValidator common;

    VpcFirewallValidator(final ConfigValidator common)
    {
        this.common = common;
    }

    /**
     * @return the firewall, or {@code null} when the file has none of its keys.
     */
    VpcFirewallConfig validate(final RawConfig.Gateway raw, final Ipv6GatewayConfig ipv6Gateway) throws ConfigException
    {
        if (raw.vpc() == null && raw.networkAcls() == null && raw.securityGroups() == null &&
            raw.connectionTracking() == null)
        {
            return null;
        }
        final List<IpCidr> vpc = new ArrayList<>();
        final List<IpCidr> written = new ArrayList<>();
        if (raw.vpc() != null)
        {
            for (int i = 0; i < raw.vpc().size(); i++)
            {
                final IpCidr prefix = prefix(raw.vpc().get(i), "vpc[" + i + "]");
                written.add(prefix);
                vpc.add(prefix);
            }
        }
        if (ipv6Gateway != null)
        {
            for (final Ipv6Prefix prefix : ipv6Gateway.vpc())
            {
                vpc.add(IpCidr.parse(prefix.toString()));
            }
        }

        final List<VpcFirewallConfig.NetworkAcl> acls = new ArrayList<>();
        final List<RawConfig.NetworkAcl> rawAcls = raw.networkAcls() == null ? List.of() : raw.networkAcls();
        for (int i = 0; i < rawAcls.size(); i++)
        {
            acls.add(networkAcl(rawAcls.get(i), "network-acls[" + i + "]", vpc, acls));
        }

        final List<RawConfig.SecurityGroup> rawGroups = raw.securityGroups() == null ? List.of() : raw.securityGroups();
        final List<String> groupNames = new ArrayList<>();
        for (int i = 0; i < rawGroups.size(); i++)
        {
            final String path = "security-groups[" + i + "]";
            final String name = name(rawGroups.get(i).name(), path);
            final int first = groupNames.indexOf(name);
            if (first >= 0)
            {
                throw common.error(path + ".name", "duplicate security group name \"" + name + "\" (first at "
                    + "security-groups[" + first + "], line " + common.line("security-groups[" + first + "].name") + ")");
            }
            groupNames.add(name);
        }
        final List<VpcFirewallConfig.SecurityGroup> groups = new ArrayList<>();
        for (int i = 0; i < rawGroups.size(); i++)
        {
            groups.add(securityGroup(rawGroups.get(i), "security-groups[" + i + "]", vpc, groupNames));
        }

        int maxFlows = VpcFirewallConfig.DEFAULT_MAX_FLOWS;
        int maxPerAddress = VpcFirewallConfig.DEFAULT_MAX_FLOWS_PER_ADDRESS;
        final RawConfig.ConnectionTracking tracking = raw.connectionTracking();
        if (tracking != null)
        {
            if (groups.isEmpty())
            {
                throw common.error("connection-tracking", "is the security groups' connection table, and there are"
                    + " no security-groups");
            }
            maxFlows = common.intOr(tracking.maxFlows(), "connection-tracking.max-flows",
                VpcFirewallConfig.DEFAULT_MAX_FLOWS, 1, EgressOnlyTable.MAX_CAPACITY);
            maxPerAddress = common.intOr(tracking.maxFlowsPerAddress(), "connection-tracking.max-flows-per-address",
                Math.min(VpcFirewallConfig.DEFAULT_MAX_FLOWS_PER_ADDRESS, maxFlows), 1, maxFlows);
        }
        return new VpcFirewallConfig(written, acls, groups, maxFlows, maxPerAddress);
    }

    private VpcFirewallConfig.NetworkAcl networkAcl(
        final RawConfig.NetworkAcl raw, final String path, final List<IpCidr> vpc,
        final List<VpcFirewallConfig.NetworkAcl> earlier) throws ConfigException
    {
        final String name = name(raw.name(), path);
        for (int i = 0; i < earlier.size(); i++)
        {
            if (earlier.get(i).name().equals(name))
            {
                throw common.error(path + ".name", "duplicate network ACL name \"" + name + "\" (first at network-acls["
                    + i + "], line " + common.line("network-acls[" + i + "].name") + ")");
            }
        }
        if (raw.subnets() == null)
        {
            throw common.error(path + ".subnets", "required key missing");
        }
        if (raw.subnets().isEmpty())
        {
            throw common.error(path + ".subnets", "must list at least one subnet");
        }
        final List<IpCidr> subnets = new ArrayList<>();
        for (int i = 0; i < raw.subnets().size(); i++)
        {
            final String subnetPath = path + ".subnets[" + i + "]";
            final IpCidr subnet = prefix(raw.subnets().get(i), subnetPath);
            insideVpc(subnet, subnetPath, vpc);
            for (int a = 0; a < earlier.size(); a++)
            {
                overlap(subnet, subnetPath, earlier.get(a).subnets(), "network-acls[" + a + "]",
                    earlier.get(a).name());
            }
            overlap(subnet, subnetPath, subnets, path, name);
            subnets.add(subnet);
        }
        final List<VpcFirewallConfig.AclRule> rules = new ArrayList<>();
        final List<RawConfig.AclRule> rawRules = raw.rules() == null ? List.of() : raw.rules();
        for (int i = 0; i < rawRules.size(); i++)
        {
            rules.add(aclRule(rawRules.get(i), path + ".rules[" + i + "]", path, rules));
        }
        return new VpcFirewallConfig.NetworkAcl(name, subnets, rules);
    }

    private void overlap(final IpCidr subnet, final String path, final List<IpCidr> others, final String otherPath,
        final String otherName) throws ConfigException
    {
        for (int i = 0; i < others.size(); i++)
        {
            if (others.get(i).overlaps(subnet))
            {
                final String where = otherPath + ".subnets[" + i + "]";
                throw common.error(path, subnet + " overlaps " + others.get(i) + " of network ACL " + otherName + " ("
                    + where + ", line " + common.line(where) + "): a subnet has one network ACL");
            }
        }
    }

    private VpcFirewallConfig.AclRule aclRule(
        final RawConfig.AclRule raw, final String path, final String aclPath,
        final List<VpcFirewallConfig.AclRule> earlier) throws ConfigException
    {
        if (raw.priority() == null)
        {
            throw common.error(path + ".priority", "required key missing");
        }
        final int priority = common.intOr(raw.priority(), path + ".priority", 0, MIN_PRIORITY, MAX_PRIORITY);
        for (int i = 0; i < earlier.size(); i++)
        {
            if (earlier.get(i).priority() == priority)
            {
                final String first = aclPath + ".rules[" + i + "]";
                throw common.error(path + ".priority", "duplicate priority " + priority + " (first at " + first
                    + ", line " + common.line(first + ".priority") + "): priorities are unique in a network ACL");
            }
        }
        final VpcFirewallConfig.Direction direction = direction(common.required(raw.direction(), path, "direction"),
            path + ".direction");
        final int protocol = protocol(common.required(raw.protocol(), path, "protocol"), path + ".protocol");
        final IpCidr cidr = prefix(common.required(raw.cidr(), path, "cidr"), path + ".cidr");
        familyMatches(protocol, cidr.isIpv6(), path + ".cidr", cidr.toString());
        final int[] ports = ports(raw.ports(), path + ".ports", protocol);
        final String action = common.required(raw.action(), path, "action");
        if (!"allow".equals(action) && !"deny".equals(action))
        {
            throw common.error(path + ".action", "must be allow or deny, got \"" + action + "\"");
        }
        return new VpcFirewallConfig.AclRule(priority, direction, protocol, cidr, ports[0], ports[1],
            "allow".equals(action));
    }

    private VpcFirewallConfig.SecurityGroup securityGroup(
        final RawConfig.SecurityGroup raw, final String path, final List<IpCidr> vpc, final List<String> groupNames)
        throws ConfigException
    {
        final List<IpAddress> members = new ArrayList<>();
        final List<String> rawMembers = raw.members() == null ? List.of() : raw.members();
        for (int i = 0; i < rawMembers.size(); i++)
        {
            final String memberPath = path + ".members[" + i + "]";
            final IpAddress member = member(rawMembers.get(i), memberPath);
            insideVpc(new IpCidr(member, member.bitLength()), memberPath, vpc);
            final int first = members.indexOf(member);
            if (first >= 0)
            {
                throw common.error(memberPath, "duplicate member " + member + " (first at " + path + ".members[" + first
                    + "])");
            }
            members.add(member);
        }
        final List<VpcFirewallConfig.GroupRule> inbound = groupRules(raw.inbound(), path + ".inbound", groupNames);
        final List<VpcFirewallConfig.GroupRule> outbound = raw.outbound() == null
            ? List.of(allowAll("::/0"), allowAll("0.0.0.0/0"))
            : groupRules(raw.outbound(), path + ".outbound", groupNames);
        return new VpcFirewallConfig.SecurityGroup(raw.name(), members, inbound, outbound);
    }

    /** The cloud products' default outbound rule of a new group: everything, both families. */
    private static VpcFirewallConfig.GroupRule allowAll(final String cidr)
    {
        return new VpcFirewallConfig.GroupRule(AclClassifier.ANY_PROTOCOL, IpCidr.parse(cidr), null, 0,
            AclClassifier.MAX_PORT);
    }

    private List<VpcFirewallConfig.GroupRule> groupRules(
        final List<RawConfig.GroupRule> raw, final String path, final List<String> groupNames) throws ConfigException
    {
        final List<VpcFirewallConfig.GroupRule> rules = new ArrayList<>();
        if (raw == null)
        {
            return rules;
        }
        for (int i = 0; i < raw.size(); i++)
        {
            final RawConfig.GroupRule rule = raw.get(i);
            final String rulePath = path + "[" + i + "]";
            final int protocol = protocol(common.required(rule.protocol(), rulePath, "protocol"), rulePath + ".protocol");
            if ((rule.cidr() == null) == (rule.group() == null))
            {
                throw common.error(rulePath, "needs exactly one of cidr and group");
            }
            IpCidr cidr = null;
            if (rule.cidr() != null)
            {
                cidr = prefix(rule.cidr(), rulePath + ".cidr");
                familyMatches(protocol, cidr.isIpv6(), rulePath + ".cidr", cidr.toString());
            }
            else if (!groupNames.contains(rule.group()))
            {
                throw common.error(rulePath + ".group", "no security group named \"" + rule.group()
                    + "\" (security groups: " + String.join(", ", groupNames) + ")");
            }
            final int[] ports = ports(rule.ports(), rulePath + ".ports", protocol);
            rules.add(new VpcFirewallConfig.GroupRule(protocol, cidr, rule.group(), ports[0], ports[1]));
        }
        return rules;
    }

    private String name(final String text, final String path) throws ConfigException
    {
        final String name = common.required(text, path, "name");
        if (!NAME.matcher(name).matches())
        {
            throw common.error(path + ".name", "must be 1 to 63 of a-z, 0-9 and '-', starting with a letter or digit,"
                + " got \"" + name + "\"");
        }
        return name;
    }

    private VpcFirewallConfig.Direction direction(final String text, final String path) throws ConfigException
    {
        switch (text)
        {
            case "inbound":
                return VpcFirewallConfig.Direction.INBOUND;
            case "outbound":
                return VpcFirewallConfig.Direction.OUTBOUND;
            default:
                throw common.error(path, "must be inbound or outbound, got \"" + text + "\"");
        }
    }

    /**
     * @return the protocol number, or {@link AclClassifier#ANY_PROTOCOL}.
     */
    private int protocol(final String text, final String path) throws ConfigException
    {
        switch (text.toLowerCase(Locale.ROOT))
        {
            case "any":
                return AclClassifier.ANY_PROTOCOL;
            case "tcp":
                return IpProtocol.TCP;
            case "udp":
                return IpProtocol.UDP;
            case "icmp":
                return IpProtocol.ICMP;
            case "icmpv6":
                return IpProtocol.ICMPV6;
            default:
                if (text.matches("\\d{1,3}") && Integer.parseInt(text) <= 255)
                {
                    return Integer.parseInt(text);
                }
                throw common.error(path, "must be tcp, udp, icmp, icmpv6, any or a protocol number 0..255, got \""
                    + text + "\"");
        }
    }

    /** ICMP (1) lives in IPv4 and ICMPv6 (58) in IPv6: a rule pairing one with the other family never matches. */
    private void familyMatches(final int protocol, final boolean ipv6, final String path, final String cidr)
        throws ConfigException
    {
        if (protocol == IpProtocol.ICMP && ipv6)
        {
            throw common.error(path, "protocol icmp is ICMPv4 and never comes from the IPv6 cidr " + cidr
                + " (use icmpv6)");
        }
        if (protocol == IpProtocol.ICMPV6 && !ipv6)
        {
            throw common.error(path, "protocol icmpv6 never comes from the IPv4 cidr " + cidr + " (use icmp)");
        }
    }

    /**
     * @return {first, last}; all ports when absent.
     */
    private int[] ports(final String text, final String path, final int protocol) throws ConfigException
    {
        if (text == null)
        {
            return new int[]{0, AclClassifier.MAX_PORT};
        }
        if (protocol != IpProtocol.TCP && protocol != IpProtocol.UDP)
        {
            throw common.error(path, "only tcp and udp rules have ports");
        }
        final java.util.regex.Matcher matcher = PORTS.matcher(text.trim());
        if (matcher.matches())
        {
            final int first = Integer.parseInt(matcher.group(1));
            final int last = matcher.group(2) == null ? first : Integer.parseInt(matcher.group(2));
            if (first <= last && last <= AclClassifier.MAX_PORT)
            {
                return new int[]{first, last};
            }
        }
        throw common.error(path, "must be a port or a range FIRST-LAST within 0-65535, got \"" + text + "\"");
    }

    private IpCidr prefix(final String text, final String path) throws ConfigException
    {
        final IpCidr cidr = common.cidr(text, path);
        if (cidr.hasHostBits())
        {
            throw common.error(path, "has bits set beyond its length: " + text + " (did you mean " + cidr.network() + "?)");
        }
        return cidr;
    }

    private IpAddress member(final String text, final String path) throws ConfigException
    {
        if (text.indexOf('/') >= 0)
        {
            throw common.error(path, "must be an address without a prefix length, got " + text);
        }
        final IpAddress address;
        try
        {
            address = IpAddress.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw common.error(path, ex.getMessage());
        }
        if (address.isUnspecified() || address.isLoopback() || address.isMulticastOrBroadcast())
        {
            throw common.error(path, "must be a unicast address, got " + text);
        }
        return address;
    }

    private void insideVpc(final IpCidr cidr, final String path, final List<IpCidr> vpc) throws ConfigException
    {
        final List<String> sameFamily = new ArrayList<>();
        for (final IpCidr prefix : vpc)
        {
            if (prefix.isIpv6() == cidr.isIpv6())
            {
                if (prefix.length() <= cidr.length() && prefix.contains(cidr.address()))
                {
                    return;
                }
                sameFamily.add(prefix.toString());
            }
        }
        final String shown = cidr.length() == cidr.address().bitLength() ? cidr.address().toString() : cidr.toString();
        throw common.error(path, shown + " is not inside the VPC (" + (sameFamily.isEmpty()
            ? "no " + (cidr.isIpv6() ? "IPv6" : "IPv4") + " prefix in vpc" + (cidr.isIpv6() ? " or ipv6-gateway.vpc" : "")
            : "vpc: " + String.join(", ", sameFamily)) + ")");
    }
}
