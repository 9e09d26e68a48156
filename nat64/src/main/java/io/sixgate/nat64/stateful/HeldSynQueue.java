package io.sixgate.nat64.stateful;

import io.sixgate.core.frame.FramePool;

/**
 * The unsolicited IPv4 SYNs stateful NAT64 holds (RFC 6146 §3.5.2.2): a SYN from the IPv4 side
 * whose destination has no BIB entry (or, with address-dependent filtering, no session with its
 * source) waits {@code TCP_INCOMING_SYN} seconds for the IPv6 SYN of a simultaneous open. If one
 * comes, the held SYN is dropped silently ("MUST silently drop the original unsolicited inbound
 * SYN packet", RFC 5382 REQ-4 as RFC 6146 §3.5.2.2 takes it over); if none, the NAT64 answers
 * with ICMP Port Unreachable.
 *
 * <p>Frames stay in the worker's pool meanwhile (the stage returned {@code CONSUMED}). A bounded
 * ring in arrival order: deadlines are arrival + one constant, so the oldest expires first. A
 * SYN taken out of the middle leaves a hole that expiry skips. Nothing allocates.
 *
 * <p>A held IPv6 SYN is a hairpinned one (RFC 6146 §3.8): its IPv4 form would be answered on the
 * IPv6 side, so the original IPv6 packet is held and answered with ICMPv6 Port Unreachable.
 */
public final class HeldSynQueue
{
    /** Returned by {@link #findForIpv6Syn} when no held SYN matches. */
    public static final int NOT_FOUND = -1;

    private final int capacity;
    private final int[] frames;
    private final long[] deadlines;
    private final int[] pool4Addresses;
    private final int[] pool4Ports;
    private final int[] remoteAddresses;
    private final int[] remotePorts;
    private final boolean[] ipv6;
    private int head;
    private int count;
    private int live;

    public HeldSynQueue(final int capacity)
    {
        this.capacity = capacity;
        frames = new int[capacity];
        deadlines = new long[capacity];
        pool4Addresses = new int[capacity];
        pool4Ports = new int[capacity];
        remoteAddresses = new int[capacity];
        remotePorts = new int[capacity];
        ipv6 = new boolean[capacity];
    }

    /**
     * Holds a SYN.
     *
     * @return {@code false} when the queue is full (the caller drops the SYN and counts it).
     */
    public boolean hold(
        final int frame, final long deadlineNs, final int pool4Address, final int pool4Port, final int remote4,
        final int remotePort, final boolean isIpv6)
    {
        if (count == capacity)
        {
            compact();
            if (count == capacity)
            {
                return false;
            }
        }
        final int slot = (head + count) % capacity;
        frames[slot] = frame;
        deadlines[slot] = deadlineNs;
        pool4Addresses[slot] = pool4Address;
        pool4Ports[slot] = pool4Port;
        remoteAddresses[slot] = remote4;
        remotePorts[slot] = remotePort;
        ipv6[slot] = isIpv6;
        count++;
        live++;
        return true;
    }

    /**
     * @return whether an IPv4 SYN from (Z, z) to (T, t) is already held (a retransmission).
     */
    public boolean isHeld(final int pool4Address, final int pool4Port, final int remote4, final int remotePort)
    {
        for (int i = 0; i < count; i++)
        {
            final int slot = (head + i) % capacity;
            if (frames[slot] != FramePool.NO_FRAME && !ipv6[slot] && remoteAddresses[slot] == remote4 &&
                remotePorts[slot] == remotePort && pool4Ports[slot] == pool4Port && pool4Addresses[slot] == pool4Address)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * The held IPv4 SYN an IPv6 SYN to (Z, z) answers: a simultaneous open. When several remote
     * SYNs from (Z, z) are held, the one whose pool4 port equals the IPv6 source port wins.
     *
     * @return the slot, for {@link #pool4Address(int)}, {@link #pool4Port(int)} and
     * {@link #take(int)}, or {@link #NOT_FOUND}.
     */
    public int findForIpv6Syn(final int remote4, final int remotePort, final int ipv6SourcePort)
    {
        int found = NOT_FOUND;
        for (int i = 0; i < count; i++)
        {
            final int slot = (head + i) % capacity;
            if (frames[slot] != FramePool.NO_FRAME && !ipv6[slot] && remoteAddresses[slot] == remote4 &&
                remotePorts[slot] == remotePort)
            {
                if (pool4Ports[slot] == ipv6SourcePort)
                {
                    return slot;
                }
                if (found == NOT_FOUND)
                {
                    found = slot;
                }
            }
        }
        return found;
    }

    public int pool4Address(final int slot)
    {
        return pool4Addresses[slot];
    }

    public int pool4Port(final int slot)
    {
        return pool4Ports[slot];
    }

    /**
     * Takes a held SYN out of the queue.
     *
     * @return its frame, now the caller's.
     */
    public int take(final int slot)
    {
        final int frame = frames[slot];
        frames[slot] = FramePool.NO_FRAME;
        live--;
        return frame;
    }

    /**
     * @return the slot of the oldest held SYN whose deadline is at or before {@code nowNs}, or
     * {@link #NOT_FOUND}; take it with {@link #take(int)} before asking again.
     */
    public int nextExpired(final long nowNs)
    {
        while (count > 0)
        {
            if (frames[head] == FramePool.NO_FRAME)
            {
                head = (head + 1) % capacity;
                count--;
                continue;
            }
            if (deadlines[head] > nowNs)
            {
                return NOT_FOUND;
            }
            final int slot = head;
            head = (head + 1) % capacity;
            count--;
            return slot;
        }
        return NOT_FOUND;
    }

    /**
     * @return whether the held frame came from the IPv6 side (a hairpinned SYN).
     */
    public boolean isIpv6(final int slot)
    {
        return ipv6[slot];
    }

    /**
     * @return SYNs held now.
     */
    public int size()
    {
        return live;
    }

    public int capacity()
    {
        return capacity;
    }

    /**
     * Releases every held frame (shutdown, or the end of a replay that wants its frames back).
     *
     * @return frames released.
     */
    public int releaseAll(final FramePool pool)
    {
        int released = 0;
        for (int i = 0; i < count; i++)
        {
            final int slot = (head + i) % capacity;
            if (frames[slot] != FramePool.NO_FRAME)
            {
                pool.release(frames[slot]);
                frames[slot] = FramePool.NO_FRAME;
                released++;
            }
        }
        head = 0;
        count = 0;
        live = 0;
        return released;
    }

    /** Closes the holes that {@link #take(int)} left, keeping arrival order. */
    private void compact()
    {
        int write = 0;
        for (int i = 0; i < count; i++)
        {
            final int slot = (head + i) % capacity;
            if (frames[slot] != FramePool.NO_FRAME)
            {
                final int target = (head + write) % capacity;
                if (target != slot)
                {
                    frames[target] = frames[slot];
                    deadlines[target] = deadlines[slot];
                    pool4Addresses[target] = pool4Addresses[slot];
                    pool4Ports[target] = pool4Ports[slot];
                    remoteAddresses[target] = remoteAddresses[slot];
                    remotePorts[target] = remotePorts[slot];
                    ipv6[target] = ipv6[slot];
                    frames[slot] = FramePool.NO_FRAME;
                }
                write++;
            }
        }
        count = write;
    }
}
