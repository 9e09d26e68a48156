package io.sixgate.daemon.admin;

import java.util.List;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sixgate.core.counters.CounterType;
import io.sixgate.daemon.stat.CounterSample;

/**
 * {@code GET /v1/counters}: every counter by its label, then the same numbers per worker
 * grouped by kind (rx and tx by port, drops by reason, port drops by port and reason), then
 * totals.
 */
final class CountersJson
{
    private CountersJson()
    {
    }

    static ObjectNode format(final ObjectMapper mapper, final List<CounterSample> samples)
    {
        final ObjectNode root = mapper.createObjectNode();
        final ObjectNode byLabel = root.putObject("counters");
        final TreeMap<Integer, ObjectNode> workers = new TreeMap<>();
        final long[] totals = new long[CounterType.values().length];
        for (final CounterSample sample : samples)
        {
            byLabel.put(sample.label(), sample.value());
            totals[sample.type().ordinal()] += sample.value();
            final ObjectNode worker = workers.computeIfAbsent(sample.worker(), id ->
            {
                final ObjectNode node = mapper.createObjectNode();
                node.put("worker", id);
                node.putObject("rx");
                node.putObject("tx");
                node.putObject("drops");
                node.putObject("port-drops");
                node.put("consumed", 0L);
                node.put("generated", 0L);
                return node;
            });
            switch (sample.type())
            {
                case RX_FRAMES:
                    ((ObjectNode)worker.get("rx")).put(sample.port(), sample.value());
                    break;
                case TX_FRAMES:
                    ((ObjectNode)worker.get("tx")).put(sample.port(), sample.value());
                    break;
                case DROPS:
                    ((ObjectNode)worker.get("drops")).put(sample.reason(), sample.value());
                    break;
                case PORT_DROPS:
                    final ObjectNode portDrops = (ObjectNode)worker.get("port-drops");
                    final ObjectNode port = portDrops.has(sample.port())
                        ? (ObjectNode)portDrops.get(sample.port()) : portDrops.putObject(sample.port());
                    port.put(sample.reason(), sample.value());
                    break;
                case CONSUMED_FRAMES:
                    worker.put("consumed", worker.get("consumed").asLong() + sample.value());
                    break;
                case GENERATED_FRAMES:
                    worker.put("generated", worker.get("generated").asLong() + sample.value());
                    break;
                default:
                    break;
            }
        }
        root.putArray("workers").addAll(workers.values());
        final ObjectNode total = root.putObject("totals");
        total.put("rx", totals[CounterType.RX_FRAMES.ordinal()]);
        total.put("tx", totals[CounterType.TX_FRAMES.ordinal()]);
        total.put("drops", totals[CounterType.DROPS.ordinal()]);
        total.put("port-drops", totals[CounterType.PORT_DROPS.ordinal()]);
        total.put("consumed", totals[CounterType.CONSUMED_FRAMES.ordinal()]);
        total.put("generated", totals[CounterType.GENERATED_FRAMES.ordinal()]);
        return root;
    }
}
