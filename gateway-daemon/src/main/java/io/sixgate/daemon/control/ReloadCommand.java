package io.sixgate.daemon.control;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
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
import io.sixgate.daemon.config.Ipv6GatewayConfig;
import io.sixgate.daemon.pipeline.GatewayPipelineFactory;
import io.sixgate.nat64.state.BibTable;
import io.sixgate.nat64.state.Nat64Timeouts;
import io.sixgate.nat64.state.SessionTable;
import io.sixgate.nat64.stateful.EipTable;
import io.sixgate.nat64.stateful.Nat64Shard;
import io.sixgate.nat64.stateful.StaticBibEntry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a reloaded configuration's run-time parts in force on the worker, all or nothing:
 * routes, neighbours, the static BIB entries of the file (the table ends up holding exactly
 * those), EIP bindings, NAT64 lifetimes, and the IPv6 gateway's policy and egress-only lifetimes
 * (the file's rules replace those made through the admin API). Sessions and flows are never removed: a static entry the
 * file dropped becomes dynamic and lives as long as its sessions.
 *
 * <p>First, in slices, it reads the static entries the table holds now; then, in one step, it
 * checks that every new entry fits (no clash with a mapping that stays, room in the table)
 * before it changes anything, and refuses the reload otherwise.
 */
final class ReloadCommand extends WorkerCommand<ReloadCommand.Applied>
{
    /**
     * What the reload changed on the worker, for the report.
     */
    record Applied(List<String> staticBibAdded, List<String> staticBibRemoved, List<String> eipAdded,
        List<String> eipRemoved, List<String> ipv6GatewayChanges)
    {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ReloadCommand.class);

    private final ForwardingTable forwarding;
    /** The reloaded configuration, whose neighbours replace the configured (permanent) ones. */
    private final GatewayConfig neighbours;
    private final List<StaticBibEntry> staticBib;
    private final EipTable eip;
    private final Nat64Timeouts timeouts;
    private final long incomingSynHoldNs;
    private final Ipv6GatewayConfig ipv6Gateway;
    private final List<StaticBibEntry> live = new ArrayList<>();
    private int cursor;

    /**
     * @param staticBib   the file's static BIB entries, or {@code null} without stateful NAT64 (and then
     *                    {@code eip} and {@code timeouts} are {@code null} too).
     * @param ipv6Gateway the file's {@code ipv6-gateway} section, or {@code null} without one.
     */
    ReloadCommand(final ForwardingTable forwarding, final GatewayConfig neighbours,
        final List<StaticBibEntry> staticBib, final EipTable eip, final Nat64Timeouts timeouts,
        final long incomingSynHoldNs, final Ipv6GatewayConfig ipv6Gateway)
    {
        this.forwarding = forwarding;
        this.neighbours = neighbours;
        this.staticBib = staticBib;
        this.eip = eip;
        this.timeouts = timeouts;
        this.incomingSynHoldNs = incomingSynHoldNs;
        this.ipv6Gateway = ipv6Gateway;
    }

    @Override
    protected boolean execute(final WorkerState worker)
    {
        final Nat64Shard shard = worker.shard();
        if (staticBib != null && shard == null)
        {
            throw new WorkerRefusal(ControlException.CONFLICT, "reload refused: the worker runs no stateful NAT64");
        }
        if (shard != null && staticBib != null)
        {
            final BibTable bibs = shard.sessions().bibs();
            final int end = Math.min(bibs.capacity(), cursor + Nat64Commands.SLICE);
            for (int bib = cursor; bib < end; bib++)
            {
                if (bibs.isInUse(bib) && bibs.isStatic(bib))
                {
                    live.add(entry(bibs, bib));
                }
            }
            cursor = end;
            if (cursor < bibs.capacity())
            {
                return false;
            }
        }
        final List<String> bibAdded = new ArrayList<>();
        final List<String> bibRemoved = new ArrayList<>();
        if (shard != null && staticBib != null)
        {
            syncStaticBib(shard.sessions(), bibAdded, bibRemoved);
        }
        swapTables(worker.pipeline());
        final List<String> eipAdded = new ArrayList<>();
        final List<String> eipRemoved = new ArrayList<>();
        if (shard != null && eip != null)
        {
            diff(shard.eip(), eip, eipAdded);
            diff(eip, shard.eip(), eipRemoved);
            shard.eip(eip);
            shard.timeouts(timeouts, incomingSynHoldNs);
        }
        // Last: nothing can refuse the reload from here on.
        final List<String> ipv6GatewayChanges = Ipv6GatewayCommands.reload(worker, ipv6Gateway);
        complete(new Applied(bibAdded, bibRemoved, eipAdded, eipRemoved, ipv6GatewayChanges));
        return true;
    }

    private void syncStaticBib(final SessionTable sessions, final List<String> added, final List<String> removed)
    {
        final BibTable bibs = sessions.bibs();
        final Set<StaticBibEntry> wanted = new LinkedHashSet<>(staticBib);
        final Set<StaticBibEntry> toRemove = new LinkedHashSet<>(live);
        toRemove.removeAll(wanted);
        final List<StaticBibEntry> independent = new ArrayList<>();
        final List<StaticBibEntry> dependent = new ArrayList<>();
        int freed = 0;
        for (final StaticBibEntry gone : toRemove)
        {
            freed += bibs.sessionCount(bibs.find4(gone.protocol(), gone.pool4Address(), gone.pool4Port())) == 0 ? 1 : 0;
        }
        for (int i = 0; i < staticBib.size(); i++)
        {
            final StaticBibEntry entry = staticBib.get(i);
            if (live.contains(entry))
            {
                continue;
            }
            final int by4 = bibs.find4(entry.protocol(), entry.pool4Address(), entry.pool4Port());
            final int by6 = bibs.find6(entry.protocol(), entry.ipv6High(), entry.ipv6Low(), entry.ipv6Port());
            final boolean waits4 = clash(bibs, by4, toRemove, i, entry);
            final boolean waits6 = clash(bibs, by6, toRemove, i, entry);
            (waits4 || waits6 ? dependent : independent).add(entry);
        }
        if (bibs.size() - freed + independent.size() + dependent.size() > bibs.capacity())
        {
            throw new WorkerRefusal(ControlException.CONFLICT, "reload refused: nat64.static-bib: the BIB table ("
                + bibs.capacity() + " entries, nat64.max-sessions) has no room for " + (independent.size()
                + dependent.size()) + " more entries; the running configuration stays");
        }

        final List<StaticBibEntry> done = new ArrayList<>();
        add(sessions, independent, done, List.of());
        final List<StaticBibEntry> removedEntries = new ArrayList<>();
        for (final StaticBibEntry gone : toRemove)
        {
            final int bib = bibs.find4(gone.protocol(), gone.pool4Address(), gone.pool4Port());
            final int left = bibs.sessionCount(bib);
            sessions.removeStaticBib(bib);
            removedEntries.add(gone);
            removed.add(describe(gone) + (left == 0 ? "" : " (dynamic until its " + left + " sessions end)"));
        }
        add(sessions, dependent, done, removedEntries);
        for (final StaticBibEntry entry : done)
        {
            added.add(describe(entry));
        }
    }

    /**
     * @return {@code true} when the entry at {@code bib} goes in this reload and frees the place;
     * refuses the reload when the new entry clashes with one that stays.
     */
    private boolean clash(final BibTable bibs, final int bib, final Set<StaticBibEntry> toRemove, final int index,
        final StaticBibEntry entry)
    {
        if (bib == BibTable.NOT_FOUND)
        {
            return false;
        }
        final String path = "nat64.static-bib[" + index + "]";
        if (bibs.isStatic(bib) && toRemove.contains(entry(bibs, bib)))
        {
            if (bibs.sessionCount(bib) == 0)
            {
                return true;
            }
            throw new WorkerRefusal(ControlException.CONFLICT, "reload refused: " + path + ": " + describe(entry)
                + " takes the place of " + describe(entry(bibs, bib)) + ", which " + bibs.sessionCount(bib)
                + " sessions still use; drop the old entry in one reload and add the new one once they end;"
                + " the running configuration stays");
        }
        throw new WorkerRefusal(ControlException.CONFLICT, "reload refused: " + path + ": " + describe(entry)
            + " clashes with the " + (bibs.isStatic(bib) ? "static" : "dynamic") + " entry "
            + describe(entry(bibs, bib)) + " (" + bibs.sessionCount(bib) + " sessions); the running configuration stays");
    }

    private void add(final SessionTable sessions, final List<StaticBibEntry> entries, final List<StaticBibEntry> done,
        final List<StaticBibEntry> removedEntries)
    {
        for (final StaticBibEntry entry : entries)
        {
            final int bib = sessions.addStaticBib(entry.protocol(), entry.ipv6High(), entry.ipv6Low(), entry.ipv6Port(),
                entry.pool4Address(), entry.pool4Port());
            if (bib < 0)
            {
                final WorkerRefusal refusal = Nat64Commands.refusal(sessions, entry, bib);
                rollBack(sessions, done, removedEntries);
                throw new WorkerRefusal(ControlException.CONFLICT, "reload refused: nat64.static-bib: "
                    + refusal.getMessage() + "; the running configuration stays");
            }
            done.add(entry);
        }
    }

    /**
     * Undoes the entries added so far and puts back the removed ones whose place is free again.
     * A removed entry that still had sessions stayed in the table as a dynamic one: it cannot be
     * made static again, which is said in the log (the pre-checks make this path unlikely).
     */
    private static void rollBack(final SessionTable sessions, final List<StaticBibEntry> added,
        final List<StaticBibEntry> removedEntries)
    {
        final BibTable bibs = sessions.bibs();
        for (final StaticBibEntry entry : added)
        {
            sessions.removeStaticBib(bibs.find4(entry.protocol(), entry.pool4Address(), entry.pool4Port()));
        }
        for (final StaticBibEntry entry : removedEntries)
        {
            if (sessions.addStaticBib(entry.protocol(), entry.ipv6High(), entry.ipv6Low(), entry.ipv6Port(),
                entry.pool4Address(), entry.pool4Port()) < 0)
            {
                LOG.error("reload rolled back, but static BIB entry {} stays dynamic until its sessions end",
                    describe(entry));
            }
        }
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
            GatewayPipelineFactory.addPermanentNeighbours(neighbours, cache);
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
