package io.sixgate.nat64.state;

import java.util.concurrent.TimeUnit;

import io.sixgate.core.packet.TcpFlyweight;

/**
 * The RFC 6146 §3.5.2.2 TCP session state machine as a pure function:
 * {@code (state, direction, TCP flags) -> (new state, which lifetime to set)}. It owns no session
 * and reads no packet, so the translator applies the answer to its session (see
 * {@link SessionTable#applyTcpTransition(int, int, long)}) and the table of transitions is tested
 * one row at a time.
 *
 * <p>A transition is one {@code int}: the new state in bits 0-7, the timeout kind in bits 8-15;
 * read them with {@link #state(int)} and {@link #timeout(int)}. Nothing allocates.
 *
 * <pre>
 *  state              | from IPv6                      | from IPv4
 *  -------------------+--------------------------------+--------------------------------
 *  CLOSED             | SYN: V6 INIT, trans            | SYN: V4 INIT, trans (*)
 *                     | other: CLOSED (no session)     | other: CLOSED (no session)
 *  V4 INIT            | SYN: ESTABLISHED, est          | -
 *  V6 INIT            | SYN: V6 INIT, trans            | SYN: ESTABLISHED, est
 *  ESTABLISHED        | FIN: V6 FIN RCV                | FIN: V4 FIN RCV
 *                     | RST: TRANS, trans              | RST: TRANS, trans
 *                     | other: est                     | other: est
 *  V4 FIN RCV         | FIN: V4 FIN + V6 FIN RCV, trans| other: est
 *                     | RST: TRANS, trans (+)          | RST: TRANS, trans (+)
 *                     | other: est                     |
 *  V6 FIN RCV         | other: est                     | FIN: V4 FIN + V6 FIN RCV, trans
 *                     | RST: TRANS, trans (+)          | RST: TRANS, trans (+)
 *                     |                                | other: est
 *  V4 FIN + V6 FIN RCV| -                              | -
 *  TRANS              | not RST: ESTABLISHED, est      | not RST: ESTABLISHED, est
 *  "-" = no change, lifetime untouched; trans = TCP_TRANS, est = TCP_EST.
 * </pre>
 *
 * (*) The simultaneous-open / inbound path (RFC 6146 §3.5.2.2, CLOSED state, V4 SYN): with a BIB
 * entry and endpoint-independent filtering the session goes to V4 INIT on the transitory
 * lifetime, as here. Without a BIB entry, or under address-dependent filtering, RFC 6146 makes
 * the NAT64 hold the IPv4 SYN for {@link #INCOMING_SYN_HOLD_NS} waiting for an IPv6 SYN, then
 * answer with ICMP Port Unreachable; that queue is the caller's (it needs the packet).
 *
 * <p>Deliberate deviations, both about RST:
 * <ul>
 *   <li>A segment with RST set counts as an RST whatever else it carries (SYN or FIN): RST aborts
 *   the connection (RFC 9293 §3.10.7), and RFC 6146 does not say which rule wins.</li>
 *   <li>(+) RST in V4 FIN RCV or V6 FIN RCV moves to TRANS on the transitory lifetime, as in
 *   ESTABLISHED. RFC 6146 has no RST rule there, so the RST would refresh TCP_EST and keep a dead
 *   half-closed session for two hours (Jool issue #212 makes the same fix as an option).</li>
 * </ul>
 *
 * <p>The expiry of an ESTABLISHED session (probe, then TRANS) is handled by the sweep in
 * {@link SessionTable#expire(long, int, SessionExpiryHandler)}.
 */
