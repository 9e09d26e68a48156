package io.sixgate.daemon.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.neighbour.NeighbourCache;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.core.route.ForwardingTable;
import io.sixgate.core.stage.Ipv4ForwardStage;
import io.sixgate.core.stage.Ipv6ForwardStage;
import io.sixgate.core.stage.L2OutputStage;
import io.sixgate.core.stage.StageNames;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.config.Nat64StatefulSettings;
import io.sixgate.daemon.pipeline.GatewayPipelineFactory;
import io.sixgate.daemon.steer.StaticBibPlacement;
import io.sixgate.nat64.state.BibTable;
import io.sixgate.nat64.state.SessionTable;
import io.sixgate.nat64.state.StateFailure;
import io.sixgate.nat64.stateful.EipTable;
import io.sixgate.nat64.stateful.Nat64Shard;
import io.sixgate.nat64.stateful.StaticBibEntry;

/**
 * Puts a reloaded configuration's run-time parts in force on every worker, all or nothing:
 * routes, neighbours, the static BIB entries of the file (the workers end up holding exactly
 * those), EIP bindings, NAT64 lifetimes, the IPv6 gateway's policy and egress-only lifetimes
 * (the file's rules replace those made through the admin API), and the network ACLs and security
 * groups. Sessions and flows are never
 * removed: a static entry the file dropped becomes dynamic and lives as long as its sessions.
 *
 * <p>Runs on paused workers ({@link PausedWorkers}): {@link #check} looks at every worker and
 * refuses the reload (a new entry clashes with a mapping that stays, a holder's table has no
 * room) before {@link #apply} changes any of them, and nothing moves in between. A new entry goes
 * to its holder, with its port reserved on the port's owner ({@link StaticBibPlacement}).
 */
final class ReloadPlan
{
    /**
     * What the reload changed on the workers, for the report.
     */
    record Applied(List<String> staticBibAdded, List<String> staticBibRemoved, List<String> eipAdded,
        List<String> eipRemoved, List<String> ipv6GatewayChanges)
    {
    }

    private final GatewayConfig next;
    private final ForwardingTable forwarding;
    private final Nat64StatefulSettings stateful;
    private final StaticBibBook book;
    private final StaticBibPlacement placement;
    private final List<StaticBibEntry> toRemove = new ArrayList<>();
    private final List<StaticBibEntry> toAdd = new ArrayList<>();

    /**
     * @param next the reloaded configuration, validated, with nothing that needs a restart.
     * @param book the static entries in force.
     */
    ReloadPlan(final GatewayConfig next, final StaticBibBook book)
    {
        this.next = next;
        this.forwarding = GatewayPipelineFactory.forwardingTable(next);
        this.stateful = next.nat64() != null && next.nat64().isStateful() ? next.nat64().stateful() : null;
        this.book = book;
        this.placement = book.placement();
        if (stateful != null)
        {
            final Set<StaticBibEntry> wanted = new LinkedHashSet<>(stateful.staticBib());
            for (final StaticBibEntry entry : book.active())
            {
                if (!wanted.contains(entry))
                {
                    toRemove.add(entry);
                }
            }
            for (final StaticBibEntry entry : stateful.staticBib())
            {
                if (!book.active().contains(entry))
                {
                    toAdd.add(entry);
                }
            }
        }
    }

