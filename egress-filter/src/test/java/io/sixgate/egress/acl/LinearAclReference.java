package io.sixgate.egress.acl;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.sixgate.core.net.Ipv6Prefix;

/**
 * The obvious classifier, to check {@link AclClassifier} against: every rule in priority order
 * (ties in the order added), the first that matches wins.
 */
final class LinearAclReference
{
    private final List<Rule> rules = new ArrayList<>();
    private List<Rule> ordered;

    record Rule(int context, long high, long low, int length, int protocol, int portFrom, int portTo, int priority,
        int value, int order)
    {
        boolean matches(final int context, final long high, final long low, final int protocol, final int port)
        {
            if (this.context != context)
            {
                return false;
            }
            if ((high & Ipv6Prefix.maskHigh(length)) != this.high || (low & Ipv6Prefix.maskLow(length)) != this.low)
            {
                return false;
            }
            if (this.protocol != AclClassifier.ANY_PROTOCOL && this.protocol != protocol)
            {
                return false;
            }
            if (port == AclClassifier.NO_PORT)
            {
                return portFrom == 0 && portTo == AclClassifier.MAX_PORT;
            }
            return portFrom <= port && port <= portTo;
        }
    }

    void add(final int context, final long high, final long low, final int length, final int protocol,
        final int portFrom, final int portTo, final int priority, final int value)
    {
        rules.add(new Rule(context, high, low, length, protocol, portFrom, portTo, priority, value, rules.size()));
        ordered = null;
    }

    List<Rule> rules()
    {
        return rules;
    }

    int lookup(final int context, final long high, final long low, final int protocol, final int port)
    {
        if (ordered == null)
        {
            ordered = new ArrayList<>(rules);
            ordered.sort(Comparator.comparingInt(Rule::priority).thenComparingInt(Rule::order));
        }
        for (final Rule rule : ordered)
        {
            if (rule.matches(context, high, low, protocol, port))
            {
                return rule.value();
            }
        }
        return AclClassifier.NO_MATCH;
    }

    AclClassifier compile(final int contexts)
    {
        final AclClassifier.Builder builder = AclClassifier.builder(contexts);
        for (final Rule rule : rules)
        {
            builder.ipv6(rule.context(), rule.high(), rule.low(), rule.length(), rule.protocol(), rule.portFrom(),
                rule.portTo(), rule.priority(), rule.value());
        }
        return builder.build();
    }
}
