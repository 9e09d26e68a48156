package io.sixgate.nat64.state;

import java.util.concurrent.TimeUnit;

/**
 * Session lifetimes per protocol, in nanoseconds of the caller's clock (packet timestamps in
 * replay, the receive time in the daemon). A session expires when the clock reaches
 * {@code last refresh + lifetime}.
 *
 * <p>The constants are RFC 6146 §4's; {@link #RFC_6146_DEFAULTS} uses them. Shorter values are
 * accepted (tests, and operators who knowingly trade compliance for table space); RFC 6146 §4 and
 * RFC 4787 REQ-5 put the UDP floor at {@link #UDP_MIN_NS}, and TCP_EST and TCP_TRANS are minimums.
 *
 * @param udpNs            UDP session lifetime (RFC 6146 §3.5.1, §4 UDP_DEFAULT).
 * @param tcpEstablishedNs TCP lifetime in ESTABLISHED and the FIN RCV states (RFC 6146 §4 TCP_EST).
 * @param tcpTransitoryNs  TCP lifetime in the opening, closing and TRANS states (RFC 6146 §4 TCP_TRANS).
 * @param icmpNs           ICMP query session lifetime (RFC 6146 §3.5.3, §4 ICMP_DEFAULT).
 */
public record Nat64Timeouts(long udpNs, long tcpEstablishedNs, long tcpTransitoryNs, long icmpNs)
{
    /** RFC 6146 §4 UDP_MIN: 2 minutes (also RFC 4787 REQ-5). */
    public static final long UDP_MIN_NS = TimeUnit.MINUTES.toNanos(2);
    /** RFC 6146 §4 UDP_DEFAULT: 5 minutes. */
    public static final long UDP_DEFAULT_NS = TimeUnit.MINUTES.toNanos(5);
    /** RFC 6146 §4 TCP_TRANS: 4 minutes. */
    public static final long TCP_TRANS_NS = TimeUnit.MINUTES.toNanos(4);
    /** RFC 6146 §4 TCP_EST: 2 hours 4 minutes. */
    public static final long TCP_EST_NS = TimeUnit.MINUTES.toNanos(124);
    /** RFC 6146 §4 TCP_INCOMING_SYN: 6 seconds; see {@link TcpStateMachine#INCOMING_SYN_HOLD_NS}. */
    public static final long TCP_INCOMING_SYN_NS = TimeUnit.SECONDS.toNanos(6);
    /** RFC 6146 §4 ICMP_DEFAULT: 60 seconds. */
    public static final long ICMP_DEFAULT_NS = TimeUnit.SECONDS.toNanos(60);

    /** Every lifetime at its RFC 6146 §4 default. */
    public static final Nat64Timeouts RFC_6146_DEFAULTS =
        new Nat64Timeouts(UDP_DEFAULT_NS, TCP_EST_NS, TCP_TRANS_NS, ICMP_DEFAULT_NS);

    /**
     * @throws IllegalArgumentException if a lifetime is not positive.
     */
    public Nat64Timeouts
    {
        requirePositive("udpNs", udpNs);
        requirePositive("tcpEstablishedNs", tcpEstablishedNs);
        requirePositive("tcpTransitoryNs", tcpTransitoryNs);
        requirePositive("icmpNs", icmpNs);
    }

    /**
     * The TCP lifetime a {@link TcpStateMachine} transition asks for.
     *
     * @param timeoutKind {@link TcpStateMachine#TIMEOUT_ESTABLISHED} or {@link TcpStateMachine#TIMEOUT_TRANSITORY}.
     * @return the lifetime, or 0 for {@link TcpStateMachine#TIMEOUT_UNCHANGED} (and anything else).
     */
    public long tcpNs(final int timeoutKind)
    {
        switch (timeoutKind)
        {
            case TcpStateMachine.TIMEOUT_ESTABLISHED:
                return tcpEstablishedNs;

            case TcpStateMachine.TIMEOUT_TRANSITORY:
                return tcpTransitoryNs;

            default:
                return 0;
        }
    }

    /**
     * The lifetime a UDP or ICMP session gets on every packet, or TCP's transitory lifetime.
     *
     * @param protocol a {@link SessionProtocol} index.
     * @return the lifetime; for TCP, {@link #tcpTransitoryNs()} (TCP refreshes follow the state machine).
     */
    public long lifetimeNs(final int protocol)
    {
        switch (protocol)
        {
            case SessionProtocol.UDP:
                return udpNs;

            case SessionProtocol.ICMP:
                return icmpNs;

            default:
                return tcpTransitoryNs;
        }
    }

    private static void requirePositive(final String name, final long value)
    {
        if (value <= 0)
        {
            throw new IllegalArgumentException(name + " must be > 0: " + value);
        }
    }
}
