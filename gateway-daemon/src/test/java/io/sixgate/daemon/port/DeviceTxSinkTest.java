package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeviceTxSinkTest
{
    private final SocketPair vpc = SocketPair.open();
    private final SocketPair internet = SocketPair.open();
    private final FramePool pool = new FramePool(64);
    private final PortCounters counters = new PortCounters(InMemoryCounters.create(64), 0, new String[]{"vpc", "internet"});
    private final DeviceTxSink sink = new DeviceTxSink(
        pool, new FrameWriter[]{
            new DescriptorFrameWriter(vpc.gatewaySide()), new DescriptorFrameWriter(internet.gatewaySide())}, counters);

    @AfterEach
    void close() throws Exception
    {
        vpc.close();
        internet.close();
    }

    private int frame(final byte[] bytes)
    {
        final int frame = pool.allocateCopy(bytes, 0, bytes.length);
        assertTrue(frame >= 0);
        return frame;
    }

    @Test
    void writesTheFrameToItsPortAndReleasesIt() throws Exception
    {
        final byte[] bytes = new byte[1514];
        bytes[0] = 2;
        bytes[1513] = 99;

        sink.transmit(1, frame(bytes));

        assertArrayEquals(bytes, new Wire(internet.wireSide()).receive(1000));
        assertEquals(0, new Wire(vpc.wireSide()).receive());
        assertEquals(pool.capacity(), pool.available());
    }

    @Test
    void aDeviceThatWouldBlockDropsAndCountsInsteadOfWaiting() throws Exception
    {
        final int queued = new Wire(internet.gatewaySide()).fill(1000);
        assertTrue(queued > 0);

        sink.transmit(1, frame(new byte[1000]));
        sink.transmit(1, frame(new byte[1000]));

        assertEquals(2, counters.dropped(1, PortDropReason.TX_WOULD_BLOCK));
        assertEquals(pool.capacity(), pool.available(), "dropped frames go back to the pool");
    }

    @Test
    void aFailedWriteIsCountedAndTheFrameReleased() throws Exception
    {
        vpc.gatewaySide().close();

        sink.transmit(0, frame(new byte[60]));
        sink.transmit(0, frame(new byte[60]));

        assertEquals(2, counters.dropped(0, PortDropReason.TX_ERROR));
        assertEquals(pool.capacity(), pool.available());
    }
}
