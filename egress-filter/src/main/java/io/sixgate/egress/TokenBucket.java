package io.sixgate.egress;

/**
 * A token bucket for one address and one direction: {@code rateBytesPerSec} sustained, up to
 * {@code burstBytes} at once, driven by the packet clock (the frame's timestamp in ns), so replay
 * and the live daemon meter alike.
 *
 * <p>Why exact integer arithmetic: tokens are kept in byte-nanoseconds ({@code bytes * 1e9}), so a
 * refill adds {@code elapsedNs * rateBytesPerSec} with no rounding at all; a float or a
 * per-refill division would lose a fraction of a byte on every packet, and at small packets and
 * high rates that drift is what pushes a measured rate past a few percent. The elapsed time is
 * capped at the time to fill the bucket before multiplying, so the product cannot overflow.
 *
 * <p>A packet that does not fit is refused whole (no debt), which is what a policer does.
 * Not thread-safe: one owner (the worker). Allocates nothing.
 */
public final class TokenBucket
{
    /** Nanoseconds per second, the scale of a token. */
    public static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** Largest rate: 5000 Mbit/s is 625 000 000 bytes/s; a margin above it. */
    public static final long MAX_RATE_BYTES_PER_SEC = 1_250_000_000L;

    /** Largest burst, so that {@code burst * 1e9} fits a long with room. */
    public static final long MAX_BURST_BYTES = 1L << 32;

    private final long rateBytesPerSec;
    private final long burstBytes;
    private final long capacity;
    private final long fillNs;
    private long tokens;
    private long lastNs = Long.MIN_VALUE;
    private long refused;
    private long conforming;

    /**
     * @param rateBytesPerSec sustained rate, 1 to {@link #MAX_RATE_BYTES_PER_SEC}.
     * @param burstBytes      bucket depth, 1 to {@link #MAX_BURST_BYTES}; starts full.
     */
    public TokenBucket(final long rateBytesPerSec, final long burstBytes)
    {
        if (rateBytesPerSec <= 0 || rateBytesPerSec > MAX_RATE_BYTES_PER_SEC)
        {
            throw new IllegalArgumentException(
                "rate must be in [1, " + MAX_RATE_BYTES_PER_SEC + "] bytes/s: " + rateBytesPerSec);
        }
        if (burstBytes <= 0 || burstBytes > MAX_BURST_BYTES)
        {
            throw new IllegalArgumentException("burst must be in [1, " + MAX_BURST_BYTES + "] bytes: " + burstBytes);
        }
        this.rateBytesPerSec = rateBytesPerSec;
        this.burstBytes = burstBytes;
        this.capacity = burstBytes * NANOS_PER_SECOND;
        this.fillNs = capacity / rateBytesPerSec + 1;
        this.tokens = capacity;
    }

    /**
     * @param mbitPerSec a cloud bandwidth figure, megabits (10^6) per second.
     * @return the rate in bytes per second.
     */
    public static long bytesPerSecond(final int mbitPerSec)
    {
        return mbitPerSec * 1_000_000L / 8;
    }

    /**
     * Refills for the time since the last call, then takes {@code bytes} if they are there.
     *
     * @param bytes the packet's length on the wire at L3.
     * @param nowNs packet clock; a clock that goes back refills nothing.
     * @return whether the packet conforms (and was charged).
     */
    public boolean tryConsume(final int bytes, final long nowNs)
    {
        refill(nowNs);
        final long cost = bytes * NANOS_PER_SECOND;
        if (tokens >= cost)
        {
            tokens -= cost;
            conforming++;
            return true;
        }
        refused++;
        return false;
    }

    private void refill(final long nowNs)
    {
        if (lastNs == Long.MIN_VALUE)
        {
            lastNs = nowNs;
            return;
        }
        final long elapsedNs = nowNs - lastNs;
        if (elapsedNs <= 0)
        {
            return;
        }
        lastNs = nowNs;
        if (elapsedNs >= fillNs)
        {
            tokens = capacity;
            return;
        }
        final long filled = tokens + elapsedNs * rateBytesPerSec;
        tokens = filled > capacity ? capacity : filled;
    }

    public long rateBytesPerSec()
    {
        return rateBytesPerSec;
    }

    public long burstBytes()
    {
        return burstBytes;
    }

    /**
     * @return whole bytes available now (as of the last call).
     */
    public long availableBytes()
    {
        return tokens / NANOS_PER_SECOND;
    }

    /** Packets refused since creation. */
    public long refused()
    {
        return refused;
    }

    /** Packets that conformed since creation. */
    public long conforming()
    {
        return conforming;
    }
}
