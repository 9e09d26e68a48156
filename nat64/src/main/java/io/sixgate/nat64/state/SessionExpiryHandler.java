package io.sixgate.nat64.state;

/**
 * What the expiry sweep tells its caller, so the caller can act on the packet side without the
 * table knowing about packets. Both calls happen inside
 * {@link SessionTable#expire(long, int, SessionExpiryHandler)}; the session's fields are readable
 * and the handler must not change the table.
 */
public interface SessionExpiryHandler
{
    /** Ignores both events. */
    SessionExpiryHandler NONE = new SessionExpiryHandler()
    {
    };

    /**
     * An ESTABLISHED TCP session's lifetime ran out. RFC 6146 §3.5.2.2: the NAT64 SHOULD send a
     * probe (a TCP segment that makes the endpoint answer) and the session moved to TRANS on the
     * transitory lifetime; traffic will re-establish it, silence will end it.
     *
     * @param table   the table.
     * @param session the session, now in TRANS.
     */
    default void onTcpProbe(final SessionTable table, final int session)
    {
    }

    /**
     * The session is about to be removed (its BIB entry, pool4 port and quota follow if it was
     * the last session of a dynamic BIB entry).
     *
     * @param table   the table.
     * @param session the session, still readable.
     */
    default void onExpired(final SessionTable table, final int session)
    {
    }
}
