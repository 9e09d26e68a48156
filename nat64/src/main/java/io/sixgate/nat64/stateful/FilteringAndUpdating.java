package io.sixgate.nat64.stateful;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.pipeline.DropReason;
import io.sixgate.nat64.state.BibTable;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.state.SessionTable;
import io.sixgate.nat64.state.StateFailure;
import io.sixgate.nat64.state.TcpStateMachine;

/**
 * RFC 6146 §3.5, "Filtering and Updating Binding and Session Information": finds or creates the
 * BIB entry and session of the {@link Nat64Xlation}'s incoming tuple, per protocol (§3.5.1 UDP,
 * §3.5.2 TCP, §3.5.3 ICMP queries), refreshes lifetimes from the packet clock, and drops what
 * filtering refuses. ICMP errors only look their session up (§3.5: they create nothing).
 *
 * <p>Returns {@code null} to go on, or the reason to drop ({@link Nat64Stateful64DropReason},
 * {@link Nat64Stateful46DropReason} or {@link StateFailure}); sets
 * {@link Nat64Xlation#consumed} when it kept the frame (a held SYN).
 */
final class FilteringAndUpdating
{
    private static final int NO_SESSION = -1;

    private final FramePool pool;
    private final Nat64Shard shard;
    private final SessionTable sessions;
    private final HeldSynQueue held;
    private final Nat64IcmpSender icmp;

    private long heldSynsSuperseded;

    FilteringAndUpdating(final FramePool pool, final Nat64Shard shard, final Nat64IcmpSender icmp)
    {
        this.pool = pool;
        this.shard = shard;
        this.sessions = shard.sessions();
        this.held = shard.heldSyns();
        this.icmp = icmp;
    }

    // ---------------------------------------------------------------- IPv6 to IPv4

    DropReason from6(final Nat64Xlation x)
    {
        final int found = sessions.find6(x.protocol, x.src6High, x.src6Low, x.src6Port, x.remote4, x.remotePort);
        if (x.icmpError)
        {
            // RFC 6146 §3.5: an ICMP error is translated only for an existing session.
            if (found == SessionTable.NOT_FOUND)
            {
                return Nat64Stateful64DropReason.ICMP_ERROR_WITHOUT_STATE;
            }
            return session6(x, found);
        }
        switch (x.protocol)
        {
            case SessionProtocol.TCP:
                return tcp6(x, found);

            default:
                // RFC 6146 §3.5.1 (UDP) and §3.5.3 (ICMP query): find or create, then refresh.
                if (found != SessionTable.NOT_FOUND)
                {
                    sessions.refresh(found, x.nowNs + sessions.timeouts().lifetimeNs(x.protocol));
                    return session6(x, found);
                }
                return created6(x, shard.create6(x.protocol, x.src6High, x.src6Low, x.src6Port, x.remote4,
                    x.remotePort, 0, x.nowNs + sessions.timeouts().lifetimeNs(x.protocol)));
        }
    }

    /** RFC 6146 §3.5.2: the TCP state machine, packets from the IPv6 side. */
    private DropReason tcp6(final Nat64Xlation x, final int found)
    {
        if (found != SessionTable.NOT_FOUND)
        {
            sessions.applyTcpTransition(found,
                TcpStateMachine.next(sessions.tcpState(found), TcpStateMachine.FROM_IPV6, x.tcpFlags), x.nowNs);
            return session6(x, found);
        }
        if (isSyn(x.tcpFlags))
        {
            // RFC 6146 §3.5.2.2 V4 INIT: this SYN answers an IPv4 SYN we hold (a simultaneous
            // open): map (X', x) to the (T, t) that SYN aimed at, and drop the held SYN silently.
            final int slot = shard.heldSyns().findForIpv6Syn(x.remote4, x.remotePort, x.src6Port);
            if (slot != HeldSynQueue.NOT_FOUND)
            {
                final int session = shard.create6At(SessionProtocol.TCP, x.src6High, x.src6Low, x.src6Port,
                    held.pool4Address(slot), held.pool4Port(slot), x.remote4, x.remotePort,
                    TcpStateMachine.ESTABLISHED, x.nowNs + sessions.timeouts().tcpEstablishedNs());
                if (session >= 0)
                {
                    pool.release(held.take(slot));
                    heldSynsSuperseded++;
                    return session6(x, session);
                }
            }
            // RFC 6146 §3.5.2.2 CLOSED, V6 SYN: a session in V6 INIT on the transitory lifetime.
            return created6(x, shard.create6(SessionProtocol.TCP, x.src6High, x.src6Low, x.src6Port, x.remote4,
                x.remotePort, TcpStateMachine.V6_INIT, x.nowNs + sessions.timeouts().tcpTransitoryNs()));
        }
        // RFC 6146 §3.5.2.2 CLOSED, other packets: translated on the BIB entry alone, no session.
        final int bib = sessions.findBib6(SessionProtocol.TCP, x.src6High, x.src6Low, x.src6Port);
        if (bib == BibTable.NOT_FOUND)
        {
            return Nat64Stateful64DropReason.TCP_WITHOUT_STATE;
        }
        x.session = NO_SESSION;
        x.bib = bib;
        x.pool4Address = sessions.bibs().pool4Address(bib);
        x.pool4Port = sessions.bibs().pool4Port(bib);
        return null;
    }

    private DropReason created6(final Nat64Xlation x, final int session)
    {
        if (session >= 0)
        {
            return session6(x, session);
        }
        final StateFailure failure = StateFailure.ofCode(session);
        if (failure == StateFailure.POOL4_EXHAUSTED)
        {
            // RFC 6146 §3.5.1.1: no IPv4 transport address; ICMPv6 Address Unreachable (code 3).
            icmp.unreachable6(x.frame, 3);
        }
        return failure == null ? StateFailure.BAD_ARGUMENT : failure;
    }

