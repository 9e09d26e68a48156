package io.sixgate.nat64.stateful;

import io.sixgate.nat64.siit.Mapping46;
import io.sixgate.nat64.siit.Mapping64;

/**
 * The translation state of one packet through stateful NAT64 (Jool's {@code struct xlation}):
 * each RFC 6146 step reads what the previous ones wrote. {@link IncomingTuple} (§3.4) fills the
 * incoming tuple, {@link FilteringAndUpdating} (§3.5) the session, {@link OutgoingTuple} (§3.6)
 * the outgoing tuple, which the RFC 7915 translator (§3.7) reads through {@link Mapping64} and
 * {@link Mapping46}. One instance per stage, reused for every packet: nothing is allocated.
 *
 * <p>The tuple is always the flow's, as a packet from the side the packet came from would carry
 * it; for an ICMP error it is the inner packet's, reversed (RFC 6146 §3.4):
 * <pre>
 *  (X', x)  IPv6 host and port (ICMP identifier)   src6High, src6Low, src6Port
 *  (T, t)   pool4 address and port (identifier)    pool4Address, pool4Port
 *  (Z, z)   remote IPv4 address and port (0, ICMP) remote4, remotePort
 * </pre>
 */
public final class Nat64Xlation implements Mapping64, Mapping46
{
    // ---------------------------------------------------------------- the packet
    int frame;
    long nowNs;
    /** {@link io.sixgate.nat64.state.SessionProtocol} index. */
    int protocol;
    boolean icmpError;
    int tcpFlags;
    /** The frame was kept by a step (a held SYN): the stage returns CONSUMED. */
    boolean consumed;
    /** For an ICMP error, the address of the other party of the outer header: the outer
     *  destination (6 to 4, as IPv4) or the outer source (4 to 6). */
    int errorPeer4;

    // ---------------------------------------------------------------- the incoming tuple (§3.4)
    long src6High;
    long src6Low;
    int src6Port;
    int pool4Address;
    int pool4Port;
    int remote4;
    int remotePort;

    // ---------------------------------------------------------------- the state (§3.5)
    /** The session, or -1 when the packet is translated on its BIB entry only. */
    int session;
    int bib;

    // ---------------------------------------------------------------- the outgoing tuple (§3.6)
    int outSrc4;
    int outDst4;
    long outSrc6High;
    long outSrc6Low;
    long outDst6High;
    long outDst6Low;
    int outSrcPort;
    int outDstPort;
    int innerSrc4;
    int innerDst4;
    long innerSrc6High;
    long innerSrc6Low;
    long innerDst6High;
    long innerDst6Low;
    int innerSrcPort;
    int innerDstPort;

    private long high;
    private long low;

    void reset(final int frame, final long nowNs)
    {
        this.frame = frame;
        this.nowNs = nowNs;
        protocol = -1;
        icmpError = false;
        tcpFlags = 0;
        consumed = false;
        session = -1;
        bib = -1;
        remotePort = 0;
        src6Port = 0;
        pool4Port = 0;
    }

    public int protocol()
    {
        return protocol;
    }

    public int session()
    {
        return session;
    }

    public boolean icmpError()
    {
        return icmpError;
    }

    // ---------------------------------------------------------------- Mapping64

    @Override
    public long destination(final long dstHigh, final long dstLow)
    {
        return outDst4 & 0xFFFF_FFFFL;
    }

    @Override
    public long source(final long srcHigh, final long srcLow, final boolean isIcmpError)
    {
        return outSrc4 & 0xFFFF_FFFFL;
    }

    @Override
    public boolean isHairpin(final long dstHigh, final long dstLow, final int dst4)
    {
        return false;   // RFC 6146 §3.8 is the stage's step, with the state of the other side
    }

    @Override
    public long innerSource(final long srcHigh, final long srcLow)
    {
        return innerSrc4 & 0xFFFF_FFFFL;
    }

    @Override
    public long innerDestination(final long dstHigh, final long dstLow)
    {
        return innerDst4 & 0xFFFF_FFFFL;
    }

    // ---------------------------------------------------------------- Mapping46

    @Override
    public boolean destination(final int dst4)
    {
        high = outDst6High;
        low = outDst6Low;
        return true;
    }

    @Override
    public boolean source(final int src4, final boolean isIcmpError, final boolean hairpin)
    {
        high = outSrc6High;
        low = outSrc6Low;
        return true;
    }

    @Override
    public boolean innerSource(final int src4)
    {
        high = innerSrc6High;
        low = innerSrc6Low;
        return true;
    }

    @Override
    public boolean innerDestination(final int dst4, final boolean hairpin)
    {
        high = innerDst6High;
        low = innerDst6Low;
        return true;
    }

    @Override
    public long high()
    {
        return high;
    }

    @Override
    public long low()
    {
        return low;
    }

    // ---------------------------------------------------------------- ports, both directions

    @Override
    public int sourcePort(final int port)
    {
        return outSrcPort;
    }

    @Override
    public int destinationPort(final int port)
    {
        return outDstPort;
    }

    @Override
    public int innerSourcePort(final int port)
    {
        return innerSrcPort;
    }

    @Override
    public int innerDestinationPort(final int port)
    {
        return innerDstPort;
    }
}
