package io.sixgate.daemon.control;

import java.util.ArrayList;
import java.util.List;

import io.sixgate.core.net.Ipv6Address;
import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.daemon.config.Ipv6GatewayConfig;
import io.sixgate.egress.EgressOnlyTable;
import io.sixgate.egress.Ipv6GatewayPolicy;
import io.sixgate.egress.Ipv6GatewayStage;

/**
 * The worker commands of the IPv6 gateway, after the cloud API's verbs
 * (AllocateIpv6InternetBandwidth, ModifyIpv6InternetBandwidth, DeleteIpv6InternetBandwidth,
 * CreateIpv6EgressOnlyRule, DeleteIpv6EgressOnlyRule). Each edits the worker's own policy
 * ({@link Ipv6GatewayPolicy#toBuilder()}) and puts the result in force before the next packet:
 * rules it does not touch keep their token buckets, and the egress-only flow table is not touched
 * at all, so every other address's flows and rates go on undisturbed.
 *
 * <p>With several workers each keeps the same policy (a VPC address's traffic, and so its bucket
 * and flows, is on its home worker): the control plane makes each change on every worker and
 * sums what they count ({@link #merge}).
 */
final class Ipv6GatewayCommands
{
    static final String NO_IPV6_GATEWAY = "the running configuration has no ipv6-gateway section; Internet"
        + " bandwidth and egress-only rules need one";

    private Ipv6GatewayCommands()
    {
    }

    static Ipv6GatewayStage stage(final WorkerState worker)
    {
        final Ipv6GatewayStage stage = worker.ipv6Gateway();
        if (stage == null)
        {
            throw new WorkerRefusal(ControlException.CONFLICT, NO_IPV6_GATEWAY);
        }
        return stage;
    }

    /**
     * The policy in force and the flow table's fill.
     *
     * @param internetPort the outside port's name, for the view.
     */
    static WorkerCommand<Ipv6GatewayView> list(final String internetPort)
    {
        return WorkerCommand.of(worker ->
        {
            final Ipv6GatewayStage stage = stage(worker);
            final Ipv6GatewayPolicy policy = stage.policy();
            final List<String> vpc = new ArrayList<>();
            for (final Ipv6Prefix prefix : policy.vpcPrefixes())
            {
                vpc.add(prefix.toString());
            }
            final List<Ipv6GatewayRuleView> rules = new ArrayList<>(policy.ruleCount());
            for (int entry = 0; entry < policy.ruleCount(); entry++)
            {
                rules.add(view(stage, policy, entry));
            }
            final EgressOnlyTable table = stage.table();
            return new Ipv6GatewayView(vpc, internetPort, table.size(), table.capacity(), rules);
        });
    }

    /**
     * AllocateIpv6InternetBandwidth: refused when the address or prefix has bandwidth already.
     *
     * @param burstBytes bucket depth, 0 for the default.
     */
    static WorkerCommand<Ipv6GatewayRuleView> allocateBandwidth(final Ipv6Prefix prefix, final int bandwidthMbps,
        final long burstBytes)
    {
        return WorkerCommand.of(worker ->
        {
            final Ipv6GatewayStage stage = stage(worker);
            final Ipv6GatewayPolicy policy = insideVpc(stage, prefix);
            final int entry = policy.ruleOf(prefix);
            if (entry != Ipv6GatewayPolicy.NO_ENTRY && policy.bandwidthMbps(entry) > 0)
            {
                throw new WorkerRefusal(ControlException.CONFLICT, target(prefix) + " has Internet bandwidth already ("
                    + policy.bandwidthMbps(entry) + " Mbit/s); modify it instead");
            }
            return apply(stage, prefix, policy.toBuilder().bandwidth(prefix, bandwidthMbps, burstBytes).build());
        });
    }

    /**
     * ModifyIpv6InternetBandwidth: 0 Mbit/s makes it VPC-only (an egress-only rule on it waits).
     */
    static WorkerCommand<Ipv6GatewayRuleView> modifyBandwidth(final Ipv6Prefix prefix, final int bandwidthMbps,
        final long burstBytes)
    {
        return WorkerCommand.of(worker ->
        {
            final Ipv6GatewayStage stage = stage(worker);
            final Ipv6GatewayPolicy policy = existing(stage, prefix);
            return apply(stage, prefix, policy.toBuilder().bandwidth(prefix, bandwidthMbps, burstBytes).build());
        });
    }

    /**
     * DeleteIpv6InternetBandwidth: the address is VPC-only again and its egress-only rule goes too.
     *
     * @return the rule as it was.
     */
    static WorkerCommand<Ipv6GatewayRuleView> deleteBandwidth(final Ipv6Prefix prefix)
    {
        return WorkerCommand.of(worker ->
        {
            final Ipv6GatewayStage stage = stage(worker);
            final Ipv6GatewayPolicy policy = existing(stage, prefix);
            final Ipv6GatewayRuleView removed = view(stage, policy, policy.ruleOf(prefix));
            stage.policy(policy.toBuilder().deleteBandwidth(prefix).build());
            return removed;
        });
    }

