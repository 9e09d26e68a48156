package io.sixgate.daemon.replay;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints a {@link ReplayResult} for people: per capture counts, the non-zero counters, and
 * the conservation line that scripts and CI grep for.
 */
public final class ReplayReport
{
    private ReplayReport()
    {
    }

    public static void print(final ReplayResult result, final PrintWriter out)
    {
        for (final ReplayResult.Capture input : result.inputs())
        {
            out.printf("in   %-15s %-40s %10d frames (%s)%n", input.capture().port(), input.capture().file(),
                input.frames(), input.linkType().name().toLowerCase(Locale.ROOT));
        }
        for (final ReplayResult.Capture output : result.outputs())
        {
            out.printf("out  %-15s %-40s %10d frames (%s)%n", output.capture().port(), output.capture().file(),
                output.frames(), output.linkType().name().toLowerCase(Locale.ROOT));
        }
        out.println("counters (non-zero):");
        int width = 0;
        for (final ReplayResult.Counter counter : result.counters())
        {
            width = Math.max(width, counter.label().length());
        }
        for (final ReplayResult.Counter counter : result.counters())
        {
            out.printf("  %-" + width + "s %10d%n", counter.label(), counter.value());
        }
        if (result.framesHeld() > 0)
        {
            out.println("frames still held by stages: " + result.framesHeld());
        }
        out.println(conservationLine(result));
        for (final String mismatch : result.mismatches())
        {
            out.println("counters: MISMATCH: " + mismatch);
        }
        out.flush();
    }

    /**
     * @return {@code counters: OK (received R + generated G = transmitted T + consumed C + dropped D)},
     * or the same with {@code MISMATCH} when any check failed.
     */
    public static String conservationLine(final ReplayResult result)
    {
        final ReplayResult.Totals totals = result.totals();
        return "counters: " + (result.balanced() ? "OK" : "MISMATCH") + " (received " + totals.received()
            + " + generated " + totals.generated() + (totals.conserved() ? " = " : " != ") + "transmitted "
            + totals.transmitted() + " + consumed " + totals.consumed() + " + dropped " + totals.dropped() + ")";
    }
}
