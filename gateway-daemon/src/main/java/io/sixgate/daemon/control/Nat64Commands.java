package io.sixgate.daemon.control;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.nat64.address.Rfc6052Prefix;
import io.sixgate.nat64.state.BibTable;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.state.SessionTable;
import io.sixgate.nat64.state.StateFailure;
import io.sixgate.nat64.state.TcpStateMachine;
import io.sixgate.nat64.stateful.EipTable;
import io.sixgate.nat64.stateful.Nat64Shard;
import io.sixgate.nat64.stateful.StaticBibEntry;

/**
 * The stateful NAT64 endpoints on the workers: listings of static BIB entries, EIP bindings and
 * sessions, each a command run on a worker that owns a shard (scans over the tables go in slices
 * of {@link #SLICE} entries per duty cycle so that a table of a million sessions never stops the
 * packets for more than a few tens of microseconds at a time); and the changes, made on paused
 * workers ({@link PausedWorkers}) because they span workers: a static BIB entry lives on the
 * worker its IPv6 side steers to with its port reserved on the port's owner, and every worker
 * keeps the EIP bindings.
 */
final class Nat64Commands
{
    /** Table entries visited per duty cycle by a scan. */
    static final int SLICE = 16_384;

    static final String NO_STATEFUL_NAT64 = "the running configuration has no stateful NAT64 (nat64.mode: stateful);"
        + " static BIB entries, EIP bindings and sessions need one";

    private Nat64Commands()
    {
    }

    static Nat64Shard shard(final WorkerState worker)
    {
        final Nat64Shard shard = worker.shard();
        if (shard == null)
        {
            throw new WorkerRefusal(ControlException.CONFLICT, NO_STATEFUL_NAT64);
        }
        return shard;
    }

    static String describe(final int protocol, final long ipv6High, final long ipv6Low, final int ipv6Port,
        final int pool4Address, final int pool4Port)
    {
        return SessionProtocol.name(protocol) + " " + Ipv6Address.format(ipv6High, ipv6Low) + "#" + ipv6Port + " <-> "
            + Ipv4Address.format(pool4Address) + "#" + pool4Port;
    }

    static StaticBibView view(final BibTable bibs, final int bib)
    {
        return new StaticBibView(SessionProtocol.name(bibs.protocol(bib)),
            Ipv6Address.format(bibs.src6High(bib), bibs.src6Low(bib)), bibs.src6Port(bib),
            Ipv4Address.format(bibs.pool4Address(bib)), bibs.pool4Port(bib), bibs.sessionCount(bib));
    }

    /**
     * Lists the static BIB entries, in table order, in slices.
     */
    static WorkerCommand<List<StaticBibView>> listStaticBib()
    {
        return new WorkerCommand<>()
        {
            private final List<StaticBibView> found = new ArrayList<>();
            private int cursor;

            @Override
            protected boolean execute(final WorkerState worker)
            {
                final BibTable bibs = shard(worker).sessions().bibs();
                final int end = Math.min(bibs.capacity(), cursor + SLICE);
                for (int bib = cursor; bib < end; bib++)
                {
                    if (bibs.isInUse(bib) && bibs.isStatic(bib))
                    {
                        found.add(view(bibs, bib));
                    }
                }
                cursor = end;
                if (cursor < bibs.capacity())
                {
                    return false;
                }
                complete(found);
                return true;
            }
        };
    }

