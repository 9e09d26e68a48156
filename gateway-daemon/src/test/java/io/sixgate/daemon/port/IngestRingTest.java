package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class IngestRingTest
{
    private final IngestRing ring = new IngestRing(1920, 8);

    private void put(final byte[] frame, final long timestampNs)
    {
        final int index = ring.claim();
        assertTrue(index >= 0, "ring full");
        new UnsafeBuffer(ring.dataAddress(index), frame.length).putBytes(0, frame);
        ring.commit(index, frame.length, timestampNs);
    }

    private List<byte[]> drain(final List<Long> timestamps)
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
    void handsFramesOverInOrderWithLengthAndReceiveTime()
    {
        put(new byte[]{1, 2, 3}, 100);
        put(new byte[60], 200);
        assertFalse(ring.isEmpty());

        final List<Long> timestamps = new ArrayList<>();
        final List<byte[]> frames = drain(timestamps);

        assertEquals(2, frames.size());
        assertEquals(3, frames.get(0).length);
        assertEquals(3, frames.get(0)[2]);
        assertEquals(60, frames.get(1).length);
        assertEquals(List.of(100L, 200L), timestamps);
        assertTrue(ring.isEmpty());
    }

    @Test
    void aFullRingRefusesClaimsUntilTheWorkerReads()
    {
        final IngestRing fresh = new IngestRing(1920, 8);
        for (int i = 0; i < fresh.frames(); i++)
        {
            final int index = fresh.claim();
            assertTrue(index >= 0, "claim " + i + " of " + fresh.frames());
            fresh.commit(index, 10, i);
        }
        assertEquals(-1, fresh.claim());
        assertTrue(fresh.frames() >= 8);

        // Agrona wants a record and a spare header free before it wraps: after two reads there is room.
        final int read = fresh.read((typeId, buffer, index, length) -> ControlledMessageHandler.Action.CONTINUE, 2);
        assertEquals(2, read);
        assertTrue(fresh.claim() >= 0, "room again after reads");
    }

    @Test
    void anAbortedClaimHandsNothingOver()
    {
        final int index = ring.claim();
        ring.abort(index);
        put(new byte[]{9}, 5);

        final List<Long> timestamps = new ArrayList<>();
        final List<byte[]> frames = drain(timestamps);

        assertEquals(1, frames.size());
        assertEquals(9, frames.get(0)[0]);
    }
}
