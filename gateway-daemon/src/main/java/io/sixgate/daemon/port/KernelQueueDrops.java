package io.sixgate.daemon.port;

import java.io.Closeable;
import java.nio.charset.StandardCharsets;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The frames the kernel dropped on a TAP device's way to sixgate, for
 * {@link PortDropReason#INGEST_KERNEL_QUEUE_FULL}. tun holds what the kernel sends the device in
 * a ring of {@code tx_queue_len} frames per queue ({@code ports[].queue-length}) and, when the
 * ring is full because sixgate did not read in time, drops the frame and adds it to the device's
 * {@code tx_dropped} (tun_net_xmit). That counter is read from
 * {@code /proc/thread-self/net/dev}, which lists the interfaces of the network namespace of the
 * thread that opened it, the one that opened the TAP (a {@code /sys/class/net} mounted for
 * another namespace would not, nor {@code /proc/net}, which follows the process's first thread),
 * and counted from what it was when the port opened.
 *
 * <p>Reading is a {@code pread} (JNA direct mapping, primitive arguments only) into off-heap
 * memory and parsing in place: nothing is allocated, so the ingest loop calls it as it runs.
 * One thread reads (queue 0's ingest).
 */
final class KernelQueueDrops implements Closeable
{
    static
    {
        Native.register(KernelQueueDrops.class, NativeLibrary.getInstance("c"));
    }

    static final String PROC_NET_DEV = "/proc/thread-self/net/dev";
    /** {@code net/dev} columns after "NAME:": 8 receive, then transmit bytes, packets, errs, drop. */
    static final int TX_DROP_COLUMN = 11;
    private static final int O_RDONLY = 0;
    /** A line is ~120 bytes: room for some 500 interfaces in the namespace. */
    private static final int BUFFER_LENGTH = 64 * 1024;

    private final int fd;
    private final byte[] device;
    private final UnsafeBuffer text = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BUFFER_LENGTH, 64));
    private long counted;

    private KernelQueueDrops(final int fd, final byte[] device)
    {
        this.fd = fd;
        this.device = device;
    }

    /**
     * Opens the calling thread's {@code /proc/thread-self/net/dev} and takes the device's present {@code tx_dropped} as the start.
     *
     * @throws PortOpenException when the file cannot be opened or does not list the device.
     */
    static KernelQueueDrops open(final String device) throws PortOpenException
    {
        final int fd;
        try
        {
            fd = LibC.INSTANCE.open(PROC_NET_DEV, O_RDONLY | LibC.O_CLOEXEC);
        }
        catch (final LastErrorException ex)
        {
            throw new PortOpenException("cannot open " + PROC_NET_DEV + " to count the kernel's drops on " + device
                + ": " + LibC.describe(ex), ex);
        }
        final KernelQueueDrops drops = new KernelQueueDrops(fd, device.getBytes(StandardCharsets.US_ASCII));
        final long start = drops.read();
        if (start < 0)
        {
            drops.close();
            throw new PortOpenException(PROC_NET_DEV + " does not list " + device);
        }
        drops.counted = start;
        return drops;
    }

    /**
     * @return the device's {@code tx_dropped} now, or -1 when it cannot be read.
     */
    long read()
    {
        int length = 0;
        while (length < BUFFER_LENGTH)
        {
            final long got = pread(fd, text.addressOffset() + length, BUFFER_LENGTH - length, length);
            if (got <= 0)
            {
                break;
            }
            length += (int)got;
        }
        return txDropped(text, length, device);
    }

    /**
     * Adds what the kernel dropped since the last call to the port's {@code ingest/kernel-queue-full}.
     */
    void count(final PortCounters counters, final int portId)
    {
        final long now = read();
        if (now > counted)
        {
            counters.onDropped(portId, PortDropReason.INGEST_KERNEL_QUEUE_FULL, now - counted);
            counted = now;
        }
    }

    /**
     * Finds the line {@code "  DEVICE: n n n ..."} in {@code net/dev} text and returns its
     * transmit drop column.
     *
     * @return the value, or -1 when the device is not listed or its line is cut short.
     */
    static long txDropped(final UnsafeBuffer text, final int length, final byte[] device)
    {
        int line = 0;
        while (line < length)
        {
            int i = line;
            while (i < length && text.getByte(i) == ' ')
            {
                i++;
            }
            if (matchesName(text, i, length, device))
            {
                return column(text, i + device.length + 1, length, TX_DROP_COLUMN);
            }
            while (i < length && text.getByte(i) != '\n')
            {
                i++;
            }
            line = i + 1;
        }
        return -1;
    }

    private static boolean matchesName(final UnsafeBuffer text, final int at, final int length, final byte[] device)
    {
        if (at + device.length >= length || text.getByte(at + device.length) != ':')
        {
            return false;
        }
        for (int b = 0; b < device.length; b++)
        {
            if (text.getByte(at + b) != device[b])
            {
                return false;
            }
        }
        return true;
    }

    private static long column(final UnsafeBuffer text, final int from, final int length, final int wanted)
    {
        int i = from;
        for (int column = 0; column <= wanted; column++)
        {
            while (i < length && text.getByte(i) == ' ')
            {
                i++;
            }
            if (i >= length || text.getByte(i) < '0' || text.getByte(i) > '9')
            {
                return -1;
            }
            long value = 0;
            while (i < length && text.getByte(i) >= '0' && text.getByte(i) <= '9')
            {
                value = value * 10 + (text.getByte(i) - '0');
                i++;
            }
            if (column == wanted)
            {
                // A number that runs to the end of the text may have been cut: unknown.
                return i < length ? value : -1;
            }
        }
        return -1;
    }

    @Override
    public void close()
    {
        try
        {
            LibC.INSTANCE.close(fd);
        }
        catch (final LastErrorException ignore)
        {
            // The descriptor is gone either way.
        }
    }

    private static native long pread(int fd, long buffer, long count, long offset);
}
