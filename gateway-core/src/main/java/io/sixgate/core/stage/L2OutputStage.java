package io.sixgate.core.stage;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.neighbour.StaticNeighbourTable;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Last stage before a port: frames the IP packet at {@link FramePool#l3Offset(int)} for the
 * egress port chosen by routing. Ethernet ports get a fresh Ethernet II header (RFC 894 for
 * IPv4, RFC 2464 for IPv6) addressed to the next hop's MAC; RAW ports get the bare packet.
 */
public final class L2OutputStage extends Stage
{
    public enum Reason implements DropReason
    {
        /** Routing chose no egress port. */
        NO_EGRESS_PORT("no-egress-port"),
        /** No MAC known for the next hop on an Ethernet port. */
        NEIGHBOUR_UNRESOLVED("neighbour-unresolved"),
        /** Not enough headroom to prepend the Ethernet header. */
        NO_HEADROOM("no-headroom");

        private final String label;

        Reason(final String label)
        {
            this.label = label;
        }

        @Override
        public String label()
        {
            return label;
        }
    }

    private final FramePool pool;
    private StaticNeighbourTable neighbours;
    private final EthernetFlyweight ethernet = new EthernetFlyweight();
    private Port[] ports;

    public L2OutputStage(final FramePool pool, final StaticNeighbourTable neighbours)
    {
        super(StageNames.L2_OUTPUT, Reason.values());
        this.pool = pool;
        this.neighbours = neighbours;
    }

    /**
     * Swaps in another neighbour table (a configuration reload); call on the worker thread
     * (through its command queue). The table must not change after it is handed over.
     */
    public void neighbours(final StaticNeighbourTable newNeighbours)
    {
        neighbours = newNeighbours;
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        ports = new Port[pipeline.portCount()];
        for (int i = 0; i < ports.length; i++)
        {
            ports[i] = pipeline.port(i);
        }
    }

    @Override
    public int process(final int frame)
    {
        final int portId = pool.egressPort(frame);
        if (portId < 0 || portId >= ports.length)
        {
            return drop(Reason.NO_EGRESS_PORT);
        }
        final Port port = ports[portId];
        final int l3Offset = pool.l3Offset(frame);
        final int end = pool.offset(frame) + pool.length(frame);
        if (port.linkType() == LinkType.RAW)
        {
            pool.setData(frame, l3Offset, end - l3Offset);
            return Verdict.tx(portId);
        }

        final UnsafeBuffer buffer = pool.buffer();
        final boolean isIpv6 = (buffer.getByte(l3Offset) & 0xF0) == 0x60;
        final long mac = isIpv6
            ? neighbours.lookupIpv6(portId, pool.nextHopHigh(frame), pool.nextHopLow(frame))
            : neighbours.lookupIpv4(portId, (int)pool.nextHopLow(frame));
        if (mac == StaticNeighbourTable.NO_MAC)
        {
            return drop(Reason.NEIGHBOUR_UNRESOLVED);
        }
        final int l2Offset = l3Offset - EthernetFlyweight.HEADER_LENGTH;
        if (!pool.setData(frame, l2Offset, end - l2Offset))
        {
            return drop(Reason.NO_HEADROOM);
        }
        ethernet.wrap(buffer, l2Offset)
            .dstMac(mac)
            .srcMac(port.mac())
            .etherType(isIpv6 ? EthernetFlyweight.ETHERTYPE_IPV6 : EthernetFlyweight.ETHERTYPE_IPV4);
        return Verdict.tx(portId);
    }
}
