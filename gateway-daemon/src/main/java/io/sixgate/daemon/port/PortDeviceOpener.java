package io.sixgate.daemon.port;

import io.sixgate.daemon.config.PortConfig;

/**
 * Attaches a configured port to its device. The daemon uses {@link TapPorts#open(PortConfig)};
 * tests give socket pairs.
 */
@FunctionalInterface
public interface PortDeviceOpener
{
    /**
     * @throws PortOpenException with a one-line reason the daemon prints before it exits.
     */
    PortDevice open(PortConfig port) throws PortOpenException;
}
