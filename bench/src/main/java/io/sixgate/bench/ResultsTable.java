package io.sixgate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Prints JMH JSON results as a Markdown table, one column pair (score, allocation) per run, so
 * docs/benchmarks.md holds what the runs wrote rather than figures copied by hand. A score is the
 * mean with JMH's 99.9 % error, and the best iteration (lowest time, highest rate).
 *
 * <pre>
 *  java -cp bench/target/benchmarks.jar io.sixgate.bench.ResultsTable "JDK 17=a/jmh.json" "JDK 25=b/jmh.json"
 * </pre>
 */
public final class ResultsTable
{
    private ResultsTable()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length == 0)
        {
            System.err.println("usage: ResultsTable LABEL=RESULTS.json...");
            System.exit(2);
        }
        final List<String> labels = new ArrayList<>();
        final Map<String, String[]> rows = new LinkedHashMap<>();
        for (int run = 0; run < args.length; run++)
        {
            final int equals = args[run].indexOf('=');
            labels.add(equals < 0 ? args[run] : args[run].substring(0, equals));
            final JsonNode root = new ObjectMapper().readTree(Files.readString(Path.of(args[run].substring(equals + 1))));
            for (final JsonNode result : root)
            {
                final String key = name(result) + " | " + params(result);
                rows.computeIfAbsent(key, k -> new String[args.length])[run] = cell(result);
            }
        }
        final StringBuilder header = new StringBuilder("| benchmark | parameters |");
        final StringBuilder rule = new StringBuilder("| --- | --- |");
        for (final String label : labels)
        {
            header.append(' ').append(label).append(" | B/op |");
            rule.append(" ---: | ---: |");
        }
        System.out.println(header);
        System.out.println(rule);
        for (final Map.Entry<String, String[]> row : rows.entrySet())
        {
            final StringBuilder line = new StringBuilder("| ").append(row.getKey()).append(" |");
            for (final String cell : row.getValue())
            {
                line.append(' ').append(cell == null ? "- | -" : cell).append(" |");
            }
            System.out.println(line);
        }
    }

    private static String name(final JsonNode result)
    {
        final String full = result.path("benchmark").asText();
        final String[] parts = full.split("\\.");
        return parts.length < 2 ? full : parts[parts.length - 2].replace("Benchmark", "") + "." + parts[parts.length - 1];
    }

    private static String params(final JsonNode result)
    {
        final StringBuilder text = new StringBuilder();
        final Iterator<Map.Entry<String, JsonNode>> fields = result.path("params").fields();
        while (fields.hasNext())
        {
            final Map.Entry<String, JsonNode> param = fields.next();
            text.append(text.length() == 0 ? "" : ", ").append(param.getKey()).append('=').append(param.getValue().asText());
        }
        return text.toString();
    }

    private static String cell(final JsonNode result)
    {
        final JsonNode primary = result.path("primaryMetric");
        final double score = primary.path("score").asDouble();
        final JsonNode error = primary.path("scoreError");
        final String unit = primary.path("scoreUnit").asText();
        final double bytes = result.path("secondaryMetrics").path(AllocationCheck.METRIC).path("score").asDouble(Double.NaN);
        // The best iteration beside the mean: on a shared machine it is the one least disturbed.
        final JsonNode percentiles = primary.path("scorePercentiles");
        final String value = unit.equals("ops/s") ?
            String.format(Locale.ROOT, "%.2f M/s", score / 1e6) +
                (error.isNumber() ? String.format(Locale.ROOT, " ± %.2f", error.asDouble() / 1e6) : "") +
                String.format(Locale.ROOT, " (best %.2f)", percentiles.path("100.0").asDouble(score) / 1e6) :
            String.format(Locale.ROOT, "%.1f ns", score) +
                (error.isNumber() ? String.format(Locale.ROOT, " ± %.1f", error.asDouble()) : "") +
                String.format(Locale.ROOT, " (best %.1f)", percentiles.path("0.0").asDouble(score));
        return value + " | " + (Double.isNaN(bytes) ? "?" : String.format(Locale.ROOT, "%.3f", bytes));
    }
}
