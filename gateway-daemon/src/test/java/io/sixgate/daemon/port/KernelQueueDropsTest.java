package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.testing.AllocationMeter;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class KernelQueueDropsTest
{
    private static final String NET_DEV = """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
            lo:     240       4    0    0    0     0          0         0      240       4    0    0    0     0       0          0
        sg-vpc01:  9000      90    0    1    0     0          0         0     9000      90    0   77    0     0       0          0
        sg-vpc0: 123456    1000    0    2    0     0          0         0   654321    2000    0 5643    0     0       0          0
        sg-cut:     100       1    0    0    0     0          0         0      100
        """;

    @Test
    void readsTheTransmitDropColumnOfExactlyThatDevice()
    {
        assertEquals(5643, txDropped(NET_DEV, "sg-vpc0"));
        assertEquals(77, txDropped(NET_DEV, "sg-vpc01"));
        assertEquals(0, txDropped(NET_DEV, "lo"));
    }

    @Test
    void aDeviceNotListedOrALineCutShortReadsAsUnknown()
    {
        assertEquals(-1, txDropped(NET_DEV, "sg-inet0"));
        assertEquals(-1, txDropped(NET_DEV, "sg-vpc"));
        assertEquals(-1, txDropped(NET_DEV, "sg-cut"));
        assertEquals(-1, txDropped(NET_DEV.substring(0, NET_DEV.indexOf("5643") + 2), "sg-vpc0"));
    }

    @Test
    void opensTheCallingThreadsListAndRefusesADeviceNotInIt() throws Exception
    {
        try (KernelQueueDrops loopback = KernelQueueDrops.open("lo"))
        {
            assertTrue(loopback.read() >= 0);
        }
        final PortOpenException ex = assertThrows(PortOpenException.class, () -> KernelQueueDrops.open("sg-none0"));
        assertEquals(KernelQueueDrops.PROC_NET_DEV + " does not list sg-none0", ex.getMessage());
    }

    @Test
    void readingAndCountingAllocatesNothing() throws Exception
    {
        final PortCounters counters = new PortCounters(InMemoryCounters.create(64), 0, new String[]{"lo"});
        try (KernelQueueDrops loopback = KernelQueueDrops.open("lo"))
        {
            final long[] read = new long[1];
            final long bytes = AllocationMeter.leastBytesAllocatedBy(() ->
            {
                read[0] += loopback.read();
                loopback.count(counters, 0);
            });
            assertEquals(0, bytes, "bytes allocated by one read of the kernel's drops");
            assertTrue(read[0] >= 0);
        }
    }

    /**
     * Root: a TAP with a queue of 64 frames in a namespace of the test's own, nobody reading it,
     * and 200 frames sent to it through a packet socket: the kernel keeps 64 and drops the rest,
     * and those drops are what the port counts.
     */
    @Test
    void countsTheFramesTheKernelDroppedBecauseTheTapQueueWasFull() throws Exception
    {
        RootRequirement.require("ip");
        final String device = "sgkq0";
        try (NetworkNamespace namespace = NetworkNamespace.create("sgkq"))
        {
            final PortCounters counters = new PortCounters(InMemoryCounters.create(64), 0, new String[]{"vpc"});
            final long dropped = namespace.call(() ->
            {
                try (TapDevice tap = TapDevice.open(device);
                    KernelQueueDrops drops = openQueueOf64(device);
                    PacketInjector injector = PacketInjector.open(device))
                {
                    final UnsafeBuffer frame = new UnsafeBuffer(BufferUtil.allocateDirectAligned(64, 64));
                    frame.setMemory(0, 64, (byte)0);
                    frame.putLong(0, 0xFFFF_FFFF_FFFF_0253L);   // broadcast, from 02:53:...
                    frame.putShort(12, (short)0xB588);          // local experimental EtherType (IEEE 802)
                    for (int i = 0; i < 200; i++)
                    {
                        assertEquals(64, injector.write(frame.addressOffset(), 64), injector.lastError());
                    }
                    drops.count(counters, 0);
                    return drops.read();
                }
            });
            assertEquals(200 - 64, counters.dropped(0, PortDropReason.INGEST_KERNEL_QUEUE_FULL),
                "the kernel's tx_dropped, from 0 at open, now " + dropped);
        }
    }

    private static KernelQueueDrops openQueueOf64(final String device) throws PortOpenException
    {
        LinkControl.setTxQueueLength(device, 64);
        LinkControl.setUp(device);
        return KernelQueueDrops.open(device);
    }

    private static long txDropped(final String text, final String device)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(8192, 64));
        buffer.putBytes(0, bytes);
        return KernelQueueDrops.txDropped(buffer, bytes.length, device.getBytes(StandardCharsets.US_ASCII));
    }
}
