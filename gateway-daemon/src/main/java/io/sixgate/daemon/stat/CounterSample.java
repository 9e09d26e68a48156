package io.sixgate.daemon.stat;

import io.sixgate.core.counters.CounterType;

/**
 * One counter read from the counters file, with its label taken apart: which worker, which
 * port, which drop reason.
 *
 * @param type   what it counts.
 * @param worker the worker that writes it.
 * @param port   the port ({@code rx}, {@code tx}, port drops), or {@code null}.
 * @param reason the drop reason ({@code ipv6-forward/no-route}, {@code ingest/queue-full-new-flow}), or {@code null}.
 * @param label  the label as in the file: {@code drop ingest/queue-full-new-flow port=vpc worker=0}.
 * @param value  the value when read.
 */
public record CounterSample(CounterType type, int worker, String port, String reason, String label, long value)
{
    /**
     * @return whether it counts frames lost: a pipeline drop or a port drop.
     */
    public boolean isDrop()
    {
        return type == CounterType.DROPS || type == CounterType.PORT_DROPS;
    }
}
