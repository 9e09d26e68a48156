package io.sixgate.daemon.port;

import java.io.IOException;

import io.sixgate.core.frame.Offload;
import io.sixgate.daemon.config.FramePoolConfig;
import io.sixgate.daemon.config.PortConfig;
import io.sixgate.daemon.config.PortType;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Attaches a {@code type: tap} port: creates or opens the TAP device {@code ports[].device},
 * sets its transmit queue length (the frames the kernel holds for sixgate to read) to
 * {@code ports[].queue-length} and its MTU to {@code ports[].mtu}, and brings it up. The TAP device's own MAC (the kernel
 * side of the link) is left as it is: {@code ports[].mac} is the gateway's end of that link,
 * the source of the frames the gateway sends and the address hosts send to.
 */
public final class TapPorts
{
    private static final Logger LOG = LoggerFactory.getLogger(TapPorts.class);

    private TapPorts()
    {
    }

    /**
     * @throws PortOpenException {@code port NAME: ...} when the device cannot be opened or configured.
     */
    public static PortDevice open(final PortConfig port) throws PortOpenException
    {
        return open(port, 1);
    }

    /**
     * @param workers how many workers: a multi-queue TAP device with one queue each when more than one.
     * @throws PortOpenException {@code port NAME: ...} when the device cannot be opened or configured.
     */
    public static PortDevice open(final PortConfig port, final int workers) throws PortOpenException
    {
        return open(port, workers, FramePoolConfig.DEFAULT.maxFrameLength());
    }

    /**
     * With {@code ports[].offload}, the device reads and writes a virtio-net header before each
     * frame and takes partial checksums and TCP super-packets: any when {@code frameRoom} holds
     * 64 KiB, else of as many segments as fit ({@link GsoLimits}), at least two; without {@code ip}
     * to set that limit it takes partial checksums only (logged).
     *
     * @param workers   how many workers: a multi-queue TAP device with one queue each when more than one.
     * @param frameRoom bytes a frame may take in a frame-pool slot: bounds a super-packet.
     * @throws PortOpenException {@code port NAME: ...} when the device cannot be opened or configured.
     */
    public static PortDevice open(final PortConfig port, final int workers, final int frameRoom)
        throws PortOpenException
    {
        if (port.type() != PortType.TAP)
        {
            throw new PortOpenException("port " + port.name() + ": type " + port.type().label() + " is not a TAP port");
        }
        final TapDevice tap;
        try
        {
            tap = TapDevice.open(port.device(), workers, port.offload());
        }
        catch (final PortOpenException ex)
        {
            throw new PortOpenException("port " + port.name() + ": " + ex.getMessage(), ex);
        }
        String offloads = "";
        final KernelQueueDrops kernelDrops;
        try
        {
            LinkControl.setTxQueueLength(tap.name(), port.queueLength());
            LinkControl.configure(tap.name(), port.mtu());
            if (port.offload())
            {
                offloads = enableOffloads(tap, port, frameRoom);
            }
            kernelDrops = KernelQueueDrops.open(tap.name());
        }
        catch (final PortOpenException ex)
        {
            closeQuietly(tap);
            throw new PortOpenException("port " + port.name() + ": " + ex.getMessage(), ex);
        }
        return new DescriptorPortDevice(tap.fds(), port.mac(),
            (tap.created() ? "created TAP device " : "attached to TAP device ") + tap.name()
                + (workers > 1 ? " (multi-queue, " + workers + " queues)" : "") + ", mtu " + port.mtu()
                + ", queue " + port.queueLength() + " frames"
                + offloads + ", up" + (tap.created() ? " (it goes away when sixgate stops)" : ""),
            () ->
            {
                kernelDrops.close();
                tap.close();
            }, port.offload() ? Offload.HEADER_LENGTH : 0, kernelDrops);
    }

    private static String enableOffloads(final TapDevice tap, final PortConfig port, final int frameRoom)
        throws PortOpenException
    {
        final int tso = TapDevice.TUN_F_CSUM | TapDevice.TUN_F_TSO4 | TapDevice.TUN_F_TSO6 | TapDevice.TUN_F_TSO_ECN;
        if (GsoLimits.unlimited(frameRoom))
        {
            tap.enableOffloads(tso);
            return ", offload checksum and TSO";
        }
        final int segments = GsoLimits.segments(frameRoom, port.mtu());
        if (segments > 0)
        {
            try
            {
                GsoLimits.apply(tap.name(), segments, GsoLimits.maxSize(segments, port.mtu()));
                tap.enableOffloads(tso);
                return ", offload checksum and TSO (super-packets of up to " + segments + " segments)";
            }
            catch (final PortOpenException ex)
            {
                LOG.warn("port {}: no TCP super-packets: {}; taking partial checksums only", port.name(),
                    ex.getMessage());
            }
        }
        tap.enableOffloads(TapDevice.TUN_F_CSUM);
        return ", offload checksum only (a frame-pool slot of " + frameRoom + " bytes holds no super-packet)";
    }

    private static void closeQuietly(final TapDevice tap)
    {
        try
        {
            tap.close();
        }
        catch (final IOException ignore)
        {
            // Already failing; the first error is the one to report.
        }
    }
}
