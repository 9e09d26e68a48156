package io.sixgate.daemon.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How {@code sixgate ctl} shows the admin API's answers to a person: one line per thing, in the
 * words of the configuration file and {@code sixgate replay --dump-sessions}. {@code --json}
 * prints the answers as they are instead.
 */
final class CtlOutput
{
    private CtlOutput()
    {
    }

    /** Non-zero counters, drops first and largest first, aligned. */
    static String counters(final JsonNode answer)
    {
        final List<Map.Entry<String, JsonNode>> shown = new ArrayList<>();
        for (final Map.Entry<String, JsonNode> counter : answer.get("counters").properties())
        {
            if (counter.getValue().asLong() != 0)
            {
                shown.add(counter);
            }
        }
        if (shown.isEmpty())
        {
            return "all counters are zero\n";
        }
        shown.sort((a, b) ->
        {
            final boolean dropA = a.getKey().startsWith("drop ");
            final boolean dropB = b.getKey().startsWith("drop ");
            if (dropA != dropB)
            {
                return dropA ? -1 : 1;
            }
            return dropA ? Long.compare(b.getValue().asLong(), a.getValue().asLong()) : 0;
        });
        int width = 0;
        for (final Map.Entry<String, JsonNode> counter : shown)
        {
            width = Math.max(width, counter.getKey().length());
        }
        final StringBuilder out = new StringBuilder();
        for (final Map.Entry<String, JsonNode> counter : shown)
        {
            out.append(String.format(Locale.ROOT, "%-" + width + "s %15d%n", counter.getKey(),
                counter.getValue().asLong()));
        }
        return out.toString();
    }

    /**
     * {@code udp 2001:db8:ffff::7#50000 64:ff9b::cb00:7105#53 | 198.51.100.10#40000 10.0.1.5#53 | expires 299.8 s}
     */
    static String sessions(final JsonNode answer)
    {
        final StringBuilder out = new StringBuilder();
        final JsonNode sessions = answer.get("sessions");
        for (final JsonNode s : sessions)
        {
            final boolean icmp = "icmp".equals(s.get("protocol").asText());
            out.append(s.get("protocol").asText()).append(' ')
                .append(s.get("ipv6-source").asText()).append('#').append(s.get("ipv6-source-port").asInt()).append(' ')
                .append(s.get("ipv6-destination").asText());
            if (!icmp)
            {
                out.append('#').append(s.get("ipv6-destination-port").asInt());
            }
            out.append(" | ").append(s.get("pool4-address").asText()).append('#').append(s.get("pool4-port").asInt())
                .append(' ').append(s.get("ipv4-remote").asText());
            if (!icmp)
            {
                out.append('#').append(s.get("ipv4-remote-port").asInt());
            }
            out.append(" |");
            if (s.hasNonNull("tcp-state"))
            {
                out.append(' ').append(s.get("tcp-state").asText());
            }
            if (s.get("static-bib").asBoolean())
            {
                out.append(" static-bib");
            }
            out.append(String.format(Locale.ROOT, " expires %.1f s%n", s.get("expires-in-seconds").asDouble()));
        }
        out.append(sessions.size()).append(sessions.size() == 1 ? " session" : " sessions").append(" shown of ")
            .append(answer.get("total").asLong()).append(" in the table")
            .append(answer.get("truncated").asBoolean() ? "; more match (raise --limit)" : "").append('\n');
        return out.toString();
    }

    /** {@code udp 2001:db8:ffff::80#5353 <-> 198.51.100.10#53, 1 session} */
    static String staticBibEntry(final JsonNode entry)
    {
        final int sessions = entry.get("sessions").asInt();
        return entry.get("protocol").asText() + " " + entry.get("ipv6-address").asText() + "#"
            + entry.get("ipv6-port").asInt() + " <-> " + entry.get("ipv4-address").asText() + "#"
            + entry.get("ipv4-port").asInt() + ", " + sessions + (sessions == 1 ? " session" : " sessions");
    }