    private DropReason session6(final Nat64Xlation x, final int session)
    {
        x.session = session;
        x.bib = sessions.bib(session);
        x.pool4Address = sessions.pool4Address(session);
        x.pool4Port = sessions.pool4Port(session);
        return null;
    }

    // ---------------------------------------------------------------- IPv4 to IPv6

    DropReason from4(final Nat64Xlation x)
    {
        final int found = sessions.find4(x.protocol, x.pool4Address, x.pool4Port, x.remote4, x.remotePort);
        if (x.icmpError)
        {
            if (found == SessionTable.NOT_FOUND)
            {
                return Nat64Stateful46DropReason.ICMP_ERROR_WITHOUT_STATE;
            }
            return session4(x, found);
        }
        if (x.protocol == SessionProtocol.TCP)
        {
            return tcp4(x, found);
        }
        if (found != SessionTable.NOT_FOUND)
        {
            sessions.refresh(found, x.nowNs + sessions.timeouts().lifetimeNs(x.protocol));
            return session4(x, found);
        }
        // RFC 6146 §3.5.1 (UDP), §3.5.3 (ICMP): only a BIB entry lets an IPv4 host in.
        final int bib = sessions.findBib4(x.protocol, x.pool4Address, x.pool4Port);
        if (bib == BibTable.NOT_FOUND)
        {
            if (x.protocol == SessionProtocol.UDP)
            {
                // RFC 6146 §3.5.1: "the NAT64 MAY send an ICMP Port Unreachable".
                icmp.portUnreachable4(x.frame);
            }
            return Nat64Stateful46DropReason.NO_BIB_ENTRY;
        }
        if (!shard.filterAllows(x.protocol, x.pool4Address, x.pool4Port, x.remote4))
        {
            return Nat64Stateful46DropReason.FILTERED;
        }
        return created4(x, shard.createSession(bib, x.remote4, x.remotePort, 0,
            x.nowNs + sessions.timeouts().lifetimeNs(x.protocol)));
    }

    /** RFC 6146 §3.5.2: the TCP state machine, packets from the IPv4 side. */
    private DropReason tcp4(final Nat64Xlation x, final int found)
    {
        if (found != SessionTable.NOT_FOUND)
        {
            sessions.applyTcpTransition(found,
                TcpStateMachine.next(sessions.tcpState(found), TcpStateMachine.FROM_IPV4, x.tcpFlags), x.nowNs);
            return session4(x, found);
        }
        final int bib = sessions.findBib4(SessionProtocol.TCP, x.pool4Address, x.pool4Port);
        final boolean allowed = bib != BibTable.NOT_FOUND &&
            shard.filterAllows(SessionProtocol.TCP, x.pool4Address, x.pool4Port, x.remote4);
        if (isSyn(x.tcpFlags))
        {
            if (allowed)
            {
                // RFC 6146 §3.5.2.2 CLOSED, V4 SYN with a BIB entry that filtering lets through: V4 INIT.
                return created4(x, shard.createSession(bib, x.remote4, x.remotePort, TcpStateMachine.V4_INIT,
                    x.nowNs + sessions.timeouts().tcpTransitoryNs()));
            }
            // RFC 6146 §3.5.2.2: no BIB entry (or filtered): hold the SYN TCP_INCOMING_SYN for a
            // simultaneous open, then answer ICMP Port Unreachable.
            if (held.isHeld(x.pool4Address, x.pool4Port, x.remote4, x.remotePort))
            {
                return Nat64Stateful46DropReason.HELD_SYN_DUPLICATE;
            }
            if (!held.hold(x.frame, x.nowNs + shard.incomingSynHoldNs(), x.pool4Address, x.pool4Port, x.remote4, x.remotePort, false))
            {
                return Nat64Stateful46DropReason.HELD_SYN_OVERFLOW;
            }
            x.consumed = true;
            return null;
        }
        // RFC 6146 §3.5.2.2 CLOSED, other packets: translated on the BIB entry alone, no session.
        if (!allowed)
        {
            return Nat64Stateful46DropReason.TCP_WITHOUT_STATE;
        }
        x.session = NO_SESSION;
        x.bib = bib;
        x.src6High = sessions.bibs().src6High(bib);
        x.src6Low = sessions.bibs().src6Low(bib);
        x.src6Port = sessions.bibs().src6Port(bib);
        return null;
    }

    private DropReason created4(final Nat64Xlation x, final int session)
    {
        if (session >= 0)
        {
            return session4(x, session);
        }
        final StateFailure failure = StateFailure.ofCode(session);
        return failure == null ? StateFailure.BAD_ARGUMENT : failure;
    }

    private DropReason session4(final Nat64Xlation x, final int session)
    {
        x.session = session;
        x.bib = sessions.bib(session);
        x.src6High = sessions.src6High(session);
        x.src6Low = sessions.src6Low(session);
        x.src6Port = sessions.src6Port(session);
        return null;
    }

    /**
     * @return IPv4 SYNs dropped because the IPv6 SYN of a simultaneous open came (RFC 6146 §3.5.2.2).
     */
    long heldSynsSuperseded()
    {
        return heldSynsSuperseded;
    }

    private static boolean isSyn(final int flags)
    {
        return (flags & (TcpFlyweight.SYN | TcpFlyweight.RST)) == TcpFlyweight.SYN;
    }
}
