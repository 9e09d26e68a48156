package io.sixgate.daemon.steer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class KnownFlowHintsTest
{
    /** An epoch time, as the daemon's clock gives: its stamps do not fit in 32 bits. */
    private static final long T0 = 1_763_700_000L * 1_000_000_000L;
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final KnownFlowHints hints = new KnownFlowHints(64);

    /** A key in bucket {@code bucket} (of 16) with tag {@code tag}. */
    private static long key(final int bucket, final int tag)
    {
        return (long)tag << 32 | bucket;
    }

    @Test
    void aPublishedFlowIsKnownUntilItsLifetimeRunsOut()
    {
        final long flow = 0x1234_5678_9ABC_DEF0L;
        assertFalse(hints.isKnown(flow, T0));

        hints.publish(flow, T0);

        assertTrue(hints.isKnown(flow, T0));
        assertTrue(hints.isKnown(flow, T0 + KnownFlowHints.LIFETIME_NS - 10 * SECOND / 1000));
        assertFalse(hints.isKnown(flow, T0 + KnownFlowHints.LIFETIME_NS + 2 * SECOND / 1000), "expired");
        assertFalse(hints.isKnown(0x1234_567A_9ABC_DEF0L, T0), "another tag in the same bucket");
    }

    @Test
    void publishingAgainRefreshesOnlyOnceHalfTheLifetimeIsGone()
    {
        final long flow = key(3, 0x100);
        hints.publish(flow, T0);
        // Within the first half: nothing written, so the hint still ends at T0 + lifetime.
        hints.publish(flow, T0 + KnownFlowHints.LIFETIME_NS / 2 - SECOND);
        assertFalse(hints.isKnown(flow, T0 + KnownFlowHints.LIFETIME_NS + SECOND));

        hints.publish(flow, T0 + KnownFlowHints.LIFETIME_NS / 2 + SECOND);
        assertTrue(hints.isKnown(flow, T0 + KnownFlowHints.LIFETIME_NS + SECOND), "refreshed");
    }

    @Test
    void aBucketHoldsFourFlowsAndANewOneEvictsTheOneWithTheLeastLifetimeLeft()
    {
        for (int i = 0; i < 4; i++)
        {
            hints.publish(key(5, 0x10 + 2 * i), T0 + i * SECOND);
        }
        for (int i = 0; i < 4; i++)
        {
            assertTrue(hints.isKnown(key(5, 0x10 + 2 * i), T0 + 4 * SECOND), "flow " + i);
        }

        hints.publish(key(5, 0x40), T0 + 4 * SECOND);

        assertTrue(hints.isKnown(key(5, 0x40), T0 + 4 * SECOND));
        assertFalse(hints.isKnown(key(5, 0x10), T0 + 4 * SECOND), "the oldest went");
        for (int i = 1; i < 4; i++)
        {
            assertTrue(hints.isKnown(key(5, 0x10 + 2 * i), T0 + 4 * SECOND), "flow " + i + " stayed");
        }
        assertFalse(hints.isKnown(key(6, 0x40), T0 + 4 * SECOND), "other buckets untouched");
    }

    @Test
    void collidingKeysShareAHintWhichOnlyMeansTheyShareAPriority()
    {
        // Keys that differ only in bit 32 (the tag's low bit, forced to 1) and above the bucket bits
        // that the table ignores collide: the table cannot tell them apart, by design.
        final long flow = key(9, 0x2000);
        final long twin = key(9, 0x2001);
        hints.publish(flow, T0);

        assertTrue(hints.isKnown(twin, T0));
        assertTrue(hints.isKnown(flow | 1L << 20, T0), "bucket bits above the table's size are ignored");
    }

    @Test
    void expiredEntriesAreReusedBeforeLiveOnes()
    {
        hints.publish(key(2, 0x10), T0);
        hints.publish(key(2, 0x12), T0 + 20 * SECOND);
        hints.publish(key(2, 0x14), T0 + 20 * SECOND);
        hints.publish(key(2, 0x16), T0 + 20 * SECOND);
        hints.publish(key(2, 0x18), T0 + 21 * SECOND);

        for (int tag = 0x12; tag <= 0x18; tag += 2)
        {
            assertTrue(hints.isKnown(key(2, tag), T0 + 21 * SECOND), "tag " + tag);
        }
    }

    @Test
    void aHintLongExpiredDoesNotComeBackWhenTheStampsWrap()
    {
        final long flow = key(1, 0x30);
        hints.publish(flow, T0);
        final long wrap = (1L << 32) << 20;

        assertFalse(hints.isKnown(flow, T0 + wrap / 2));
        assertFalse(hints.isKnown(flow, T0 + wrap - SECOND));
        assertTrue(hints.isKnown(flow, T0 + wrap), "a whole wrap later it looks new again, harmlessly");
    }

    @Test
    void aTableNobodyPublishedToKnowsNothingAtAnyTime()
    {
        assertFalse(KnownFlowHints.NONE.isKnown(key(0, 0), 0));
        assertFalse(KnownFlowHints.NONE.isKnown(key(0, 1), -SECOND));
        assertFalse(new KnownFlowHints(64).isKnown(0, Long.MIN_VALUE + 12345));
        assertEquals(64, hints.entries());
    }
}
