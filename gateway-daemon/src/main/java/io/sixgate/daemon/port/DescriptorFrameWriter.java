package io.sixgate.daemon.port;

import java.io.IOException;

import io.netty.channel.unix.FileDescriptor;

/**
 * Writes frames to a non-blocking descriptor that takes one frame per write (a TAP device, a
 * socket pair in tests) with Netty's {@code writeAddress}, which reports EAGAIN as 0 written.
 */
public final class DescriptorFrameWriter implements FrameWriter
{
    private final FileDescriptor fd;
    private IOException lastError;

    public DescriptorFrameWriter(final FileDescriptor fd)
    {
        this.fd = fd;
    }

    @Override
    public int write(final long address, final int length)
    {
        try
        {
            return fd.writeAddress(address, 0, length);
        }
        catch (final IOException ex)
        {
            lastError = ex;
            return ERROR;
        }
    }

    @Override
    public String lastError()
    {
        final IOException error = lastError;
        if (error == null)
        {
            return "no error";
        }
        return error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
    }
}
