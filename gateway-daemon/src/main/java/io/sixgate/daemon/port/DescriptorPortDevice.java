package io.sixgate.daemon.port;

import java.io.Closeable;
import java.io.IOException;

import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.unix.FileDescriptor;
import io.sixgate.daemon.config.MacAddress;

import org.agrona.concurrent.EpochNanoClock;

/**
 * A port on non-blocking descriptors that read and write one whole frame per call: a TAP device
 * (one descriptor per queue of a multi-queue TAP), or a socket pair in tests. Each queue is read
 * by a {@link PortIngest}; worker N writes with a {@link DescriptorFrameWriter} on queue N (on the
 * one descriptor when there is one queue: a write of one frame is one system call, so workers
 * sharing a descriptor do not interleave), all with Netty's {@code readAddress}/{@code writeAddress}.
 */
public final class DescriptorPortDevice implements PortDevice
{
    private final FileDescriptor[] fds;
    private final MacAddress mac;
    private final String description;
    private final Closeable owner;
    private final int virtioHeaderLength;
    private final KernelQueueDrops kernelDrops;

    /**
     * @param fd          the non-blocking descriptor.
     * @param mac         the gateway's MAC on the port.
     * @param description what was opened, for the log.
     * @param owner       closes the descriptor (and what it belongs to) when the port closes.
     */
    public DescriptorPortDevice(
        final FileDescriptor fd, final MacAddress mac, final String description, final Closeable owner)
    {
        this(new FileDescriptor[]{fd}, mac, description, owner);
    }

    /**
     * @param fds         the non-blocking descriptors, one per queue.
     * @param mac         the gateway's MAC on the port.
     * @param description what was opened, for the log.
     * @param owner       closes the descriptors (and what they belong to) when the port closes.
     */
    public DescriptorPortDevice(
        final FileDescriptor[] fds, final MacAddress mac, final String description, final Closeable owner)
    {
        this(fds, mac, description, owner, 0);
    }

    /**
     * @param fds                the non-blocking descriptors, one per queue.
     * @param mac                the gateway's MAC on the port.
     * @param description        what was opened, for the log.
     * @param owner              closes the descriptors (and what they belong to) when the port closes.
     * @param virtioHeaderLength bytes of virtio-net header before each frame (a TAP with offload), or 0.
     */
    public DescriptorPortDevice(
        final FileDescriptor[] fds, final MacAddress mac, final String description, final Closeable owner,
        final int virtioHeaderLength)
    {
        this(fds, mac, description, owner, virtioHeaderLength, null);
    }

    /**
     * @param kernelDrops the device's kernel-side drops (a TAP), counted by queue 0's reader; null for none.
     *                    {@code owner} closes it.
     */
    DescriptorPortDevice(
        final FileDescriptor[] fds, final MacAddress mac, final String description, final Closeable owner,
        final int virtioHeaderLength, final KernelQueueDrops kernelDrops)
    {
        this.kernelDrops = kernelDrops;
        this.fds = fds.clone();
        this.mac = mac;
        this.description = description;
        this.owner = owner;
        this.virtioHeaderLength = virtioHeaderLength;
    }

    @Override
    public int virtioHeaderLength()
    {
        return virtioHeaderLength;
    }

    @Override
    public int queues()
    {
        return fds.length;
    }

    @Override
    public EpollIoHandle ingest(
        final int queue, final IngestDispatch dispatch, final PortCounters counters, final EpochNanoClock clock)
    {
        return new PortIngest(fds[queue], dispatch, counters, clock, virtioHeaderLength, queue == 0 ? kernelDrops : null);
    }

    @Override
    public FrameWriter writer(final int worker)
    {
        final FileDescriptor fd = fds[worker % fds.length];
        return virtioHeaderLength == 0 ? new DescriptorFrameWriter(fd) : new VirtioFrameWriter(fd);
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