    /**
     * CreateIpv6EgressOnlyRule: only on an address or prefix with Internet bandwidth, as in the
     * configuration ({@code egress-only} needs {@code bandwidth-mbps}).
     */
    static WorkerCommand<Ipv6GatewayRuleView> createEgressOnly(final Ipv6Prefix prefix)
    {
        return WorkerCommand.of(worker ->
        {
            final Ipv6GatewayStage stage = stage(worker);
            final Ipv6GatewayPolicy policy = insideVpc(stage, prefix);
            final int entry = policy.ruleOf(prefix);
            if (entry == Ipv6GatewayPolicy.NO_ENTRY || policy.bandwidthMbps(entry) == 0)
            {
                throw new WorkerRefusal(ControlException.CONFLICT, target(prefix) + " has no Internet bandwidth; an"
                    + " egress-only rule applies to an address with some: allocate it first");
            }
            if (policy.egressOnly(entry))
            {
                throw new WorkerRefusal(ControlException.CONFLICT, target(prefix) + " has an egress-only rule already");
            }
            return apply(stage, prefix, policy.toBuilder().egressOnly(prefix, true).build());
        });
    }

    /**
     * DeleteIpv6EgressOnlyRule: the address is reachable both ways again (if it has bandwidth).
     */
    static WorkerCommand<Ipv6GatewayRuleView> deleteEgressOnly(final Ipv6Prefix prefix)
    {
        return WorkerCommand.of(worker ->
        {
            final Ipv6GatewayStage stage = stage(worker);
            final Ipv6GatewayPolicy policy = stage.policy();
            final int entry = policy.ruleOf(prefix);
            if (entry == Ipv6GatewayPolicy.NO_ENTRY || !policy.egressOnly(entry))
            {
                throw new WorkerRefusal(ControlException.NOT_FOUND, "no egress-only rule for " + target(prefix));
            }
            return apply(stage, prefix, policy.toBuilder().egressOnly(prefix, false).build());
        });
    }

    /**
     * A reload on the worker: the file's policy in place of the running one (rules it repeats keep
     * their buckets), and its timeouts from each flow's next packet. Call only once nothing can
     * refuse the reload any more.
     *
     * @return what changed, one line each, in the reload report's words.
     */
    static List<String> reload(final WorkerState worker, final Ipv6GatewayConfig next)
    {
        final List<String> changes = new ArrayList<>();
        final Ipv6GatewayStage stage = worker.ipv6Gateway();
        if (stage == null || next == null)
        {
            return changes;
        }
        final Ipv6GatewayPolicy running = stage.policy();
        final Ipv6GatewayPolicy reloaded = next.policy(running);
        if (!running.vpcPrefixes().equals(reloaded.vpcPrefixes()))
        {
            changes.add("ipv6-gateway.vpc: " + prefixes(running.vpcPrefixes()) + " -> " + prefixes(reloaded.vpcPrefixes()));
        }
        for (int entry = 0; entry < running.ruleCount(); entry++)
        {
            final int now = reloaded.ruleOf(running.prefix(entry));
            if (now == Ipv6GatewayPolicy.NO_ENTRY)
            {
                changes.add("ipv6-gateway.addresses: removed " + describe(running, entry));
            }
            else if (!describe(running, entry).equals(describe(reloaded, now)))
            {
                changes.add("ipv6-gateway.addresses: changed " + describe(running, entry) + " -> "
                    + rule(reloaded, now));
            }
        }
        for (int entry = 0; entry < reloaded.ruleCount(); entry++)
        {
            if (running.ruleOf(reloaded.prefix(entry)) == Ipv6GatewayPolicy.NO_ENTRY)
            {
                changes.add("ipv6-gateway.addresses: added " + describe(reloaded, entry));
            }
        }
        stage.policy(reloaded);
        if (!stage.table().timeouts().equals(next.timeouts()))
        {
            stage.table().timeouts(next.timeouts());
            changes.add("ipv6-gateway.timeouts: new lifetimes from each flow's next packet");
        }
        return changes;
    }

    /**
     * @return one view of the workers' policies (the same on each): flows and table sizes summed,
     * each rule's counts summed.
     */
    static Ipv6GatewayView merge(final List<Ipv6GatewayView> byWorker)
    {
        final Ipv6GatewayView first = byWorker.get(0);
        int flows = 0;
        int maxFlows = 0;
        for (final Ipv6GatewayView view : byWorker)
        {
            flows += view.flows();
            maxFlows += view.maxFlows();
        }
        final List<Ipv6GatewayRuleView> rules = new ArrayList<>(first.addresses().size());
        for (int i = 0; i < first.addresses().size(); i++)
        {
            final List<Ipv6GatewayRuleView> same = new ArrayList<>(byWorker.size());
            for (final Ipv6GatewayView view : byWorker)
            {
                same.add(view.addresses().get(i));
            }
            rules.add(merge(first.addresses().get(i), same));
        }
        return new Ipv6GatewayView(first.vpc(), first.internetPort(), flows, maxFlows, rules);
    }

