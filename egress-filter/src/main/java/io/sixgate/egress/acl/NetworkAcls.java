package io.sixgate.egress.acl;

import java.util.ArrayList;
import java.util.List;

import io.sixgate.core.net.Ipv4Prefix;
import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.core.route.Ipv4RouteTable;
import io.sixgate.core.route.Ipv6RouteTable;

/**
 * The VPC's network ACLs, compiled: which subnet an address is in (longest prefix), which ACL
 * the subnet has, and each ACL's ordered rules per direction in one {@link AclClassifier}.
 * Immutable; built at config time and shared by reference (the worker swaps the whole object).
 *
 * <p>Semantics of the cloud products' network ACLs (AWS, Huawei/OTC): stateless, one ACL per
 * subnet, rules evaluated by priority (lower first), the first match decides, and a packet no rule
 * matches is denied (the implicit final rule). A rule names a direction seen from the subnet, the
 * remote side's prefix (IPv4 or IPv6), a protocol and, for TCP and UDP, a destination port range.
 */
public final class NetworkAcls
{
    /** {@link #subnetOfIpv6}, {@link #subnetOfIpv4}: the address is in no subnet with an ACL. */
    public static final int NO_SUBNET = -1;
    /** {@link #classifyIpv6}, {@link #classifyIpv4}: no rule matches (the implicit deny). */
    public static final int NO_MATCH = AclClassifier.NO_MATCH;
    /** Direction: into the subnet; the remote side is the source. */
    public static final int INBOUND = 0;
    /** Direction: out of the subnet; the remote side is the destination. */
    public static final int OUTBOUND = 1;

    private final List<String> names;
    private final Ipv6RouteTable ipv6Subnets;
    private final Ipv4RouteTable ipv4Subnets;
    private final int[] subnetAcl;
    private final boolean[] ruleAllows;
    private final AclClassifier classifier;

    private NetworkAcls(final Builder builder)
    {
        this.names = List.copyOf(builder.names);
        this.ipv6Subnets = builder.ipv6Subnets.build();
        this.ipv4Subnets = builder.ipv4Subnets.build();
        this.subnetAcl = builder.subnetAcl.stream().mapToInt(Integer::intValue).toArray();
        this.ruleAllows = new boolean[builder.allows.size()];
        for (int i = 0; i < ruleAllows.length; i++)
        {
            ruleAllows[i] = builder.allows.get(i);
        }
        this.classifier = builder.rules.build();
    }

    /**
     * @param acls how many ACLs there will be (context count of the classifier).
     */
    public static Builder builder(final int acls)
    {
        return new Builder(acls);
    }

    /** @return the subnet holding the address, or {@link #NO_SUBNET}. */
    public int subnetOfIpv6(final long high, final long low)
    {
        return ipv6Subnets.lookup(high, low);
    }

    /** @return the subnet holding the address, or {@link #NO_SUBNET}. */
    public int subnetOfIpv4(final int address)
    {
        return ipv4Subnets.lookup(address);
    }

    /** @return the ACL of a subnet. */
    public int aclOf(final int subnet)
    {
        return subnetAcl[subnet];
    }

    /**
     * @param direction {@link #INBOUND} or {@link #OUTBOUND}.
     * @param port      destination port, or {@link AclClassifier#NO_PORT}.
     * @return the rule that decides, or {@link #NO_MATCH}.
     */
    public int classifyIpv6(
        final int acl, final int direction, final long remoteHigh, final long remoteLow, final int protocol,
        final int port)
    {
        return classifier.lookupIpv6(context(acl, direction, true), remoteHigh, remoteLow, protocol, port);
    }

    /** {@link #classifyIpv6} for an IPv4 remote side. */
    public int classifyIpv4(final int acl, final int direction, final int remote, final int protocol, final int port)
    {
        return classifier.lookupIpv4(context(acl, direction, false), remote, protocol, port);
    }

    /** @return whether a rule allows (else it denies). */
    public boolean allows(final int rule)
    {
        return ruleAllows[rule];
    }

