package io.sixgate.daemon.port;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;

import io.netty.channel.unix.FileDescriptor;
import io.sixgate.core.frame.Offload;

/**
 * A TAP device opened through {@code /dev/net/tun}: non-blocking, Ethernet frames without the
 * packet-information prefix (IFF_TAP | IFF_NO_PI). Opening creates the device when no interface
 * has the name yet, and attaches to it when a TAP of that name exists (one made persistent with
 * {@code ip tuntap add}). A device this process created lives as long as its descriptor: the
 * kernel deletes it on {@link #close()}; an attached one stays.
 *
 * <p>One queue for one worker. For several workers the device is multi-queue (IFF_MULTI_QUEUE):
 * {@code /dev/net/tun} is opened once per queue and each descriptor attached with TUNSETIFF to
 * the same name; the kernel spreads what it sends the device over the queues by flow, and a
 * frame written to any queue enters the kernel the same way. A persistent device made with
 * {@code ip tuntap add} must be multi-queue too ({@code ... multi_queue}). Reads and writes go
 * through Netty's {@link FileDescriptor} ({@code readAddress}, {@code writeAddress}), which report
 * EAGAIN as 0 rather than throwing.
 */
public final class TapDevice implements AutoCloseable
{
    static final String TUN_PATH = "/dev/net/tun";

    /** {@code _IOW('T', 202, int)}. */
    static final long TUNSETIFF = 0x400454CAL;
    static final int IFF_TAP = 0x0002;
    static final int IFF_NO_PI = 0x1000;
    static final int IFF_MULTI_QUEUE = 0x0100;
    static final int IFF_VNET_HDR = 0x4000;
    /** {@code _IOW('T', 216, int)}: bytes of virtio-net header in front of each frame. */
    static final long TUNSETVNETHDRSZ = 0x400454D8L;
    /** {@code _IOW('T', 208, unsigned int)}: which offloads the reader takes (the device's features). */
    static final long TUNSETOFFLOAD = 0x400454D0L;
    static final int TUN_F_CSUM = 0x01;
    static final int TUN_F_TSO4 = 0x02;
    static final int TUN_F_TSO6 = 0x04;
    static final int TUN_F_TSO_ECN = 0x08;

    private final String name;
    private final boolean created;
    private final FileDescriptor[] fds;
    private final boolean virtioHeader;

    private TapDevice(final String name, final boolean created, final FileDescriptor[] fds, final boolean virtioHeader)
    {
        this.name = name;
        this.created = created;
        this.fds = fds;
        this.virtioHeader = virtioHeader;
    }

    /**
     * Creates the single-queue TAP device {@code name} or attaches to the existing one.
     *
     * @throws PortOpenException with a one-line reason: no permission, no tun driver, the device
     *                           is busy or is not a TAP.
     */
    public static TapDevice open(final String name) throws PortOpenException
    {
        return open(name, 1);
    }

    /**
     * Creates the TAP device {@code name} or attaches to the existing one, with {@code queues}
     * queues: single-queue for 1, multi-queue (IFF_MULTI_QUEUE) otherwise.
     *
     * @throws PortOpenException with a one-line reason: no permission, no tun driver, the device
     *                           is busy or is not a TAP of that kind.
     */
    public static TapDevice open(final String name, final int queues) throws PortOpenException
    {
        return open(name, queues, false);
    }