    /**
     * Refuses the reload, with the key and why, when a new static entry cannot be added once the
     * removed ones are gone. Changes nothing.
     */
    void check(final PausedWorkers paused)
    {
        if (stateful == null)
        {
            return;
        }
        final Map<Integer, Integer> addedPerHolder = new HashMap<>();
        for (final StaticBibEntry entry : toAdd)
        {
            final String path = "nat64.static-bib[" + stateful.staticBib().indexOf(entry) + "]";
            final int holder = placement.holder(entry);
            final BibTable holderBibs = Nat64Commands.shard(paused.worker(holder)).sessions().bibs();
            // The IPv6 side lives on the holder only.
            clash(paused, path, entry, holder,
                holderBibs.find6(entry.protocol(), entry.ipv6High(), entry.ipv6Low(), entry.ipv6Port()));
            // The IPv4 side: another static entry (wherever it lives), or a flow the owner mapped there.
            final StaticBibEntry there = book.at4(entry.protocol(), entry.pool4Address(), entry.pool4Port());
            final int where = there != null ? placement.holder(there) : placement.owner(entry);
            clash(paused, path, entry, where, Nat64Commands.shard(paused.worker(where)).sessions().bibs()
                .find4(entry.protocol(), entry.pool4Address(), entry.pool4Port()));
            addedPerHolder.merge(holder, 1, Integer::sum);
        }
        for (final Map.Entry<Integer, Integer> added : addedPerHolder.entrySet())
        {
            final BibTable bibs = Nat64Commands.shard(paused.worker(added.getKey())).sessions().bibs();
            int freed = 0;
            for (final StaticBibEntry gone : toRemove)
            {
                if (placement.holder(gone) == added.getKey())
                {
                    freed += bibs.sessionCount(bibs.find4(gone.protocol(), gone.pool4Address(), gone.pool4Port())) == 0
                        ? 1 : 0;
                }
            }
            if (bibs.size() - freed + added.getValue() > bibs.capacity())
            {
                throw new WorkerRefusal(ControlException.CONFLICT, "reload refused: nat64.static-bib: the BIB table ("
                    + bibs.capacity() + " entries, " + (paused.count() == 1 ? "" : "worker " + added.getKey() + "'s share of ")
                    + "nat64.max-sessions) has no room for " + added.getValue() + " more entries; the running"
                    + " configuration stays");
            }
        }
    }

    /**
     * Refuses the reload when the entry at {@code bib} of {@code worker} stays and clashes with
     * the new one; an entry this reload removes frees its place when no session uses it.
     */
    private void clash(final PausedWorkers paused, final String path, final StaticBibEntry entry, final int worker,
        final int bib)
    {
        if (bib == BibTable.NOT_FOUND)
        {
            return;
        }
        final BibTable bibs = Nat64Commands.shard(paused.worker(worker)).sessions().bibs();
        final StaticBibEntry existing = entry(bibs, bib);
        if (bibs.isStatic(bib) && toRemove.contains(existing))
        {
            if (bibs.sessionCount(bib) == 0)
            {
                return;
            }
            throw new WorkerRefusal(ControlException.CONFLICT, "reload refused: " + path + ": " + describe(entry)
                + " takes the place of " + describe(existing) + ", which " + bibs.sessionCount(bib)
                + " sessions still use; drop the old entry in one reload and add the new one once they end;"
                + " the running configuration stays");
        }
        throw new WorkerRefusal(ControlException.CONFLICT, "reload refused: " + path + ": " + describe(entry)
            + " clashes with the " + (bibs.isStatic(bib) ? "static" : "dynamic") + " entry "
            + describe(existing) + " (" + bibs.sessionCount(bib) + " sessions); the running configuration stays");
    }

