package io.sixgate.daemon.control;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.sixgate.daemon.steer.FlowSteering;
import io.sixgate.daemon.steer.StaticBibPlacement;
import io.sixgate.nat64.stateful.StaticBibEntry;

/**
 * The control plane's record of the static BIB entries in force, and of the removed ones whose
 * sessions still use them ("draining": the holder keeps such an entry as a dynamic one until its
 * last session ends). Static entries change only through the control plane, so this record is
 * what the workers hold; it tells where each entry lives ({@link StaticBibPlacement}) and which
 * IPv4 sides the steering must send to their holder.
 *
 * <p>A draining entry keeps its steering exception and its port's reservation on the owner,
 * because its sessions still need both; {@link ControlPlane} lets it go once the holder's entry
 * is gone, checked at the next static BIB change, listing or reload.
 *
 * <p>Not thread-safe: used under the control plane's lock.
 */
final class StaticBibBook
{
    private final StaticBibPlacement placement;
    private final FlowSteering steering;
    private final Set<StaticBibEntry> active = new LinkedHashSet<>();
    private final Set<StaticBibEntry> draining = new LinkedHashSet<>();

    StaticBibBook(final FlowSteering steering, final List<StaticBibEntry> configured)
    {
        this.steering = steering;
        this.placement = new StaticBibPlacement(steering);
        active.addAll(configured);
    }

    StaticBibPlacement placement()
    {
        return placement;
    }

    /**
     * @return the entries in force, in the order they were added.
     */
    List<StaticBibEntry> active()
    {
        return new ArrayList<>(active);
    }

    /**
     * @return removed entries that may still have sessions.
     */
    List<StaticBibEntry> draining()
    {
        return new ArrayList<>(draining);
    }

    /**
     * @return the active or draining entry with this IPv4 side, or {@code null}.
     */
    StaticBibEntry at4(final int protocol, final int pool4Address, final int pool4Port)
    {
        for (final Set<StaticBibEntry> set : List.of(active, draining))
        {
            for (final StaticBibEntry entry : set)
            {
                if (entry.protocol() == protocol && entry.pool4Address() == pool4Address && entry.pool4Port() == pool4Port)
                {
                    return entry;
                }
            }
        }
        return null;
    }

    boolean isDraining(final StaticBibEntry entry)
    {
        return draining.contains(entry);
    }

    void add(final StaticBibEntry entry)
    {
        active.add(entry);
    }

    /**
     * @param sessionsLeft sessions of the entry when it was removed: with some it drains.
     */
    void remove(final StaticBibEntry entry, final int sessionsLeft)
    {
        active.remove(entry);
        if (sessionsLeft > 0)
        {
            draining.add(entry);
        }
    }

    /**
     * The holder's entry is gone: forget it.
     */
    void drained(final StaticBibEntry entry)
    {
        draining.remove(entry);
    }

    /**
     * Puts the steering exceptions of every active and draining entry in force.
     */
    void publish()
    {
        final List<StaticBibEntry> all = new ArrayList<>(active);
        all.addAll(draining);
        steering.staticBib(placement.steeringOf(all));
    }
}