    /**
     * Creates the TAP device {@code name} or attaches to it, with {@code queues} queues and, when
     * {@code virtioHeader}, a {@link Offload#HEADER_LENGTH}-byte virtio-net
     * header in front of every frame read and written (IFF_VNET_HDR). Offloads stay off until
     * {@link #enableOffloads(int)}.
     *
     * @throws PortOpenException with a one-line reason: no permission, no tun driver, the device
     *                           is busy or is not a TAP of that kind.
     */
    public static TapDevice open(final String name, final int queues, final boolean virtioHeader)
        throws PortOpenException
    {
        NettyNative.ensureLoaded();
        final boolean existed = LibC.INSTANCE.if_nametoindex(name) != 0;
        final int flags = IFF_TAP | IFF_NO_PI | (queues > 1 ? IFF_MULTI_QUEUE : 0) | (virtioHeader ? IFF_VNET_HDR : 0);
        final int[] fds = new int[queues];
        String confirmed = name;
        for (int queue = 0; queue < queues; queue++)
        {
            final byte[] ifreq = Ifreq.named(name);
            try
            {
                fds[queue] = LibC.INSTANCE.open(TUN_PATH, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
            }
            catch (final LastErrorException ex)
            {
                closeQuietly(fds, queue);
                throw new PortOpenException(openFailure(ex.getErrorCode(), LibC.describe(ex)), ex);
            }
            try
            {
                Ifreq.flags(ifreq, flags);
                LibC.INSTANCE.ioctl(fds[queue], new NativeLong(TUNSETIFF), ifreq);
            }
            catch (final LastErrorException ex)
            {
                closeQuietly(fds, queue + 1);
                throw new PortOpenException(attachFailure(name, existed || queue > 0, queues > 1, ex.getErrorCode(),
                    LibC.describe(ex)), ex);
            }
            confirmed = Ifreq.name(ifreq);
            if (virtioHeader)
            {
                try
                {
                    // 10, struct virtio_net_hdr: num_buffers (12) serves mergeable receive buffers,
                    // which a TAP never uses; 10 bytes also put the IP header of a frame read at a
                    // 64-byte boundary on an 8-byte one (10 + 14 = 24).
                    final byte[] size = new byte[4];
                    ByteBuffer.wrap(size).order(ByteOrder.nativeOrder())
                        .putInt(0, Offload.HEADER_LENGTH);
                    LibC.INSTANCE.ioctl(fds[queue], new NativeLong(TUNSETVNETHDRSZ), size);
                }
                catch (final LastErrorException ex)
                {
                    closeQuietly(fds, queue + 1);
                    throw new PortOpenException("cannot set the virtio-net header size of TAP device " + name + ": "
                        + LibC.describe(ex), ex);
                }
            }
        }
        final FileDescriptor[] descriptors = new FileDescriptor[queues];
        for (int queue = 0; queue < queues; queue++)
        {
            descriptors[queue] = new FileDescriptor(fds[queue]);
        }
        return new TapDevice(confirmed, !existed, descriptors, virtioHeader);
    }

    /**
     * The one line for a failed {@code open("/dev/net/tun")}, with what to do about it.
     */
    static String openFailure(final int errno, final String error)
    {
        final String hint;
        switch (errno)
        {
            case LibC.EPERM:
            case LibC.EACCES:
                hint = " (run as root)";
                break;
            case LibC.ENOENT:
            case LibC.ENODEV:
            case LibC.ENXIO:
                hint = " (no TUN/TAP driver here: load it with 'modprobe tun', or give a container /dev/net/tun)";
                break;
            default:
                hint = "";
        }
        return "cannot open " + TUN_PATH + ": " + error + hint;
    }

    /**
     * The one line for a failed TUNSETIFF, which creates or attaches the device.
     */
    static String attachFailure(final String name, final boolean existed, final int errno, final String error)
    {
        return attachFailure(name, existed, false, errno, error);
    }

    /**
     * The one line for a failed TUNSETIFF of a single-queue or a multi-queue device.
     */
    static String attachFailure(
        final String name, final boolean existed, final boolean multiQueue, final int errno, final String error)
    {
        final String what = (existed ? "cannot attach to TAP device " : "cannot create TAP device ") + name + ": " + error;
        switch (errno)
        {
            case LibC.EPERM:
            case LibC.EACCES:
                return what + " (run as root, or with CAP_NET_ADMIN)";
            case LibC.EBUSY:
                return what + " (another process has it open)";
            case LibC.EINVAL:
                if (!existed)
                {
                    return what;
                }
                return multiQueue
                    ? what + " (an interface of that name exists and is not a multi-queue TAP device, which several"
                        + " workers need: create it with 'ip tuntap add dev " + name + " mode tap multi_queue',"
                        + " or pick another ports[].device, or delete it)"
                    : what + " (an interface of that name exists and is not a single-queue TAP device;"
                        + " pick another ports[].device or delete it)";
            default:
                return what;
        }
    }

    private static void closeQuietly(final int[] fds, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            try
            {
                LibC.INSTANCE.close(fds[i]);
            }
            catch (final LastErrorException ignore)
            {
                // Nothing to do: the descriptor is gone either way.
            }
        }
    }

    /**
     * Tells the kernel which offloads sixgate takes (TUNSETOFFLOAD; they become the device's
     * features): frames with a partial checksum ({@code TUN_F_CSUM}) and TCP super-packets
     * ({@code TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN}). Frames sixgate writes may carry them
     * whatever this says.
     *
     * @param offloads TUN_F_* bits.
     * @throws PortOpenException when the device was opened without the virtio-net header or refuses.
     */
    public void enableOffloads(final int offloads) throws PortOpenException
    {
        if (!virtioHeader)
        {
            throw new IllegalStateException("TAP device " + name + " has no virtio-net header");
        }
        try
        {
            LibC.INSTANCE.ioctl(fds[0].intValue(), new NativeLong(TUNSETOFFLOAD), new NativeLong(offloads));
        }
        catch (final LastErrorException ex)
        {
            throw new PortOpenException("cannot enable offloads on TAP device " + name + ": " + LibC.describe(ex), ex);
        }
    }

    /**
     * @return whether each frame read and written has a virtio-net header in front (IFF_VNET_HDR).
     */
    public boolean virtioHeader()
    {
        return virtioHeader;
    }

    /**
     * @return the device name the kernel confirmed.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return whether opening created the device (it goes away on close) rather than attached to it.
     */
    public boolean created()
    {
        return created;
    }

    /**
     * @return the non-blocking descriptor of queue 0, for {@code readAddress}/{@code writeAddress} and epoll.
     */
    public FileDescriptor fd()
    {
        return fds[0];
    }

    /**
     * @return the non-blocking descriptors, one per queue.
     */
    public FileDescriptor[] fds()
    {
        return fds.clone();
    }

    /**
     * Closes the descriptors. A device this process created disappears with the last; an attached one stays.
     */
    @Override
    public void close() throws IOException
    {
        IOException first = null;
        for (final FileDescriptor fd : fds)
        {
            try
            {
                if (fd.isOpen())
                {
                    fd.close();
                }
            }
            catch (final IOException ex)
            {
                first = first == null ? ex : first;
            }
        }
        if (first != null)
        {
            throw first;
        }
    }

    @Override
    public String toString()
    {
        return "TapDevice{" + name + ", " + fds.length + (fds.length == 1 ? " queue" : " queues") + ", fd="
            + fds[0].intValue() + (created ? ", created" : ", attached") + "}";
    }
}