public final class TcpStateMachine
{
    /** No session (RFC 6146 §3.5.2.2 CLOSED). A transition to CLOSED means "create no session". */
    public static final int CLOSED = 0;
    /** An IPv4 SYN opened the session; waiting for the IPv6 SYN. */
    public static final int V4_INIT = 1;
    /** An IPv6 SYN opened the session; waiting for the IPv4 SYN. */
    public static final int V6_INIT = 2;
    /** SYNs seen from both sides. */
    public static final int ESTABLISHED = 3;
    /** The IPv4 side sent FIN. */
    public static final int V4_FIN_RCV = 4;
    /** The IPv6 side sent FIN. */
    public static final int V6_FIN_RCV = 5;
    /** Both sides sent FIN; only the lifetime ends the session. */
    public static final int V4_FIN_V6_FIN_RCV = 6;
    /** After an RST or an expired ESTABLISHED lifetime; any non-RST packet re-establishes. */
    public static final int TRANS = 7;

    /** The packet came from the IPv6 side ("V6" packets in RFC 6146). */
    public static final int FROM_IPV6 = 0;
    /** The packet came from the IPv4 side ("V4" packets in RFC 6146). */
    public static final int FROM_IPV4 = 1;

    /** Leave the session lifetime as it is. */
    public static final int TIMEOUT_UNCHANGED = 0;
    /** Set the lifetime to TCP_TRANS (RFC 6146 §4). */
    public static final int TIMEOUT_TRANSITORY = 1;
    /** Set the lifetime to TCP_EST (RFC 6146 §4). */
    public static final int TIMEOUT_ESTABLISHED = 2;

    /**
     * RFC 6146 §3.5.2.2 / §4 TCP_INCOMING_SYN: how long the caller holds an unsolicited IPv4 SYN
     * waiting for the matching IPv6 SYN before answering ICMP Port Unreachable.
     */
    public static final long INCOMING_SYN_HOLD_NS = TimeUnit.SECONDS.toNanos(6);

    private static final String[] NAMES =
    {
        "CLOSED", "V4 INIT", "V6 INIT", "ESTABLISHED", "V4 FIN RCV", "V6 FIN RCV", "V4 FIN + V6 FIN RCV", "TRANS"
    };

    private static final int SYN = TcpFlyweight.SYN;
    private static final int FIN = TcpFlyweight.FIN;
    private static final int RST = TcpFlyweight.RST;

    private TcpStateMachine()
    {
    }

