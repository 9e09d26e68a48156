package io.sixgate.daemon.port;

import java.io.IOException;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;

import io.netty.channel.unix.FileDescriptor;

/**
 * A TAP device opened through {@code /dev/net/tun}: non-blocking, Ethernet frames without the
 * packet-information prefix (IFF_TAP | IFF_NO_PI). Opening creates the device when no interface
 * has the name yet, and attaches to it when a TAP of that name exists (one made persistent with
 * {@code ip tuntap add}). A device this process created lives as long as its descriptor: the
 * kernel deletes it on {@link #close()}; an attached one stays.
 *
 * <p>Single queue: IFF_MULTI_QUEUE is for when several workers read one device, which this build
 * does not do. Reads and writes go through Netty's {@link FileDescriptor} ({@code readAddress},
 * {@code writeAddress}), which report EAGAIN as 0 rather than throwing.
 */
public final class TapDevice implements AutoCloseable
{
    static final String TUN_PATH = "/dev/net/tun";

    /** {@code _IOW('T', 202, int)}. */
    static final long TUNSETIFF = 0x400454CAL;
    static final int IFF_TAP = 0x0002;
    static final int IFF_NO_PI = 0x1000;
    static final int IFF_MULTI_QUEUE = 0x0100;

    private final String name;
    private final boolean created;
    private final FileDescriptor fd;

    private TapDevice(final String name, final boolean created, final FileDescriptor fd)
    {
        this.name = name;
        this.created = created;
        this.fd = fd;
    }

    /**
     * Creates the TAP device {@code name} or attaches to the existing one.
     *
     * @throws PortOpenException with a one-line reason: no permission, no tun driver, the device
     *                           is busy or is not a TAP.
     */
    public static TapDevice open(final String name) throws PortOpenException
    {
        NettyNative.ensureLoaded();
        final byte[] ifreq = Ifreq.named(name);
        final boolean existed = LibC.INSTANCE.if_nametoindex(name) != 0;
        final int fd;
        try
        {
            fd = LibC.INSTANCE.open(TUN_PATH, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        }
        catch (final LastErrorException ex)
        {
            throw new PortOpenException(openFailure(ex.getErrorCode(), LibC.describe(ex)), ex);
        }
        try
        {
            Ifreq.flags(ifreq, IFF_TAP | IFF_NO_PI);
            LibC.INSTANCE.ioctl(fd, new NativeLong(TUNSETIFF), ifreq);
        }
        catch (final LastErrorException ex)
        {
            closeQuietly(fd);
            throw new PortOpenException(attachFailure(name, existed, ex.getErrorCode(), LibC.describe(ex)), ex);
        }
        return new TapDevice(Ifreq.name(ifreq), !existed, new FileDescriptor(fd));
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
        final String what = (existed ? "cannot attach to TAP device " : "cannot create TAP device ") + name + ": " + error;
        switch (errno)
        {
            case LibC.EPERM:
            case LibC.EACCES:
                return what + " (run as root, or with CAP_NET_ADMIN)";
            case LibC.EBUSY:
                return what + " (another process has it open)";
            case LibC.EINVAL:
                return existed
                    ? what + " (an interface of that name exists and is not a single-queue TAP device;"
                        + " pick another ports[].device or delete it)"
                    : what;
            default:
                return what;
        }
    }

    private static void closeQuietly(final int fd)
    {
        try
        {
            LibC.INSTANCE.close(fd);
        }
        catch (final LastErrorException ignore)
        {
            // Nothing to do: the descriptor is gone either way.
        }
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
     * @return the non-blocking descriptor, for {@code readAddress}/{@code writeAddress} and epoll.
     */
    public FileDescriptor fd()
    {
        return fd;
    }

    /**
     * Closes the descriptor. A device this process created disappears; an attached one stays.
     */
    @Override
    public void close() throws IOException
    {
        if (fd.isOpen())
        {
            fd.close();
        }
    }

    @Override
    public String toString()
    {
        return "TapDevice{" + name + ", fd=" + fd.intValue() + (created ? ", created" : ", attached") + "}";
    }
}
