package io.sixgate.core.neighbour;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.Pipeline;

/**
 * The neighbour cache of one worker: IP address on a port to MAC address, for IPv4 (ARP,
 * RFC 826) and IPv6 (Neighbor Discovery, RFC 4861 §7.3), with the frames that wait for an
 * address to be resolved.
 *
 * <p>Layout: one open-addressing table in primitive arrays (key: port, family and the 128-bit
 * address; linear probing; backward-shift delete), sized at construction for a fixed number of
 * entries, so nothing is allocated after start-up. An entry is addressed by its slot; slots move
 * when an entry is removed, so a slot is only good until the next {@link #remove(int)} or
 * {@link #onTimer(long, TimerHandler)}. Waiting frames form one linked list per entry, threaded
 * through an {@code int} per frame of the pool; their number is bounded per entry and in all.
 *
 * <p>States, RFC 4861 §7.3.2 simplified (the same machine serves ARP):
 * <ul>
 *   <li>{@link #INCOMPLETE}: resolution under way; multicast (ARP: broadcast) solicitations
 *   every {@link #DEFAULT_RETRANS_TIMER_NS}; {@link #MAX_MULTICAST_SOLICIT} retransmission times
 *   after the first one the entry is removed and its waiting frames are handed to
 *   {@link TimerHandler#unresolved(int)};</li>
 *   <li>{@link #REACHABLE}: confirmed by a solicited advertisement (ARP: a reply to our request)
 *   within {@link #DEFAULT_REACHABLE_TIME_NS}; it becomes {@link #STALE} when that runs out,
 *   checked when the entry is used rather than by a timer;</li>
 *   <li>{@link #STALE}: learned without confirmation, or no longer confirmed; still used;</li>
 *   <li>{@link #PROBE}: a STALE entry that was used: unicast solicitations every
 *   {@link #DEFAULT_RETRANS_TIMER_NS} while frames still go to the cached MAC; no answer within
 *   {@link #MAX_UNICAST_SOLICIT} retransmission times removes the entry (RFC 4861 §7.3.3);</li>
 *   <li>{@link #PERMANENT}: configured by hand; advertisements never change it (Linux's
 *   "permanent" state; not in RFC 4861).</li>
 * </ul>
 * Deliberate simplifications: no DELAY state (a used STALE entry is probed at once instead of
 * after DELAY_FIRST_PROBE_TIME, RFC 4861 §7.3.3); ReachableTime is fixed, not randomised
 * (§6.3.2); no reachability hints from upper layers (TCP acknowledgements, §7.3.1); the IsRouter
 * flag is not kept (the gateway never picks a default router from its neighbours). Giving up is
 * due a fixed time after the first solicitation, not after a count of them, so a worker that
 * ticks late (or a capture replay whose clock jumps) gives up on time and skips the missed
 * retransmissions rather than sending them in a burst. Unused STALE
 * entries are removed after {@link #DEFAULT_STALE_LIFETIME_NS} (garbage collection, §7.3.4 leaves
 * the policy open).
 *
 * <p>Single-threaded: one cache per worker, shared by its ARP, NDP and L2 output stages.
 */
public final class NeighbourCache
{
    /** A free slot (never returned as the state of a found entry). */
    public static final int FREE = 0;
    public static final int INCOMPLETE = 1;
    public static final int REACHABLE = 2;
    public static final int STALE = 3;
    public static final int PROBE = 4;
    public static final int PERMANENT = 5;

    /** Returned by lookups that find nothing and by inserts into a full cache. */
    public static final int NOT_FOUND = -1;
    /** An absent MAC: an advertisement without a link-layer address option, an unresolved entry. */
    public static final long NO_MAC = -1L;

    /** Outcome of an update: nothing changed. */
    public static final int UNCHANGED = 0;
    /** Outcome of an update: the MAC or the state of a resolved entry changed. */
    public static final int UPDATED = 1;
    /** Outcome of an update: an INCOMPLETE entry got its MAC; its waiting frames may go. */
    public static final int RESOLVED = 2;
    /** Outcome of an update: the entry is configured and stays as it is. */
    public static final int KEPT_PERMANENT = 3;

