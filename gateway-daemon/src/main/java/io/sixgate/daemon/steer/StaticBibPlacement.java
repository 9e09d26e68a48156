package io.sixgate.daemon.steer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.sixgate.nat64.state.PortPartition;
import io.sixgate.nat64.stateful.StaticBibEntry;

/**
 * Where a static BIB entry lives among several workers. Its <em>holder</em> is the home worker
 * of its IPv6 address ({@link FlowSteering#ipv6Home}): the server's own outbound traffic goes
 * there, finds the entry, and creates its sessions there. Its pool4 port belongs, in the pool4
 * partition, to the port's <em>owner</em>, usually another worker: there the port is reserved
 * (no BIB entry, only taken out of the owner's dynamic pool) so that the owner never maps a flow
 * to it, and the steering sends IPv4 packets for the port to the holder
 * ({@link StaticBibSteering}).
 */
public final class StaticBibPlacement
{
    private final FlowSteering steering;

    public StaticBibPlacement(final FlowSteering steering)
    {
        this.steering = steering;
    }

    /**
     * @return the worker that holds the entry (its IPv6 address's home).
     */
    public int holder(final StaticBibEntry entry)
    {
        return steering.ipv6Home(entry.ipv6High(), entry.ipv6Low());
    }

    /**
     * @return the worker whose part of pool4 holds the entry's port.
     */
    public int owner(final StaticBibEntry entry)
    {
        return PortPartition.owner(entry.pool4Port(), steering.workers());
    }

    /**
     * @return the entries {@code worker} holds, in the given order.
     */
    public List<StaticBibEntry> heldBy(final Collection<StaticBibEntry> entries, final int worker)
    {
        final List<StaticBibEntry> held = new ArrayList<>();
        for (final StaticBibEntry entry : entries)
        {
            if (holder(entry) == worker)
            {
                held.add(entry);
            }
        }
        return held;
    }

    /**
     * @return the entries whose port {@code worker} reserves for another worker's entry.
     */
    public List<StaticBibEntry> reservedOn(final Collection<StaticBibEntry> entries, final int worker)
    {
        final List<StaticBibEntry> reserved = new ArrayList<>();
        for (final StaticBibEntry entry : entries)
        {
            if (owner(entry) == worker && holder(entry) != worker)
            {
                reserved.add(entry);
            }
        }
        return reserved;
    }

    /**
     * @return the steering exceptions for these entries: the IPv4 side of each entry whose holder
     * is not its port's owner, to the holder.
     */
    public StaticBibSteering steeringOf(final Collection<StaticBibEntry> entries)
    {
        final Map<Long, Integer> byKey = new HashMap<>();
        for (final StaticBibEntry entry : entries)
        {
            if (holder(entry) != owner(entry))
            {
                byKey.put(StaticBibSteering.key(entry.protocol(), entry.pool4Address(), entry.pool4Port()),
                    holder(entry));
            }
        }
        return StaticBibSteering.of(byKey);
    }
}
