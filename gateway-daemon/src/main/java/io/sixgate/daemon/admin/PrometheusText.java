package io.sixgate.daemon.admin;

import java.util.List;

import io.sixgate.core.counters.CounterType;
import io.sixgate.daemon.stat.CounterSample;

/**
 * The counters in the Prometheus text exposition format (version 0.0.4): one family per
 * counter type, samples labelled by worker, port and drop reason, e.g.
 * {@code sixgate_drops_total{reason="ipv6-forward/no-route",worker="0"} 3}.
 */
final class PrometheusText
{
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText()
    {
    }

    static String format(final List<CounterSample> samples, final long startTimeMs)
    {
        final StringBuilder out = new StringBuilder(4096);
        family(out, samples, CounterType.RX_FRAMES, "sixgate_rx_frames_total", "Frames received on a port.");
        family(out, samples, CounterType.TX_FRAMES, "sixgate_tx_frames_total", "Frames transmitted on a port.");
        family(out, samples, CounterType.DROPS, "sixgate_drops_total",
            "Frames the pipeline dropped, by reason (stage/label).");
        family(out, samples, CounterType.PORT_DROPS, "sixgate_port_drops_total",
            "Frames a port lost outside the pipeline (ingest queue full, read or write errors), by reason.");
        family(out, samples, CounterType.CONSUMED_FRAMES, "sixgate_consumed_frames_total",
            "Frames a stage consumed (answered locally, held, reassembled).");
        family(out, samples, CounterType.GENERATED_FRAMES, "sixgate_generated_frames_total",
            "Frames the gateway created (ICMP errors, fragments, replies).");
        out.append("# HELP sixgate_start_time_seconds When the daemon started, seconds since the epoch.\n")
            .append("# TYPE sixgate_start_time_seconds gauge\n")
            .append("sixgate_start_time_seconds ").append(startTimeMs / 1000).append('.')
            .append(String.format("%03d", startTimeMs % 1000)).append('\n');
        return out.toString();
    }

    private static void family(final StringBuilder out, final List<CounterSample> samples, final CounterType type,
        final String name, final String help)
    {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(" counter\n");
        for (final CounterSample sample : samples)
        {
            if (sample.type() != type)
            {
                continue;
            }
            out.append(name).append('{');
            if (sample.port() != null)
            {
                label(out, "port", sample.port()).append(',');
            }
            if (sample.reason() != null)
            {
                label(out, "reason", sample.reason()).append(',');
            }
            label(out, "worker", Integer.toString(sample.worker())).append("} ").append(sample.value()).append('\n');
        }
    }

    private static StringBuilder label(final StringBuilder out, final String name, final String value)
    {
        out.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '\\':
                    out.append("\\\\");
                    break;
                case '"':
                    out.append("\\\"");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                default:
                    out.append(c);
            }
        }
        return out.append('"');
    }
}