    /** RFC 4861 §10 REACHABLE_TIME. */
    public static final long DEFAULT_REACHABLE_TIME_NS = 30_000_000_000L;
    /** RFC 4861 §10 RETRANS_TIMER. */
    public static final long DEFAULT_RETRANS_TIMER_NS = 1_000_000_000L;
    /** RFC 4861 §10 MAX_MULTICAST_SOLICIT (used for ARP too, as RFC 1122 §2.3.2.1 suggests a bound). */
    public static final int MAX_MULTICAST_SOLICIT = 3;
    /** RFC 4861 §10 MAX_UNICAST_SOLICIT. */
    public static final int MAX_UNICAST_SOLICIT = 3;
    /** How long an unused STALE entry is kept (Linux's gc_stale_time). */
    public static final long DEFAULT_STALE_LIFETIME_NS = 60_000_000_000L;
    /** Frames that may wait for one neighbour (RFC 4861 §7.2.2: "a small queue"). */
    public static final int DEFAULT_QUEUE_PER_NEIGHBOUR = 16;
    /** Frames that may wait for all neighbours together. */
    public static final int DEFAULT_QUEUE_TOTAL = 1024;

    /**
     * What the timer scan asks of the stage that sends solicitations and owns the waiting
     * frames. Called from {@link #onTimer(long, TimerHandler)} on the worker thread.
     */
    public interface TimerHandler
    {
        /**
         * Send one solicitation for the entry: multicast (ARP: broadcast) while INCOMPLETE,
         * unicast to {@link #mac(int)} while PROBE.
         */
        void solicit(int slot, boolean unicast);

        /**
         * Resolution of the INCOMPLETE entry failed; take its waiting frames with
         * {@link #dequeue(int)}. The entry is removed when this returns.
         */
        void unresolved(int slot);
    }

    private final int capacity;
    private final int mask;
    private final int[] state;
    private final int[] portKey;
    private final long[] high;
    private final long[] low;
    private final long[] mac;
    private final long[] reachableUntilNs;
    private final long[] lastUsedNs;
    private final long[] nextProbeNs;
    private final long[] giveUpNs;
    private final int[] probes;
    private final int[] queueHead;
    private final int[] queueTail;
    private final int[] queueLength;
    private final int[] nextQueued;
    private final int maxQueuedPerNeighbour;
    private final int maxQueuedTotal;
    private final long reachableTimeNs;
    private final long retransTimerNs;
    private final long staleLifetimeNs;

    private int size;
    private int queuedTotal;
    private long nextTimerNs = Long.MAX_VALUE;

    /**
     * A cache with the RFC 4861 §10 timers and the default queue bounds.
     *
     * @param capacity      most entries held at once, static ones included.
     * @param frameCapacity capacity of the worker's frame pool (handles index the waiting lists).
     */
    public NeighbourCache(final int capacity, final int frameCapacity)
    {
        this(capacity, frameCapacity, DEFAULT_QUEUE_PER_NEIGHBOUR, Math.min(DEFAULT_QUEUE_TOTAL, frameCapacity),
            DEFAULT_REACHABLE_TIME_NS, DEFAULT_RETRANS_TIMER_NS, DEFAULT_STALE_LIFETIME_NS);
    }

