package io.sixgate.nat64.stateful;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.nat64.address.Rfc6052Prefix;
import io.sixgate.nat64.siit.TranslatorConfig;
import io.sixgate.nat64.state.BibTable;
import io.sixgate.nat64.state.Nat64Timeouts;
import io.sixgate.nat64.state.Pool4;
import io.sixgate.nat64.state.PortPartition;
import io.sixgate.nat64.state.SessionExpiryHandler;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.state.SessionTable;
import io.sixgate.nat64.state.StateFailure;
import io.sixgate.nat64.state.TcpStateMachine;

/**
 * One worker's stateful NAT64 state: pool4, the session table with its BIB (off-heap, sized once
 * by {@link Nat64StatefulConfig#sessions()}), the held IPv4 SYNs, and the address-dependent
 * filter when configured. Both stages of the worker ({@link Nat64Stateful64Stage},
 * {@link Nat64Stateful46Stage}) share it; only the worker thread touches it.
 *
 * <p>Every session the stages create or the sweep removes passes through here, so that the
 * address-dependent filter stays in step with the table.
 */
public final class Nat64Shard implements SessionExpiryHandler, AutoCloseable
{
    private final Nat64StatefulConfig config;
    private final Pool4 pool4;
    private final SessionTable sessions;
    private final HeldSynQueue heldSyns;
    private final AddressDependentFilter filter;
    private final Rfc6052Prefix pool6;
    /** Swapped by a configuration reload or the admin API, through the worker's command queue. */
    private EipTable eip;
    private long incomingSynHoldNs;

    private long tcpProbesRequested;

    /** One pass of the expiry sweep over the used table per 2^29 ns of packet clock ({@link #sweep}). */
    public static final int SWEEP_PERIOD_SHIFT = 29;

    /**
     * At most this many slots per {@link #SWEEP_PERIOD_SHIFT period} (3.9 M a second): a larger
     * table takes proportionally longer per pass (10 M sessions: 2.6 s), so the sweep never costs
     * a busy worker more than about half a slot per packet at 10 Mpps.
     */
    public static final long MAX_SWEEP_SLOTS_PER_PERIOD = 1L << 21;
    private static final long SWEEP_PERIOD_NS = 1L << SWEEP_PERIOD_SHIFT;
    /** The sweep waits until this many slots (or the call's whole budget, or one pass) are due. */
    private static final int MIN_SWEEP_RUN = 16;
    private long lastSweepNs = Long.MIN_VALUE;
    /** Slots owed to the sweep, times 2^{@link #SWEEP_PERIOD_SHIFT}. */
    private long sweepCredit;

    /**
     * Allocates every table and adds the static BIB entries. Config time.
     *
     * @throws IllegalArgumentException when a static BIB entry is refused (outside pool4, a clash).
     */
    public Nat64Shard(final Nat64StatefulConfig config)
    {
        this(config, PortPartition.WHOLE);
    }

    /**
     * The shard of one of several workers: its pool4 hands out only the worker's part of each
     * range ({@link PortPartition}), so that IPv4 packets can be steered to it by port. The
     * static BIB entries of {@code config} are the ones this worker holds. Config time.
     *
     * @throws IllegalArgumentException when a static BIB entry is refused (outside pool4, a clash).
     */
    public Nat64Shard(final Nat64StatefulConfig config, final PortPartition partition)
    {
        this.config = config;
        this.pool6 = config.pool6();
        this.eip = config.eip();
        this.incomingSynHoldNs = config.incomingSynHoldNs();
        this.pool4 = new Pool4(config.pool4Addresses(), config.tcpPorts(), config.udpPorts(), config.icmpIdentifiers(),
            config.pool4Seed(), partition);
        this.sessions = new SessionTable(config.sessions(), pool4);
        this.heldSyns = new HeldSynQueue(config.maxHeldSyns());
        this.filter = config.addressDependentFiltering()
            ? new AddressDependentFilter(config.pool4Addresses(), config.sessions().maxSessions()) : null;
        for (final StaticBibEntry entry : config.staticBib())
        {
            final int bib = sessions.addStaticBib(entry.protocol(), entry.ipv6High(), entry.ipv6Low(), entry.ipv6Port(),
                entry.pool4Address(), entry.pool4Port());
            if (bib < 0)
            {
                final String what = SessionProtocol.name(entry.protocol()) + " " +
                    Ipv6Address.format(entry.ipv6High(), entry.ipv6Low()) + "#" + entry.ipv6Port() + " <-> " +
                    Ipv4Address.format(entry.pool4Address()) + "#" + entry.pool4Port();
                close();
                throw new IllegalArgumentException("static BIB entry " + what + " refused: " +
                    StateFailure.ofCode(bib).label());
            }
        }
    }

