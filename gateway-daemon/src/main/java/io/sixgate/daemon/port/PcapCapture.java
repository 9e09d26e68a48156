package io.sixgate.daemon.port;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;

import io.netty.channel.unix.FileDescriptor;

/**
 * A live libpcap capture on an existing interface, set up for a gateway port: promiscuous (a
 * bump in the wire sees frames for other MACs, and for the gateway's MAC when it is not the
 * interface's), immediate mode (each frame is handed over as it arrives, not per filled
 * block), inbound only ({@code pcap_setdirection(PCAP_D_IN)}: the gateway never reads back the
 * frames it injects, nor what the host stack sends), non-blocking, with the descriptor
 * {@code pcap_get_selectable_fd} gives for epoll.
 *
 * <p>One handle serves both directions: {@link PcapIngest} reads it on the event loop, and
 * {@link PcapFrameWriter} injects on the worker. libpcap does not promise that a {@code pcap_t}
 * may be used by two threads at once; on Linux {@code pcap_inject} is a {@code send(2)} on the
 * packet socket that reads only fields fixed at activation, and the read side owns the capture
 * ring, so the two share nothing but the error text (a concurrent failure on both sides could
 * garble that log line, nothing else). A second handle for injection would double the kernel's
 * copies of every received frame. With several workers only worker 0 injects through this
 * handle; the others have send-only packet sockets ({@link PacketInjector}).
 */
public final class PcapCapture implements AutoCloseable
{
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;

    private final String device;
    private final Pointer pcap;
    private final long address;
    private final FileDescriptor selectableFd;
    private final int snaplen;
    private final String directionProblem;
    private final String activationWarning;
    private boolean closed;

    private PcapCapture(
        final String device,
        final Pointer pcap,
        final int selectableFd,
        final int snaplen,
        final String directionProblem,
        final String activationWarning)
    {
        this.device = device;
        this.pcap = pcap;
        this.address = Pointer.nativeValue(pcap);
        this.selectableFd = new FileDescriptor(selectableFd);
        this.snaplen = snaplen;
        this.directionProblem = directionProblem;
        this.activationWarning = activationWarning;
    }

    /**
     * Opens and activates the capture on {@code device}.
     *
     * @param snaplen the longest frame captured whole; longer ones arrive cut (caplen &lt; len).
     * @throws PortOpenException one line: no such interface, no permission, not Ethernet, or what libpcap said.
     */
    public static PcapCapture open(final String device, final int snaplen) throws PortOpenException
    {
        NettyNative.ensureLoaded();
        if (LibC.INSTANCE.if_nametoindex(device) == 0)
        {
            throw new PortOpenException(noSuchInterface(device));
        }
        final LibPcap pcap = LibPcap.INSTANCE;
        PcapDirect.bind();
        final byte[] errbuf = new byte[LibPcap.PCAP_ERRBUF_SIZE];
        final Pointer handle = pcap.pcap_create(device, errbuf);
        if (handle == null)
        {
            throw new PortOpenException("cannot capture on " + device + ": " + LibPcap.text(errbuf));
        }
        try
        {
            pcap.pcap_set_snaplen(handle, snaplen);
            pcap.pcap_set_promisc(handle, 1);
            pcap.pcap_set_immediate_mode(handle, 1);
            final int status = pcap.pcap_activate(handle);
            if (status < 0)
            {
                final String text = status == LibPcap.PCAP_ERROR ? pcap.pcap_geterr(handle) : describe(handle, status);
                throw new PortOpenException(activationFailure(device, status, text));
            }
            final String warning = status > 0 ? describe(handle, status) : null;
            final int linkType = pcap.pcap_datalink(handle);
            if (linkType != LibPcap.DLT_EN10MB)
            {
                throw new PortOpenException(notEthernet(device, linkType));
            }
            final String directionProblem = pcap.pcap_setdirection(handle, LibPcap.PCAP_D_IN) == 0
                ? null : pcap.pcap_geterr(handle);
            if (pcap.pcap_setnonblock(handle, 1, errbuf) != 0)
            {
                throw new PortOpenException("cannot capture on " + device + ": non-blocking mode: " + LibPcap.text(errbuf));
            }
            final int fd = pcap.pcap_get_selectable_fd(handle);
            if (fd < 0)
            {
                throw new PortOpenException("cannot capture on " + device + ": libpcap gives no descriptor to wait on");
            }
            nonBlocking(device, fd);
            return new PcapCapture(device, handle, fd, snaplen, directionProblem, warning);
        }
        catch (final PortOpenException | RuntimeException ex)
        {
            pcap.pcap_close(handle);
            throw ex;
        }
    }

