package io.sixgate.daemon.replay;

import java.util.List;

import io.sixgate.core.port.LinkType;

/**
 * What a replay did, read back from its counters file after the last frame.
 *
 * @param inputs     frames read from each input capture, in {@code --in} order.
 * @param outputs    frames written to each output capture, in {@code --out} order.
 * @param counters   every non-zero counter of the counters file, in file order.
 * @param totals     the sums the conservation law is checked on.
 * @param mismatches what did not add up; empty when every frame is accounted for.
 * @param framesHeld frames still held by stages at the end (consumed and kept, e.g. queued).
 * @param sessions   the stateful NAT64 session table at the end, one line per session, when
 *                   asked for ({@code --dump-sessions}); otherwise empty.
 */
public record ReplayResult(
    List<Capture> inputs,
    List<Capture> outputs,
    List<Counter> counters,
    Totals totals,
    List<String> mismatches,
    int framesHeld,
    String sessions)
{
    public ReplayResult
    {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        counters = List.copyOf(counters);
        mismatches = List.copyOf(mismatches);
    }

    /**
     * @return whether every frame is accounted for: received + generated = transmitted +
     * consumed + dropped, per-port input counts match rx, output counts match tx.
     */
    public boolean balanced()
    {
        return mismatches.isEmpty();
    }

    /**
     * @param capture  the capture and its port.
     * @param linkType the framing of the port.
     * @param frames   frames read or written.
     */
    public record Capture(CaptureBinding capture, LinkType linkType, long frames)
    {
    }

    /**
     * @param label the counter's label in the counters file, e.g. {@code rx port=v6 worker=0}.
     * @param value its value at the end of the replay.
     */
    public record Counter(String label, long value)
    {
    }

    /**
     * Sums over every counter of each type; dropped includes the replay's own input drops.
     */
    public record Totals(long received, long generated, long transmitted, long consumed, long dropped)
    {
        public boolean conserved()
        {
            return received + generated == transmitted + consumed + dropped;
        }
    }

    /**
     * @return the value of the counter with that label, or 0 when it is zero or absent.
     */
    public long counter(final String label)
    {
        for (final Counter counter : counters)
        {
            if (counter.label().equals(label))
            {
                return counter.value();
            }
        }
        return 0;
    }
}
