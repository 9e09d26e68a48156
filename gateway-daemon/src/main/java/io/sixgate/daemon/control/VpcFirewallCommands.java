package io.sixgate.daemon.control;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.sixgate.daemon.config.VpcFirewallConfig;
import io.sixgate.daemon.config.VpcFirewallConfig.NetworkAcl;
import io.sixgate.daemon.config.VpcFirewallConfig.SecurityGroup;
import io.sixgate.egress.acl.NetworkAclStage;
import io.sixgate.egress.acl.SecurityGroupStage;

/**
 * A reload of the network ACLs and security groups: the file's rules, subnets and members
 * replace the running ones on every worker, compiled as at start-up
 * ({@link VpcFirewallConfig#compileNetworkAcls()}, {@link VpcFirewallConfig#compileSecurityGroups()}),
 * and the stages take them before their next packet ({@link NetworkAclStage#offer},
 * {@link SecurityGroupStage#offer}). The ACLs keep no state; the security groups' tracked flows
 * stay, so a removed inbound rule stops new flows while an established one goes on until it ends,
 * as a cloud's security group does. Adding or removing a filter, {@code vpc} and
 * {@code connection-tracking} need a restart ({@link VpcFirewallConfig#restartOnlyKeys}).
 */
final class VpcFirewallCommands
{
    private VpcFirewallCommands()
    {
    }

    /**
     * Offers the file's ACLs and groups to the worker's filter stages; each worker compiles its own
     * copy, as at start-up. Call only once nothing can refuse the reload any more.
     */
    static void reload(final WorkerState worker, final VpcFirewallConfig next)
    {
        if (next == null)
        {
            return;
        }
        final NetworkAclStage acl = worker.networkAcl();
        if (acl != null && next.hasNetworkAcls())
        {
            acl.offer(next.compileNetworkAcls());
        }
        final SecurityGroupStage groups = worker.securityGroup();
        if (groups != null && next.hasSecurityGroups())
        {
            groups.offer(next.compileSecurityGroups());
        }
    }

    /**
     * @return what a reload from {@code running} to {@code next} changes, one line per ACL or
     * group, in the reload report's words ({@code network-acls: changed web (rules)}).
     */
    static List<String> changes(final VpcFirewallConfig running, final VpcFirewallConfig next)
    {
        final List<String> changes = new ArrayList<>();
        if (running == null || next == null)
        {
            return changes;
        }
        final Map<String, NetworkAcl> acls = new LinkedHashMap<>();
        running.networkAcls().forEach(acl -> acls.put(acl.name(), acl));
        final Map<String, NetworkAcl> nextAcls = new LinkedHashMap<>();
        next.networkAcls().forEach(acl -> nextAcls.put(acl.name(), acl));
        for (final NetworkAcl was : acls.values())
        {
            final NetworkAcl now = nextAcls.get(was.name());
            if (now == null)
            {
                changes.add("network-acls: removed " + was.name());
                continue;
            }
            final List<String> parts = new ArrayList<>();
            differs(parts, "subnets", was.subnets(), now.subnets());
            differs(parts, "rules", was.rules(), now.rules());
            changed(changes, "network-acls", was.name(), parts);
        }
        added(changes, "network-acls", acls.keySet(), nextAcls.keySet());

        final Map<String, SecurityGroup> groups = new LinkedHashMap<>();
        running.securityGroups().forEach(group -> groups.put(group.name(), group));
        final Map<String, SecurityGroup> nextGroups = new LinkedHashMap<>();
        next.securityGroups().forEach(group -> nextGroups.put(group.name(), group));
        for (final SecurityGroup was : groups.values())
        {
            final SecurityGroup now = nextGroups.get(was.name());
            if (now == null)
            {
                changes.add("security-groups: removed " + was.name());
                continue;
            }
            final List<String> parts = new ArrayList<>();
            differs(parts, "members", was.members(), now.members());
            differs(parts, "inbound", was.inbound(), now.inbound());
            differs(parts, "outbound", was.outbound(), now.outbound());
            changed(changes, "security-groups", was.name(), parts);
        }
        added(changes, "security-groups", groups.keySet(), nextGroups.keySet());
        if (!groups.equals(nextGroups))
        {
            changes.add("security-groups: new rules for new flows; tracked flows stay");
        }
        return changes;
    }

    private static void differs(final List<String> parts, final String part, final Object was, final Object now)
    {
        if (!Objects.equals(was, now))
        {
            parts.add(part);
        }
    }

    private static void changed(final List<String> changes, final String key, final String name,
        final List<String> parts)
    {
        if (!parts.isEmpty())
        {
            changes.add(key + ": changed " + name + " (" + String.join(", ", parts) + ")");
        }
    }

    private static void added(final List<String> changes, final String key, final Iterable<String> was,
        final Iterable<String> now)
    {
        final List<String> before = new ArrayList<>();
        was.forEach(before::add);
        for (final String name : now)
        {
            if (!before.contains(name))
            {
                changes.add(key + ": added " + name);
            }
        }
    }
}