    /**
     * A view of this shard's tables with other translator settings (MTUs, traffic class): for
     * tools that rebuild pipelines over one state, such as the conformance runner. Closing the
     * view closes the tables.
     */
    public Nat64Shard withTranslator(final TranslatorConfig translator)
    {
        return new Nat64Shard(this, config.withTranslator(translator));
    }

    private Nat64Shard(final Nat64Shard tables, final Nat64StatefulConfig config)
    {
        this.config = config;
        this.pool6 = config.pool6();
        this.eip = config.eip();
        this.incomingSynHoldNs = config.incomingSynHoldNs();
        this.pool4 = tables.pool4;
        this.sessions = tables.sessions;
        this.heldSyns = tables.heldSyns;
        this.filter = tables.filter;
    }

    public Nat64StatefulConfig config()
    {
        return config;
    }

    public SessionTable sessions()
    {
        return sessions;
    }

    public Pool4 pool4()
    {
        return pool4;
    }

    public HeldSynQueue heldSyns()
    {
        return heldSyns;
    }

    /**
     * @return the IPv6 EIP bindings in force: {@link Nat64StatefulConfig#eip()} until {@link #eip(EipTable)}.
     */
    public EipTable eip()
    {
        return eip;
    }

    /**
     * Puts other IPv6 EIP bindings in force from the next packet on. Sessions keep the private
     * address they were made with; an unbound EIP no longer stands for it in their replies.
     * Worker thread only.
     */
    public void eip(final EipTable newEip)
    {
        if (null == newEip)
        {
            throw new IllegalArgumentException("eip: null");
        }
        eip = newEip;
    }

    /**
     * @return TCP_INCOMING_SYN in force (RFC 6146 §4): how long an unsolicited IPv4 SYN is held.
     */
    public long incomingSynHoldNs()
    {
        return incomingSynHoldNs;
    }

    /**
     * Puts new session lifetimes and TCP_INCOMING_SYN in force (a configuration reload): from each
     * session's next refresh or state change and for the next held SYN; deadlines already set
     * stay. Worker thread only.
     */
    public void timeouts(final Nat64Timeouts timeouts, final long newIncomingSynHoldNs)
    {
        if (newIncomingSynHoldNs <= 0)
        {
            throw new IllegalArgumentException("incoming SYN hold must be positive: " + newIncomingSynHoldNs);
        }
        sessions.timeouts(timeouts);
        incomingSynHoldNs = newIncomingSynHoldNs;
    }

    public Rfc6052Prefix pool6()
    {
        return pool6;
    }

    /**
     * @return whether IPv4 packets need a session with their source address (address-dependent
     * filtering) rather than only a BIB entry.
     */
    public boolean addressDependentFiltering()
    {
        return filter != null;
    }

    /**
     * RFC 6146 §3.5.1.1 address-dependent filtering: does (T, t) have a session with Z?
     */
    public boolean filterAllows(final int protocol, final int pool4Address, final int pool4Port, final int remote4)
    {
        return filter == null || filter.allows(protocol, pool4Address, pool4Port, remote4);
    }

    /** {@link SessionTable#create6} and the filter's count. */
    public int create6(
        final int protocol, final long src6High, final long src6Low, final int src6Port, final int remote4,
        final int remotePort, final int tcpState, final long expiryNs)
    {
        return created(sessions.create6(protocol, src6High, src6Low, src6Port, remote4, remotePort, tcpState, expiryNs));
    }

    /** {@link SessionTable#createSession} and the filter's count. */
    public int createSession(final int bib, final int remote4, final int remotePort, final int tcpState, final long expiryNs)
    {
        return created(sessions.createSession(bib, remote4, remotePort, tcpState, expiryNs));
    }

    /** {@link SessionTable#create6At} and the filter's count. */
    public int create6At(
        final int protocol, final long src6High, final long src6Low, final int src6Port, final int pool4Address,
        final int pool4Port, final int remote4, final int remotePort, final int tcpState, final long expiryNs)
    {
        return created(sessions.create6At(protocol, src6High, src6Low, src6Port, pool4Address, pool4Port, remote4,
            remotePort, tcpState, expiryNs));
    }

    /**
     * The bounded expiry sweep (RFC 6146 §3.5.1, §3.5.2.2, §3.5.3 lifetimes on the packet clock).
     *
     * @return sessions removed.
     */
    public int expire(final long nowNs, final int maxSlots)
    {
        return sessions.expire(nowNs, maxSlots, this);
    }

