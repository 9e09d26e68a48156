package io.sixgate.daemon.stat;

import java.util.ArrayList;
import java.util.List;

import io.sixgate.core.counters.CounterType;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * Reads every sixgate counter of a counters file at once, in allocation order (per worker:
 * rx and tx per port, drops by reason, consumed, generated, then the ports' own drops).
 * Counters that are not sixgate's are skipped.
 */
public final class CounterSnapshot
{
    private static final String WORKER = " worker=";
    private static final String PORT = " port=";

    private CounterSnapshot()
    {
    }

    public static List<CounterSample> read(final CountersReader reader)
    {
        final List<CounterSample> samples = new ArrayList<>();
        reader.forEach((int counterId, int typeId, DirectBuffer key, String label) ->
        {
            final CounterType type = CounterType.ofTypeId(typeId);
            if (type != null)
            {
                samples.add(sample(type, key.getInt(CounterType.KEY_WORKER_OFFSET), label,
                    reader.getCounterValue(counterId)));
            }
        });
        return samples;
    }

    static CounterSample sample(final CounterType type, final int worker, final String label, final long value)
    {
        final int workerAt = label.lastIndexOf(WORKER);
        final String body = workerAt < 0 ? label : label.substring(0, workerAt);
        String port = null;
        String reason = null;
        switch (type)
        {
            case RX_FRAMES:
            case TX_FRAMES:
                port = after(body, PORT);
                break;
            case DROPS:
                reason = after(body, "drop ");
                break;
            case PORT_DROPS:
                final int portAt = body.lastIndexOf(PORT);
                port = portAt < 0 ? null : body.substring(portAt + PORT.length());
                reason = after(portAt < 0 ? body : body.substring(0, portAt), "drop ");
                break;
            default:
                break;
        }
        return new CounterSample(type, worker, port, reason, label, value);
    }

    private static String after(final String text, final String marker)
    {
        final int at = text.indexOf(marker);
        return at < 0 ? text : text.substring(at + marker.length());
    }
}
