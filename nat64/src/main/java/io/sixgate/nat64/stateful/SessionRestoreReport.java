package io.sixgate.nat64.stateful;

/**
 * What {@link SessionRestore} did with a snapshot's sessions for one shard.
 */
public final class SessionRestoreReport
{
    private final long[] skipped = new long[SnapshotSkipReason.values().length];
    private long restored;
    private long otherWorker;

    void restored()
    {
        restored++;
    }

    void otherWorker()
    {
        otherWorker++;
    }

    void skipped(final SnapshotSkipReason reason)
    {
        skipped[reason.ordinal()]++;
    }

    /**
     * @return sessions now in the shard.
     */
    public long restoredCount()
    {
        return restored;
    }

    /**
     * @return sessions whose pool4 port another worker owns (restored there, not here).
     */
    public long otherWorkerCount()
    {
        return otherWorker;
    }

    public long skippedCount(final SnapshotSkipReason reason)
    {
        return skipped[reason.ordinal()];
    }

    /**
     * @return sessions skipped for any reason.
     */
    public long skippedCount()
    {
        long total = 0;
        for (final long count : skipped)
        {
            total += count;
        }
        return total;
    }

    /**
     * @return e.g. {@code restored 12, skipped 2 (expired 1, not-in-pool4 1)}.
     */
    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("restored ").append(restored).append(", skipped ")
            .append(skippedCount());
        String separator = " (";
        for (final SnapshotSkipReason reason : SnapshotSkipReason.values())
        {
            if (skipped[reason.ordinal()] != 0)
            {
                text.append(separator).append(reason.label()).append(' ').append(skipped[reason.ordinal()]);
                separator = ", ";
            }
        }
        return separator.equals(", ") ? text.append(')').toString() : text.toString();
    }
}
