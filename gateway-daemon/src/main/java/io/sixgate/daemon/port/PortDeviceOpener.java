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

    /**
     * Attaches the port for several workers: a TAP device with one queue per worker, a pcap port
     * with an injection socket per worker. By default, as for one worker.
     *
     * @param workers how many workers read and write the port.
     * @throws PortOpenException with a one-line reason the daemon prints before it exits.
     */
    default PortDevice open(final PortConfig port, final int workers) throws PortOpenException
    {
        return open(port);
    }

    /**
     * Attaches the port for several workers whose frame-pool slots hold {@code frameRoom} bytes of
     * frame: what bounds a TAP's TCP super-packets. By default, as without it.
     *
     * @throws PortOpenException with a one-line reason the daemon prints before it exits.
     */
    default PortDevice open(final PortConfig port, final int workers, final int frameRoom) throws PortOpenException
    {
        return open(port, workers);
    }
}
