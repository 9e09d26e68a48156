package io.sixgate.core.stage;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.EthernetFlyweight;
import io.sixgate.core.packet.EthernetInputDropReason;
import io.sixgate.core.packet.EthernetValidator;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.port.Port;

/**
 * Entry stage of Ethernet ports: validates the Ethernet II header, keeps only frames
 * addressed to the port (its MAC, broadcast or multicast), and hands IPv4, IPv6 and ARP
 * to their input stages.
 */
public final class EthernetInputStage extends Stage
{
    public enum Reason implements DropReason
    {
        /** Unicast to another station's MAC: not ours to route (the port is not promiscuous). */
        NOT_FOR_THIS_PORT("not-for-this-port"),
        /** ARP arrived on a pipeline with no ARP stage. */
        ARP_NOT_HANDLED("arp-not-handled");

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

    /** Name of the ARP stage this stage hands ARP frames to when the pipeline has one. */
    public static final String ARP_INPUT = StageNames.ARP_INPUT;

    private final FramePool pool;
    private final EthernetFlyweight ethernet = new EthernetFlyweight();
    private long[] portMac;
    private int ipv4Input;
    private int ipv6Input;
    private int arpInput = -1;

    public EthernetInputStage(final FramePool pool)
    {
        super(StageNames.ETHERNET_INPUT, EthernetInputDropReason.values(), Reason.values());
        this.pool = pool;
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        portMac = new long[pipeline.portCount()];
        for (int i = 0; i < portMac.length; i++)
        {
            final Port port = pipeline.port(i);
            portMac[i] = port.mac();
        }
        ipv4Input = pipeline.stageId(StageNames.IPV4_INPUT);
        ipv6Input = pipeline.stageId(StageNames.IPV6_INPUT);
        arpInput = pipeline.hasStage(ARP_INPUT) ? pipeline.stageId(ARP_INPUT) : -1;
    }

    @Override
    public int process(final int frame)
    {
        final int offset = pool.offset(frame);
        final EthernetInputDropReason invalid = EthernetValidator.validate(pool.buffer(), offset, pool.length(frame));
        if (invalid != null)
        {
            return drop(invalid);
        }
        ethernet.wrap(pool.buffer(), offset);
        final long dstMac = ethernet.dstMac();
        if (dstMac != portMac[pool.port(frame)] && !EthernetFlyweight.isGroupMac(dstMac))
        {
            return drop(Reason.NOT_FOR_THIS_PORT);
        }
        pool.l3Offset(frame, ethernet.payloadOffset());
        switch (ethernet.etherType())
        {
            case EthernetFlyweight.ETHERTYPE_IPV4:
                return Verdict.next(ipv4Input);
            case EthernetFlyweight.ETHERTYPE_IPV6:
                return Verdict.next(ipv6Input);
            default:
                // The validator lets only IPv4, IPv6 and ARP through.
                return arpInput >= 0 ? Verdict.next(arpInput) : drop(Reason.ARP_NOT_HANDLED);
        }
    }
}
