package io.sixgate.egress;

import io.sixgate.core.testing.AllocationMeter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenBucketTest
{
    private static final long SECOND = TokenBucket.NANOS_PER_SECOND;

    @Test
    void startsFullAndRefusesBeyondBurst()
    {
        final TokenBucket bucket = new TokenBucket(1000, 3000);
        assertTrue(bucket.tryConsume(1500, 0));
        assertTrue(bucket.tryConsume(1500, 0));
        assertFalse(bucket.tryConsume(1, 0));
        assertEquals(1, bucket.refused());
    }

    @Test
    void refillsExactlyAtTheRate()
    {
        final TokenBucket bucket = new TokenBucket(1000, 1000);
        assertTrue(bucket.tryConsume(1000, 0));
        assertFalse(bucket.tryConsume(1, SECOND / 1000 - 1));    // 0.999 bytes earned
        assertTrue(bucket.tryConsume(1, SECOND / 1000));          // now exactly 1
        assertFalse(bucket.tryConsume(1, SECOND / 1000));
    }

    @Test
    void neverHoldsMoreThanTheBurst()
    {
        final TokenBucket bucket = new TokenBucket(1000, 2000);
        bucket.tryConsume(0, 0);
        bucket.tryConsume(0, 3600 * SECOND);
        assertEquals(2000, bucket.availableBytes());
    }

    @Test
    void aClockGoingBackRefillsNothing()
    {
        final TokenBucket bucket = new TokenBucket(1000, 1000);
        assertTrue(bucket.tryConsume(1000, 10 * SECOND));
        assertFalse(bucket.tryConsume(1, 5 * SECOND));
    }

    /** Offered load at twice the cap for ten seconds: the conforming rate is within 1% of the cap. */
    @Test
    void measuredRateIsWithinOnePercentOfTheCapUnderOverload()
    {
        final int mbit = 100;
        final long rate = TokenBucket.bytesPerSecond(mbit);
        final TokenBucket bucket = new TokenBucket(rate, 15_000);
        final int packet = 1280;
        final long gapNs = packet * SECOND / (2 * rate);     // offered: 2x the cap
        long passedBytes = 0;
        long now = 0;
        final long end = 10 * SECOND;
        while (now < end)
        {
            if (bucket.tryConsume(packet, now))
            {
                passedBytes += packet;
            }
            now += gapNs;
        }
        final double measured = (passedBytes - 15_000) * (double)SECOND / end;
        assertEquals(rate, measured, rate * 0.01);
    }

    /** A burst of a few packets is enough: no fraction of a byte is lost between refills. */
    @Test
    void smallPacketsAtHighRateStayPrecise()
    {
        final long rate = TokenBucket.bytesPerSecond(5000);
        final TokenBucket bucket = new TokenBucket(rate, 640);
        long passed = 0;
        for (long now = 0; now < SECOND / 10; now += 37)
        {
            if (bucket.tryConsume(64, now))
            {
                passed += 64;
            }
        }
        assertEquals(rate / 10.0, passed, rate / 10.0 * 0.01);
    }

    @Test
    void refusesBadParameters()
    {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(TokenBucket.MAX_RATE_BYTES_PER_SEC + 1, 1));
    }

    @Test
    void consumingAllocatesNothing()
    {
        final TokenBucket bucket = new TokenBucket(1_000_000, 10_000);
        final long[] now = {0};
        assertEquals(0, AllocationMeter.leastBytesAllocatedBy(() ->
        {
            for (int i = 0; i < 10_000; i++)
            {
                bucket.tryConsume(100, now[0] += 1000);
            }
        }));
    }
}
