package io.sixgate.daemon.port;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;

/**
 * Sets an interface's MTU and transmit queue length and brings it up with the interface ioctls
 * on a datagram socket (SIOCSIFMTU, SIOCSIFTXQLEN, SIOCGIFFLAGS/SIOCSIFFLAGS), as
 * {@code ip link set DEV mtu N txqueuelen Q up} does through netlink. Chosen over running {@code ip}: no child process, no dependency on iproute2 being
 * installed, and the errno comes back to say what failed. Acts in the network namespace of the
 * calling process.
 */
public final class LinkControl
{
    static final long SIOCGIFFLAGS = 0x8913L;
    static final long SIOCSIFFLAGS = 0x8914L;
    static final long SIOCGIFMTU = 0x8921L;
    static final long SIOCSIFMTU = 0x8922L;
    static final long SIOCGIFHWADDR = 0x8927L;
    static final long SIOCGIFTXQLEN = 0x8942L;
    static final long SIOCSIFTXQLEN = 0x8943L;
    /** {@code ARPHRD_ETHER}: the hardware address family of an Ethernet interface. */
    static final int ARPHRD_ETHER = 1;
    /** {@code ifr_hwaddr} is a {@code struct sockaddr}: {@code sa_family} (a short, where the flags are), then the bytes. */
    private static final int HWADDR_DATA_OFFSET = Ifreq.UNION_OFFSET + 2;
    static final int IFF_UP = 0x1;

    private LinkControl()
    {
    }

    /**
     * Sets the MTU, then the UP flag, of interface {@code name}.
     *
     * @throws PortOpenException when either ioctl fails; the message names the step.
     */
    public static void configure(final String name, final int mtu) throws PortOpenException
    {
        setMtu(name, mtu);
        setUp(name);
    }

    /**
     * Sets the interface's MTU (SIOCSIFMTU).
     */
    public static void setMtu(final String name, final int mtu) throws PortOpenException
    {
        final byte[] ifreq = Ifreq.named(name);
        Ifreq.mtu(ifreq, mtu);
        ioctl(name, SIOCSIFMTU, ifreq, "cannot set the MTU of " + name + " to " + mtu);
    }

    /**
     * Sets the interface's transmit queue length (SIOCSIFTXQLEN). For a TAP device that is the
     * ring of frames the kernel holds for the reader (tun resizes it on the change): what it
     * drops when the ring is full counts as the device's {@code tx_dropped}.
     */
    public static void setTxQueueLength(final String name, final int queueLength) throws PortOpenException
    {
        final byte[] ifreq = Ifreq.named(name);
        Ifreq.queueLength(ifreq, queueLength);
        ioctl(name, SIOCSIFTXQLEN, ifreq, "cannot set the transmit queue length of " + name + " to " + queueLength);
    }

    /**
     * @return the interface's transmit queue length (SIOCGIFTXQLEN).
     */
    public static int txQueueLength(final String name) throws PortOpenException
    {
        return Ifreq.queueLength(ioctl(name, SIOCGIFTXQLEN, Ifreq.named(name),
            "cannot read the transmit queue length of " + name));
    }

    /**
     * Adds the UP flag to the interface's flags (SIOCGIFFLAGS, then SIOCSIFFLAGS).
     */
    public static void setUp(final String name) throws PortOpenException
    {
        final byte[] flags = ioctl(name, SIOCGIFFLAGS, Ifreq.named(name), "cannot read the flags of " + name);
        Ifreq.flags(flags, Ifreq.flags(flags) | IFF_UP);
        ioctl(name, SIOCSIFFLAGS, flags, "cannot bring " + name + " up");
    }

    /**
     * @return the interface's MTU.
     */
    public static int mtu(final String name) throws PortOpenException
    {
        return Ifreq.mtu(ioctl(name, SIOCGIFMTU, Ifreq.named(name), "cannot read the MTU of " + name));
    }

    /**
     * @return whether the interface has the UP flag.
     */
    public static boolean isUp(final String name) throws PortOpenException
    {
        return (Ifreq.flags(ioctl(name, SIOCGIFFLAGS, Ifreq.named(name), "cannot read the flags of " + name))
            & IFF_UP) != 0;
    }

    /**
     * @return the interface's MAC (SIOCGIFHWADDR), as a 48-bit value.
     * @throws PortOpenException when the ioctl fails or the interface has no Ethernet address.
     */
    public static long hardwareAddress(final String name) throws PortOpenException
    {
        final byte[] ifreq = ioctl(name, SIOCGIFHWADDR, Ifreq.named(name), "cannot read the MAC of " + name);
        final int family = Ifreq.flags(ifreq) & 0xFFFF;
        if (family != ARPHRD_ETHER)
        {
            throw new PortOpenException(name + " has no Ethernet address (hardware type " + family
                + ", not ARPHRD_ETHER)");
        }
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = (mac << 8) | (ifreq[HWADDR_DATA_OFFSET + i] & 0xFF);
        }
        return mac;
    }

    /**
     * One interface ioctl on a control socket of its own.
     *
     * @return {@code ifreq}, as the kernel left it.
     */
    private static byte[] ioctl(final String name, final long request, final byte[] ifreq, final String what)
        throws PortOpenException
    {
        final int socket = socket(name);
        try
        {
            ioctl(socket, request, ifreq, what);
            return ifreq;
        }
        finally
        {
            close(socket);
        }
    }

    private static int socket(final String name) throws PortOpenException
    {
        try
        {
            return LibC.INSTANCE.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        }
        catch (final LastErrorException ex)
        {
            throw new PortOpenException("cannot configure " + name + ": no control socket: " + LibC.describe(ex), ex);
        }
    }

    private static void ioctl(
        final int socket, final long request, final byte[] ifreq, final String what)
        throws PortOpenException
    {
        try
        {
            LibC.INSTANCE.ioctl(socket, new NativeLong(request), ifreq);
        }
        catch (final LastErrorException ex)
        {
            final int errno = ex.getErrorCode();
            final String hint = errno == LibC.EPERM || errno == LibC.EACCES ? " (run as root, or with CAP_NET_ADMIN)" : "";
            throw new PortOpenException(what + ": " + LibC.describe(ex) + hint, ex);
        }
    }

    private static void close(final int socket)
    {
        try
        {
            LibC.INSTANCE.close(socket);
        }
        catch (final LastErrorException ignore)
        {
            // The socket is gone either way.
        }
    }
}
