package io.sixgate.egress;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.core.route.Ipv6RouteTable;

/**
 * What the IPv6 gateway lets each VPC address do, looked up by longest prefix: VPC-only (the
 * default), Internet both ways under a bandwidth cap, or egress-only (outbound opens state,
 * inbound must match it). Immutable apart from the token buckets, which only the worker touches.
 *
 * <p>Why immutable: the admin API changes policy while packets flow. The control thread edits a
 * {@link Builder} ({@link #toBuilder()}), builds a new policy and hands it to the worker
 * ({@code Ipv6GatewayStage.offer}), which swaps one reference between packets. A rule that did
 * not change keeps its token buckets across the swap, so other addresses' traffic is not
 * disturbed (their buckets are not refilled or reset by someone else's change).
 *
 * <p>Cloud semantics (Alibaba IPv6 gateway): bandwidth 1-5000 Mbit/s makes an address reachable;
 * 0 or none makes it VPC-only again; an egress-only rule only takes effect on an address with
 * bandwidth (without bandwidth the address stays VPC-only and the rule waits).
 *
 * <p>Shared or per address: a rule has one bucket per direction, so a prefix rule caps the sum of
 * all its addresses' traffic (a bandwidth shared by a subnet); for a cap per address, give each
 * address its own /128 rule. The buckets belong to one worker's policy (one policy per worker).
 */
public final class Ipv6GatewayPolicy
{
    /** {@link #entryOf}: the address has no rule. */
    public static final int NO_ENTRY = Ipv6RouteTable.NO_ROUTE;

    /** Mode: no Internet access either way. */
    public static final int MODE_VPC_ONLY = 0;
    /** Mode: Internet both ways, rate-limited. */
    public static final int MODE_INTERNET = 1;
    /** Mode: Internet outbound, inbound only as part of an outbound-opened flow, rate-limited. */
    public static final int MODE_EGRESS_ONLY = 2;

    /** Smallest and largest bandwidth (Mbit/s) the cloud API takes. */
    public static final int MIN_BANDWIDTH_MBPS = 1;
    public static final int MAX_BANDWIDTH_MBPS = 5000;

    /** Default burst: 100 ms at the rate, at least {@link #MIN_DEFAULT_BURST_BYTES}. */
    public static final long DEFAULT_BURST_NS = 100_000_000L;
    /** Default burst floor: a few full-size frames. */
    public static final long MIN_DEFAULT_BURST_BYTES = 16_384;

    private final List<Ipv6Prefix> vpcPrefixes;
    private final Ipv6RouteTable vpc;
    private final Ipv6RouteTable rules;
    private final Ipv6Prefix[] prefixes;
    private final Rule[] ruleValues;
    private final int[] modes;
    private final TokenBucket[] outbound;
    private final TokenBucket[] inbound;

    private Ipv6GatewayPolicy(final Builder builder, final Ipv6GatewayPolicy previous)
    {
        this.vpcPrefixes = List.copyOf(builder.vpc);
        final Ipv6RouteTable.Builder vpcTable = Ipv6RouteTable.builder();
        for (final Ipv6Prefix prefix : vpcPrefixes)
        {
            vpcTable.add(prefix.high(), prefix.low(), prefix.length(), 0);
        }
        this.vpc = vpcTable.build();
        final int count = builder.rules.size();
        this.prefixes = new Ipv6Prefix[count];
        this.ruleValues = new Rule[count];
        this.modes = new int[count];
        this.outbound = new TokenBucket[count];
        this.inbound = new TokenBucket[count];
        final Ipv6RouteTable.Builder ruleTable = Ipv6RouteTable.builder();
        int i = 0;
        for (final Map.Entry<Ipv6Prefix, Rule> entry : builder.rules.entrySet())
        {
            final Ipv6Prefix prefix = entry.getKey();
            final Rule rule = entry.getValue();
            prefixes[i] = prefix;
            ruleValues[i] = rule;
            modes[i] = rule.bandwidthMbps == 0 ? MODE_VPC_ONLY : rule.egressOnly ? MODE_EGRESS_ONLY : MODE_INTERNET;
            if (rule.bandwidthMbps > 0)
            {
                final int old = previous == null ? NO_ENTRY : previous.ruleOf(prefix);
                if (old != NO_ENTRY && previous.ruleValues[old].sameBucket(rule) && previous.outbound[old] != null)
                {
                    outbound[i] = previous.outbound[old];
                    inbound[i] = previous.inbound[old];
                }
                else
                {
                    outbound[i] = new TokenBucket(TokenBucket.bytesPerSecond(rule.bandwidthMbps), rule.burstBytes);
                    inbound[i] = new TokenBucket(TokenBucket.bytesPerSecond(rule.bandwidthMbps), rule.burstBytes);
                }
            }
            ruleTable.add(prefix.high(), prefix.low(), prefix.length(), i);
            i++;
        }
        this.rules = ruleTable.build();
    }

    public static Builder builder()
    {
        return new Builder(null);
    }

    /**
     * A builder holding nothing, for a policy that replaces this one whole (a reload): a rule of
     * the new policy that this one has with the same bandwidth and burst keeps its buckets.
     */
    public Builder successor()
    {
        return new Builder(this);
    }

