package io.sixgate.daemon.port;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.netty.channel.epoll.EpollIoHandle;
import io.sixgate.daemon.config.MacAddress;
import io.sixgate.daemon.config.PortConfig;
import io.sixgate.daemon.config.PortType;

import org.agrona.concurrent.EpochNanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches a {@code type: pcap} port to the existing interface {@code ports[].device}: a bump in
 * the wire on a NIC or a veth. The interface must exist (sixgate creates nothing); it is brought
 * up when it is down, its MTU must be at least the port's {@code mtu} (it is not changed: it is
 * the host's interface), and it must be Ethernet. Then {@link PcapCapture} opens it.
 *
 * <p>The gateway's MAC on the port is {@code ports[].mac} when the file gives one, and otherwise
 * the interface's own MAC (not the name-derived one a TAP port gets). Reason: the interface is
 * the gateway's end of the link, so its MAC is what the switch has learnt and what the NIC
 * filters for; a second MAC works too (the capture is promiscuous) but makes one port answer
 * for two stations. With the interface's MAC the host's own stack must stay off the interface
 * (no addresses, IPv6 disabled on it), or host and gateway answer the same frames; sixgate warns
 * when IPv6 is on there.
 *
 * <p>With several workers the one capture is read on one event loop and its frames are steered
 * to the workers; worker 0 injects with {@code pcap_inject} on the capture handle, every other
 * worker with a send-only packet socket of its own ({@link PacketInjector}), so no libpcap handle
 * is used by two workers.
 */
public final class PcapPorts
{
    /** Ethernet header plus one VLAN tag: a port's snaplen is its MTU plus this; RunChecks makes sure it fits a slot. */
    public static final int FRAME_OVERHEAD = 14 + 4;

    private static final Logger LOG = LoggerFactory.getLogger(PcapPorts.class);

    private PcapPorts()
    {
    }

    /**
     * @throws PortOpenException {@code port NAME: ...} when the interface cannot be captured on.
     */
    public static PortDevice open(final PortConfig port) throws PortOpenException
    {
        return open(port, 1);
    }

    /**
     * @param workers how many workers inject on the port: worker 0 through the capture, each
     *                other one through its own {@link PacketInjector}.
     * @throws PortOpenException {@code port NAME: ...} when the interface cannot be captured on.
     */
    public static PortDevice open(final PortConfig port, final int workers) throws PortOpenException
    {
        if (port.type() != PortType.PCAP)
        {
            throw new PortOpenException("port " + port.name() + ": type " + port.type().label() + " is not a pcap port");
        }
        final String device = port.device();
        try
        {
            if (LibC.INSTANCE.if_nametoindex(device) == 0)
            {
                throw new PortOpenException(PcapCapture.noSuchInterface(device));
            }
            final int mtu = LinkControl.mtu(device);
            if (mtu < port.mtu())
            {
                throw new PortOpenException(mtuTooSmall(device, mtu, port.mtu()));
            }
            final MacAddress mac = port.macConfigured() ? port.mac() : new MacAddress(LinkControl.hardwareAddress(device));
            final boolean wasUp = LinkControl.isUp(device);
            if (!wasUp)
            {
                // A packet socket bound to a down interface fails activation (PCAP_ERROR_IFACE_NOT_UP).
                LinkControl.setUp(device);
            }
            final PcapCapture capture = PcapCapture.open(device, port.mtu() + FRAME_OVERHEAD);
            if (!port.macConfigured() && hostIpv6On(device))
            {
                LOG.warn("port {}: the host's IPv6 stack is on for {}, which shares its MAC with the gateway: both"
                    + " answer Neighbor Solicitations for its link-local address; keep the host off it"
                    + " (sysctl -w net.ipv6.conf.{}.disable_ipv6=1) or give the port another mac",
                    port.name(), device, device);
            }
            final PacketInjector[] injectors = new PacketInjector[workers - 1];
            try
            {
                for (int i = 0; i < injectors.length; i++)
                {
                    injectors[i] = PacketInjector.open(device);
                }
            }
            catch (final PortOpenException ex)
            {
                capture.close();
                closeAll(injectors);
                throw ex;
            }
            return new Device(capture, injectors, mac, describe(capture, wasUp, mtu, port.macConfigured())
                + (workers > 1 ? "; workers 1-" + (workers - 1) + " inject through packet sockets of their own" : ""));
        }
        catch (final PortOpenException ex)
        {
            throw new PortOpenException("port " + port.name() + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * The one line for an interface whose MTU is below the port's.
     */
    static String mtuTooSmall(final String device, final int deviceMtu, final int portMtu)
    {
        return "interface " + device + " has MTU " + deviceMtu + ", less than the port's mtu " + portMtu
            + ": the gateway would send frames it cannot carry; lower ports[].mtu or raise the interface's"
            + " (ip link set " + device + " mtu " + portMtu + ")";
    }

    private static String describe(
        final PcapCapture capture, final boolean wasUp, final int mtu, final boolean macConfigured)
    {
        return "capturing on interface " + capture.device() + " with " + PcapCapture.libraryVersion()
            + " (promiscuous, immediate, " + (capture.inboundOnly() ? "inbound only"
                : "both directions: pcap_setdirection failed: " + capture.directionProblem()
                    + "; frames from the port's MAC dropped as ingest/own-source-mac")
            + ", snaplen " + capture.snaplen() + ")"
            + (capture.activationWarning() != null ? " [" + capture.activationWarning() + "]" : "")
            + ", interface mtu " + mtu + (wasUp ? "" : ", brought up")
            + (macConfigured ? "" : "; mac: the interface's own");
    }

    private static boolean hostIpv6On(final String device)
    {
        final Path disabled = Path.of("/proc/sys/net/ipv6/conf", device, "disable_ipv6");
        try
        {
            return Files.exists(disabled) && "0".equals(Files.readString(disabled).trim());
        }
        catch (final IOException ex)
        {
            return false;
        }
    }

    private static void closeAll(final PacketInjector[] injectors)
    {
        for (final PacketInjector injector : injectors)
        {
            if (injector != null)
            {
                injector.close();
            }
        }
    }

    /** An opened pcap port. */
    private static final class Device implements PortDevice
    {
        private final PcapCapture capture;
        private final PacketInjector[] injectors;
        private final MacAddress mac;
        private final String description;

        Device(final PcapCapture capture, final PacketInjector[] injectors, final MacAddress mac,
            final String description)
        {
            this.capture = capture;
            this.injectors = injectors;
            this.mac = mac;
            this.description = description;
        }

        @Override
        public EpollIoHandle ingest(
            final int queue, final IngestDispatch dispatch, final PortCounters counters, final EpochNanoClock clock)
        {
            return new PcapIngest(capture, mac.value(), dispatch, counters, clock);
        }

        @Override
        public FrameWriter writer(final int worker)
        {
            return worker == 0 ? new PcapFrameWriter(capture) : injectors[worker - 1];
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
        public void close()
        {
            closeAll(injectors);
            capture.close();
        }
    }
}