    /**
     * One step of RFC 6146 §3.5.2.2.
     *
     * @param state     current state; {@link #CLOSED} when no session matched the packet.
     * @param direction {@link #FROM_IPV6} or {@link #FROM_IPV4}.
     * @param tcpFlags  the TCP header's flag bits ({@link TcpFlyweight#FIN}, {@link TcpFlyweight#SYN}, ...).
     * @return the transition: read it with {@link #state(int)} and {@link #timeout(int)}. An
     * unknown state is left unchanged with the lifetime untouched.
     */
    public static int next(final int state, final int direction, final int tcpFlags)
    {
        final boolean fromV6 = FROM_IPV6 == direction;
        final boolean rst = (tcpFlags & RST) != 0;
        final boolean syn = !rst && (tcpFlags & SYN) != 0;    // RST wins over SYN and FIN (see class comment)
        final boolean fin = !rst && (tcpFlags & FIN) != 0;

        switch (state)
        {
            case CLOSED:
                if (syn)
                {
                    // RFC 6146 §3.5.2.2 CLOSED: V6 SYN -> V6 INIT; V4 SYN -> V4 INIT (with a BIB entry, EIF).
                    return transition(fromV6 ? V6_INIT : V4_INIT, TIMEOUT_TRANSITORY);
                }
                // RFC 6146 §3.5.2.2 CLOSED, any other packet: translated only if a BIB entry exists; no session.
                return transition(CLOSED, TIMEOUT_UNCHANGED);

            case V4_INIT:
                if (syn && fromV6)
                {
                    // RFC 6146 §3.5.2.2 V4 INIT: V6 SYN -> ESTABLISHED, lifetime TCP_EST.
                    return transition(ESTABLISHED, TIMEOUT_ESTABLISHED);
                }
                return transition(V4_INIT, TIMEOUT_UNCHANGED);

            case V6_INIT:
                if (syn)
                {
                    // RFC 6146 §3.5.2.2 V6 INIT: V4 SYN -> ESTABLISHED (TCP_EST); V6 SYN refreshes TCP_TRANS.
                    return fromV6 ? transition(V6_INIT, TIMEOUT_TRANSITORY) : transition(ESTABLISHED, TIMEOUT_ESTABLISHED);
                }
                return transition(V6_INIT, TIMEOUT_UNCHANGED);

            case ESTABLISHED:
                if (rst)
                {
                    // RFC 6146 §3.5.2.2 ESTABLISHED: V4 or V6 RST -> TRANS, lifetime TCP_TRANS.
                    return transition(TRANS, TIMEOUT_TRANSITORY);
                }
                if (fin)
                {
                    // RFC 6146 §3.5.2.2 ESTABLISHED: V4 FIN -> V4 FIN RCV, V6 FIN -> V6 FIN RCV.
                    return transition(fromV6 ? V6_FIN_RCV : V4_FIN_RCV, TIMEOUT_UNCHANGED);
                }
                // RFC 6146 §3.5.2.2 ESTABLISHED: any other packet sets the lifetime to TCP_EST.
                return transition(ESTABLISHED, TIMEOUT_ESTABLISHED);

            case V4_FIN_RCV:
                return finReceived(V4_FIN_RCV, fromV6, rst, fin);

            case V6_FIN_RCV:
                return finReceived(V6_FIN_RCV, !fromV6, rst, fin);

            case V4_FIN_V6_FIN_RCV:
                // RFC 6146 §3.5.2.2 V4 FIN + V6 FIN RCV: packets are translated, nothing changes.
                return transition(V4_FIN_V6_FIN_RCV, TIMEOUT_UNCHANGED);

            case TRANS:
                if (rst)
                {
                    return transition(TRANS, TIMEOUT_UNCHANGED);
                }
                // RFC 6146 §3.5.2.2 TRANS: a packet other than RST -> ESTABLISHED, lifetime TCP_EST.
                return transition(ESTABLISHED, TIMEOUT_ESTABLISHED);

            default:
                return transition(state, TIMEOUT_UNCHANGED);
        }
    }

    /**
     * @param transition from {@link #next(int, int, int)}.
     * @return the new state.
     */
    public static int state(final int transition)
    {
        return transition & 0xFF;
    }

    /**
     * @param transition from {@link #next(int, int, int)}.
     * @return {@link #TIMEOUT_UNCHANGED}, {@link #TIMEOUT_TRANSITORY} or {@link #TIMEOUT_ESTABLISHED}.
     */
    public static int timeout(final int transition)
    {
        return (transition >>> 8) & 0xFF;
    }

    /**
     * @param state a state constant.
     * @return RFC 6146's name for it, e.g. {@code "V4 FIN RCV"}, or {@code "UNKNOWN"}.
     */
    public static String name(final int state)
    {
        return state >= 0 && state < NAMES.length ? NAMES[state] : "UNKNOWN";
    }

    /**
     * V4 FIN RCV (or, with the sides swapped, V6 FIN RCV).
     *
     * @param fromOtherSide the packet came from the side that has not sent FIN yet.
     */
    private static int finReceived(final int state, final boolean fromOtherSide, final boolean rst, final boolean fin)
    {
        if (rst)
        {
            // Deviation (+) in the class comment: RFC 6146 has no RST rule in the FIN RCV states.
            return transition(TRANS, TIMEOUT_TRANSITORY);
        }
        if (fin && fromOtherSide)
        {
            // RFC 6146 §3.5.2.2 V4 FIN RCV: V6 FIN -> V4 FIN + V6 FIN RCV, lifetime TCP_TRANS (and mirrored).
            return transition(V4_FIN_V6_FIN_RCV, TIMEOUT_TRANSITORY);
        }
        // RFC 6146 §3.5.2.2 V4/V6 FIN RCV: any other packet sets the lifetime to TCP_EST.
        return transition(state, TIMEOUT_ESTABLISHED);
    }

    private static int transition(final int state, final int timeoutKind)
    {
        return (timeoutKind << 8) | state;
    }
}
