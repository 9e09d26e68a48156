package io.sixgate.daemon.port;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * A packet socket that only sends, on one interface: how workers other than worker 0 inject on a
 * pcap port. libpcap does not promise that one {@code pcap_t} may be used by several threads, and
 * a second capture handle per worker would have the kernel copy every received frame to it too;
 * a packet socket opened with protocol 0 receives nothing (packet(7)), so the kernel never queues
 * a frame to it, and {@code send} on it is what {@code pcap_inject} does on Linux.
 *
 * <p>{@code AF_PACKET}, {@code SOCK_RAW}, non-blocking, bound to the interface's index: each
 * frame goes out whole from the worker's frame pool memory, through a direct-mapped {@code send}
 * with primitive arguments (no allocation). A full socket buffer (EAGAIN) or device queue
 * (ENOBUFS) is {@link #WOULD_BLOCK}, counted as {@code tx/would-block}, as for
 * {@link PcapFrameWriter}.
 */
public final class PacketInjector implements FrameWriter, AutoCloseable
{
    static
    {
        Native.register(PacketInjector.class, NativeLibrary.getInstance("c"));
    }

    /** {@code struct sockaddr_ll}: family, protocol (big-endian), ifindex, hatype, pkttype, halen, addr[8]. */
    private static final int SOCKADDR_LL_LENGTH = 20;

    private final String device;
    private final int fd;
    private int lastErrno;
    private boolean closed;

    private PacketInjector(final String device, final int fd)
    {
        this.device = device;
        this.fd = fd;
    }

    /**
     * @throws PortOpenException one line: no such interface, no permission (CAP_NET_RAW).
     */
    public static PacketInjector open(final String device) throws PortOpenException
    {
        final int ifindex = LibC.INSTANCE.if_nametoindex(device);
        if (ifindex == 0)
        {
            throw new PortOpenException(PcapCapture.noSuchInterface(device));
        }
        final int fd;
        try
        {
            // Protocol 0: the socket receives no frames at all (packet(7)); it is for sending.
            fd = LibC.INSTANCE.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        }
        catch (final LastErrorException ex)
        {
            throw new PortOpenException("cannot open a packet socket to inject on " + device + ": " + LibC.describe(ex)
                + (ex.getErrorCode() == LibC.EPERM ? " (run as root, or with CAP_NET_RAW)" : ""), ex);
        }
        final byte[] address = new byte[SOCKADDR_LL_LENGTH];
        final ByteBuffer sockaddr = ByteBuffer.wrap(address).order(ByteOrder.nativeOrder());
        sockaddr.putShort(0, (short)LibC.AF_PACKET);
        sockaddr.putShort(2, (short)0);
        sockaddr.putInt(4, ifindex);
        try
        {
            LibC.INSTANCE.bind(fd, address, address.length);
        }
        catch (final LastErrorException ex)
        {
            LibC.INSTANCE.close(fd);
            throw new PortOpenException("cannot bind a packet socket to " + device + ": " + LibC.describe(ex), ex);
        }
        return new PacketInjector(device, fd);
    }

    /**
     * {@code ssize_t send(int fd, const void *buf, size_t len, int flags)}.
     */
    private static native long send(int fd, long buffer, long length, int flags);

    @Override
    public int write(final long address, final int length)
    {
        final long sent = send(fd, address, length, 0);
        if (sent >= 0)
        {
            return (int)sent;
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
        return "send on " + device + ": " + LibC.INSTANCE.strerror(lastErrno) + " (errno " + lastErrno + ")";
    }

    /**
     * Closes the socket; only after the worker that writes with it stopped.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            LibC.INSTANCE.close(fd);
        }
    }
}
