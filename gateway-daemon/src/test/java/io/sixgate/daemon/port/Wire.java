package io.sixgate.daemon.port;

import java.io.IOException;

import io.netty.channel.unix.FileDescriptor;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The host end of a test link: writes and reads whole frames on a descriptor from one
 * preallocated direct buffer, so a test measuring allocation can use it inside the measured task.
 */
public final class Wire
{
    public static final int MAX_FRAME = 2048;

    private final FileDescriptor fd;
    private final UnsafeBuffer buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(MAX_FRAME, 64));
    private final long address = buffer.addressOffset();

    public Wire(final FileDescriptor fd)
    {
        this.fd = fd;
    }

    /**
     * @return whether the frame went out (false: the socket would block).
     */
    public boolean send(final byte[] frame) throws IOException
    {
        buffer.putBytes(0, frame);
        return fd.writeAddress(address, 0, frame.length) == frame.length;
    }

    /**
     * Sends a frame already in {@link #buffer()}; allocation free.
     */
    public boolean send(final int length) throws IOException
    {
        return fd.writeAddress(address, 0, length) == length;
    }

    /**
     * @return the length of the next frame, read into {@link #buffer()}, or 0 when none waits.
     */
    public int receive() throws IOException
    {
        final int length = fd.readAddress(address, 0, MAX_FRAME);
        return Math.max(length, 0);
    }

    /**
     * @return the next frame, waiting up to {@code timeoutMs}, or {@code null}.
     */
    public byte[] receive(final long timeoutMs) throws IOException, InterruptedException
    {
        final long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline)
        {
            final int length = receive();
            if (length > 0)
            {
                final byte[] frame = new byte[length];
                buffer.getBytes(0, frame);
                return frame;
            }
            Thread.sleep(1);
        }
        return null;
    }

    /**
     * Writes until the socket would block; for tests of a full device.
     *
     * @return frames written.
     */
    public int fill(final int frameLength) throws IOException
    {
        int written = 0;
        while (fd.writeAddress(address, 0, frameLength) == frameLength)
        {
            written++;
        }
        return written;
    }

    public UnsafeBuffer buffer()
    {
        return buffer;
    }
}
