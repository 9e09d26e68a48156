package io.sixgate.egress.acl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.sixgate.core.net.Ipv4Prefix;
import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.core.route.Ipv4RouteTable;
import io.sixgate.core.route.Ipv6RouteTable;

/**
 * The VPC's security groups, compiled: which addresses are members (exact match), and for each
 * distinct set of groups a member belongs to, the union of those groups' allow rules per
 * direction in one {@link AclClassifier}. Immutable; built at config time.
 *
 * <p>Semantics of the cloud products' security groups: rules only allow; traffic to or from a
 * member passes when some rule of some group of the member allows it, in the direction seen from
 * the member; replies of an allowed flow pass on the flow's state, kept by the stage. A rule names
 * the remote side's prefix (IPv4 or IPv6), a protocol and, for TCP and UDP, a destination port
 * range. An IPv4 member may have rules on IPv6 prefixes: they match IPv6 clients reaching it
 * through NAT64, by their IPv6 source.
 */
public final class SecurityGroups
{
    /** {@link #memberIpv6}, {@link #memberIpv4}: the address is in no group. */
    public static final int NOT_A_MEMBER = -1;
    /** Direction: towards the member; the remote side is the source. */
    public static final int INBOUND = 0;
    /** Direction: from the member; the remote side is the destination. */
    public static final int OUTBOUND = 1;

    private final List<String> names;
    private final Ipv6RouteTable ipv6Members;
    private final Ipv4RouteTable ipv4Members;
    private final int[] memberGroupSet;
    private final int groupSets;
    private final AclClassifier classifier;

    private SecurityGroups(final Builder builder)
    {
        this.names = List.copyOf(builder.names);
        final Map<List<Integer>, Integer> groupSetIds = new LinkedHashMap<>();
        this.memberGroupSet = new int[builder.memberGroups.size()];
        for (int member = 0; member < memberGroupSet.length; member++)
        {
            final List<Integer> groups = List.copyOf(builder.memberGroups.get(member));
            final Integer known = groupSetIds.get(groups);
            memberGroupSet[member] = known != null ? known : groupSetIds.size();
            groupSetIds.putIfAbsent(groups, groupSetIds.size());
        }
        this.groupSets = groupSetIds.size();
        final AclClassifier.Builder rules = AclClassifier.builder(groupSets * 4);
        for (final Map.Entry<List<Integer>, Integer> set : groupSetIds.entrySet())
        {
            for (final int group : set.getKey())
            {
                for (final Rule rule : builder.rules.get(group))
                {
                    // Allow-only: any matching rule will do, the priority is the order added.
                    final int context = context(set.getValue(), rule.direction, rule.ipv6 != null);
                    if (rule.ipv6 != null)
                    {
                        rules.ipv6(context, rule.ipv6.high(), rule.ipv6.low(), rule.ipv6.length(), rule.protocol,
                            rule.portFrom, rule.portTo, 0, rule.id);
                    }
                    else
                    {
                        rules.ipv4(context, rule.ipv4.address(), rule.ipv4.length(), rule.protocol, rule.portFrom,
                            rule.portTo, 0, rule.id);
                    }
                }
            }
        }
        this.classifier = rules.build();
        this.ipv6Members = builder.ipv6Members.build();
        this.ipv4Members = builder.ipv4Members.build();
    }

    /**
     * @param groups how many groups there will be.
     */
    public static Builder builder(final int groups)
    {
        return new Builder(groups);
    }

    /** @return the member with that address, or {@link #NOT_A_MEMBER}. */
    public int memberIpv6(final long high, final long low)
    {
        return ipv6Members.lookup(high, low);
    }

    /** @return the member with that address, or {@link #NOT_A_MEMBER}. */
    public int memberIpv4(final int address)
    {
        return ipv4Members.lookup(address);
    }

    /**
     * @param direction {@link #INBOUND} or {@link #OUTBOUND}.
     * @param port      destination port, or {@link AclClassifier#NO_PORT}.
     * @return whether a rule of the member's groups allows a new flow with this IPv6 remote side.
     */
    public boolean allowsIpv6(
        final int member, final int direction, final long remoteHigh, final long remoteLow, final int protocol,
        final int port)
    {
        return classifier.lookupIpv6(context(memberGroupSet[member], direction, true), remoteHigh, remoteLow, protocol,
            port) != AclClassifier.NO_MATCH;
    }

