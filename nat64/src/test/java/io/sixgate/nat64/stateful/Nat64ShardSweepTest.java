package io.sixgate.nat64.stateful;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sixgate.nat64.state.PortRange;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.state.SessionTableConfig;

import org.junit.jupiter.api.Test;

/**
 * The expiry sweep is paced by the packet clock: one pass over the used table per period, however
 * many packets and ticks ask for it, never more than one pass owed, and none without time passing;
 * it goes in runs of slots, not one slot at a time.
 */
class Nat64ShardSweepTest
{
    private static final long PERIOD_NS = 1L << Nat64Shard.SWEEP_PERIOD_SHIFT;
    private static final long T0 = 1_000_000_000_000L;
    private static final long CLIENT_HIGH = 0x2001_0db8_ffff_0000L;
    private static final int SERVER = 0xC633_6407;

    @Test
    void visitsOnePassPerPeriodAtAnyPacketRate()
    {
        try (StatefulTestbed bed = bedWith(4096))
        {
            final Nat64Shard shard = bed.shard();
            shard.sweep(T0, 8);
            final long before = shard.sessions().slotsVisited();
            // A packet every microsecond for one period: 8 slots each would be 4 M visits.
            final int packets = (int)(PERIOD_NS / 1_000);
            for (int i = 1; i <= packets; i++)
            {
                shard.sweep(T0 + i * 1_000L, 8);
            }
            final long visited = shard.sessions().slotsVisited() - before;
            // In runs of the packet's budget (8): what is left of the pass waits for the next run.
            assertTrue(visited >= 4096 - 8 && visited <= 4096, "one pass over 4096 used slots, not " + visited);
        }
    }

    @Test
    void aLongSilenceOwesOnePassTakenOverTheNextCalls()
    {
        try (StatefulTestbed bed = bedWith(100))
        {
            final Nat64Shard shard = bed.shard();
            shard.sweep(T0, 8);
            final long before = shard.sessions().slotsVisited();
            shard.sweep(T0 + 3_600_000_000_000L, 8);
            assertEquals(8, shard.sessions().slotsVisited() - before, "capped by the call's budget");
            for (int i = 0; i < 100; i++)
            {
                shard.sweep(T0 + 3_600_000_000_000L, 8);          // the clock stands still
            }
            final long visited = shard.sessions().slotsVisited() - before;
            assertTrue(visited > 100 - 8 && visited <= 100, "an hour owes one pass, not 6700: " + visited);
            shard.sweep(T0 + 3_600_000_000_000L + PERIOD_NS, 4096);
            assertTrue(shard.sessions().slotsVisited() - before >= 100, "the rest comes with the next period");
        }
    }

    @Test
    void expiredSessionsGoWithinAPeriodOfTheirDeadline()
    {
        try (StatefulTestbed bed = bedWith(1000))
        {
            final Nat64Shard shard = bed.shard();
            shard.sweep(T0, 8);
            final long deadline = T0 + 60_000_000_000L;
            long now = T0;
            while (shard.sessions().size() > 0 && now < deadline + 2 * PERIOD_NS)
            {
                now += 10_000;                                   // 100 000 packets a second
                shard.sweep(now, 8);
            }
            assertEquals(0, shard.sessions().size());
            assertTrue(now <= deadline + PERIOD_NS + 10_000, (now - deadline) / 1e6 + " ms late");
        }
    }

    /** A shard holding {@code sessions} UDP sessions that all expire at T0 + 60 s. */
    private static StatefulTestbed bedWith(final int sessions)
    {
        final StatefulTestbed bed = new StatefulTestbed(new PortRange(1024, 65535),
            SessionTableConfig.of(sessions, sessions, sessions, 5), false);
        for (int i = 0; i < sessions; i++)
        {
            final int session = bed.shard().create6(SessionProtocol.UDP, CLIENT_HIGH, 1 + i, 10_000, SERVER, 53, 0,
                T0 + 60_000_000_000L);
            assertTrue(session >= 0, "session " + i);
        }
        return bed;
    }
}
