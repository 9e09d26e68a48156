package io.sixgate.nat64.stateful;


import io.sixgate.nat64.state.BibTable;
import io.sixgate.nat64.state.Pool4;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.state.StateFailure;
import io.sixgate.nat64.state.TcpStateMachine;

/**
 * Puts the sessions of a {@link SessionSnapshot} back into a freshly built shard, before its
 * worker starts: same pool4 transport address (T, t), same TCP state, lifetimes re-armed on the
 * shard's clock minus the time the gateway was down. What the new configuration cannot hold is
 * skipped and counted by {@link SnapshotSkipReason}, never thrown.
 *
 * <p>With several workers each shard owns part of the pool4 ports, and IPv4 replies are steered
 * to a port's owner (a static BIB entry's port to the entry's holder); so every worker restores
 * from the same snapshot only the sessions {@code ownership} says are its own (the others are
 * another worker's, not skipped).
 *
 * <p>Start-up only (allocates a report).
 */
public final class SessionRestore
{
    private SessionRestore()
    {
    }

    /**
     * @param snapshot         what the stopped gateway wrote.
     * @param shard            a shard no worker runs yet.
     * @param nowNs            the shard's clock now: deadlines become {@code nowNs + left - downtime}.
     * @param wallClockEpochNs the wall clock now (epoch ns); the downtime is its distance from
     *                         {@link SessionSnapshot#writtenAtEpochNs()} (none if the clock went back).
     * @param ownership        which sessions are this shard's ({@link SessionOwnership#EVERY_SESSION} for one worker).
     * @return what was restored and what was skipped, by reason.
     */
    public static SessionRestoreReport into(
        final SessionSnapshot snapshot,
        final Nat64Shard shard,
        final long nowNs,
        final long wallClockEpochNs,
        final SessionOwnership ownership)
    {
        final long downtimeNs = Math.max(0, wallClockEpochNs - snapshot.writtenAtEpochNs());
        final SessionRestoreReport report = new SessionRestoreReport();
        final Pool4 pool4 = shard.pool4();
        final BibTable bibs = shard.sessions().bibs();
        for (int r = 0; r < snapshot.count(); r++)
        {
            final int protocol = snapshot.protocol(r);
            final int pool4Port = snapshot.pool4Port(r);
            if (!ownership.owns(protocol, snapshot.pool4Address(r), pool4Port))
            {
                report.otherWorker();
                continue;
            }
            final int tcpState = snapshot.tcpState(r);
            if (!SessionProtocol.isValid(protocol) ||
                (SessionProtocol.TCP == protocol && (tcpState < TcpStateMachine.CLOSED || tcpState > TcpStateMachine.TRANS)))
            {
                report.skipped(SnapshotSkipReason.BAD_RECORD);
                continue;
            }
            final long leftNs = snapshot.remainingNs(r) - downtimeNs;
            if (leftNs <= 0)
            {
                // Deliberate simplification: an ESTABLISHED TCP session past its lifetime is not
                // moved to TRANS as the sweep would (RFC 6146 §3.5.2.2); it idled out while we were down.
                report.skipped(SnapshotSkipReason.EXPIRED);
                continue;
            }
            final int pool4Address = snapshot.pool4Address(r);
            if (!pool4.contains(pool4Address))
            {
                report.skipped(SnapshotSkipReason.NOT_IN_POOL4);
                continue;
            }
            final long src6High = snapshot.src6High(r);
            final long src6Low = snapshot.src6Low(r);
            final int src6Port = snapshot.src6Port(r);
            final int bib = bibs.find6(protocol, src6High, src6Low, src6Port);
            if (BibTable.NOT_FOUND == bib && BibTable.NOT_FOUND != bibs.find4(protocol, pool4Address, pool4Port))
            {
                // (T, t) belongs to another IPv6 transport address now (a static BIB entry changed).
                report.skipped(SnapshotSkipReason.MAPPING_CLASH);
                continue;
            }
            if (BibTable.NOT_FOUND == bib && !pool4.range(protocol).contains(pool4Port))
            {
                // Only a static BIB entry (configuration) may hold a port outside the dynamic range.
                report.skipped(SnapshotSkipReason.PORT_OUTSIDE_RANGE);
                continue;
            }
            final int session = shard.create6At(protocol, src6High, src6Low, src6Port, pool4Address, pool4Port,
                snapshot.remote4Address(r), snapshot.remotePort(r), tcpState, nowNs + leftNs);
            if (session < 0)
            {
                report.skipped(SnapshotSkipReason.of(StateFailure.ofCode(session)));
                continue;
            }
            report.restored();
        }
        return report;
    }
}
