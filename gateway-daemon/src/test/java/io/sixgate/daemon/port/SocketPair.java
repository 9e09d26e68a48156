package io.sixgate.daemon.port;

import java.io.IOException;

import io.netty.channel.unix.FileDescriptor;
import io.sixgate.daemon.config.PortConfig;

/**
 * Two connected non-blocking AF_UNIX SOCK_SEQPACKET sockets: one write is one read, as with a
 * TAP device, and epoll works on them, so ingest, the worker and TX are tested without root.
 * {@link #gatewaySide()} plays the TAP descriptor; {@link #wireSide()} is the host on the link.
 */
public final class SocketPair implements AutoCloseable
{
    private final FileDescriptor gateway;
    private final FileDescriptor wire;

    private SocketPair(final FileDescriptor gateway, final FileDescriptor wire)
    {
        this.gateway = gateway;
        this.wire = wire;
    }

    public static SocketPair open()
    {
        NettyNative.ensureLoaded();
        final int[] fds = new int[2];
        LibC.INSTANCE.socketpair(LibC.AF_UNIX, LibC.SOCK_SEQPACKET | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0, fds);
        return new SocketPair(new FileDescriptor(fds[0]), new FileDescriptor(fds[1]));
    }

    public FileDescriptor gatewaySide()
    {
        return gateway;
    }

    public FileDescriptor wireSide()
    {
        return wire;
    }

    /**
     * @return the gateway side as a port device with the port's configured MAC; closing the device
     *         closes only that side.
     */
    public PortDevice device(final PortConfig port, final String description)
    {
        return new DescriptorPortDevice(gateway, port.mac(), description, () ->
        {
            if (gateway.isOpen())
            {
                gateway.close();
            }
        });
    }

    @Override
    public void close() throws IOException
    {
        if (gateway.isOpen())
        {
            gateway.close();
        }
        if (wire.isOpen())
        {
            wire.close();
        }
    }
}
