package io.sixgate.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The machine's latency of one dependent load by working-set size (a pointer chase through one
 * int per cache line, in random order), least thread CPU time of several rounds: what a lookup
 * that misses the caches pays here, for reading the LPM and many-flows figures.
 *
 * <pre>
 *  java -cp bench/target/benchmarks.jar io.sixgate.bench.MemoryLatency
 * </pre>
 */
public final class MemoryLatency
{
    private static final int[] SIZES_KIB = {16, 64, 256, 1024, 2048, 4096, 16384, 65536, 262144};
    private static final int LOADS = 2_000_000;
    private static final int INTS_PER_LINE = 16;

    private MemoryLatency()
    {
    }

    public static void main(final String[] args)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        int sink = 0;
        for (final int kib : SIZES_KIB)
        {
            final int lines = kib * 1024 / 64;
            final int[] next = chain(lines);
            int at = 0;
            double best = Double.MAX_VALUE;
            for (int round = 0; round < 8; round++)
            {
                final long start = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < LOADS; i++)
                {
                    at = next[at];
                }
                best = Math.min(best, (threads.getCurrentThreadCpuTime() - start) / (double)LOADS);
            }
            sink += at;
            System.out.printf(Locale.ROOT, "%7d KiB: %6.1f ns per dependent load%n", kib, best);
        }
        if (sink == 42)
        {
            System.out.println();
        }
    }

    /** One random cycle through {@code lines} cache lines: next[line * 16] = the next line's index. */
    private static int[] chain(final int lines)
    {
        final int[] order = new int[lines];
        for (int i = 0; i < lines; i++)
        {
            order[i] = i;
        }
        final SplittableRandom random = new SplittableRandom(1);
        for (int i = lines - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        final int[] next = new int[lines * INTS_PER_LINE];
        for (int i = 0; i < lines; i++)
        {
            next[order[i] * INTS_PER_LINE] = order[(i + 1) % lines] * INTS_PER_LINE;
        }
        return next;
    }
}
