package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.daemon.steer.FlowKey;
import io.sixgate.daemon.steer.KnownFlowHints;

import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PortIngestTest
{
    private final SocketPair pair = SocketPair.open();
    private final Wire wire = new Wire(pair.wireSide());
    private final PortCounters counters = new PortCounters(InMemoryCounters.create(64), 0, new String[]{"vpc"});
    private final IngestRing ring = new IngestRing(1920, 8);
    private long now = 1_000;
    private final PortIngest ingest = new PortIngest(0, pair.gatewaySide(), ring, counters, () -> now);

    @AfterEach
    void close() throws Exception
    {
        pair.close();
    }

    private List<byte[]> drainRing(final List<Long> timestamps)
    {
        final List<byte[]> frames = new ArrayList<>();
        ring.read((typeId, buffer, index, length) ->
        {
            final byte[] frame = new byte[IngestRing.frameLength(buffer, index)];
            buffer.getBytes(index + IngestRing.DATA_OFFSET, frame);
            frames.add(frame);
            timestamps.add(IngestRing.timestampNs(buffer, index));
            return ControlledMessageHandler.Action.CONTINUE;
        }, Integer.MAX_VALUE);
        return frames;
    }

    @Test
    void readsEachWaitingFrameIntoTheRingStampedAtReceive() throws Exception
    {
        final byte[] first = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
        final byte[] second = new byte[1514];
        second[1513] = 42;
        wire.send(first);
        wire.send(second);

        assertEquals(2, ingest.readAvailable());
        now = 2_000;
        assertEquals(0, ingest.readAvailable(), "EAGAIN: nothing more");

        final List<Long> timestamps = new ArrayList<>();
        final List<byte[]> frames = drainRing(timestamps);
        assertArrayEquals(first, frames.get(0));
        assertArrayEquals(second, frames.get(1));
        assertEquals(List.of(1_000L, 1_000L), timestamps);
    }

    @Test
    void readsAtMostItsBudgetPerWakeUp() throws Exception
    {
        final IngestRing big = new IngestRing(1920, 256);
        final PortIngest bigIngest = new PortIngest(0, pair.gatewaySide(), big, counters, () -> 0);
        for (int i = 0; i < PortIngest.READ_BUDGET + 10; i++)
        {
            assertTrue(wire.send(new byte[64]));
        }

        assertEquals(PortIngest.READ_BUDGET, bigIngest.readAvailable());
        assertEquals(10, bigIngest.readAvailable());
    }

    @Test
    void aRingPastThreeQuartersDropsNewFlowsAndCountsButStillDrainsTheDevice() throws Exception
    {
        final int admitted = ring.newFlowFrames();
        assertEquals(ring.frames() * 3 / 4, admitted);
        for (int i = 0; i < ring.frames() + 5; i++)
        {
            assertTrue(wire.send(new byte[100]));
        }

        assertEquals(admitted, ingest.readAvailable());
        assertEquals(ring.frames() + 5 - admitted, counters.dropped(0, PortDropReason.INGEST_QUEUE_FULL_NEW_FLOW));
        assertEquals(0, counters.dropped(0, PortDropReason.INGEST_QUEUE_FULL_KNOWN_FLOW));
        assertEquals(0, ingest.readAvailable(), "the dropped frames were read off the device");
        assertEquals(admitted, drainRing(new ArrayList<>()).size());
    }

    @Test
    void framesOfAKnownFlowTakeTheLastQuarterAndThenCountAsKnownFlowDrops() throws Exception
    {
        final FlowKey flowKey = new FlowKey(7);
        final KnownFlowHints hints = new KnownFlowHints(64);
        final PortIngest known = new PortIngest(pair.gatewaySide(),
            IngestDispatch.single(0, ring, counters, flowKey, hints), counters, () -> now);
        final byte[] established = PacketBuilder.ipv4("192.0.2.10", "198.51.100.20").tcp(40000, 443, 0x10).payload(20)
            .ethernet(0x02_00_00_00_00_01L, 0x02_00_00_00_00_02L).build();
        final byte[] fresh = PacketBuilder.ipv4("192.0.2.11", "198.51.100.20").tcp(40001, 443, 0x10).payload(20)
            .ethernet(0x02_00_00_00_00_01L, 0x02_00_00_00_00_02L).build();
        // The worker transmitted the reply direction: the same symmetric key.
        final byte[] reply = PacketBuilder.ipv4("198.51.100.20", "192.0.2.10").tcp(443, 40000, 0x10).payload(20)
            .ethernet(0x02_00_00_00_00_02L, 0x02_00_00_00_00_01L).build();
        hints.publish(flowKey.of(new UnsafeBuffer(reply), 0, reply.length), now);
        for (int i = 0; i < ring.frames(); i++)
        {
            assertTrue(wire.send(fresh));
        }
        for (int i = 0; i < ring.frames(); i++)
        {
            assertTrue(wire.send(established));
        }

        known.readAvailable();

        final List<byte[]> frames = drainRing(new ArrayList<>());
        assertEquals(ring.frames(), frames.size(), "the ring is full");
        final int admittedFresh = ring.newFlowFrames();
        for (int i = 0; i < frames.size(); i++)
        {
            assertArrayEquals(i < admittedFresh ? fresh : established, frames.get(i), "frame " + i);
        }
        assertEquals(ring.frames() - admittedFresh, counters.dropped(0, PortDropReason.INGEST_QUEUE_FULL_NEW_FLOW));
        assertEquals(admittedFresh, counters.dropped(0, PortDropReason.INGEST_QUEUE_FULL_KNOWN_FLOW),
            "known frames that found the ring full");
    }

    @Test
    void aReadErrorIsCountedAndStopsThePort() throws Exception
    {
        pair.gatewaySide().close();

        assertEquals(0, ingest.readAvailable());
        assertTrue(ingest.stopped());
        assertEquals(1, counters.dropped(0, PortDropReason.INGEST_READ_ERROR));
        assertEquals(0, ingest.readAvailable());
        assertEquals(1, counters.dropped(0, PortDropReason.INGEST_READ_ERROR), "no retry on a dead device");
        assertEquals(0, drainRing(new ArrayList<>()).size(), "the claim was given back");
    }
}
