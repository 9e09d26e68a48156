package io.sixgate.daemon.run;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sixgate.core.counters.CountersFile;

import org.agrona.concurrent.status.CountersReader;

/**
 * Prints the non-zero counters of a counters file ({@code counters-file} of {@code sixgate run}),
 * a running daemon's or a stopped one's: rx/tx per port and every drop under its reason. A stand-in
 * for {@code sixgate stat} until that command exists; {@code scripts/demo.sh} runs it through the
 * launcher ({@code SIXGATE_MAIN_CLASS=io.sixgate.daemon.run.CountersPrinter scripts/sixgate FILE}).
 * Exit status 2 for a missing argument or a file that is not a counters file, 1 when the file is missing.
 */
public final class CountersPrinter
{
    private CountersPrinter()
    {
    }

    /** One counter: its label ({@code drop nat64-6to4/no-route worker=0}) and value. */
    public record Counter(String label, long value)
    {
    }

    public static void main(final String[] args)
    {
        final PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        if (args.length != 1)
        {
            System.err.println("sixgate-counters: usage: CountersPrinter COUNTERS_FILE");
            System.exit(2);
        }
        final Path file = Path.of(args[0]);
        if (!Files.isRegularFile(file))
        {
            System.err.println("sixgate-counters: " + file + ": no such file (has sixgate run started?)");
            System.exit(1);
        }
        try
        {
            print(file, out);
        }
        catch (final IllegalStateException ex)
        {
            System.err.println("sixgate-counters: " + file + ": " + ex.getMessage());
            System.exit(2);
        }
    }

    /**
     * Prints {@code counters in FILE (non-zero):}, then one aligned {@code label value} line per
     * non-zero counter in the order the daemon allocated them (rx/tx per port, then drops by stage),
     * then {@code dropped in all: N}, the sum of the {@code drop ...} counters.
     *
     * @throws IllegalStateException when the file is not a sixgate counters file.
     */
    public static void print(final Path file, final PrintWriter out)
    {
        final List<Counter> counters = nonZero(file);
        out.println("counters in " + file + " (non-zero):");
        int width = 0;
        for (final Counter counter : counters)
        {
            width = Math.max(width, counter.label().length());
        }
        for (final Counter counter : counters)
        {
            out.printf("  %-" + width + "s %10d%n", counter.label(), counter.value());
        }
        if (counters.isEmpty())
        {
            out.println("  (none)");
        }
        long dropped = 0;
        for (final Counter counter : counters)
        {
            dropped += counter.label().startsWith("drop ") ? counter.value() : 0;
        }
        out.println("dropped in all: " + dropped + (dropped > 0 ? " (each under its reason above)" : ""));
        out.flush();
    }

    /**
     * @return the counters of the file whose value is not zero, in allocation order.
     */
    public static List<Counter> nonZero(final Path file)
    {
        final List<Counter> counters = new ArrayList<>();
        try (CountersFile countersFile = CountersFile.open(file.toFile()))
        {
            final CountersReader reader = countersFile.reader();
            reader.forEach((counterId, typeId, keyBuffer, label) ->
            {
                final long value = reader.getCounterValue(counterId);
                if (value != 0)
                {
                    counters.add(new Counter(label, value));
                }
            });
        }
        return counters;
    }
}