    /**
     * @param capacity              most entries held at once, static ones included.
     * @param frameCapacity         capacity of the worker's frame pool.
     * @param maxQueuedPerNeighbour frames that may wait for one neighbour.
     * @param maxQueuedTotal        frames that may wait for all neighbours together.
     * @param reachableTimeNs       how long a confirmation keeps an entry REACHABLE.
     * @param retransTimerNs        time between solicitations.
     * @param staleLifetimeNs       how long an unused STALE entry is kept.
     */
    public NeighbourCache(
        final int capacity,
        final int frameCapacity,
        final int maxQueuedPerNeighbour,
        final int maxQueuedTotal,
        final long reachableTimeNs,
        final long retransTimerNs,
        final long staleLifetimeNs)
    {
        if (capacity <= 0 || capacity > 1 << 24)
        {
            throw new IllegalArgumentException("capacity must be 1..16777216: " + capacity);
        }
        if (maxQueuedPerNeighbour < 1 || maxQueuedTotal < 1)
        {
            throw new IllegalArgumentException("queue bounds must be at least 1");
        }
        if (reachableTimeNs <= 0 || retransTimerNs <= 0 || staleLifetimeNs <= 0)
        {
            throw new IllegalArgumentException("times must be positive");
        }
        this.capacity = capacity;
        // Load factor at most 1/2 keeps probe sequences short.
        final int slots = Integer.highestOneBit(capacity * 2 - 1) << 1;
        this.mask = slots - 1;
        this.state = new int[slots];
        this.portKey = new int[slots];
        this.high = new long[slots];
        this.low = new long[slots];
        this.mac = new long[slots];
        this.reachableUntilNs = new long[slots];
        this.lastUsedNs = new long[slots];
        this.nextProbeNs = new long[slots];
        this.giveUpNs = new long[slots];
        this.probes = new int[slots];
        this.queueHead = new int[slots];
        this.queueTail = new int[slots];
        this.queueLength = new int[slots];
        this.nextQueued = new int[frameCapacity];
        this.maxQueuedPerNeighbour = maxQueuedPerNeighbour;
        this.maxQueuedTotal = maxQueuedTotal;
        this.reachableTimeNs = reachableTimeNs;
        this.retransTimerNs = retransTimerNs;
        this.staleLifetimeNs = staleLifetimeNs;
    }

    /**
     * @return the entry's slot, or {@link #NOT_FOUND}.
     */
    public int find(final int portId, final boolean ipv6, final long addressHigh, final long addressLow)
    {
        final int key = key(portId, ipv6);
        int i = home(key, addressHigh, addressLow);
        while (state[i] != FREE)
        {
            if (low[i] == addressLow && high[i] == addressHigh && portKey[i] == key)
            {
                return i;
            }
            i = (i + 1) & mask;
        }
        return NOT_FOUND;
    }

    public int findIpv4(final int portId, final int address)
    {
        return find(portId, false, 0, address & 0xFFFF_FFFFL);
    }

    public int findIpv6(final int portId, final long addressHigh, final long addressLow)
    {
        return find(portId, true, addressHigh, addressLow);
    }

    /**
     * Starts resolving an address that has no entry: a new INCOMPLETE entry whose first
     * solicitation the caller sends now; the next is due one retransmission time later.
     *
     * @return the new entry's slot, or {@link #NOT_FOUND} when the cache is full.
     */
    public int createIncomplete(
        final int portId, final boolean ipv6, final long addressHigh, final long addressLow, final long nowNs)
    {
        final int slot = insert(portId, ipv6, addressHigh, addressLow, INCOMPLETE, NO_MAC, nowNs);
        if (slot != NOT_FOUND)
        {
            probes[slot] = 1;
            nextProbeNs[slot] = nowNs + retransTimerNs;
            giveUpNs[slot] = nowNs + MAX_MULTICAST_SOLICIT * retransTimerNs;
            nextTimerNs = Math.min(nextTimerNs, nextProbeNs[slot]);
        }
        return slot;
    }

    /**
     * A new STALE entry learned from a neighbour's own message (RFC 4861 §7.2.3: a solicitation's
     * source link-layer address; RFC 826: a request for one of our addresses).
     *
     * @return the new entry's slot, or {@link #NOT_FOUND} when the cache is full.
     */
    public int createStale(
        final int portId, final boolean ipv6, final long addressHigh, final long addressLow, final long macAddress,
        final long nowNs)
    {
        final int slot = insert(portId, ipv6, addressHigh, addressLow, STALE, macAddress, nowNs);
        if (slot != NOT_FOUND)
        {
            nextTimerNs = Math.min(nextTimerNs, nowNs + staleLifetimeNs);
        }
        return slot;
    }

