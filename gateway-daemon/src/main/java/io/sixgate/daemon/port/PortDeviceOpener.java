package io.sixgate.daemon.port;

import io.sixgate.daemon.config.PortConfig;

/**
 * Attaches a configured port to its device. The daemon uses {@link HostPortOpener} (TAP or pcap by
 * the port's type); tests give socket pairs.
 */
@FunctionalInterface
public interface PortDeviceOpener
{
    /**
     * @throws PortOpenException with a one-line reason the daemon prints before it exits.
     */
    PortDevice open(PortConfig port) throws PortOpenException;
}
