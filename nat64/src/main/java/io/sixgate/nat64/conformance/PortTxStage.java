package io.sixgate.nat64.conformance;

import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;

/**
 * A minimal output stage: transmits every frame on one port, as is. The conformance runner
 * names its instances "ipv4-output" (port "n4") and "ipv6-output" (port "n6"), the names the
 * daemon's routing/neighbour output stages take, so the translator stages are wired the same way
 * in both.
 */
public final class PortTxStage extends Stage
{
    /** Name of the stage that sends IPv4 packets. */
    public static final String IPV4_OUTPUT = "ipv4-output";

    /** Name of the stage that sends IPv6 packets. */
    public static final String IPV6_OUTPUT = "ipv6-output";

    private final String portName;
    private int portId = -1;

    /**
     * @param name     this stage's name.
     * @param portName the port every frame leaves on.
     */
    public PortTxStage(final String name, final String portName)
    {
        super(name, new DropReason[0]);
        this.portName = portName;
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        portId = pipeline.portId(portName);
        if (portId < 0)
        {
            throw new IllegalArgumentException("stage " + name() + ": no port named '" + portName + "'");
        }
    }

    @Override
    public int process(final int frame)
    {
        return Verdict.tx(portId);
    }
}
