package io.sixgate.daemon.port;

import io.sixgate.daemon.config.FramePoolConfig;
import io.sixgate.daemon.config.PortConfig;

/**
 * What {@code sixgate run} attaches ports with: a {@code tap} port to its TAP device
 * ({@link TapPorts}; multi-queue, one queue per worker, when there are several), a {@code pcap}
 * port to its existing interface ({@link PcapPorts}).
 */
public final class HostPortOpener implements PortDeviceOpener
{
    @Override
    public PortDevice open(final PortConfig port) throws PortOpenException
    {
        return open(port, 1);
    }

    @Override
    public PortDevice open(final PortConfig port, final int workers) throws PortOpenException
    {
        return open(port, workers, FramePoolConfig.DEFAULT.maxFrameLength());
    }

    @Override
    public PortDevice open(final PortConfig port, final int workers, final int frameRoom) throws PortOpenException
    {
        switch (port.type())
        {
            case TAP:
                return TapPorts.open(port, workers, frameRoom);
            case PCAP:
                return PcapPorts.open(port, workers);
            default:
                throw new PortOpenException("port " + port.name() + ": type " + port.type().label() + " has no opener");
        }
    }
}
