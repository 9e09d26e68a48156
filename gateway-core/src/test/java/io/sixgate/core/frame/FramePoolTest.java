package io.sixgate.core.frame;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class FramePoolTest
{
    @Test
    void allocatesEveryFrameOnceThenReportsEmpty()
    {
        final FramePool pool = new FramePool(8, 256, 32);
        final Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 8; i++)
        {
            final int frame = pool.allocate();
            assertNotEquals(FramePool.NO_FRAME, frame);
            assertTrue(seen.add(frame), "handle handed out twice");
            assertEquals(pool.slotStart(frame) + 32, pool.offset(frame));
            assertEquals(0, pool.length(frame));
        }
        assertEquals(0, pool.available());
        assertEquals(FramePool.NO_FRAME, pool.allocate());
        assertEquals(1, pool.allocationFailures());
    }

    @Test
    void releaseMakesFrameReusableAndIgnoresDoubleRelease()
    {
        final FramePool pool = new FramePool(2, 256, 32);
        final int frame = pool.allocate();
        assertTrue(pool.release(frame));
        assertFalse(pool.release(frame), "second release must be refused");
        assertFalse(pool.release(99));
        assertEquals(2, pool.invalidReleases());
        assertEquals(2, pool.available());
    }

    @Test
    void allocateResetsMetadataOfRecycledFrame()
    {
        final FramePool pool = new FramePool(1, 256, 32);
        final int frame = pool.allocate();
        pool.port(frame, 3);
        pool.timestampNs(frame, 42);
        pool.l3Offset(frame, 7);
        pool.setLength(frame, 10);
        pool.release(frame);
        final int again = pool.allocate();
        assertEquals(frame, again);
        assertEquals(-1, pool.port(again));
        assertEquals(0, pool.timestampNs(again));
        assertEquals(-1, pool.l3Offset(again));
        assertEquals(0, pool.length(again));
    }

    @Test
    void adjustHeadGrowsIntoHeadroomButNotPastTheSlot()
    {
        final FramePool pool = new FramePool(2, 256, 32);
        final int frame = pool.allocate();
        assertTrue(pool.setLength(frame, 100));
        assertTrue(pool.adjustHead(frame, -20));
        assertEquals(pool.slotStart(frame) + 12, pool.offset(frame));
        assertEquals(120, pool.length(frame));
        assertFalse(pool.adjustHead(frame, -13), "would leave the slot");
        assertEquals(120, pool.length(frame), "failed adjust changes nothing");
        assertTrue(pool.adjustHead(frame, 40));
        assertEquals(80, pool.length(frame));
        assertFalse(pool.setLength(frame, 256), "would run into the next slot");
        assertEquals(256 - 52 - 80, pool.tailroom(frame));
    }

    @Test
    void copiesBytesInAndOut()
    {
        final FramePool pool = new FramePool(2, 256, 32);
        final byte[] data = {1, 2, 3, 4, 5};
        final int frame = pool.allocateCopy(data, 1, 3);
        assertArrayEquals(new byte[]{2, 3, 4}, pool.copyOut(frame));
        assertEquals(FramePool.NO_FRAME, pool.allocateCopy(new byte[300], 0, 300), "larger than a slot");
    }

    @Test
    void rejectsBadGeometry()
    {
        assertThrows(IllegalArgumentException.class, () -> new FramePool(0));
        assertThrows(IllegalArgumentException.class, () -> new FramePool(4, 100, 0));
        assertThrows(IllegalArgumentException.class, () -> new FramePool(4, 128, 128));
    }

    @Test
    void allocateAllTakesEveryFrameOrNone()
    {
        final FramePool pool = new FramePool(4, 256, 32);
        final int[] frames = new int[4];
        pool.allocate();

        assertFalse(pool.allocateAll(frames, 4), "only three are free");
        assertEquals(3, pool.available(), "a refused request takes nothing");
        assertEquals(1, pool.allocationFailures());
        assertTrue(pool.allocateAll(frames, 3));
        assertEquals(0, pool.available());
        assertEquals(3, new HashSet<>(java.util.List.of(frames[0], frames[1], frames[2])).size());
    }
}