    /**
     * Makes sure the packet socket itself is non-blocking, so that {@code pcap_inject} fails with
     * EAGAIN rather than waiting when the socket's send buffer is full (libpcap sets O_NONBLOCK in
     * {@code pcap_setnonblock} on Linux since 1.9; this covers the versions that did not).
     */
    private static void nonBlocking(final String device, final int fd) throws PortOpenException
    {
        try
        {
            final int flags = LibC.INSTANCE.fcntl(fd, F_GETFL, 0);
            if ((flags & LibC.O_NONBLOCK) == 0)
            {
                LibC.INSTANCE.fcntl(fd, F_SETFL, flags | LibC.O_NONBLOCK);
            }
        }
        catch (final LastErrorException ex)
        {
            throw new PortOpenException("cannot capture on " + device + ": non-blocking mode: " + LibC.describe(ex), ex);
        }
    }

    private static String describe(final Pointer handle, final int status)
    {
        final String text = LibPcap.INSTANCE.pcap_geterr(handle);
        final String name = LibPcap.INSTANCE.pcap_statustostr(status);
        return text == null || text.isEmpty() ? name : name + ": " + text;
    }

    /**
     * The one line for an interface that does not exist in this network namespace.
     */
    static String noSuchInterface(final String device)
    {
        return "no interface named \"" + device + "\" (pcap)";
    }

    /**
     * The one line for a failed {@code pcap_activate}, with what to do about it.
     */
    static String activationFailure(final String device, final int status, final String text)
    {
        switch (status)
        {
            case LibPcap.PCAP_ERROR_NO_SUCH_DEVICE:
                return noSuchInterface(device);
            case LibPcap.PCAP_ERROR_PERM_DENIED:
            case LibPcap.PCAP_ERROR_PROMISC_PERM_DENIED:
                // libpcap's text says it already: "You don't have permission to perform this capture...".
                return "cannot capture on " + device + ": " + text + " (run as root, or with CAP_NET_RAW)";
            case LibPcap.PCAP_ERROR_IFACE_NOT_UP:
                return "cannot capture on " + device + ": the interface is down (ip link set " + device + " up)";
            default:
                return "cannot capture on " + device + ": " + text;
        }
    }

    /**
     * The one line for an interface whose frames are not Ethernet (a TUN device, a cooked capture).
     */
    static String notEthernet(final String device, final int linkType)
    {
        return "cannot use " + device + " as a pcap port: its link type is DLT " + linkType
            + ", and ports carry Ethernet frames (DLT_EN10MB)";
    }

    /**
     * @return the {@code pcap_t} address, for the {@link PcapDirect} calls.
     */
    long address()
    {
        return address;
    }

    /**
     * @return the packet socket, for epoll to wait on; libpcap owns it (closed by {@link #close()}).
     */
    public FileDescriptor selectableFd()
    {
        return selectableFd;
    }

    public String device()
    {
        return device;
    }

    public int snaplen()
    {
        return snaplen;
    }

    /**
     * @return whether the capture holds only received frames; when not, {@link PcapIngest} drops frames
     *         from the port's own MAC ({@code ingest/own-source-mac}) so the gateway never reads its own.
     */
    public boolean inboundOnly()
    {
        return directionProblem == null;
    }

    /**
     * @return why {@code pcap_setdirection(PCAP_D_IN)} failed, or {@code null}.
     */
    public String directionProblem()
    {
        return directionProblem;
    }

    /**
     * @return what {@code pcap_activate} warned about (promiscuous mode not supported...), or {@code null}.
     */
    public String activationWarning()
    {
        return activationWarning;
    }

    /**
     * @return the current error text of the handle; allocates, for logs only.
     */
    String lastError()
    {
        return closed ? "capture closed" : LibPcap.INSTANCE.pcap_geterr(pcap);
    }

    /**
     * @return the libpcap version line, e.g. {@code libpcap version 1.10.3 (with TPACKET_V3)}.
     */
    public static String libraryVersion()
    {
        return LibPcap.INSTANCE.pcap_lib_version();
    }

    /**
     * Closes the capture and its descriptor. Only after the event loop and the worker stopped using it.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            LibPcap.INSTANCE.pcap_close(pcap);
        }
    }

    @Override
    public String toString()
    {
        return "PcapCapture{" + device + ", fd=" + selectableFd.intValue() + ", snaplen=" + snaplen + "}";
    }
}