    /** {@link #allowsIpv6} with an IPv4 remote side. */
    public boolean allowsIpv4(final int member, final int direction, final int remote, final int protocol, final int port)
    {
        return classifier.lookupIpv4(context(memberGroupSet[member], direction, false), remote, protocol, port)
            != AclClassifier.NO_MATCH;
    }

    /** Group names in id order. */
    public List<String> names()
    {
        return names;
    }

    /** Distinct sets of groups among the members (one set of classifier contexts each). */
    public int groupSets()
    {
        return groupSets;
    }

    public AclClassifier classifier()
    {
        return classifier;
    }

    private static int context(final int groupSet, final int direction, final boolean ipv6Remote)
    {
        return (groupSet * 2 + direction) * 2 + (ipv6Remote ? 1 : 0);
    }

    private record Rule(int id, int direction, Ipv6Prefix ipv6, Ipv4Prefix ipv4, int protocol, int portFrom, int portTo)
    {
    }

    /**
     * Collects groups, members and rules at config time. Not thread-safe.
     */
    public static final class Builder
    {
        private final int capacity;
        private final List<String> names = new ArrayList<>();
        private final List<List<Rule>> rules = new ArrayList<>();
        private final List<TreeSet<Integer>> memberGroups = new ArrayList<>();
        private final Map<Object, Integer> memberIds = new LinkedHashMap<>();
        private final Ipv6RouteTable.Builder ipv6Members = Ipv6RouteTable.builder();
        private final Ipv4RouteTable.Builder ipv4Members = Ipv4RouteTable.builder();
        private int ruleCount;

        private Builder(final int groups)
        {
            this.capacity = groups;
        }

        /** @return the new group's id. */
        public int group(final String name)
        {
            if (names.size() == capacity)
            {
                throw new IllegalStateException("more groups than the " + capacity + " announced");
            }
            names.add(name);
            rules.add(new ArrayList<>());
            return names.size() - 1;
        }

        /** Adds an IPv6 address to a group (an address may be in several groups). */
        public Builder member(final int group, final long high, final long low)
        {
            checkGroup(group);
            final Integer known = memberIds.get(new Ipv6Prefix(high, low, 128));
            if (known != null)
            {
                memberGroups.get(known).add(group);
                return this;
            }
            ipv6Members.add(high, low, 128, memberGroups.size());
            return addMember(new Ipv6Prefix(high, low, 128), group);
        }

        /** Adds an IPv4 address to a group (an address may be in several groups). */
        public Builder member(final int group, final int address)
        {
            checkGroup(group);
            final Integer known = memberIds.get(new Ipv4Prefix(address, 32));
            if (known != null)
            {
                memberGroups.get(known).add(group);
                return this;
            }
            ipv4Members.add(address, 32, memberGroups.size());
            return addMember(new Ipv4Prefix(address, 32), group);
        }

        private Builder addMember(final Object key, final int group)
        {
            memberIds.put(key, memberGroups.size());
            final TreeSet<Integer> groups = new TreeSet<>();
            groups.add(group);
            memberGroups.add(groups);
            return this;
        }

        /**
         * Adds an allow rule on an IPv6 remote prefix.
         *
         * @param direction {@link #INBOUND} or {@link #OUTBOUND}.
         * @param protocol  {@link AclClassifier#ANY_PROTOCOL} or 0..255.
         */
        public Builder allow(
            final int group, final int direction, final Ipv6Prefix remote, final int protocol, final int portFrom,
            final int portTo)
        {
            checkGroup(group);
            checkDirection(direction);
            rules.get(group).add(new Rule(ruleCount++, direction, remote, null, protocol, portFrom, portTo));
            return this;
        }

        /** Adds an allow rule on an IPv4 remote prefix. */
        public Builder allow(
            final int group, final int direction, final Ipv4Prefix remote, final int protocol, final int portFrom,
            final int portTo)
        {
            checkGroup(group);
            checkDirection(direction);
            rules.get(group).add(new Rule(ruleCount++, direction, null, remote, protocol, portFrom, portTo));
            return this;
        }

        public SecurityGroups build()
        {
            return new SecurityGroups(this);
        }

        private void checkDirection(final int direction)
        {
            if (direction != INBOUND && direction != OUTBOUND)
            {
                throw new IllegalArgumentException("direction must be INBOUND or OUTBOUND: " + direction);
            }
        }

        private void checkGroup(final int group)
        {
            if (group < 0 || group >= names.size())
            {
                throw new IllegalArgumentException("no group " + group);
            }
        }
    }
}
