package io.sixgate.daemon.port;

import java.io.Closeable;
import java.io.IOException;

import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.unix.FileDescriptor;
import io.sixgate.daemon.config.MacAddress;

import org.agrona.concurrent.EpochNanoClock;

/**
 * A port on a non-blocking descriptor that reads and writes one whole frame per call: a TAP
 * device, or a socket pair in tests. Read by {@link PortIngest}, written by
 * {@link DescriptorFrameWriter}, both with Netty's {@code readAddress}/{@code writeAddress}.
 */
public final class DescriptorPortDevice implements PortDevice
{
    private final FileDescriptor fd;
    private final MacAddress mac;
    private final String description;
    private final Closeable owner;

    /**
     * @param fd          the non-blocking descriptor.
     * @param mac         the gateway's MAC on the port.
     * @param description what was opened, for the log.
     * @param owner       closes the descriptor (and what it belongs to) when the port closes.
     */
    public DescriptorPortDevice(
        final FileDescriptor fd, final MacAddress mac, final String description, final Closeable owner)
    {
        this.fd = fd;
        this.mac = mac;
        this.description = description;
        this.owner = owner;
    }

    @Override
    public EpollIoHandle ingest(
        final int portId, final IngestRing ring, final PortCounters counters, final EpochNanoClock clock)
    {
        return new PortIngest(portId, fd, ring, counters, clock);
    }

    @Override
    public FrameWriter writer()
    {
        return new DescriptorFrameWriter(fd);
    }

    @Override
    public MacAddress mac()
    {
        return mac;
    }

    @Override
    public String describe()
    {
        return description;
    }

    @Override
    public void close() throws IOException
    {
        owner.close();
    }
}