    /**
     * Adds a static BIB entry (RFC 6146 §3.1) on paused workers, refused when either side is mapped
     * already or the IPv4 address is not in pool4: the entry goes to its holder, and its port is
     * reserved on the port's owner when that is another worker ({@link StaticBibBook}).
     */
    static StaticBibView addStaticBib(final PausedWorkers paused, final StaticBibBook book, final StaticBibEntry entry)
    {
        final int holder = book.placement().holder(entry);
        final int owner = book.placement().owner(entry);
        final StaticBibEntry there = book.at4(entry.protocol(), entry.pool4Address(), entry.pool4Port());
        if (there != null && book.placement().holder(there) != holder)
        {
            throw refusal(shard(paused.worker(book.placement().holder(there))).sessions(), entry,
                StateFailure.BIB_EXISTS.code());
        }
        if (owner != holder && there == null
            && shard(paused.worker(owner)).pool4().isAllocated(entry.protocol(), entry.pool4Address(), entry.pool4Port()))
        {
            // The owner mapped a flow to that port: a dynamic entry there.
            throw refusal(shard(paused.worker(owner)).sessions(), entry, StateFailure.BIB_EXISTS.code());
        }
        final SessionTable sessions = shard(paused.worker(holder)).sessions();
        final int bib = sessions.addStaticBib(entry.protocol(), entry.ipv6High(), entry.ipv6Low(), entry.ipv6Port(),
            entry.pool4Address(), entry.pool4Port());
        if (bib < 0)
        {
            throw refusal(sessions, entry, bib);
        }
        if (owner != holder)
        {
            shard(paused.worker(owner)).pool4().reserve(entry.protocol(), entry.pool4Address(), entry.pool4Port());
        }
        book.add(entry);
        book.publish();
        return view(sessions.bibs(), bib);
    }

    static WorkerRefusal refusal(final SessionTable sessions, final StaticBibEntry entry, final int code)
    {
        final String what = describe(entry.protocol(), entry.ipv6High(), entry.ipv6Low(), entry.ipv6Port(),
            entry.pool4Address(), entry.pool4Port());
        final StateFailure failure = StateFailure.ofCode(code);
        if (failure == StateFailure.BIB_EXISTS)
        {
            final BibTable bibs = sessions.bibs();
            int other = bibs.find4(entry.protocol(), entry.pool4Address(), entry.pool4Port());
            if (other == BibTable.NOT_FOUND)
            {
                other = bibs.find6(entry.protocol(), entry.ipv6High(), entry.ipv6Low(), entry.ipv6Port());
            }
            final String existing = other == BibTable.NOT_FOUND ? "" : ": " + (bibs.isStatic(other) ? "static" : "dynamic")
                + " entry " + describe(bibs.protocol(other), bibs.src6High(other), bibs.src6Low(other),
                bibs.src6Port(other), bibs.pool4Address(other), bibs.pool4Port(other)) + " with "
                + bibs.sessionCount(other) + " sessions";
            return new WorkerRefusal(ControlException.CONFLICT, "static BIB entry " + what
                + " refused: one of its sides is mapped already" + existing);
        }
        if (failure == StateFailure.NOT_IN_POOL4)
        {
            return new WorkerRefusal(ControlException.UNPROCESSABLE, "static BIB entry " + what + " refused: "
                + Ipv4Address.format(entry.pool4Address()) + " is not a pool4 address");
        }
        return new WorkerRefusal(ControlException.CONFLICT, "static BIB entry " + what + " refused: "
            + (failure == null ? "error " + code : failure.label()));
    }

    /**
     * Makes the static entry at (T, t) dynamic, on paused workers: it goes now, or with its last
     * session; until then its port stays reserved on the owner and steered to the holder.
     */
    static StaticBibView removeStaticBib(final PausedWorkers paused, final StaticBibBook book, final int protocol,
        final int pool4Address, final int pool4Port)
    {
        final StaticBibEntry entry = book.at4(protocol, pool4Address, pool4Port);
        if (entry == null || book.isDraining(entry))
        {
            boolean dynamic = false;
            for (int w = 0; w < paused.count(); w++)
            {
                dynamic |= shard(paused.worker(w)).sessions().bibs().find4(protocol, pool4Address, pool4Port)
                    != BibTable.NOT_FOUND;
            }
            throw new WorkerRefusal(ControlException.NOT_FOUND, "no static BIB entry at "
                + SessionProtocol.name(protocol) + " " + Ipv4Address.format(pool4Address) + "#" + pool4Port
                + (dynamic ? " (a dynamic one is there)" : ""));
        }
        final int holder = book.placement().holder(entry);
        final int owner = book.placement().owner(entry);
        final SessionTable sessions = shard(paused.worker(holder)).sessions();
        final BibTable bibs = sessions.bibs();
        final int bib = bibs.find4(protocol, pool4Address, pool4Port);
        final StaticBibView removed = view(bibs, bib);
        sessions.removeStaticBib(bib);
        if (removed.sessions() == 0 && owner != holder)
        {
            shard(paused.worker(owner)).pool4().release(protocol, pool4Address, pool4Port);
        }
        book.remove(entry, removed.sessions());
        book.publish();
        return removed;
    }

