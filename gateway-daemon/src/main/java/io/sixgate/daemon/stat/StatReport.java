package io.sixgate.daemon.stat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One screen of {@code sixgate stat}: the non-zero counters, drops first and largest first (the
 * reason to look), then traffic in file order, each with its rate per second. With several
 * workers each counter is there per worker ({@code worker=N}) and summed over them
 * ({@code workers=all}, see {@link #withTotals}).
 *
 * <pre>
 *  counter                                         value        /s
 *  drop ipv6-forward/no-route worker=0                12       0.0
 *  rx port=vpc worker=0                            10233     120.5
 * </pre>
 */
public final class StatReport
{
    private StatReport()
    {
    }

    /** Label suffix of a counter summed over the workers. */
    public static final String ALL_WORKERS = " workers=all";

    /**
     * @return the samples and, when they come from more than one worker, after them one more per
     * counter summed over the workers, labelled {@code ... workers=all} (worker -1).
     */
    public static List<CounterSample> withTotals(final List<CounterSample> samples)
    {
        final Map<String, CounterSample> totals = new LinkedHashMap<>();
        final Set<Integer> workers = new HashSet<>();
        for (final CounterSample sample : samples)
        {
            workers.add(sample.worker());
            final int at = sample.label().lastIndexOf(" worker=");
            final String label = (at < 0 ? sample.label() : sample.label().substring(0, at)) + ALL_WORKERS;
            final CounterSample sum = totals.get(label);
            totals.put(label, new CounterSample(sample.type(), -1, sample.port(), sample.reason(), label,
                (sum == null ? 0 : sum.value()) + sample.value()));
        }
        if (workers.size() < 2)
        {
            return samples;
        }
        final List<CounterSample> all = new ArrayList<>(samples);
        all.addAll(totals.values());
        return all;
    }

    /**
     * @param samples  the counters now.
     * @param previous the values of the last screen by label, or {@code null}: then every rate is
     *                 {@code value / seconds} (an average since the daemon started).
     * @param seconds  the time since the previous screen (or since the start); 0 or less: no rates.
     * @return the table, one line per counter, with a header line; "all counters are zero" when none is not.
     */
    public static String format(final List<CounterSample> samples, final Map<String, Long> previous,
        final double seconds)
    {
        final List<CounterSample> shown = new ArrayList<>();
        for (final CounterSample sample : samples)
        {
            if (sample.value() != 0)
            {
                shown.add(sample);
            }
        }
        if (shown.isEmpty())
        {
            return "all counters are zero\n";
        }
        shown.sort(Comparator.comparing((CounterSample sample) -> !sample.isDrop())
            .thenComparing(sample -> sample.isDrop() ? -sample.value() : 0L));
        int width = "counter".length();
        for (final CounterSample sample : shown)
        {
            width = Math.max(width, sample.label().length());
        }
        final StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-" + width + "s %15s %12s%n", "counter", "value", "/s"));
        for (final CounterSample sample : shown)
        {
            final String rate;
            if (seconds <= 0)
            {
                rate = "-";
            }
            else
            {
                final long before = previous == null ? 0 : previous.getOrDefault(sample.label(), 0L);
                rate = String.format(Locale.ROOT, "%.1f", (sample.value() - before) / seconds);
            }
            out.append(String.format(Locale.ROOT, "%-" + width + "s %15d %12s%n", sample.label(), sample.value(), rate));
        }
        return out.toString();
    }
}
