package io.sixgate.nat64.state;

import io.sixgate.core.pipeline.DropReason;

/**
 * Why the state tables refused to create a BIB entry or a session. The hot path returns the
 * negative {@link #code()} in place of an entry index (no exception, no object); the caller
 * turns it back into the enum with {@link #ofCode(int)} to count it under its label.
 *
 * <p>Codes start at -2 because -1 is {@code NOT_FOUND} for lookups.
 */
public enum StateFailure implements DropReason
{
    /** Every session entry is in use: the global session cap (RFC 6888 REQ-4 style limit). */
    SESSION_TABLE_FULL("session-table-full"),
    /** Every BIB entry is in use. */
    BIB_TABLE_FULL("bib-table-full"),
    /**
     * No free pool4 port in the range for this protocol: RFC 6146 §3.5.1.1 says the packet is
     * discarded and an ICMPv6 Destination Unreachable, Code 3 (Address Unreachable) SHOULD be sent.
     */
    POOL4_EXHAUSTED("pool4-exhausted"),
    /** The IPv6 source (subscriber) holds its maximum of BIB entries (RFC 6888 REQ-4). */
    SOURCE_BIB_QUOTA("source-bib-quota"),
    /** The IPv6 source (subscriber) holds its maximum of sessions. */
    SOURCE_SESSION_QUOTA("source-session-quota"),
    /** The quota table has no room for another IPv6 source. */
    SOURCE_TABLE_FULL("source-table-full"),
    /** A session with the same 5-tuple exists: look up before creating. */
    SESSION_EXISTS("session-exists"),
    /** A static BIB entry would clash with an existing entry on its IPv6 or IPv4 side. */
    BIB_EXISTS("bib-exists"),
    /** A static BIB entry names an IPv4 address that is not in pool4. */
    NOT_IN_POOL4("not-in-pool4"),
    /** The BIB entry named for a new session is not live. */
    NO_BIB("no-bib"),
    /** The protocol index is not one of {@link SessionProtocol}'s, or a port is outside 0-65535. */
    BAD_ARGUMENT("bad-argument");

    private static final StateFailure[] BY_ORDINAL = values();

    private final String label;

    StateFailure(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }

    /**
     * @return the negative value returned in place of an entry index: -2, -3, ...
     */
    public int code()
    {
        return -2 - ordinal();
    }

    /**
     * @param code a negative result from a create method.
     * @return the failure, or {@code null} when {@code code} is not a failure code (an index, or -1).
     */
    public static StateFailure ofCode(final int code)
    {
        final int ordinal = -2 - code;
        return ordinal >= 0 && ordinal < BY_ORDINAL.length ? BY_ORDINAL[ordinal] : null;
    }
}