    /**
     * Lets go of the removed static entries whose last session has ended: their port's
     * reservation on the owner and their steering exception. On paused workers.
     *
     * @return how many were let go.
     */
    static int sweepDraining(final PausedWorkers paused, final StaticBibBook book)
    {
        int gone = 0;
        for (final StaticBibEntry entry : book.draining())
        {
            final int holder = book.placement().holder(entry);
            final BibTable bibs = shard(paused.worker(holder)).sessions().bibs();
            final int bib = bibs.find4(entry.protocol(), entry.pool4Address(), entry.pool4Port());
            if (bib != BibTable.NOT_FOUND && bibs.src6High(bib) == entry.ipv6High() && bibs.src6Low(bib) == entry.ipv6Low()
                && bibs.src6Port(bib) == entry.ipv6Port())
            {
                continue;
            }
            final int owner = book.placement().owner(entry);
            if (owner != holder)
            {
                shard(paused.worker(owner)).pool4().release(entry.protocol(), entry.pool4Address(), entry.pool4Port());
            }
            book.drained(entry);
            gone++;
        }
        if (gone > 0)
        {
            book.publish();
        }
        return gone;
    }

    static List<EipView> eipViews(final Nat64Shard shard)
    {
        final EipTable eip = shard.eip();
        final List<EipView> views = new ArrayList<>(eip.size());
        for (int i = 0; i < eip.size(); i++)
        {
            views.add(eipView(shard.pool6(), eip.publicAddress(i), eip.privateAddress(i)));
        }
        return views;
    }

    static EipView eipView(final Rfc6052Prefix pool6, final int publicAddress, final int privateAddress)
    {
        return new EipView(Ipv4Address.format(publicAddress), Ipv4Address.format(privateAddress),
            Ipv6Address.format(pool6.high(publicAddress), pool6.low(publicAddress)));
    }

    static WorkerCommand<List<EipView>> listEip()
    {
        return WorkerCommand.of(worker -> eipViews(shard(worker)));
    }

    /**
     * Binds an EIP on every paused worker (each keeps the bindings), refused when either address
     * is bound already or is in pool4.
     */
    static EipView addEip(final PausedWorkers paused, final int publicAddress, final int privateAddress)
    {
        final Nat64Shard shard = shard(paused.worker(0));
        final EipTable eip = shard.eip();
        if (shard.pool4().contains(publicAddress) || shard.pool4().contains(privateAddress))
        {
            throw new WorkerRefusal(ControlException.UNPROCESSABLE, "an EIP binding cannot use a pool4 address ("
                + Ipv4Address.format(shard.pool4().contains(publicAddress) ? publicAddress : privateAddress) + ")");
        }
        refuseBound(eip, publicAddress);
        refuseBound(eip, privateAddress);
        final int size = eip.size();
        final int[] publics = new int[size + 1];
        final int[] privates = new int[size + 1];
        for (int i = 0; i < size; i++)
        {
            publics[i] = eip.publicAddress(i);
            privates[i] = eip.privateAddress(i);
        }
        publics[size] = publicAddress;
        privates[size] = privateAddress;
        putEip(paused, new EipTable(publics, privates));
        return eipView(shard.pool6(), publicAddress, privateAddress);
    }

