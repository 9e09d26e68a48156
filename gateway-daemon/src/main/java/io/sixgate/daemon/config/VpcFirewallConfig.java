package io.sixgate.daemon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.sixgate.core.net.Ipv4Prefix;
import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.egress.acl.NetworkAcls;
import io.sixgate.egress.acl.SecurityGroups;

/**
 * The {@code vpc}, {@code network-acls}, {@code security-groups} and {@code connection-tracking}
 * keys: the VPC's stateless subnet ACLs and stateful per-address security groups.
 *
 * @param vpc                the top-level {@code vpc} prefixes as written; subnets and members must be
 *                           inside them or inside {@code ipv6-gateway.vpc}.
 * @param networkAcls        the ACLs, in file order (an ACL's id is its index).
 * @param securityGroups     the groups, in file order.
 * @param maxFlows           tracked security-group flows per worker.
 * @param maxFlowsPerAddress flows one initiating address may hold.
 */
public record VpcFirewallConfig(
    List<IpCidr> vpc,
    List<NetworkAcl> networkAcls,
    List<SecurityGroup> securityGroups,
    int maxFlows,
    int maxFlowsPerAddress)
{
    public static final int DEFAULT_MAX_FLOWS = 65_536;
    public static final int DEFAULT_MAX_FLOWS_PER_ADDRESS = 4096;

    public VpcFirewallConfig
    {
        vpc = List.copyOf(vpc);
        networkAcls = List.copyOf(networkAcls);
        securityGroups = List.copyOf(securityGroups);
    }

    /** Direction of a rule, seen from the subnet or the member. */
    public enum Direction
    {
        INBOUND, OUTBOUND
    }

    /**
     * @param name    unique among the ACLs.
     * @param subnets the subnets it is attached to (no two ACLs share or overlap a subnet).
     * @param rules   in file order; evaluated by priority.
     */
    public record NetworkAcl(String name, List<IpCidr> subnets, List<AclRule> rules)
    {
        public NetworkAcl
        {
            subnets = List.copyOf(subnets);
            rules = List.copyOf(rules);
        }
    }

    /**
     * @param priority  1..32766, lower first, unique in the ACL.
     * @param protocol  0..255, or {@link io.sixgate.egress.acl.AclClassifier#ANY_PROTOCOL}.
     * @param cidr      the remote side.
     * @param portFrom  first destination port (0 with {@code portTo} 65535: any).
     * @param allow     allow, else deny.
     */
    public record AclRule(int priority, Direction direction, int protocol, IpCidr cidr, int portFrom, int portTo,
        boolean allow)
    {
    }

    /**
     * @param name     unique among the groups.
     * @param members  member addresses.
     * @param inbound  allow rules towards the members.
     * @param outbound allow rules from the members.
     */
    public record SecurityGroup(String name, List<IpAddress> members, List<GroupRule> inbound, List<GroupRule> outbound)
    {
        public SecurityGroup
        {
            members = List.copyOf(members);
            inbound = List.copyOf(inbound);
            outbound = List.copyOf(outbound);
        }
    }

    /**
     * An allow rule: the remote side is a prefix, or the members of a group.
     *
     * @param protocol 0..255, or {@link io.sixgate.egress.acl.AclClassifier#ANY_PROTOCOL}.
     * @param cidr     the remote prefix, or {@code null} with {@code group}.
     * @param group    the group whose members are the remote side, or {@code null} with {@code cidr}.
     */
    public record GroupRule(int protocol, IpCidr cidr, String group, int portFrom, int portTo)
    {
    }

    public boolean hasNetworkAcls()
    {
        return !networkAcls.isEmpty();
    }

    public boolean hasSecurityGroups()
    {
        return !securityGroups.isEmpty();
    }

    /**
     * @return the ACLs compiled for the data plane.
     */
    public NetworkAcls compileNetworkAcls()
    {
        final NetworkAcls.Builder builder = NetworkAcls.builder(networkAcls.size());
        for (final NetworkAcl acl : networkAcls)
        {
            final int id = builder.acl(acl.name());
            for (final IpCidr subnet : acl.subnets())
            {
                if (subnet.isIpv6())
                {
                    builder.subnet(id, ipv6(subnet));
                }
                else
                {
                    builder.subnet(id, ipv4(subnet));
                }
            }
            for (final AclRule rule : acl.rules())
            {
                final int direction = rule.direction() == Direction.INBOUND ? NetworkAcls.INBOUND : NetworkAcls.OUTBOUND;
                if (rule.cidr().isIpv6())
                {
                    builder.rule(id, rule.priority(), direction, ipv6(rule.cidr()), rule.protocol(), rule.portFrom(),
                        rule.portTo(), rule.allow());
                }
                else
                {
                    builder.rule(id, rule.priority(), direction, ipv4(rule.cidr()), rule.protocol(), rule.portFrom(),
                        rule.portTo(), rule.allow());
                }
            }
        }
        return builder.build();
    }

    /**
     * @return the groups compiled for the data plane; a rule naming a group stands for one rule
     * per member address of that group.
     */
    public SecurityGroups compileSecurityGroups()
    {
        final SecurityGroups.Builder builder = SecurityGroups.builder(securityGroups.size());
        for (final SecurityGroup group : securityGroups)
        {
            builder.group(group.name());
        }
        for (int id = 0; id < securityGroups.size(); id++)
        {
            final SecurityGroup group = securityGroups.get(id);
            for (final IpAddress member : group.members())
            {
                if (member.isIpv6())
                {
                    builder.member(id, member.ipv6High(), member.ipv6Low());
                }
                else
                {
                    builder.member(id, member.ipv4());
                }
            }
            for (final GroupRule rule : group.inbound())
            {
                allow(builder, id, SecurityGroups.INBOUND, rule);
            }
            for (final GroupRule rule : group.outbound())
            {
                allow(builder, id, SecurityGroups.OUTBOUND, rule);
            }
        }
        return builder.build();
    }

    private void allow(final SecurityGroups.Builder builder, final int group, final int direction, final GroupRule rule)
    {
        final List<IpCidr> remotes = new ArrayList<>();
        if (rule.cidr() != null)
        {
            remotes.add(rule.cidr());
        }
        else
        {
            for (final SecurityGroup other : securityGroups)
            {
                if (other.name().equals(rule.group()))
                {
                    for (final IpAddress member : other.members())
                    {
                        remotes.add(new IpCidr(member, member.bitLength()));
                    }
                }
            }
        }
        for (final IpCidr remote : remotes)
        {
            if (remote.isIpv6())
            {
                builder.allow(group, direction, ipv6(remote), rule.protocol(), rule.portFrom(), rule.portTo());
            }
            else
            {
                builder.allow(group, direction, ipv4(remote), rule.protocol(), rule.portFrom(), rule.portTo());
            }
        }
    }

    private static Ipv6Prefix ipv6(final IpCidr cidr)
    {
        return new Ipv6Prefix(cidr.address().ipv6High(), cidr.address().ipv6Low(), cidr.length());
    }

    private static Ipv4Prefix ipv4(final IpCidr cidr)
    {
        return new Ipv4Prefix(cidr.address().ipv4(), cidr.length());
    }

    /**
     * The keys a reload cannot change: {@code vpc}, {@code connection-tracking} (it sizes the
     * connection table), and adding or removing the ACLs or the groups (a filter stage is in the
     * pipeline only when configured). Changed rules, subnets, members and groups within them
     * reload: the stages take them through {@code offer}.
     *
     * @return the restart-only keys that changed, empty when none.
     */
    public static List<String> restartOnlyKeys(final VpcFirewallConfig running, final VpcFirewallConfig next)
    {
        final List<String> keys = new ArrayList<>();
        final VpcFirewallConfig was = running == null ? empty() : running;
        final VpcFirewallConfig now = next == null ? empty() : next;
        check(keys, "vpc", was.vpc(), now.vpc());
        presence(keys, "network-acls", was.hasNetworkAcls(), now.hasNetworkAcls());
        presence(keys, "security-groups", was.hasSecurityGroups(), now.hasSecurityGroups());
        if (was.maxFlows() != now.maxFlows() || was.maxFlowsPerAddress() != now.maxFlowsPerAddress())
        {
            keys.add("connection-tracking");
        }
        return keys;
    }

    private static void presence(final List<String> keys, final String key, final boolean was, final boolean now)
    {
        if (was != now)
        {
            keys.add(key + " (" + (now ? "added" : "removed") + ")");
        }
    }

    private static VpcFirewallConfig empty()
    {
        return new VpcFirewallConfig(List.of(), List.of(), List.of(), DEFAULT_MAX_FLOWS, DEFAULT_MAX_FLOWS_PER_ADDRESS);
    }

    private static void check(final List<String> keys, final String key, final Object was, final Object now)
    {
        if (!Objects.equals(was, now))
        {
            keys.add(key);
        }
    }
}
