package io.sixgate.daemon.run;

import io.sixgate.daemon.BadInputException;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.config.PortConfig;
import io.sixgate.daemon.port.PcapPorts;

/**
 * What {@code sixgate run} refuses in a configuration that {@code sixgate check} accepts: a port
 * whose frames the frame pool cannot hold. Both port types run, {@code tap} and {@code pcap},
 * with any number of {@code workers}.
 */
public final class RunChecks
{
    /** Ethernet header plus one VLAN tag: what a frame adds to an IP packet of MTU bytes (a pcap port's snaplen). */
    public static final int ETHERNET_OVERHEAD = PcapPorts.FRAME_OVERHEAD;

    private RunChecks()
    {
    }

    /**
     * @throws BadInputException the first thing the daemon cannot run, in one line.
     */
    public static void check(final GatewayConfig config) throws BadInputException
    {
        final int maxFrame = config.framePool().maxFrameLength();
        for (final PortConfig port : config.ports())
        {
            if (port.mtu() + ETHERNET_OVERHEAD > maxFrame)
            {
                throw new BadInputException("port " + port.name() + ": mtu " + port.mtu() + " makes frames of up to "
                    + (port.mtu() + ETHERNET_OVERHEAD) + " bytes, but a frame-pool slot holds " + maxFrame
                    + " (slot-size " + config.framePool().slotSize() + " minus 128 headroom); raise frame-pool.slot-size");
            }
        }
    }
}