    /**
     * Adds or replaces a configured entry (start-up, not the hot path). Advertisements never
     * change it and it never expires.
     *
     * @throws IllegalStateException when the cache is full.
     */
    public void addPermanent(
        final int portId, final boolean ipv6, final long addressHigh, final long addressLow, final long macAddress)
    {
        int slot = find(portId, ipv6, addressHigh, addressLow);
        if (slot == NOT_FOUND)
        {
            slot = insert(portId, ipv6, addressHigh, addressLow, PERMANENT, macAddress, 0);
            if (slot == NOT_FOUND)
            {
                throw new IllegalStateException("neighbour cache full: " + capacity + " entries");
            }
        }
        state[slot] = PERMANENT;
        mac[slot] = macAddress;
    }

    /**
     * Forgets every configured (PERMANENT) entry, so that a configuration reload can install the
     * file's set again; learned entries stay. Not the hot path: it allocates.
     */
    public void clearPermanent()
    {
        // Removal shifts entries backwards, so collect the keys first, then remove each by lookup.
        final java.util.List<long[]> keys = new java.util.ArrayList<>();
        for (int slot = 0; slot < state.length; slot++)
        {
            if (state[slot] == PERMANENT)
            {
                keys.add(new long[]{portId(slot), isIpv6(slot) ? 1 : 0, high[slot], low[slot]});
            }
        }
        for (final long[] key : keys)
        {
            final int slot = find((int)key[0], key[1] == 1, key[2], key[3]);
            if (slot != NOT_FOUND)
            {
                remove(slot);
            }
        }
    }

    /**
     * The MAC to send a frame to, for the L2 output. Uses the entry: a REACHABLE entry whose
     * reachable time ran out becomes STALE here (RFC 4861 §7.3.3).
     *
     * @return the MAC, or {@link #NO_MAC} while the entry is INCOMPLETE.
     */
    public long macForTransmit(final int slot, final long nowNs)
    {
        final int current = state[slot];
        if (current == INCOMPLETE)
        {
            return NO_MAC;
        }
        if (current == REACHABLE && nowNs - reachableUntilNs[slot] >= 0)
        {
            state[slot] = STALE;
        }
        lastUsedNs[slot] = nowNs;
        return mac[slot];
    }

    /**
     * @return whether the entry is STALE, so that sending to it should start probing it.
     */
    public boolean needsProbe(final int slot)
    {
        return state[slot] == STALE;
    }

    /**
     * A STALE entry is being used: the caller sends the first unicast solicitation now, the entry
     * is PROBE until a solicited advertisement confirms it (RFC 4861 §7.3.3, without DELAY).
     */
    public void startProbe(final int slot, final long nowNs)
    {
        state[slot] = PROBE;
        probes[slot] = 1;
        nextProbeNs[slot] = nowNs + retransTimerNs;
        giveUpNs[slot] = nowNs + MAX_UNICAST_SOLICIT * retransTimerNs;
        nextTimerNs = Math.min(nextTimerNs, nextProbeNs[slot]);
    }

