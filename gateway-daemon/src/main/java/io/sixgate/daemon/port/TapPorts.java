package io.sixgate.daemon.port;

import java.io.IOException;

import io.sixgate.daemon.config.PortConfig;
import io.sixgate.daemon.config.PortType;

/**
 * Attaches a {@code type: tap} port: creates or opens the TAP device {@code ports[].device},
 * sets its MTU to {@code ports[].mtu} and brings it up. The TAP device's own MAC (the kernel
 * side of the link) is left as it is: {@code ports[].mac} is the gateway's end of that link,
 * the source of the frames the gateway sends and the address hosts send to.
 */
public final class TapPorts
{
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
        if (port.type() != PortType.TAP)
        {
            throw new PortOpenException("port " + port.name() + ": type " + port.type().label() + " is not a TAP port");
        }
        final TapDevice tap;
        try
        {
            tap = TapDevice.open(port.device(), workers);
        }
        catch (final PortOpenException ex)
        {
            throw new PortOpenException("port " + port.name() + ": " + ex.getMessage(), ex);
        }
        try
        {
            LinkControl.configure(tap.name(), port.mtu());
        }
        catch (final PortOpenException ex)
        {
            closeQuietly(tap);
            throw new PortOpenException("port " + port.name() + ": " + ex.getMessage(), ex);
        }
        return new DescriptorPortDevice(tap.fds(), port.mac(),
            (tap.created() ? "created TAP device " : "attached to TAP device ") + tap.name()
                + (workers > 1 ? " (multi-queue, " + workers + " queues)" : "") + ", mtu " + port.mtu()
                + ", up" + (tap.created() ? " (it goes away when sixgate stops)" : ""),
            tap::close);
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