    /** ACL names in id order. */
    public List<String> names()
    {
        return names;
    }

    public AclClassifier classifier()
    {
        return classifier;
    }

    private static int context(final int acl, final int direction, final boolean ipv6Remote)
    {
        return (acl * 2 + direction) * 2 + (ipv6Remote ? 1 : 0);
    }

    /**
     * Collects ACLs, subnets and rules at config time. Not thread-safe.
     */
    public static final class Builder
    {
        private final int capacity;
        private final List<String> names = new ArrayList<>();
        private final Ipv6RouteTable.Builder ipv6Subnets = Ipv6RouteTable.builder();
        private final Ipv4RouteTable.Builder ipv4Subnets = Ipv4RouteTable.builder();
        private final List<Integer> subnetAcl = new ArrayList<>();
        private final List<Boolean> allows = new ArrayList<>();
        private final AclClassifier.Builder rules;

        private Builder(final int acls)
        {
            this.capacity = acls;
            this.rules = AclClassifier.builder(acls * 4);
        }

        /** @return the new ACL's id. */
        public int acl(final String name)
        {
            if (names.size() == capacity)
            {
                throw new IllegalStateException("more ACLs than the " + capacity + " announced");
            }
            names.add(name);
            return names.size() - 1;
        }

        /** Attaches the ACL to an IPv6 subnet. */
        public Builder subnet(final int acl, final Ipv6Prefix subnet)
        {
            checkAcl(acl);
            if (ipv6Subnets.add(subnet.high(), subnet.low(), subnet.length(), subnetAcl.size()) != Ipv6RouteTable.NO_ROUTE)
            {
                throw new IllegalArgumentException("subnet " + subnet + " has an ACL already");
            }
            subnetAcl.add(acl);
            return this;
        }

        /** Attaches the ACL to an IPv4 subnet. */
        public Builder subnet(final int acl, final Ipv4Prefix subnet)
        {
            checkAcl(acl);
            if (ipv4Subnets.add(subnet.address(), subnet.length(), subnetAcl.size()) != Ipv4RouteTable.NO_ROUTE)
            {
                throw new IllegalArgumentException("subnet " + subnet + " has an ACL already");
            }
            subnetAcl.add(acl);
            return this;
        }

        /**
         * Adds a rule on an IPv6 remote prefix.
         *
         * @param protocol {@link AclClassifier#ANY_PROTOCOL} or 0..255.
         * @param portFrom first destination port (0-65535 for all).
         * @return the rule's id.
         */
        public int rule(
            final int acl, final int priority, final int direction, final Ipv6Prefix remote, final int protocol,
            final int portFrom, final int portTo, final boolean allow)
        {
            checkAcl(acl);
            checkDirection(direction);
            rules.ipv6(context(acl, direction, true), remote.high(), remote.low(), remote.length(), protocol, portFrom,
                portTo, priority, allows.size());
            allows.add(allow);
            return allows.size() - 1;
        }

        /** Adds a rule on an IPv4 remote prefix; see {@link #rule(int, int, int, Ipv6Prefix, int, int, int, boolean)}. */
        public int rule(
            final int acl, final int priority, final int direction, final Ipv4Prefix remote, final int protocol,
            final int portFrom, final int portTo, final boolean allow)
        {
            checkAcl(acl);
            checkDirection(direction);
            rules.ipv4(context(acl, direction, false), remote.address(), remote.length(), protocol, portFrom, portTo,
                priority, allows.size());
            allows.add(allow);
            return allows.size() - 1;
        }

        public NetworkAcls build()
        {
            return new NetworkAcls(this);
        }

        private static void checkDirection(final int direction)
        {
            if (direction != INBOUND && direction != OUTBOUND)
            {
                throw new IllegalArgumentException("direction must be INBOUND or OUTBOUND: " + direction);
            }
        }

        private void checkAcl(final int acl)
        {
            if (acl < 0 || acl >= names.size())
            {
                throw new IllegalArgumentException("no ACL " + acl);
            }
        }
    }
}
