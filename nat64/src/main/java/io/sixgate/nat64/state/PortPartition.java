package io.sixgate.nat64.state;

/**
 * How the workers' NAT64 shards share pool4: every port number (and ICMP identifier) belongs to
 * exactly one worker, so that an IPv4 packet to a pool4 transport address can be steered to the
 * worker whose shard made the mapping, by its destination port alone.
 *
 * <p>The rule: ports go in pairs {@code (2k, 2k + 1)}, and pair {@code k} belongs to worker
 * {@code k mod workers}. The same for every pool4 address and every protocol. Why pairs dealt
 * round-robin rather than one block per worker: every worker gets an even and an odd port of
 * every stretch of {@code 2 * workers} ports, so inside its part a worker still keeps the port
 * parity (RFC 4787 REQ-4) and has ports in both the well-known range 0-1023 and 1024-65535
 * (RFC 4787 REQ-3, RFC 6146 §3.5.1.1), and a narrow configured range is shared evenly.
 *
 * @param worker  the worker whose part this is, 0 to {@code workers - 1}.
 * @param workers how many workers share pool4, 1 to {@link #MAX_WORKERS}.
 */
public record PortPartition(int worker, int workers)
{
    /** Most workers pool4 can be shared among: each still gets 8 pairs of the well-known range. */
    public static final int MAX_WORKERS = 64;

    /** One worker owns every port. */
    public static final PortPartition WHOLE = new PortPartition(0, 1);

    /**
     * @throws IllegalArgumentException if the counts are out of range.
     */
    public PortPartition
    {
        if (workers < 1 || workers > MAX_WORKERS || worker < 0 || worker >= workers)
        {
            throw new IllegalArgumentException("a port partition needs 1 <= workers <= " + MAX_WORKERS
                + " and 0 <= worker < workers: " + worker + " of " + workers);
        }
    }

    /**
     * @param port    a port or ICMP identifier, 0-65535.
     * @param workers how many workers share pool4.
     * @return the worker that owns it.
     */
    public static int owner(final int port, final int workers)
    {
        return ((port & 0xFFFF) >>> 1) % workers;
    }

    /**
     * @return whether this worker's part holds the port.
     */
    public boolean owns(final int port)
    {
        return owner(port, workers) == worker;
    }

    /**
     * @return whether this part is all of pool4 (one worker).
     */
    public boolean isWhole()
    {
        return workers == 1;
    }

    /**
     * @return how many ports of {@code first..last} (inclusive) this worker owns.
     */
    public int ownedIn(final int first, final int last)
    {
        int count = 0;
        for (int port = first; port <= last; port++)
        {
            count += owns(port) ? 1 : 0;
        }
        return count;
    }

    @Override
    public String toString()
    {
        return "worker " + worker + " of " + workers;
    }
}
