package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sixgate.core.frame.FramePool;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class IngestFrameSourceTest
{
    private static void put(final IngestRing ring, final int firstByte, final int length, final long timestampNs)
    {
        final int index = ring.claim();
        assertTrue(index >= 0, "ring full");
        final UnsafeBuffer data = new UnsafeBuffer(ring.dataAddress(index), length);
        data.setMemory(0, length, (byte)0);
        data.putByte(0, (byte)firstByte);
        ring.commit(index, length, timestampNs);
    }

    @Test
    void copiesEachFrameIntoThePoolWithItsPortAndReceiveTime()
    {
        final FramePool pool = new FramePool(16);
        final IngestRing[] rings = {new IngestRing(1920, 8), new IngestRing(1920, 8)};
        put(rings[1], 0x77, 1514, 123_456);
        final IngestFrameSource source = new IngestFrameSource(pool, rings);

        final int[] frames = new int[256];
        assertEquals(1, source.poll(frames, 256));

        final int frame = frames[0];
        assertEquals(1, pool.port(frame));
        assertEquals(1514, pool.length(frame));
        assertEquals(123_456, pool.timestampNs(frame));
        assertEquals(0x77, pool.buffer().getByte(pool.offset(frame)));
        assertEquals(pool.slotStart(frame) + pool.headroom(), pool.offset(frame), "headroom kept for stages");
        assertTrue(source.isEmpty());
    }

    @Test
    void portsTakeTurnsSoAFloodedPortCannotStarveTheOthers()
    {
        final FramePool pool = new FramePool(1024);
        final IngestRing[] rings = {new IngestRing(1920, 512), new IngestRing(1920, 512)};
        for (int i = 0; i < 300; i++)
        {
            put(rings[0], 0, 60, i);
        }
        for (int i = 0; i < 10; i++)
        {
            put(rings[1], 1, 60, i);
        }
        final IngestFrameSource source = new IngestFrameSource(pool, rings);

        final int[] frames = new int[256];
        final int count = source.poll(frames, 256);
        int fromPort1 = 0;
        for (int i = 0; i < count; i++)
        {
            fromPort1 += pool.port(frames[i]);
        }
        assertEquals(10, fromPort1, "every frame of the quiet port got in");
        assertEquals(128 + 10, count, "the flooded port got its half of the batch");
    }

    @Test
    void framesWaitInTheRingWhileThePoolIsEmpty()
    {
        final FramePool pool = new FramePool(4);
        final IngestRing[] rings = {new IngestRing(1920, 16)};
        for (int i = 0; i < 10; i++)
        {
            put(rings[0], i, 60, i);
        }
        final IngestFrameSource source = new IngestFrameSource(pool, rings);
        final int[] frames = new int[256];

        assertEquals(4, source.poll(frames, 256));
        assertEquals(0, source.poll(new int[256], 256), "no frame free: nothing taken, nothing lost");
        for (int i = 0; i < 4; i++)
        {
            pool.release(frames[i]);
        }
        assertEquals(4, source.poll(frames, 256));
        assertEquals(4, pool.buffer().getByte(pool.offset(frames[0])), "in order, none skipped");
    }
}
