package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.daemon.steer.FlowKey;
import io.sixgate.daemon.steer.FlowSteering;
import io.sixgate.daemon.steer.KnownFlowHints;

import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class IngestDispatchTest
{
    private static final long GATEWAY_MAC = 0x02_53_47_00_00_01L;
    private static final long HOST_MAC = 0x02_53_47_00_01_10L;
    private static final long NOW = 1_763_700_000L * 1_000_000_000L;

    private final FlowKey flowKey = new FlowKey(99);
    private final KnownFlowHints[] hints = {new KnownFlowHints(1024), new KnownFlowHints(1024)};
    private final PortCounters[] counters = {
        new PortCounters(InMemoryCounters.create(64), 0, new String[]{"internet"}),
        new PortCounters(InMemoryCounters.create(64), 1, new String[]{"internet"})};
    private final IngestRing[] rings = {new IngestRing(1600, 64), new IngestRing(1600, 64)};
    private final FlowSteering steering = new FlowSteering(2, new int[0], null, List.of(), -1, 5);
    private final IngestDispatch dispatch = new IngestDispatch(0, rings, steering.reader(), counters, flowKey, hints);

    private static UnsafeBuffer frame(final String source, final int sourcePort)
    {
        return new UnsafeBuffer(PacketBuilder.ipv6(source, "64:ff9b::c000:20a").udp(sourcePort, 53).payload(64)
            .ethernet(GATEWAY_MAC, HOST_MAC).build());
    }

    /** What the worker transmits on the flow: the reply direction, as NAT64 sends it back to the client. */
    private void workerForwards(final int worker, final String client, final int clientPort)
    {
        final UnsafeBuffer reply = new UnsafeBuffer(PacketBuilder.ipv6("64:ff9b::c000:20a", client).udp(53, clientPort)
            .payload(64).ethernet(HOST_MAC, GATEWAY_MAC).build());
        hints[worker].publish(flowKey.of(reply, 0, reply.capacity()), NOW);
    }

    private int workerOf(final UnsafeBuffer frame)
    {
        return steering.reader().workerOf(frame, 0, frame.capacity(), 0);
    }

    /** The worker's side: takes up to {@code frames} (one read stops where the ring's memory wraps). */
    private static int take(final IngestRing ring, final int frames)
    {
        int taken = 0;
        int read;
        do
        {
            read = ring.read((type, buffer, index, length) -> ControlledMessageHandler.Action.CONTINUE, frames - taken);
            taken += read;
        }
        while (read > 0 && taken < frames);
        return taken;
    }

    @Test
    void aRingUnderANewFlowFloodKeepsAdmittingEveryKnownFlowFrame()
    {
        final UnsafeBuffer established = frame("2001:db8:1::10", 40000);
        final int worker = workerOf(established);
        workerForwards(worker, "2001:db8:1::10", 40000);
        final IngestRing ring = rings[worker];
        int knownAdmitted = 0;
        int floodOffered = 0;
        for (int round = 0; round < 1000; round++)
        {
            // Twenty new flows (about ten for this worker) for each established frame; the worker
            // takes 5 frames meanwhile.
            for (int i = 0; i < 20; i++)
            {
                final UnsafeBuffer flood = frame(String.format("2001:db8:%x::%x", round + 2, i + 1), 1024 + i);
                if (workerOf(flood) == worker)
                {
                    floodOffered++;
                    dispatch.dispatch(flood, 0, flood.capacity(), NOW);
                }
            }
            knownAdmitted += dispatch.dispatch(established, 0, established.capacity(), NOW);
            take(ring, 5);
        }

        assertEquals(1000, knownAdmitted, "every frame of the established flow was queued");
        assertEquals(0, counters[worker].dropped(0, PortDropReason.INGEST_QUEUE_FULL_KNOWN_FLOW));
        final long floodDropped = counters[worker].dropped(0, PortDropReason.INGEST_QUEUE_FULL_NEW_FLOW);
        assertTrue(floodDropped > floodOffered / 3, "the flood was shed: " + floodDropped + " of " + floodOffered);
    }

    @Test
    void newFlowsFillThreeQuartersOfTheRingAndKnownFlowsTheRest()
    {
        final UnsafeBuffer established = frame("2001:db8:1::10", 40000);
        final int worker = workerOf(established);
        workerForwards(worker, "2001:db8:1::10", 40000);
        final IngestRing ring = rings[worker];
        int newAdmitted = 0;
        for (int i = 0; i < 4 * ring.frames(); i++)
        {
            final UnsafeBuffer flood = frame(String.format("2001:db8:2::%x", i + 1), 1024);
            if (workerOf(flood) == worker)
            {
                newAdmitted += dispatch.dispatch(flood, 0, flood.capacity(), NOW);
            }
        }
        int knownAdmitted = 0;
        for (int i = 0; i < ring.frames(); i++)
        {
            knownAdmitted += dispatch.dispatch(established, 0, established.capacity(), NOW);
        }

        assertEquals(ring.newFlowFrames(), newAdmitted);
        assertEquals(ring.frames() - ring.newFlowFrames(), knownAdmitted);
        assertEquals(ring.newFlowFrames(), counters[worker].dropped(0, PortDropReason.INGEST_QUEUE_FULL_KNOWN_FLOW),
            "past the whole ring even known flows are dropped, and counted as such");
        assertEquals(ring.frames(), take(ring, Integer.MAX_VALUE));
    }

    @Test
    void aHintExpiredOrOfAnotherWorkerGivesNoPriority()
    {
        final UnsafeBuffer established = frame("2001:db8:1::10", 40000);
        final int worker = workerOf(established);
        workerForwards(1 - worker, "2001:db8:1::10", 40000);
        final IngestRing ring = rings[worker];
        for (int i = 0; i < ring.frames(); i++)
        {
            dispatch.dispatch(established, 0, established.capacity(), NOW);
        }
        assertEquals(ring.newFlowFrames(), take(ring, Integer.MAX_VALUE), "another worker's hint does not count");

        // A fresh ring (a used one loses room to padding where its memory wraps).
        final IngestRing[] fresh = {new IngestRing(1600, 64), new IngestRing(1600, 64)};
        final IngestDispatch later = new IngestDispatch(0, fresh, steering.reader(), counters, flowKey, hints);
        workerForwards(worker, "2001:db8:1::10", 40000);
        for (int i = 0; i < ring.frames(); i++)
        {
            later.dispatch(established, 0, established.capacity(), NOW + KnownFlowHints.LIFETIME_NS + 1_000_000_000L);
        }
        assertEquals(ring.newFlowFrames(), take(fresh[worker], Integer.MAX_VALUE), "an expired hint does not count");
    }

    @Test
    void aKnownFlowBehindAVirtioNetHeaderKeepsItsPriority()
    {
        final UnsafeBuffer established = frame("2001:db8:1::10", 40000);
        final int worker = workerOf(established);
        workerForwards(worker, "2001:db8:1::10", 40000);
        final IngestRing ring = rings[worker];
        for (int i = 0; ring.admitsNewFlow(false); i++)
        {
            final UnsafeBuffer flood = frame(String.format("2001:db8:2::%x", i + 1), 1024);
            if (workerOf(flood) == worker)
            {
                dispatch.dispatch(flood, 0, flood.capacity(), NOW);
            }
        }
        // A TAP with offload hands over the frame behind its 10-byte virtio-net header.
        final int header = 10;
        final UnsafeBuffer withHeader = new UnsafeBuffer(new byte[header + established.capacity()]);
        withHeader.putBytes(header, established, 0, established.capacity());
        final UnsafeBuffer newFlowWithHeader = new UnsafeBuffer(new byte[header + established.capacity()]);
        UnsafeBuffer newFlow = frame("2001:db8:3::1", 1024);
        for (int i = 2; workerOf(newFlow) != worker; i++)
        {
            newFlow = frame(String.format("2001:db8:3::%x", i), 1024);
        }
        newFlowWithHeader.putBytes(header, newFlow, 0, newFlow.capacity());

        assertEquals(1, dispatch.dispatch(withHeader, 0, withHeader.capacity(), NOW, header),
            "the established flow's frame is known past 3/4 of the ring");
        assertEquals(0, dispatch.dispatch(newFlowWithHeader, 0, newFlowWithHeader.capacity(), NOW, header),
            "a new flow's is not");
    }
}