    /**
     * The expiry sweep paced by the packet clock, as the stages call it per packet and per tick:
     * it visits the slots the time since the last call owes at one pass over the used table per
     * {@link #SWEEP_PERIOD_SHIFT 2^29 ns} (about half a second; {@link #MAX_SWEEP_SLOTS_PER_PERIOD}
     * at most), at most {@code maxSlots}; what a call leaves, up to one period's worth, is owed to
     * the next. So an expired session goes within about a second of its deadline (a few seconds
     * in a table of several million) at any packet rate, and the sweep's cost follows the table's
     * size and the clock, not the packet rate (a fixed number of slots per packet walked a large
     * table several times a second at a high rate, a quarter of a stage's time).
     *
     * @return sessions removed.
     */
    public int sweep(final long nowNs, final int maxSlots)
    {
        final long perPeriod = Math.min(sessions.usedSlots(), MAX_SWEEP_SLOTS_PER_PERIOD);
        final long last = lastSweepNs;
        if (nowNs > last)
        {
            lastSweepNs = nowNs;
            if (last != Long.MIN_VALUE)
            {
                final long elapsedNs = Math.min(nowNs - last, SWEEP_PERIOD_NS);
                sweepCredit = Math.min(perPeriod << SWEEP_PERIOD_SHIFT, sweepCredit + perPeriod * elapsedNs);
            }
        }
        final long owed = sweepCredit >>> SWEEP_PERIOD_SHIFT;
        // Runs of slots, not one at a time: a run's sequential loads overlap and the prefetcher
        // follows them, where one slot every few packets was a lone cache miss each time.
        if (0 == owed || owed < Math.min(Math.min(maxSlots, MIN_SWEEP_RUN), perPeriod))
        {
            return 0;
        }
        final int slots = (int)Math.min(owed, maxSlots);
        sweepCredit -= (long)slots << SWEEP_PERIOD_SHIFT;
        return sessions.expire(nowNs, slots, this);
    }

    @Override
    public void onTcpProbe(final SessionTable table, final int session)
    {
        // RFC 6146 §3.5.2.2 says the NAT64 SHOULD probe an idle ESTABLISHED session. Deliberate
        // deviation: no probe is sent (it needs a TCP segment with valid sequence numbers, which we
        // do not track); the session goes to TRANS and traffic re-establishes it, silence ends it.
        tcpProbesRequested++;
    }

    @Override
    public void onExpired(final SessionTable table, final int session)
    {
        if (filter != null)
        {
            filter.onRemoved(table.protocol(session), table.pool4Address(session), table.pool4Port(session),
                table.remote4Address(session));
        }
    }

    /**
     * @return ESTABLISHED sessions whose lifetime ran out (moved to TRANS, not probed).
     */
    public long tcpProbesRequested()
    {
        return tcpProbesRequested;
    }

    /**
     * Writes the session table, one line per session, for {@code sixgate replay --dump-sessions}
     * and tests. Allocates: not for the hot path.
     *
     * <pre>
     *  udp 2001:db8::5#2000 64:ff9b::c000:205#4000 | 192.0.2.2#2000 192.0.2.5#4000 | expires 299.000 s
     *  tcp ... | ... | ESTABLISHED expires 7439.000 s
     * </pre>
     *
     * @param nowNs the clock, so lifetimes print as what is left.
     */
    public void dumpSessions(final StringBuilder out, final long nowNs)
    {
        final int capacity = sessions.capacity();
        for (int s = 0; s < capacity; s++)
        {
            if (!sessions.isInUse(s))
            {
                continue;
            }
            final int protocol = sessions.protocol(s);
            final int remote4 = sessions.remote4Address(s);
            final int embedded = eip.toPublic(remote4);
            final BibTable bibs = sessions.bibs();
            final int bib = sessions.bib(s);
            out.append(SessionProtocol.name(protocol)).append(' ')
                .append(Ipv6Address.format(sessions.src6High(s), sessions.src6Low(s))).append('#')
                .append(sessions.src6Port(s)).append(' ')
                .append(Ipv6Address.format(pool6.high(embedded), pool6.low(embedded)));
            if (protocol != SessionProtocol.ICMP)
            {
                out.append('#').append(sessions.remotePort(s));
            }
            out.append(" | ").append(Ipv4Address.format(sessions.pool4Address(s))).append('#')
                .append(sessions.pool4Port(s)).append(' ').append(Ipv4Address.format(remote4));
            if (protocol != SessionProtocol.ICMP)
            {
                out.append('#').append(sessions.remotePort(s));
            }
            out.append(" |");
            if (protocol == SessionProtocol.TCP)
            {
                out.append(' ').append(TcpStateMachine.name(sessions.tcpState(s)));
            }
            if (bibs.isInUse(bib) && bibs.isStatic(bib))
            {
                out.append(" static-bib");
            }
            out.append(String.format(" expires %.3f s%n", (sessions.expiryNs(s) - nowNs) / 1e9));
        }
    }

    /**
     * Releases the held frames back to their pool.
     */
    public int releaseHeld(final FramePool pool)
    {
        return heldSyns.releaseAll(pool);
    }

    @Override
    public void close()
    {
        sessions.close();
        pool4.close();
    }

    private int created(final int session)
    {
        if (session >= 0 && filter != null)
        {
            filter.onCreated(sessions.protocol(session), sessions.pool4Address(session), sessions.pool4Port(session),
                sessions.remote4Address(session));
        }
        return session;
    }
}
