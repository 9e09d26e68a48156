package io.sixgate.daemon.replay;

import java.util.ArrayList;
import java.util.List;

import io.sixgate.core.counters.CounterType;
import io.sixgate.core.counters.PipelineCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.port.Port;

import org.agrona.concurrent.status.CountersReader;

/**
 * Reads a finished replay's counters back from its counters file and checks that every frame
 * is accounted for: the conservation law over all counters, the records read from each port's
 * captures against its rx counter, and the frames written to each output against its tx counter.
 */
final class ReplayAccounting
{
    private ReplayAccounting()
    {
    }

    static ReplayResult result(
        final ReplayRequest request,
        final List<CaptureReader> readers,
        final CaptureSink sink,
        final Port[] ports,
        final PipelineCounters pipelineCounters,
        final CountersReader countersReader,
        final FramePool pool)
    {
        final List<ReplayResult.Capture> inputs = new ArrayList<>();
        final long[] readPerPort = new long[ports.length];
        for (final CaptureReader reader : readers)
        {
            inputs.add(new ReplayResult.Capture(reader.binding(), reader.linkType(), reader.recordsTaken()));
            readPerPort[reader.portId()] += reader.recordsTaken();
        }

        final List<String> mismatches = new ArrayList<>();
        final List<ReplayResult.Capture> outputs = new ArrayList<>();
        for (final CaptureBinding output : request.outputs())
        {
            final Port port = ports[portIndex(ports, output.port())];
            final long written = sink.written(port.id());
            outputs.add(new ReplayResult.Capture(output, port.linkType(), written));
            if (written != pipelineCounters.transmitted(port.id()))
            {
                mismatches.add("port " + port.name() + ": wrote " + written + " frames to " + output.file()
                    + " but counted " + pipelineCounters.transmitted(port.id()) + " transmitted");
            }
        }
        for (final Port port : ports)
        {
            if (readPerPort[port.id()] != pipelineCounters.received(port.id()))
            {
                mismatches.add("port " + port.name() + ": read " + readPerPort[port.id()]
                    + " frames from captures but counted " + pipelineCounters.received(port.id()) + " received");
            }
        }

        final List<ReplayResult.Counter> counters = new ArrayList<>();
        final long[] byType = new long[CounterType.values().length];
        countersReader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            final long value = countersReader.getCounterValue(counterId);
            final CounterType type = CounterType.ofTypeId(typeId);
            if (type != null)
            {
                byType[type.ordinal()] += value;
            }
            if (value != 0)
            {
                counters.add(new ReplayResult.Counter(label, value));
            }
        });
        final ReplayResult.Totals totals = new ReplayResult.Totals(
            byType[CounterType.RX_FRAMES.ordinal()],
            byType[CounterType.GENERATED_FRAMES.ordinal()],
            byType[CounterType.TX_FRAMES.ordinal()],
            byType[CounterType.CONSUMED_FRAMES.ordinal()],
            byType[CounterType.DROPS.ordinal()]);
        if (!totals.conserved())
        {
            mismatches.add(0, "received + generated = " + (totals.received() + totals.generated())
                + " but transmitted + consumed + dropped = "
                + (totals.transmitted() + totals.consumed() + totals.dropped()));
        }
        final int held = pool.capacity() - pool.available();
        return new ReplayResult(inputs, outputs, counters, totals, mismatches, held, "");
    }

    private static int portIndex(final Port[] ports, final String name)
    {
        for (final Port port : ports)
        {
            if (port.name().equals(name))
            {
                return port.id();
            }
        }
        throw new IllegalArgumentException("no port " + name);
    }
}
