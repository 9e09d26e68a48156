package io.sixgate.daemon.steer;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.nat64.state.SessionProtocol;

/**
 * Which worker holds each static BIB entry, by its IPv4 side (protocol, pool4 address, pool4
 * port): the exceptions to the pool4 partition rule. A static entry lives on the worker its IPv6
 * side steers to (so the server's own traffic finds it), which is usually not the owner of its
 * pool4 port; IPv4 packets to that port must go to the entry's worker instead.
 *
 * <p>Immutable: the control plane builds a new one for each change and swaps it into
 * {@link FlowSteering}; the ingest threads read whichever they see. Lookups are a binary search
 * over packed keys and allocate nothing.
 */
public final class StaticBibSteering
{
    /** No static entries. */
    public static final StaticBibSteering EMPTY = new StaticBibSteering(new long[0], new int[0]);

    /** {@link #workerOf} when no static entry has that IPv4 side. */
    public static final int NONE = -1;

    private final long[] keys;
    private final int[] workers;

    private StaticBibSteering(final long[] keys, final int[] workers)
    {
        this.keys = keys;
        this.workers = workers;
    }

    /**
     * @param key from {@link #key(int, int, int)}, to the worker that holds the entry.
     */
    public static StaticBibSteering of(final Map<Long, Integer> byKey)
    {
        final TreeMap<Long, Integer> sorted = new TreeMap<>(byKey);
        final long[] keys = new long[sorted.size()];
        final int[] workers = new int[sorted.size()];
        int i = 0;
        for (final Map.Entry<Long, Integer> entry : sorted.entrySet())
        {
            keys[i] = entry.getKey();
            workers[i] = entry.getValue();
            i++;
        }
        return new StaticBibSteering(keys, workers);
    }

    /**
     * @param protocol a {@link SessionProtocol} index.
     * @return the packed IPv4 side of an entry: protocol, address, port.
     */
    public static long key(final int protocol, final int pool4Address, final int pool4Port)
    {
        return ((long)protocol << 48) | ((pool4Address & 0xFFFF_FFFFL) << 16) | (pool4Port & 0xFFFF);
    }

    /**
     * @return the worker holding the static entry at (protocol, address, port), or {@link #NONE}.
     */
    public int workerOf(final int protocol, final int pool4Address, final int pool4Port)
    {
        if (keys.length == 0)
        {
            return NONE;
        }
        final int i = Arrays.binarySearch(keys, key(protocol, pool4Address, pool4Port));
        return i < 0 ? NONE : workers[i];
    }

    public int size()
    {
        return keys.length;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder("StaticBibSteering{");
        for (int i = 0; i < keys.length; i++)
        {
            text.append(i == 0 ? "" : ", ").append(SessionProtocol.name((int)(keys[i] >>> 48))).append(' ')
                .append(Ipv4Address.format((int)(keys[i] >>> 16))).append('#').append(keys[i] & 0xFFFF)
                .append(" -> ").append(workers[i]);
        }
        return text.append('}').toString();
    }
}