    private static void refuseBound(final EipTable eip, final int address)
    {
        if (eip.isPublic(address))
        {
            throw new WorkerRefusal(ControlException.CONFLICT, "EIP " + Ipv4Address.format(address)
                + " is bound already, to " + Ipv4Address.format(eip.toPrivate(address)) + " (remove it first)");
        }
        if (eip.toPublic(address) != address)
        {
            throw new WorkerRefusal(ControlException.CONFLICT, Ipv4Address.format(address) + " is bound already, behind"
                + " EIP " + Ipv4Address.format(eip.toPublic(address)) + " (remove that binding first)");
        }
    }

    /**
     * Unbinds an EIP on every paused worker. Its sessions stay; their replies no longer carry the EIP.
     */
    static EipView removeEip(final PausedWorkers paused, final int publicAddress)
    {
        final Nat64Shard shard = shard(paused.worker(0));
        final EipTable eip = shard.eip();
        if (!eip.isPublic(publicAddress))
        {
            throw new WorkerRefusal(ControlException.NOT_FOUND, "no EIP binding of " + Ipv4Address.format(publicAddress));
        }
        final int size = eip.size();
        final int[] publics = new int[size - 1];
        final int[] privates = new int[size - 1];
        int j = 0;
        for (int i = 0; i < size; i++)
        {
            if (eip.publicAddress(i) != publicAddress)
            {
                publics[j] = eip.publicAddress(i);
                privates[j] = eip.privateAddress(i);
                j++;
            }
        }
        final EipView removed = eipView(shard.pool6(), publicAddress, eip.toPrivate(publicAddress));
        putEip(paused, new EipTable(publics, privates));
        return removed;
    }

    /**
     * The same bindings on every worker.
     */
    static void putEip(final PausedWorkers paused, final EipTable eip)
    {
        for (int w = 0; w < paused.count(); w++)
        {
            shard(paused.worker(w)).eip(eip);
        }
    }

    /**
     * The order of session listings: IPv6 source (as a number), its port, protocol name, IPv4
     * remote (as a number), its port. Every worker's listing is in this order, and so is their merge.
     */
    static final Comparator<SessionView> SESSION_ORDER = Comparator
        .comparing((SessionView view) -> Ipv6Address.parse(view.ipv6Source()), Nat64Commands::compareUnsigned)
        .thenComparingInt(SessionView::ipv6SourcePort)
        .thenComparing(SessionView::protocol)
        .thenComparingLong(view -> Ipv4Address.parse(view.ipv4Remote()) & 0xFFFF_FFFFL)
        .thenComparingInt(SessionView::ipv4RemotePort);

    /** {@link SessionProtocol} index to the rank of its name (icmp, tcp, udp), as {@link #SESSION_ORDER} sorts. */
    private static final int[] PROTOCOL_NAME_RANK = {1, 2, 0};

    /** A session's sort key read from the table, so that only the sessions that make the cut are formatted. */
    private record Ranked(long src6High, long src6Low, int src6Port, int protocolRank, long remote4, int remotePort,
        SessionView view) implements Comparable<Ranked>
    {
        @Override
        public int compareTo(final Ranked other)
        {
            int c = Long.compareUnsigned(src6High, other.src6High);
            c = c != 0 ? c : Long.compareUnsigned(src6Low, other.src6Low);
            c = c != 0 ? c : Integer.compare(src6Port, other.src6Port);
            c = c != 0 ? c : Integer.compare(protocolRank, other.protocolRank);
            c = c != 0 ? c : Long.compare(remote4, other.remote4);
            return c != 0 ? c : Integer.compare(remotePort, other.remotePort);
        }
    }

    private static int compareUnsigned(final long[] a, final long[] b)
    {
        final int high = Long.compareUnsigned(a[0], b[0]);
        return high != 0 ? high : Long.compareUnsigned(a[1], b[1]);
    }

