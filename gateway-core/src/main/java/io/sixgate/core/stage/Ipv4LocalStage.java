package io.sixgate.core.stage;

import static java.nio.ByteOrder.BIG_ENDIAN;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.Icmpv4Flyweight;
import io.sixgate.core.packet.InternetChecksum;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.pipeline.StageEvent;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.port.PortAddresses;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * IPv4 packets {@link StageNames#IPV4_FORWARD} found to be for the gateway itself: to one of its
 * addresses, or to a broadcast or multicast address. The gateway is a router, not a host: it
 * answers ICMP Echo (RFC 792, RFC 1122 §3.2.2.6) to its unicast addresses, in place, and drops
 * everything else under a named reason. The reply goes to {@link StageNames#IPV4_OUTPUT} to be
 * routed back.
 *
 * <p>Echo requests to broadcast or multicast are not answered (RFC 1122 §3.2.2.6 lets a host
 * ignore them; it stops smurf amplification); fragmented requests are dropped (no reassembly).
 * Deliberate simplification: IP options of a request come back as they were; RFC 1122
 * §3.2.2.6 would have a recorded source route reversed.
 */
public final class Ipv4LocalStage extends Stage
{
    /** TTL of the gateway's own packets (Linux's default). */
    public static final int TTL = 64;

    public enum Reason implements DropReason
    {
        /** To the limited or a directed broadcast address (RFC 1812 §5.3.5: not forwarded). */
        BROADCAST("broadcast-not-routed"),
        /** To a multicast group: sixgate does not route multicast. */
        MULTICAST("multicast-not-routed"),
        /** For the gateway, but neither ICMP nor anything else it serves (TCP, UDP...). */
        UNSUPPORTED_PROTOCOL("for-gateway-unsupported-protocol"),
        /** ICMP for the gateway other than an echo request (replies, errors...). */
        UNSUPPORTED_ICMP("for-gateway-unsupported-icmp"),
        /** A fragment for the gateway: nothing is reassembled. */
        FRAGMENT("for-gateway-fragment"),
        /** An ICMP message for the gateway whose checksum does not verify (RFC 792). */
        BAD_ICMP_CHECKSUM("bad-icmp-checksum");

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

    public enum Event implements StageEvent
    {
        /** An echo request to a gateway address was answered. */
        ECHO_ANSWERED("echo-answered");

        private final String label;

        Event(final String label)
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
    private final PortAddresses addresses;
    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();
    private final Icmpv4Flyweight icmp = new Icmpv4Flyweight();
    private int ipv4Output;

    /**
     * @param addresses the gateway's addresses (the same table the forward stage uses).
     */
    public Ipv4LocalStage(final FramePool pool, final PortAddresses addresses)
    {
        super(StageNames.IPV4_LOCAL, new StageEvent[][]{Event.values()}, Reason.values());
        this.pool = pool;
        this.addresses = addresses;
    }

    @Override
    public void link(final Pipeline pipeline)
    {
        ipv4Output = pipeline.stageId(StageNames.IPV4_OUTPUT);
    }

    @Override
    public int process(final int frame)
    {
        final UnsafeBuffer buffer = pool.buffer();
        final int l3 = pool.l3Offset(frame);
        ipv4.wrap(buffer, l3);
        final int destination = ipv4.dstAddress();
        if ((destination >>> 28) == 0xE)
        {
            return drop(Reason.MULTICAST);
        }
        if (!addresses.isLocalIpv4(destination))
        {
            return drop(Reason.BROADCAST);
        }
        if (ipv4.protocol() != IpProtocol.ICMP)
        {
            return drop(Reason.UNSUPPORTED_PROTOCOL);
        }
        if (ipv4.isFragment())
        {
            return drop(Reason.FRAGMENT);
        }
        final int icmpOffset = ipv4.payloadOffset();
        final int icmpLength = ipv4.totalLength() - ipv4.headerLength();
        icmp.wrap(buffer, icmpOffset);
        if (icmp.type() != Icmpv4Flyweight.TYPE_ECHO_REQUEST)
        {
            return drop(Reason.UNSUPPORTED_ICMP);
        }
        // RFC 792: the checksum covers the whole ICMP message; it ends here, so it is checked.
        if (!InternetChecksum.isValid(buffer, icmpOffset, icmpLength))
        {
            return drop(Reason.BAD_ICMP_CHECKSUM);
        }

        // RFC 792 Echo Reply: addresses reversed, type 0, data (identifier, sequence, payload) as sent.
        final int source = ipv4.srcAddress();
        ipv4.srcAddress(destination).dstAddress(source).ttl(TTL);
        buffer.putShort(l3 + Ipv4Flyweight.HEADER_CHECKSUM_OFFSET, (short)0, BIG_ENDIAN);
        ipv4.headerChecksum(InternetChecksum.checksum(buffer, l3, ipv4.headerLength()));
        // Type 8 -> 0 with the code in the same 16-bit word: RFC 1624 eqn. 3.
        final int oldWord = (Icmpv4Flyweight.TYPE_ECHO_REQUEST << 8) | icmp.code();
        icmp.type(Icmpv4Flyweight.TYPE_ECHO_REPLY);
        icmp.checksum(InternetChecksum.update16(icmp.checksum(), oldWord, (Icmpv4Flyweight.TYPE_ECHO_REPLY << 8) | icmp.code()));
        count(Event.ECHO_ANSWERED);
        return Verdict.next(ipv4Output);
    }
}
