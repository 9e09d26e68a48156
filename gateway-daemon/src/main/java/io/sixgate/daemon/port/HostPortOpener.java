package io.sixgate.daemon.port;

import io.sixgate.daemon.config.PortConfig;

/**
 * What {@code sixgate run} attaches ports with: a {@code tap} port to its TAP device
 * ({@link TapPorts}), a {@code pcap} port to its existing interface ({@link PcapPorts}).
 */
public final class HostPortOpener implements PortDeviceOpener
{
    @Override
    public PortDevice open(final PortConfig port) throws PortOpenException
    {
        switch (port.type())
        {
            case TAP:
                return TapPorts.open(port);
            case PCAP:
                return PcapPorts.open(port);
            default:
                throw new PortOpenException("port " + port.name() + ": type " + port.type().label() + " has no opener");
        }
    }
}