    /**
     * A snapshot of the first {@code limit} sessions matching the filter in {@link #SESSION_ORDER},
     * taken in slices: a session created or removed while it runs may or may not be in it.
     */
    static WorkerCommand<SessionListing> sessions(final AddressFilter filter, final int limit)
    {
        return new WorkerCommand<>()
        {
            /** The best {@code limit} so far, the worst of them on top. */
            private final PriorityQueue<Ranked> best = new PriorityQueue<>(Comparator.reverseOrder());
            private int cursor;
            private long matched;

            @Override
            protected boolean execute(final WorkerState worker)
            {
                final Nat64Shard shard = shard(worker);
                final SessionTable sessions = shard.sessions();
                final EipTable eip = shard.eip();
                final Rfc6052Prefix pool6 = shard.pool6();
                final long nowNs = worker.nowNs();
                final int end = Math.min(sessions.capacity(), cursor + SLICE);
                for (int s = cursor; s < end; s++)
                {
                    if (!sessions.isInUse(s))
                    {
                        continue;
                    }
                    final int remote4 = sessions.remote4Address(s);
                    final int embedded = eip.toPublic(remote4);
                    final long dstHigh = pool6.high(embedded);
                    final long dstLow = pool6.low(embedded);
                    if (!filter.matches6(sessions.src6High(s), sessions.src6Low(s))
                        && !filter.matches6(dstHigh, dstLow)
                        && !filter.matches4(sessions.pool4Address(s))
                        && !filter.matches4(remote4)
                        && !filter.matches4(embedded))
                    {
                        continue;
                    }
                    matched++;
                    final int protocol = sessions.protocol(s);
                    final Ranked key = new Ranked(sessions.src6High(s), sessions.src6Low(s), sessions.src6Port(s),
                        PROTOCOL_NAME_RANK[protocol], remote4 & 0xFFFF_FFFFL,
                        protocol == SessionProtocol.ICMP ? 0 : sessions.remotePort(s), null);
                    if (best.size() == limit && key.compareTo(best.peek()) >= 0)
                    {
                        continue;
                    }
                    if (best.size() == limit)
                    {
                        best.poll();
                    }
                    best.add(new Ranked(key.src6High(), key.src6Low(), key.src6Port(), key.protocolRank(), key.remote4(),
                        key.remotePort(), view(worker.workerId(), sessions, s, dstHigh, dstLow, nowNs)));
                }
                cursor = end;
                if (cursor < sessions.capacity())
                {
                    return false;
                }
                final List<Ranked> sorted = new ArrayList<>(best);
                sorted.sort(null);
                final List<SessionView> found = new ArrayList<>(sorted.size());
                for (final Ranked ranked : sorted)
                {
                    found.add(ranked.view());
                }
                complete(new SessionListing(sessions.size(), matched > limit, found));
                return true;
            }
        };
    }

    private static SessionView view(final int workerId, final SessionTable sessions, final int s, final long dstHigh,
        final long dstLow, final long nowNs)
    {
        final int protocol = sessions.protocol(s);
        final boolean icmp = protocol == SessionProtocol.ICMP;
        final int bib = sessions.bib(s);
        final BibTable bibs = sessions.bibs();
        return new SessionView(workerId, SessionProtocol.name(protocol),
            Ipv6Address.format(sessions.src6High(s), sessions.src6Low(s)), sessions.src6Port(s),
            Ipv6Address.format(dstHigh, dstLow), icmp ? 0 : sessions.remotePort(s),
            Ipv4Address.format(sessions.pool4Address(s)), sessions.pool4Port(s),
            Ipv4Address.format(sessions.remote4Address(s)), icmp ? 0 : sessions.remotePort(s),
            protocol == SessionProtocol.TCP ? TcpStateMachine.name(sessions.tcpState(s)) : null,
            bibs.isInUse(bib) && bibs.isStatic(bib),
            Math.round((sessions.expiryNs(s) - nowNs) / 1e6) / 1e3);
    }
}
