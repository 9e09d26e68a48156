package io.sixgate.daemon.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * {@link MultiWorkerNamespacesIT} with TAP offloads ({@code ports[].offload: true}): the same
 * pings, sixteen concurrent downloads checked byte for byte and native IPv6 over two workers and
 * multi-queue TAPs whose every queue reads and writes a virtio-net header, and the instance's TCP
 * crossing as super-packets (TSO/GSO) translated whole.
 */
class MultiWorkerOffloadNamespacesIT extends MultiWorkerNamespacesIT
{
    @Override
    boolean offload()
    {
        return true;
    }

    @Test
    @Order(5)
    void theDownloadsCameInAsSuperPacketsOnBothWorkers()
    {
        for (int worker = 0; worker < 2; worker++)
        {
            final long superPackets = CounterValues.get(counterValues(), "event ingest/gso-frames port=vpc worker=" + worker);
            assertTrue(superPackets > 0, "TCP super-packets from the instance taken by worker " + worker + ": "
                + superPackets);
        }
    }
}
