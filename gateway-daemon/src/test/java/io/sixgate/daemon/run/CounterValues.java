package io.sixgate.daemon.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import io.sixgate.core.counters.CountersFile;

import org.agrona.concurrent.status.CountersReader;

/**
 * Reads a counters file the way {@code sixgate stat} will: every counter by label
 * ({@code rx port=vpc worker=0} to its value). Works while the daemon runs and after it stopped.
 */
public final class CounterValues
{
    private CounterValues()
    {
    }

    public static Map<String, Long> read(final Path file)
    {
        final Map<String, Long> values = new LinkedHashMap<>();
        try (CountersFile counters = CountersFile.open(file.toFile()))
        {
            final CountersReader reader = counters.reader();
            reader.forEach((counterId, typeId, keyBuffer, label) -> values.put(label, reader.getCounterValue(counterId)));
        }
        return values;
    }

    /**
     * @return the value of the counter with that label, 0 when there is none.
     */
    public static long get(final Map<String, Long> values, final String label)
    {
        return values.getOrDefault(label, 0L);
    }

    /**
     * @return the sum of every counter whose label starts with {@code prefix}.
     */
    public static long sum(final Map<String, Long> values, final String prefix)
    {
        long sum = 0;
        for (final Map.Entry<String, Long> entry : values.entrySet())
        {
            if (entry.getKey().startsWith(prefix))
            {
                sum += entry.getValue();
            }
        }
        return sum;
    }

    /**
     * @return how much the counters whose labels start with {@code prefix} (or the one with that
     * label) grew from {@code before} to {@code after}.
     */
    public static long delta(final Map<String, Long> before, final Map<String, Long> after, final String prefix)
    {
        return sum(after, prefix) - sum(before, prefix);
    }
}
