package io.sixgate.daemon.steer;

import java.util.concurrent.TimeUnit;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One worker's hint to the ingest event loops of which flows it has state for: an off-heap table
 * of {@link FlowKey}s with an expiry stamp, written by the worker only, read by the loops that
 * fill its rings. The worker publishes the key of every frame it transmits ({@link
 * KnownFlowPublisher}): a flow it forwards is one its stages let through, so its replies, which
 * have the same symmetric key, belong to a NAT64 session, an egress-only or security-group flow,
 * or a route the worker already serves. When a ring is short of room, ingest admits frames of
 * hinted flows before new ones ({@code IngestRing#admitsNewFlow}).
 *
 * <p><b>A hint is only a queueing priority, never a forwarding decision.</b> It may be stale (the
 * session expired), missing (evicted by a colliding flow, or the flow was idle longer than
 * {@link #LIFETIME_NS}), or shared by another flow whose key falls into the same slot with the
 * same 31-bit tag: every such case only moves a frame ahead of or behind others in the queue.
 * The stages decide the frame's fate as always. Traffic that spoofs a known flow's tuple is
 * admitted as that flow and then dropped by the stage that would have dropped it: it gains
 * nothing beyond the flow it spoofs.
 *
 * <pre>
 *   bucket (32 bytes, {@value #WAYS} entries of 8 bytes):  entry = tag (32 bits) | expiry stamp (32 bits)
 *   tag = high 32 bits of the key with bit 0 set (an empty entry, 0, never matches);
 *   bucket = low bits of the key; stamp = receive time in units of 2^20 ns (about 1 ms), wrapping;
 *   an empty entry is 0.
 * </pre>
 *
 * <p>The worker writes an entry with release semantics only when the flow is not there or has
 * less than half its lifetime left, so a busy flow costs one write per {@code LIFETIME_NS / 2}
 * and the loops' cache lines stay quiet; the loops read with acquire (a plain load on x86). A
 * torn view is impossible (one aligned long per entry). A new flow takes the entry with the least
 * lifetime left in its bucket, so an active flow is evicted only when four newer ones share its
 * bucket.
 */
public final class KnownFlowHints
{
    /** Entries per worker by default: 512 KiB. */
    public static final int DEFAULT_ENTRIES = 1 << 16;
    /** How long a hint lasts after the flow's last transmitted frame. */
    public static final long LIFETIME_NS = TimeUnit.SECONDS.toNanos(10);
    /** A table nothing is published to: every flow is new. Never publish to it. */
    public static final KnownFlowHints NONE = new KnownFlowHints(4);

    static final int WAYS = 4;
    private static final int ENTRY_BYTES = Long.BYTES;
    private static final int STAMP_SHIFT = 20;
    private static final int LIFETIME_STAMPS = (int)(LIFETIME_NS >>> STAMP_SHIFT);
    private static final int REFRESH_STAMPS = LIFETIME_STAMPS / 2;

    private final UnsafeBuffer table;
    private final int bucketMask;

    /**
     * @param entries at least {@value #WAYS}; rounded up to a power of two.
     */
    public KnownFlowHints(final int entries)
    {
        if (entries < WAYS)
        {
            throw new IllegalArgumentException("a hint table needs at least " + WAYS + " entries: " + entries);
        }
        final int capacity = BitUtil.findNextPositivePowerOfTwo(entries);
        this.table = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity * ENTRY_BYTES, BitUtil.CACHE_LINE_LENGTH));
        this.bucketMask = capacity / WAYS - 1;
    }

    /**
     * @return entries the table holds.
     */
    public int entries()
    {
        return (bucketMask + 1) * WAYS;
    }

    /**
     * Worker (the table's only writer): the flow of {@code key} is known until {@code nowNs +
     * LIFETIME_NS}. Writes nothing when the hint already has more than half its lifetime left.
     *
     * @param key   a {@link FlowKey}, not {@link FlowKey#NO_FLOW}.
     * @param nowNs the worker's clock (the daemon's one time base, as the receive stamps).
     */
    public void publish(final long key, final long nowNs)
    {
        final int bucket = bucketOffset(key);
        final int tag = tag(key);
        final int now = stamp(nowNs);
        int victim = bucket;
        int victimLeft = Integer.MAX_VALUE;
        for (int i = 0; i < WAYS; i++)
        {
            final int offset = bucket + i * ENTRY_BYTES;
            final long entry = table.getLong(offset);
            final int left = lifetimeLeft(entry, now);
            if ((int)(entry >>> 32) == tag)
            {
                if (left <= REFRESH_STAMPS)
                {
                    table.putLongRelease(offset, entry(tag, now));
                }
                return;
            }
            if (left < victimLeft)
            {
                victimLeft = left;
                victim = offset;
            }
        }
        table.putLongRelease(victim, entry(tag, now));
    }

    /**
     * Any thread (the ingest loops): whether the flow of {@code key} was published and has not
     * expired at {@code nowNs}, or a colliding flow's hint says so (a priority, see above).
     */
    public boolean isKnown(final long key, final long nowNs)
    {
        final int bucket = bucketOffset(key);
        final int tag = tag(key);
        final int now = stamp(nowNs);
        for (int i = 0; i < WAYS; i++)
        {
            final long entry = table.getLongAcquire(bucket + i * ENTRY_BYTES);
            if ((int)(entry >>> 32) == tag)
            {
                return lifetimeLeft(entry, now) > 0;
            }
        }
        return false;
    }

    /**
     * @return stamps left, or {@link Integer#MIN_VALUE} for an empty or expired entry (the stamps
     * wrap every 2^32, about 52 days: an entry older than its lifetime must not look alive again).
     */
    private static int lifetimeLeft(final long entry, final int now)
    {
        final int left = (int)entry - now;
        return entry == 0 || left <= 0 || left > LIFETIME_STAMPS ? Integer.MIN_VALUE : left;
    }

    private int bucketOffset(final long key)
    {
        return ((int)key & bucketMask) * WAYS * ENTRY_BYTES;
    }

    private static int tag(final long key)
    {
        return (int)(key >>> 32) | 1;
    }

    private static int stamp(final long nowNs)
    {
        return (int)(nowNs >>> STAMP_SHIFT);
    }

    private static long entry(final int tag, final int now)
    {
        return (long)tag << 32 | ((now + LIFETIME_STAMPS) & 0xFFFF_FFFFL);
    }
}