    /**
     * @return {@code rule} with the counts of its copies on every worker summed.
     */
    static Ipv6GatewayRuleView merge(final Ipv6GatewayRuleView rule, final List<Ipv6GatewayRuleView> byWorker)
    {
        long outbound = 0;
        long inbound = 0;
        Integer flows = null;
        for (final Ipv6GatewayRuleView copy : byWorker)
        {
            outbound += copy.rateLimitedOutbound();
            inbound += copy.rateLimitedInbound();
            if (copy.egressOnlyFlows() != null)
            {
                flows = (flows == null ? 0 : flows) + copy.egressOnlyFlows();
            }
        }
        return new Ipv6GatewayRuleView(rule.address(), rule.prefix(), rule.bandwidthMbps(), rule.burstBytes(),
            rule.egressOnly(), rule.mode(), outbound, inbound, flows);
    }

    /**
     * @return {@code 2001:db8:100::10 100 Mbit/s egress-only}, {@code 2001:db8:100:2::/64 VPC-only}.
     */
    static String describe(final Ipv6GatewayPolicy policy, final int entry)
    {
        return target(policy.prefix(entry)) + " " + rule(policy, entry);
    }

    private static String rule(final Ipv6GatewayPolicy policy, final int entry)
    {
        final int bandwidth = policy.bandwidthMbps(entry);
        final String egressOnly = policy.egressOnly(entry) ? " egress-only" : "";
        if (bandwidth == 0)
        {
            return "VPC-only" + (egressOnly.isEmpty() ? "" : " (egress-only rule waiting)");
        }
        return bandwidth + " Mbit/s" + (policy.burstBytes(entry) == Ipv6GatewayPolicy.defaultBurstBytes(bandwidth)
            ? "" : " burst " + policy.burstBytes(entry) + " bytes") + egressOnly;
    }

    static String target(final Ipv6Prefix prefix)
    {
        return prefix.length() == 128 ? Ipv6Address.format(prefix.high(), prefix.low()) : prefix.toString();
    }

    static String mode(final int mode)
    {
        switch (mode)
        {
            case Ipv6GatewayPolicy.MODE_INTERNET:
                return "internet";
            case Ipv6GatewayPolicy.MODE_EGRESS_ONLY:
                return "egress-only";
            default:
                return "vpc-only";
        }
    }

    static Ipv6GatewayRuleView view(final Ipv6GatewayStage stage, final Ipv6GatewayPolicy policy, final int entry)
    {
        final Ipv6Prefix prefix = policy.prefix(entry);
        final boolean address = prefix.length() == 128;
        final boolean hasBandwidth = policy.bandwidthMbps(entry) > 0;
        return new Ipv6GatewayRuleView(
            address ? target(prefix) : null,
            address ? null : prefix.toString(),
            policy.bandwidthMbps(entry),
            policy.burstBytes(entry),
            policy.egressOnly(entry),
            mode(policy.mode(entry)),
            hasBandwidth ? policy.outboundBucket(entry).refused() : 0,
            hasBandwidth ? policy.inboundBucket(entry).refused() : 0,
            address ? stage.table().flowsOf(prefix.high(), prefix.low()) : null);
    }

    private static Ipv6GatewayRuleView apply(final Ipv6GatewayStage stage, final Ipv6Prefix prefix,
        final Ipv6GatewayPolicy next)
    {
        stage.policy(next);
        return view(stage, next, next.ruleOf(prefix));
    }

    /**
     * @return the policy in force, when the prefix lies inside one of its VPC prefixes.
     */
    private static Ipv6GatewayPolicy insideVpc(final Ipv6GatewayStage stage, final Ipv6Prefix prefix)
    {
        final Ipv6GatewayPolicy policy = stage.policy();
        for (final Ipv6Prefix vpc : policy.vpcPrefixes())
        {
            if (vpc.contains(prefix))
            {
                return policy;
            }
        }
        throw new WorkerRefusal(ControlException.UNPROCESSABLE, target(prefix) + " is not inside a vpc prefix ("
            + prefixes(policy.vpcPrefixes()) + ")");
    }

    /**
     * @return the policy in force, when it has a rule for exactly this address or prefix.
     */
    private static Ipv6GatewayPolicy existing(final Ipv6GatewayStage stage, final Ipv6Prefix prefix)
    {
        final Ipv6GatewayPolicy policy = stage.policy();
        if (policy.ruleOf(prefix) == Ipv6GatewayPolicy.NO_ENTRY)
        {
            throw new WorkerRefusal(ControlException.NOT_FOUND, "no Internet bandwidth allocated to " + target(prefix)
                + (prefix.length() == 128 ? "" : " (a rule is found by its exact prefix)"));
        }
        return policy;
    }

    private static String prefixes(final List<Ipv6Prefix> prefixes)
    {
        final List<String> text = new ArrayList<>(prefixes.size());
        for (final Ipv6Prefix prefix : prefixes)
        {
            text.add(prefix.toString());
        }
        return String.join(", ", text);
    }
}
