package io.sixgate.bench;

import static io.sixgate.bench.BenchFixtures.START_NS;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.sixgate.nat64.stateful.Nat64Shard;

/**
 * Measures what a stateful NAT64 shard really takes off heap: the JVM's direct-buffer pool before
 * and after the shard is made, and the process's resident memory once every session is filled
 * in ({@code VmRSS} of {@code /proc/self/status}), for the daemon's sizing of
 * {@code max-sessions: N} (N sessions, N BIB entries, N sources; {@link Nat64Fixtures#shard}) and,
 * with {@code --per-source}, of a {@code max-sessions-per-source} below it, which brings the
 * source table, of {@code --max-sources} subscribers ({@code nat64.max-sources}; default a tenth
 * of the sessions, 1 M for 10 M: the filled flows are 64 a subscriber, so 156 250 of them).
 *
 * <pre>
 *  java -cp bench/target/benchmarks.jar io.sixgate.bench.OffHeapFootprint [--sessions N] [--per-source N]
 *      [--max-sources N] [--json FILE]
 * </pre>
 * It needs the JVM flags of {@link BenchJvm} and a direct-memory limit above the table
 * (the default is the heap's maximum). Prints one line per figure and, with {@code --json}, writes
 * them for the results directory. The target (10 M sessions in at most 1.5 GiB) is reported, not
 * enforced: the exit status is 0 when the measurement ran.
 */
public final class OffHeapFootprint
{
    /** The target of issue 7: 10 M sessions in at most this many bytes off heap. */
    public static final long TARGET_BYTES = 3L << 29;

    private OffHeapFootprint()
    {
    }

    public static void main(final String[] args) throws IOException
    {
        int sessions = 10_000_000;
        int perSource = 0;
        int maxSources = 0;
        Path json = null;
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--sessions":
                    sessions = Integer.parseInt(args[i + 1]);
                    break;
                case "--per-source":
                    perSource = Integer.parseInt(args[i + 1]);
                    break;
                case "--max-sources":
                    maxSources = Integer.parseInt(args[i + 1]);
                    break;
                case "--json":
                    json = Path.of(args[i + 1]);
                    break;
                default:
                    System.err.println(
                        "usage: OffHeapFootprint [--sessions N] [--per-source N] [--max-sources N] [--json FILE]");
                    System.exit(2);
            }
        }

        final BufferPoolMXBean direct = directPool();
        final long directBefore = direct.getMemoryUsed();
        final long rssBefore = residentBytes();
        if (0 == maxSources)
        {
            maxSources = perSource > 0 ? Math.max(1, sessions / 10) : sessions;
        }
        final Nat64Shard shard = perSource > 0 ?
            Nat64Fixtures.shard(sessions, perSource, maxSources) : Nat64Fixtures.shard(sessions);
        final long directAfter = direct.getMemoryUsed();
        Nat64Fixtures.fill(shard, sessions, START_NS);
        final long rssFilled = residentBytes();
        final long configured = shard.config().offHeapBytes();
        final long measured = directAfter - directBefore;
        final int filled = shard.sessions().size();
        shard.close();

        final List<String> lines = List.of(
            String.format(Locale.ROOT, "sessions: %d (filled %d), BIB entries sized to match, %s",
                sessions, filled, perSource > 0 ?
                "at most " + perSource + " per source, " + maxSources + " sources" : "no per-source limit, as many sources"),
            String.format(Locale.ROOT, "configured off-heap bytes: %d (%.3f GiB, %.1f B per session)",
                configured, gib(configured), (double)configured / sessions),
            String.format(Locale.ROOT, "direct memory allocated: %d (%.3f GiB)", measured, gib(measured)),
            String.format(Locale.ROOT, "resident memory growth once filled: %d (%.3f GiB)", rssFilled - rssBefore,
                gib(rssFilled - rssBefore)),
            String.format(Locale.ROOT, "target for 10 M sessions: %d (1.5 GiB): %s", TARGET_BYTES,
                measured <= TARGET_BYTES * sessions / 10_000_000 ? "met" : "missed by " + (measured -
                TARGET_BYTES * sessions / 10_000_000) + " bytes"));
        lines.forEach(System.out::println);
        if (json != null)
        {
            Files.writeString(json, String.format(Locale.ROOT,
                "{\"sessions\": %d, \"perSourceLimit\": %d, \"maxSources\": %d, \"filled\": %d, \"configuredBytes\": %d, " +
                "\"directBytes\": %d, \"residentGrowthBytes\": %d, \"targetBytesFor10M\": %d}%n",
                sessions, perSource, maxSources, filled, configured, measured, rssFilled - rssBefore, TARGET_BYTES));
        }
    }

    private static BufferPoolMXBean directPool()
    {
        for (final BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class))
        {
            if ("direct".equals(pool.getName()))
            {
                return pool;
            }
        }
        throw new IllegalStateException("this JVM has no direct buffer pool bean");
    }

    /** @return VmRSS of this process, or -1 where /proc is not there. */
    static long residentBytes() throws IOException
    {
        final Path status = Path.of("/proc/self/status");
        if (!Files.exists(status))
        {
            return -1;
        }
        for (final String line : Files.readAllLines(status))
        {
            if (line.startsWith("VmRSS:"))
            {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    private static double gib(final long bytes)
    {
        return bytes / (double)(1L << 30);
    }
}