    /**
     * A Neighbor Advertisement for the entry's address, RFC 4861 §7.2.5. The same rules serve an
     * ARP reply to one of our requests (solicited, override).
     *
     * @param targetMac  the Target Link-Layer Address option, or {@link #NO_MAC} when absent.
     * @param solicited  the S flag.
     * @param override   the O flag.
     * @return {@link #RESOLVED}, {@link #UPDATED}, {@link #UNCHANGED} or {@link #KEPT_PERMANENT}.
     */
    public int advertise(
        final int slot, final long targetMac, final boolean solicited, final boolean override, final long nowNs)
    {
        final int current = state[slot];
        if (current == PERMANENT)
        {
            return KEPT_PERMANENT;
        }
        if (current == INCOMPLETE)
        {
            // §7.2.5: without a target link-layer address the advertisement is silently discarded.
            if (targetMac == NO_MAC)
            {
                return UNCHANGED;
            }
            // §7.2.5: record the address; REACHABLE if solicited, STALE otherwise; send the queue.
            mac[slot] = targetMac;
            if (solicited)
            {
                confirm(slot, nowNs);
            }
            else
            {
                makeStale(slot, nowNs);
            }
            return RESOLVED;
        }
        final boolean differs = targetMac != NO_MAC && targetMac != mac[slot];
        if (!override && differs)
        {
            // §7.2.5: O clear and a different address: REACHABLE becomes STALE, the address stays.
            if (current == REACHABLE)
            {
                makeStale(slot, nowNs);
                return UPDATED;
            }
            return UNCHANGED;
        }
        // §7.2.5: O set, or the same (or no) address: take the address, then S decides the state.
        if (differs)
        {
            mac[slot] = targetMac;
        }
        if (solicited)
        {
            confirm(slot, nowNs);
            return UPDATED;
        }
        if (differs)
        {
            makeStale(slot, nowNs);
            return UPDATED;
        }
        return UNCHANGED;
    }

    /**
     * A neighbour's own message names its MAC: a Neighbor Solicitation's Source Link-Layer
     * Address (RFC 4861 §7.2.3), an ARP packet's sender (RFC 826 "merge"). A new MAC makes the
     * entry STALE; the same MAC changes nothing; an INCOMPLETE entry is resolved as STALE.
     *
     * @return {@link #RESOLVED}, {@link #UPDATED}, {@link #UNCHANGED} or {@link #KEPT_PERMANENT}.
     */
    public int learn(final int slot, final long macAddress, final long nowNs)
    {
        final int current = state[slot];
        if (current == PERMANENT)
        {
            return KEPT_PERMANENT;
        }
        if (current == INCOMPLETE)
        {
            mac[slot] = macAddress;
            makeStale(slot, nowNs);
            return RESOLVED;
        }
        if (macAddress == mac[slot])
        {
            return UNCHANGED;
        }
        mac[slot] = macAddress;
        makeStale(slot, nowNs);
        return UPDATED;
    }

    /**
     * Adds a frame to the entry's waiting list.
     *
     * @return {@code false}, leaving the frame to the caller, when the cache already holds
     * its total of waiting frames. The per-entry bound is the caller's: see {@link #isQueueFull(int)}.
     */
    public boolean enqueue(final int slot, final int frame)
    {
        if (queuedTotal >= maxQueuedTotal || queueLength[slot] >= maxQueuedPerNeighbour)
        {
            return false;
        }
        nextQueued[frame] = FramePool.NO_FRAME;
        if (queueLength[slot] == 0)
        {
            queueHead[slot] = frame;
        }
        else
        {
            nextQueued[queueTail[slot]] = frame;
        }
        queueTail[slot] = frame;
        queueLength[slot]++;
        queuedTotal++;
        return true;
    }

    /**
     * Sends every frame waiting for an entry that just resolved on to {@code verdict}, stamped
     * {@code nowNs}: they leave now, so a capture shows them after the answer that released them.
     *
     * @return how many frames were released.
     */
    public int releaseWaiting(final int slot, final Pipeline pipeline, final int verdict, final long nowNs)
    {
        final FramePool pool = pipeline.pool();
        int released = 0;
        int waiting;
        while ((waiting = dequeue(slot)) != FramePool.NO_FRAME)
        {
            pool.timestampNs(waiting, nowNs);
            pipeline.emit(waiting, verdict);
            released++;
        }
        return released;
    }

