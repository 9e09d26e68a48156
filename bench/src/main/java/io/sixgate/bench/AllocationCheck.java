package io.sixgate.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The zero-garbage gate: reads JMH JSON results of a run with {@code -prof gc} and fails when a
 * hot-path benchmark allocated more than {@link #DEFAULT_EPSILON_BYTES} per operation
 * ({@code gc.alloc.rate.norm}), naming each one. A result without the metric fails too (the run
 * was not made with {@code -prof gc}), and so does a file with no results.
 *
 * <p>Every benchmark of the suite measures a hot path; {@link #EXEMPT} would list the exceptions
 * with their reason, and is empty. The epsilon absorbs JMH's own bookkeeping, spread over
 * millions of operations (thousandths of a byte per operation); one allocated object per
 * operation is at least 16 bytes.
 *
 * <pre>
 *  java -cp bench/target/benchmarks.jar io.sixgate.bench.AllocationCheck [--epsilon BYTES] results.json...
 * </pre>
 * Exit status: 0 all clean, 1 a benchmark allocated (or lacks the metric), 2 bad usage or input.
 */
public final class AllocationCheck
{
    /** Largest allocation per operation taken as none, in bytes. */
    public static final double DEFAULT_EPSILON_BYTES = 0.5;

    /** JMH's secondary metric of {@code -prof gc}: bytes allocated per operation. */
    public static final String METRIC = "gc.alloc.rate.norm";

    /** Benchmarks allowed to allocate, by JMH name, with the reason. None. */
    static final Map<String, String> EXEMPT = Map.of();

    /** One benchmark result: its name, its parameters in words, bytes per operation (NaN: not measured). */
    record Result(String benchmark, String params, double bytesPerOp)
    {
        String label()
        {
            return params.isEmpty() ? benchmark : benchmark + " [" + params + "]";
        }
    }

    /** The check's outcome: one line per result, and whether all passed. */
    record Report(List<String> lines, boolean passed)
    {
    }

    private AllocationCheck()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * @return the exit status; the report goes to {@code out}, usage and input errors to {@code err}.
     */
    static int run(final String[] args, final PrintStream out, final PrintStream err)
    {
        double epsilon = DEFAULT_EPSILON_BYTES;
        final List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++)
        {
            if ("--epsilon".equals(args[i]) && i + 1 < args.length)
            {
                try
                {
                    epsilon = Double.parseDouble(args[++i]);
                }
                catch (final NumberFormatException e)
                {
                    err.println("allocation check: --epsilon needs a number of bytes, got " + args[i]);
                    return 2;
                }
            }
            else if (args[i].startsWith("-"))
            {
                err.println("usage: AllocationCheck [--epsilon BYTES] RESULTS.json...");
                return 2;
            }
            else
            {
                files.add(Path.of(args[i]));
            }
        }
        if (files.isEmpty())
        {
            err.println("usage: AllocationCheck [--epsilon BYTES] RESULTS.json...");
            return 2;
        }

        final List<Result> results = new ArrayList<>();
        for (final Path file : files)
        {
            try
            {
                results.addAll(read(file));
            }
            catch (final IOException | IllegalArgumentException e)
            {
                err.println("allocation check: cannot read " + file + ": " + e.getMessage());
                return 2;
            }
        }
        final Report report = check(results, epsilon);
        report.lines().forEach(out::println);
        return report.passed() ? 0 : 1;
    }

    /**
     * @return the results in a JMH JSON file ({@code -rf json}).
     * @throws IllegalArgumentException when the file is not a JMH result array.
     */
    static List<Result> read(final Path file) throws IOException
    {
        final JsonNode root = new ObjectMapper().readTree(Files.readString(file));
        if (root == null || !root.isArray())
        {
            throw new IllegalArgumentException("not a JMH JSON result array");
        }
        final List<Result> results = new ArrayList<>();
        for (final JsonNode result : root)
        {
            final String benchmark = result.path("benchmark").asText("");
            if (benchmark.isEmpty())
            {
                throw new IllegalArgumentException("a result has no benchmark name");
            }
            final StringBuilder params = new StringBuilder();
            final Iterator<Map.Entry<String, JsonNode>> fields = result.path("params").fields();
            while (fields.hasNext())
            {
                final Map.Entry<String, JsonNode> param = fields.next();
                params.append(params.length() == 0 ? "" : ", ").append(param.getKey()).append('=')
                    .append(param.getValue().asText());
            }
            final JsonNode norm = result.path("secondaryMetrics").path(METRIC).path("score");
            results.add(new Result(benchmark, params.toString(), norm.isNumber() ? norm.asDouble() : Double.NaN));
        }
        return results;
    }

    /**
     * Passes when there is at least one result and every result not {@link #EXEMPT} allocated
     * at most {@code epsilonBytes} per operation.
     */
    static Report check(final List<Result> results, final double epsilonBytes)
    {
        final List<String> lines = new ArrayList<>();
        boolean passed = !results.isEmpty();
        if (results.isEmpty())
        {
            lines.add("FAIL no benchmark results");
        }
        int allocating = 0;
        for (final Result result : results)
        {
            final String exemption = EXEMPT.get(result.benchmark());
            if (Double.isNaN(result.bytesPerOp()))
            {
                lines.add("FAIL " + result.label() + ": no " + METRIC + " (run JMH with -prof gc)");
                passed = false;
                allocating++;
            }
            else if (result.bytesPerOp() <= epsilonBytes)
            {
                lines.add(String.format(Locale.ROOT, "ok   %s: %.3f B/op", result.label(), result.bytesPerOp()));
            }
            else if (exemption != null)
            {
                lines.add(String.format(Locale.ROOT, "ok   %s: %.3f B/op, exempt: %s", result.label(),
                    result.bytesPerOp(), exemption));
            }
            else
            {
                lines.add(String.format(Locale.ROOT, "FAIL %s: allocates %.3f B/op (limit %.3f)", result.label(),
                    result.bytesPerOp(), epsilonBytes));
                passed = false;
                allocating++;
            }
        }
        lines.add(passed ?
            "allocation check: " + results.size() + " benchmarks, none allocates on the hot path" :
            "allocation check FAILED: " + allocating + " of " + results.size() + " benchmarks allocate or were not measured");
        return new Report(lines, passed);
    }
}
