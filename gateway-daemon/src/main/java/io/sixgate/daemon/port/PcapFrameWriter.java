package io.sixgate.daemon.port;

import com.sun.jna.Native;

/**
 * Injects frames on a pcap port with {@code pcap_inject} straight from the frame pool's
 * off-heap memory: the frame's address goes to libpcap as it is, no copy into a {@code byte[]},
 * and the call is direct-mapped ({@link PcapDirect}), so nothing is allocated per frame.
 *
 * <p>The packet socket is non-blocking: a full send buffer (EAGAIN) or a full device queue
 * (ENOBUFS, the qdisc dropped it) is {@link #WOULD_BLOCK}, which the worker counts as
 * {@code tx/would-block}; any other failure (the interface went down, a frame over its MTU) is
 * {@link #ERROR}, counted as {@code tx/error}. Neither throws into the worker.
 */
public final class PcapFrameWriter implements FrameWriter
{
    private final PcapCapture capture;
    private final long pcap;
    private int lastErrno;

    public PcapFrameWriter(final PcapCapture capture)
    {
        this.capture = capture;
        this.pcap = capture.address();
    }

    @Override
    public int write(final long address, final int length)
    {
        final int sent = PcapDirect.pcap_inject(pcap, address, length);
        if (sent >= 0)
        {
            return sent;
        }
        final int errno = Native.getLastError();
        if (errno == LibC.EAGAIN || errno == LibC.ENOBUFS)
        {
            return WOULD_BLOCK;
        }
        lastErrno = errno;
        return ERROR;
    }

    @Override
    public String lastError()
    {
        return capture.lastError() + " (errno " + lastErrno + ")";
    }
}
