package io.sixgate.daemon.control;

import java.util.List;

/**
 * A bounded snapshot of the session table.
 *
 * @param total     live sessions in the table (all workers), whatever the filter.
 * @param truncated whether more sessions matched than {@code sessions} holds (the limit).
 * @param sessions  the matching sessions, at most the limit asked for.
 */
public record SessionListing(long total, boolean truncated, List<SessionView> sessions)
{
    public SessionListing
    {
        sessions = List.copyOf(sessions);
    }
}
