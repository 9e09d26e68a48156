package io.sixgate.nat64.stateful;

import io.sixgate.core.pipeline.DropReason;
import io.sixgate.nat64.state.StateFailure;

/**
 * Why a session of a snapshot was not restored into a shard ({@link SessionRestore}). Start-up
 * only: the restore counts each one here and the daemon logs the counts; nothing crashes.
 */
public enum SnapshotSkipReason implements DropReason
{
    /** Its lifetime ran out, counting the time the gateway was down. */
    EXPIRED("expired"),
    /** Its pool4 address is no longer in pool4 (RFC 6146 §3.5.1.1: pool4 is configuration). */
    NOT_IN_POOL4("not-in-pool4"),
    /** Its pool4 port is outside the protocol's configured range and no static BIB entry holds it. */
    PORT_OUTSIDE_RANGE("port-outside-range"),
    /** The session, BIB or subscriber table of the new configuration is full. */
    TABLE_FULL("table-full"),
    /** The subscriber's BIB or session quota of the new configuration is used up (RFC 6888 REQ-4). */
    SOURCE_QUOTA("source-quota"),
    /** Its IPv6 or IPv4 transport address is mapped otherwise now (a static BIB entry changed). */
    MAPPING_CLASH("mapping-clash"),
    /** A protocol, TCP state or port no version of sixgate writes. */
    BAD_RECORD("bad-record");

    private final String label;

    SnapshotSkipReason(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }

    /**
     * @return the reason a refused {@link Nat64Shard#create6At} stands for.
     */
    static SnapshotSkipReason of(final StateFailure failure)
    {
        if (failure == null)
        {
            return BAD_RECORD;
        }
        switch (failure)
        {
            case SESSION_TABLE_FULL:
            case BIB_TABLE_FULL:
            case SOURCE_TABLE_FULL:
            case POOL4_EXHAUSTED:
                return TABLE_FULL;
            case SOURCE_BIB_QUOTA:
            case SOURCE_SESSION_QUOTA:
                return SOURCE_QUOTA;
            case SESSION_EXISTS:
            case BIB_EXISTS:
                return MAPPING_CLASH;
            case NOT_IN_POOL4:
                return NOT_IN_POOL4;
            default:
                return BAD_RECORD;
        }
    }
}