    /**
     * Puts the new configuration in force on every paused worker; {@link #check} passed.
     */
    Applied apply(final PausedWorkers paused)
    {
        final List<String> bibAdded = new ArrayList<>();
        final List<String> bibRemoved = new ArrayList<>();
        final List<String> eipAdded = new ArrayList<>();
        final List<String> eipRemoved = new ArrayList<>();
        if (stateful != null)
        {
            for (final StaticBibEntry gone : toRemove)
            {
                final int holder = placement.holder(gone);
                final SessionTable sessions = Nat64Commands.shard(paused.worker(holder)).sessions();
                final int bib = sessions.bibs().find4(gone.protocol(), gone.pool4Address(), gone.pool4Port());
                final int left = sessions.bibs().sessionCount(bib);
                sessions.removeStaticBib(bib);
                if (left == 0 && placement.owner(gone) != holder)
                {
                    Nat64Commands.shard(paused.worker(placement.owner(gone))).pool4()
                        .release(gone.protocol(), gone.pool4Address(), gone.pool4Port());
                }
                book.remove(gone, left);
                bibRemoved.add(describe(gone) + (left == 0 ? "" : " (dynamic until its " + left + " sessions end)"));
            }
            for (final StaticBibEntry entry : toAdd)
            {
                final int holder = placement.holder(entry);
                final SessionTable sessions = Nat64Commands.shard(paused.worker(holder)).sessions();
                final int bib = sessions.addStaticBib(entry.protocol(), entry.ipv6High(), entry.ipv6Low(),
                    entry.ipv6Port(), entry.pool4Address(), entry.pool4Port());
                if (bib < 0)
                {
                    // The checks make this a bug; the entries before it stay in force and are reported.
                    throw new IllegalStateException("static BIB entry " + describe(entry) + " refused after the checks: "
                        + StateFailure.ofCode(bib).label());
                }
                if (placement.owner(entry) != holder)
                {
                    Nat64Commands.shard(paused.worker(placement.owner(entry))).pool4()
                        .reserve(entry.protocol(), entry.pool4Address(), entry.pool4Port());
                }
                book.add(entry);
                bibAdded.add(describe(entry));
            }
            book.publish();
            final EipTable before = Nat64Commands.shard(paused.worker(0)).eip();
            diff(before, stateful.eip(), eipAdded);
            diff(stateful.eip(), before, eipRemoved);
            for (int w = 0; w < paused.count(); w++)
            {
                final Nat64Shard shard = Nat64Commands.shard(paused.worker(w));
                shard.eip(stateful.eip());
                shard.timeouts(stateful.timeouts(), stateful.incomingSynHoldNs());
            }
        }
        List<String> ipv6GatewayChanges = List.of();
        for (int w = 0; w < paused.count(); w++)
        {
            swapTables(paused.worker(w).pipeline());
            // Every worker keeps the same policy: worker 0's changes are everyone's.
            final List<String> changed = Ipv6GatewayCommands.reload(paused.worker(w), next.ipv6Gateway());
            ipv6GatewayChanges = w == 0 ? changed : ipv6GatewayChanges;
            VpcFirewallCommands.reload(paused.worker(w), next.firewall());
        }
        return new Applied(bibAdded, bibRemoved, eipAdded, eipRemoved, ipv6GatewayChanges);
    }

    private void swapTables(final Pipeline pipeline)
    {
        for (final String name : new String[]{StageNames.IPV4_FORWARD, StageNames.IPV4_OUTPUT})
        {
            final Stage stage = pipeline.hasStage(name) ? pipeline.stage(name) : null;
            if (stage instanceof Ipv4ForwardStage)
            {
                ((Ipv4ForwardStage)stage).forwardingTable(forwarding);
            }
        }
        for (final String name : new String[]{StageNames.IPV6_FORWARD, StageNames.IPV6_OUTPUT})
        {
            final Stage stage = pipeline.hasStage(name) ? pipeline.stage(name) : null;
            if (stage instanceof Ipv6ForwardStage)
            {
                ((Ipv6ForwardStage)stage).forwardingTable(forwarding);
            }
        }
        final Stage l2 = pipeline.hasStage(StageNames.L2_OUTPUT) ? pipeline.stage(StageNames.L2_OUTPUT) : null;
        if (l2 instanceof L2OutputStage)
        {
            // The file's neighbours replace the configured ones; learned entries stay.
            final NeighbourCache cache = ((L2OutputStage)l2).cache();
            cache.clearPermanent();
            GatewayPipelineFactory.addPermanentNeighbours(next, cache);
        }
    }

    private static void diff(final EipTable from, final EipTable to, final List<String> onlyInTo)
    {
        for (int i = 0; i < to.size(); i++)
        {
            final int publicAddress = to.publicAddress(i);
            if (!from.isPublic(publicAddress) || from.toPrivate(publicAddress) != to.privateAddress(i))
            {
                onlyInTo.add(Ipv4Address.format(publicAddress) + " -> " + Ipv4Address.format(to.privateAddress(i)));
            }
        }
    }

    private static StaticBibEntry entry(final BibTable bibs, final int bib)
    {
        return new StaticBibEntry(bibs.protocol(bib), bibs.src6High(bib), bibs.src6Low(bib), bibs.src6Port(bib),
            bibs.pool4Address(bib), bibs.pool4Port(bib));
    }

    private static String describe(final StaticBibEntry entry)
    {
        return Nat64Commands.describe(entry.protocol(), entry.ipv6High(), entry.ipv6Low(), entry.ipv6Port(),
            entry.pool4Address(), entry.pool4Port());
    }
}
