package io.sixgate.daemon.port;

import java.io.IOException;

import io.netty.channel.unix.FileDescriptor;
import io.sixgate.core.frame.Offload;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes frames to a TAP opened with IFF_VNET_HDR: the frame's virtio-net header
 * ({@link Offload#write}) and the frame in one {@code writev(2)} of two iovecs, so the frame stays
 * where it is in the pool. A plain frame goes with an all-zero header; a TCP super-packet with
 * GSO_TCPV4/GSO_TCPV6 and its partial checksum, which the kernel segments and completes.
 * Preallocated header and iovec array: nothing is allocated per frame.
 *
 * <p>Worker thread only.
 */
public final class VirtioFrameWriter implements FrameWriter
{
    /** The link header before the IP header: Ethernet without a VLAN tag (the TAP ports send none). */
    static final int ETHERNET_HEADER_LENGTH = 14;
    private static final int IOVEC_LENGTH = 16;

    private final FileDescriptor fd;
    /** Two {@code struct iovec} then the header; held so its memory lives as long as its address is used. */
    private final UnsafeBuffer scratch;
    private final long iovecsAddress;
    private final int headerOffset;
    private IOException lastError;

    public VirtioFrameWriter(final FileDescriptor fd)
    {
        this.fd = fd;
        this.scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BitUtil.CACHE_LINE_LENGTH,
            BitUtil.CACHE_LINE_LENGTH));
        this.iovecsAddress = scratch.addressOffset();
        this.headerOffset = 2 * IOVEC_LENGTH;
        scratch.putLong(0, iovecsAddress + headerOffset);
        scratch.putLong(8, Offload.HEADER_LENGTH);
    }

    @Override
    public int write(final long address, final int length)
    {
        return write(address, length, Offload.NONE);
    }

    @Override
    public int write(final long address, final int length, final long offload)
    {
        Offload.write(scratch, headerOffset, offload, ETHERNET_HEADER_LENGTH);
        scratch.putLong(IOVEC_LENGTH, address);
        scratch.putLong(IOVEC_LENGTH + 8, length);
        try
        {
            final long written = fd.writevAddresses(iovecsAddress, 2);
            // The caller compares with the frame's length: the header is not part of it.
            return written <= 0 ? (int)written : (int)(written - Offload.HEADER_LENGTH);
        }
        catch (final IOException ex)
        {
            lastError = ex;
            return ERROR;
        }
    }

    @Override
    public boolean takesOffloads()
    {
        return true;
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