    /**
     * @return the oldest frame waiting for the entry, now the caller's, or {@link FramePool#NO_FRAME}.
     */
    public int dequeue(final int slot)
    {
        if (queueLength[slot] == 0)
        {
            return FramePool.NO_FRAME;
        }
        final int frame = queueHead[slot];
        queueHead[slot] = nextQueued[frame];
        queueLength[slot]--;
        queuedTotal--;
        return frame;
    }

    /**
     * @return whether the entry holds {@code maxQueuedPerNeighbour} frames already.
     */
    public boolean isQueueFull(final int slot)
    {
        return queueLength[slot] >= maxQueuedPerNeighbour;
    }

    public int queueLength(final int slot)
    {
        return queueLength[slot];
    }

    public int queuedTotal()
    {
        return queuedTotal;
    }

    /**
     * Removes an entry whose waiting list is empty; entries after it may move to other slots.
     */
    public void remove(final int slot)
    {
        if (queueLength[slot] != 0)
        {
            throw new IllegalStateException("neighbour entry still holds " + queueLength[slot] + " frames");
        }
        size--;
        int hole = slot;
        int i = slot;
        while (true)
        {
            i = (i + 1) & mask;
            if (state[i] == FREE)
            {
                break;
            }
            final int home = home(portKey[i], high[i], low[i]);
            // Backward shift: the entry at i may fill the hole unless its home lies in (hole, i].
            final boolean homeBetween = hole <= i ? hole < home && home <= i : hole < home || home <= i;
            if (!homeBetween)
            {
                move(i, hole);
                hole = i;
            }
        }
        state[hole] = FREE;
        queueLength[hole] = 0;
    }

    /**
     * Runs what is due: solicitations to resend, resolutions that failed, probes that failed,
     * STALE entries unused for too long. Cheap when nothing is due (one compare).
     *
     * @return work done.
     */
    public int onTimer(final long nowNs, final TimerHandler handler)
    {
        if (nowNs < nextTimerNs)
        {
            return 0;
        }
        int work = 0;
        long nextProbe = Long.MAX_VALUE;
        long nextCollect = Long.MAX_VALUE;
        int i = 0;
        while (i <= mask)
        {
            final int current = state[i];
            if (current == INCOMPLETE || current == PROBE)
            {
                if (nowNs - giveUpNs[i] >= 0)
                {
                    if (current == INCOMPLETE)
                    {
                        handler.unresolved(i);
                        drainForgotten(i);
                    }
                    // RFC 4861 §7.2.2, §7.3.3: no answer in time removes the entry.
                    remove(i);
                    work++;
                    continue;
                }
                if (nowNs - nextProbeNs[i] >= 0)
                {
                    probes[i]++;
                    nextProbeNs[i] = nowNs + retransTimerNs;
                    handler.solicit(i, current == PROBE);
                    work++;
                }
                nextProbe = Math.min(nextProbe, Math.min(nextProbeNs[i], giveUpNs[i]));
            }
            else if (current == STALE || current == REACHABLE)
            {
                final long unusedUntil = lastUsedNs[i] + staleLifetimeNs;
                final boolean stale = current == STALE || nowNs - reachableUntilNs[i] >= 0;
                if (stale && nowNs - unusedUntil >= 0)
                {
                    remove(i);
                    work++;
                    continue;
                }
                nextCollect = Math.min(nextCollect, Math.max(unusedUntil, reachableUntilNs[i]));
            }
            i++;
        }
        // Collection may wait; a scan per retransmission time at most keeps it cheap.
        nextTimerNs = Math.min(nextProbe,
            nextCollect == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(nextCollect, nowNs + retransTimerNs));
        return work;
    }

    /**
     * @return when {@link #onTimer} next has work, {@link Long#MAX_VALUE} when never.
     */
    public long nextTimerNs()
    {
        return nextTimerNs;
    }

    public int state(final int slot)
    {
        return state[slot];
    }

    public long mac(final int slot)
    {
        return mac[slot];
    }

    public int portId(final int slot)
    {
        return portKey[slot] >>> 1;
    }