    /** A builder holding this policy's VPC prefixes and rules, for the next version. */
    public Builder toBuilder()
    {
        final Builder builder = new Builder(this);
        builder.vpc.addAll(vpcPrefixes);
        for (int i = 0; i < prefixes.length; i++)
        {
            builder.rules.put(prefixes[i], ruleValues[i]);
        }
        return builder;
    }

    /** @return whether the address is inside one of the VPC prefixes. */
    public boolean isVpc(final long high, final long low)
    {
        return vpc.lookup(high, low) != Ipv6RouteTable.NO_ROUTE;
    }

    /** @return the rule of the longest prefix holding the address, or {@link #NO_ENTRY}. */
    public int entryOf(final long high, final long low)
    {
        return rules.lookup(high, low);
    }

    /** @return the mode of a rule; {@link #MODE_VPC_ONLY} for {@link #NO_ENTRY}. */
    public int mode(final int entry)
    {
        return entry == NO_ENTRY ? MODE_VPC_ONLY : modes[entry];
    }

    /** @return the rule's inside-to-Internet bucket, null when it has no bandwidth. */
    public TokenBucket outboundBucket(final int entry)
    {
        return outbound[entry];
    }

    /** @return the rule's Internet-to-inside bucket, null when it has no bandwidth. */
    public TokenBucket inboundBucket(final int entry)
    {
        return inbound[entry];
    }

    public List<Ipv6Prefix> vpcPrefixes()
    {
        return vpcPrefixes;
    }

    /** Rules, for the admin API and tests. */
    public int ruleCount()
    {
        return prefixes.length;
    }

    public Ipv6Prefix prefix(final int entry)
    {
        return prefixes[entry];
    }

    /**
     * @return the rule for exactly this prefix (not the longest match), or {@link #NO_ENTRY}.
     */
    public int ruleOf(final Ipv6Prefix prefix)
    {
        for (int i = 0; i < prefixes.length; i++)
        {
            if (prefixes[i].equals(prefix))
            {
                return i;
            }
        }
        return NO_ENTRY;
    }

    public long burstBytes(final int entry)
    {
        return ruleValues[entry].burstBytes;
    }

    public int bandwidthMbps(final int entry)
    {
        return ruleValues[entry].bandwidthMbps;
    }

    public boolean egressOnly(final int entry)
    {
        return ruleValues[entry].egressOnly;
    }

    /**
     * @return the default burst for a bandwidth: 100 ms at the rate, at least 16 KiB.
     */
    public static long defaultBurstBytes(final int bandwidthMbps)
    {
        return Math.max(MIN_DEFAULT_BURST_BYTES, TokenBucket.bytesPerSecond(bandwidthMbps) * DEFAULT_BURST_NS
            / TokenBucket.NANOS_PER_SECOND);
    }

    private record Rule(int bandwidthMbps, long burstBytes, boolean egressOnly)
    {
        boolean sameBucket(final Rule other)
        {
            return bandwidthMbps == other.bandwidthMbps && burstBytes == other.burstBytes;
        }
    }

    /**
     * Edits a policy with the cloud API's verbs. Config and control thread only; not thread-safe.
     */
    public static final class Builder
    {
        private final Ipv6GatewayPolicy previous;
        private final List<Ipv6Prefix> vpc = new ArrayList<>();
        private final Map<Ipv6Prefix, Rule> rules = new LinkedHashMap<>();

        private Builder(final Ipv6GatewayPolicy previous)
        {
            this.previous = previous;
        }

        public Builder vpc(final Ipv6Prefix prefix)
        {
            vpc.add(prefix);
            return this;
        }

        /**
         * AllocateIpv6InternetBandwidth / ModifyIpv6InternetBandwidth: 0 Mbit/s makes the address
         * VPC-only again (the egress-only rule, if any, stays and waits).
         *
         * @param burstBytes bucket depth, or 0 for {@link #defaultBurstBytes(int)}.
         */
        public Builder bandwidth(final Ipv6Prefix prefix, final int bandwidthMbps, final long burstBytes)
        {
            if (bandwidthMbps != 0 && (bandwidthMbps < MIN_BANDWIDTH_MBPS || bandwidthMbps > MAX_BANDWIDTH_MBPS))
            {
                throw new IllegalArgumentException("bandwidth must be 0 or in [" + MIN_BANDWIDTH_MBPS + ", "
                    + MAX_BANDWIDTH_MBPS + "] Mbit/s: " + bandwidthMbps);
            }
            final Rule old = rules.get(prefix);
            final long burst = burstBytes > 0 ? burstBytes : bandwidthMbps == 0 ? 0 : defaultBurstBytes(bandwidthMbps);
            rules.put(prefix, new Rule(bandwidthMbps, burst, old != null && old.egressOnly));
            return this;
        }

        /** DeleteIpv6InternetBandwidth: the address is VPC-only again; an egress-only rule goes too. */
        public Builder deleteBandwidth(final Ipv6Prefix prefix)
        {
            rules.remove(prefix);
            return this;
        }

        /** CreateIpv6EgressOnlyRule / DeleteIpv6EgressOnlyRule. */
        public Builder egressOnly(final Ipv6Prefix prefix, final boolean egressOnly)
        {
            final Rule old = rules.get(prefix);
            rules.put(prefix, old == null ? new Rule(0, 0, egressOnly) : new Rule(old.bandwidthMbps, old.burstBytes,
                egressOnly));
            return this;
        }

        public Ipv6GatewayPolicy build()
        {
            return new Ipv6GatewayPolicy(this, previous);
        }
    }
}