    static String staticBib(final JsonNode answer)
    {
        final JsonNode entries = answer.get("static-bib");
        if (entries.isEmpty())
        {
            return "no static BIB entries\n";
        }
        final StringBuilder out = new StringBuilder();
        for (final JsonNode entry : entries)
        {
            out.append(staticBibEntry(entry)).append('\n');
        }
        return out.toString();
    }

    /** {@code 203.0.113.5 -> 10.0.1.5 (IPv6 64:ff9b::cb00:7105)} */
    static String eipBinding(final JsonNode binding)
    {
        return binding.get("public").asText() + " -> " + binding.get("private").asText() + " (IPv6 "
            + binding.get("ipv6").asText() + ")";
    }

    static String eip(final JsonNode answer)
    {
        final JsonNode bindings = answer.get("eip");
        if (bindings.isEmpty())
        {
            return "no EIP bindings\n";
        }
        final StringBuilder out = new StringBuilder();
        for (final JsonNode binding : bindings)
        {
            out.append(eipBinding(binding)).append('\n');
        }
        return out.toString();
    }

    /**
     * {@code 2001:db8:0:1::10: egress-only, 100 Mbit/s (burst 1250000 bytes), 2 flows, rate-limited 0 out / 0 in}
     */
    static String ipv6Rule(final JsonNode rule)
    {
        final String target = rule.hasNonNull("address") ? rule.get("address").asText() : rule.get("prefix").asText();
        final int bandwidth = rule.get("bandwidth-mbps").asInt();
        final StringBuilder out = new StringBuilder(target).append(": ").append(rule.get("mode").asText());
        if (bandwidth == 0)
        {
            return out.append(rule.get("egress-only").asBoolean() ? " (0 Mbit/s, egress-only rule waiting)"
                : " (0 Mbit/s)").toString();
        }
        out.append(", ").append(bandwidth).append(" Mbit/s (burst ").append(rule.get("burst-bytes").asLong())
            .append(" bytes)");
        if (rule.hasNonNull("egress-only-flows"))
        {
            final int flows = rule.get("egress-only-flows").asInt();
            out.append(", ").append(flows).append(flows == 1 ? " flow" : " flows");
        }
        return out.append(", rate-limited ").append(rule.get("rate-limited-outbound").asLong()).append(" out / ")
            .append(rule.get("rate-limited-inbound").asLong()).append(" in").toString();
    }

    static String ipv6Gateway(final JsonNode answer)
    {
        final List<String> vpc = new ArrayList<>();
        answer.get("vpc").forEach(prefix -> vpc.add(prefix.asText()));
        final StringBuilder out = new StringBuilder("vpc ").append(String.join(", ", vpc)).append(", Internet port ")
            .append(answer.get("internet-port").asText()).append(", egress-only flows ")
            .append(answer.get("flows").asInt()).append(" of ").append(answer.get("max-flows").asInt()).append('\n');
        final JsonNode rules = answer.get("addresses");
        if (rules.isEmpty())
        {
            return out.append("no rules: every VPC address is VPC-only\n").toString();
        }
        for (final JsonNode rule : rules)
        {
            out.append(ipv6Rule(rule)).append('\n');
        }
        return out.toString();
    }

    static String reload(final JsonNode answer)
    {
        final JsonNode changes = answer.get("changes");
        if (changes.isEmpty())
        {
            return "reloaded " + answer.get("config").asText() + ": no changes\n";
        }
        final StringBuilder out = new StringBuilder("reloaded " + answer.get("config").asText() + ":\n");
        for (final JsonNode change : changes)
        {
            out.append("  ").append(change.asText()).append('\n');
        }
        return out.toString();
    }

    static String health(final JsonNode answer)
    {
        return answer.get("status").asText() + ": up " + answer.get("uptime-seconds").asLong() + " s, config "
            + answer.get("config").asText() + ", " + answer.get("ports").asInt() + " ports, "
            + answer.get("workers").asInt() + " worker" + (answer.get("workers").asInt() == 1 ? "" : "s") + ", nat64 "
            + answer.get("nat64").asText() + "\n";
    }
}