    public boolean isIpv6(final int slot)
    {
        return (portKey[slot] & 1) != 0;
    }

    public long addressHigh(final int slot)
    {
        return high[slot];
    }

    public long addressLow(final int slot)
    {
        return low[slot];
    }

    /**
     * @return the entry's IPv4 address (for an IPv4 entry).
     */
    public int ipv4Address(final int slot)
    {
        return (int)low[slot];
    }

    /**
     * @return solicitations sent in the current INCOMPLETE or PROBE episode.
     */
    public int probes(final int slot)
    {
        return probes[slot];
    }

    public int size()
    {
        return size;
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * @return a readable state name, for dumps and tests.
     */
    public static String stateName(final int state)
    {
        switch (state)
        {
            case INCOMPLETE:
                return "INCOMPLETE";
            case REACHABLE:
                return "REACHABLE";
            case STALE:
                return "STALE";
            case PROBE:
                return "PROBE";
            case PERMANENT:
                return "PERMANENT";
            default:
                return "FREE";
        }
    }

    private void confirm(final int slot, final long nowNs)
    {
        state[slot] = REACHABLE;
        reachableUntilNs[slot] = nowNs + reachableTimeNs;
        lastUsedNs[slot] = nowNs;
        probes[slot] = 0;
        nextTimerNs = Math.min(nextTimerNs, nowNs + reachableTimeNs);
    }

    private void makeStale(final int slot, final long nowNs)
    {
        state[slot] = STALE;
        lastUsedNs[slot] = nowNs;
        probes[slot] = 0;
        nextTimerNs = Math.min(nextTimerNs, nowNs + staleLifetimeNs);
    }

    /**
     * The handler must take every waiting frame; should it leave some (a bug), they are unlinked
     * so that the entry can go, rather than the timer throwing on the worker thread.
     */
    private void drainForgotten(final int slot)
    {
        while (queueLength[slot] > 0)
        {
            dequeue(slot);
        }
    }

    private int insert(
        final int portId, final boolean ipv6, final long addressHigh, final long addressLow, final int newState,
        final long macAddress, final long nowNs)
    {
        if (size >= capacity)
        {
            return NOT_FOUND;
        }
        final int key = key(portId, ipv6);
        int i = home(key, addressHigh, addressLow);
        while (state[i] != FREE)
        {
            i = (i + 1) & mask;
        }
        state[i] = newState;
        portKey[i] = key;
        high[i] = addressHigh;
        low[i] = addressLow;
        mac[i] = macAddress;
        reachableUntilNs[i] = nowNs;
        lastUsedNs[i] = nowNs;
        nextProbeNs[i] = 0;
        giveUpNs[i] = 0;
        probes[i] = 0;
        queueLength[i] = 0;
        size++;
        return i;
    }

    private void move(final int from, final int to)
    {
        state[to] = state[from];
        portKey[to] = portKey[from];
        high[to] = high[from];
        low[to] = low[from];
        mac[to] = mac[from];
        reachableUntilNs[to] = reachableUntilNs[from];
        lastUsedNs[to] = lastUsedNs[from];
        nextProbeNs[to] = nextProbeNs[from];
        giveUpNs[to] = giveUpNs[from];
        probes[to] = probes[from];
        queueHead[to] = queueHead[from];
        queueTail[to] = queueTail[from];
        queueLength[to] = queueLength[from];
    }

    private static int key(final int portId, final boolean ipv6)
    {
        return (portId << 1) | (ipv6 ? 1 : 0);
    }

    private int home(final int key, final long addressHigh, final long addressLow)
    {
        long h = addressHigh * 0x9E37_79B9_7F4A_7C15L;
        h ^= addressLow * 0xC2B2_AE3D_27D4_EB4FL;
        h ^= key * 0x1656_67B1_9E37_79F9L;
        h ^= h >>> 29;
        h *= 0xBF58_476D_1CE4_E5B9L;
        h ^= h >>> 32;
        return (int)h & mask;
    }
}
