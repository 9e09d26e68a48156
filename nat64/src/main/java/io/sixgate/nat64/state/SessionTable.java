package io.sixgate.nat64.state;

import io.sixgate.core.state.EntryAllocator;
import io.sixgate.core.state.HashIndex;
import io.sixgate.core.state.OffHeapRegion;
import io.sixgate.core.state.StateHash;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The stateful NAT64 session table (RFC 6146 §3.2) with its BIB (RFC 6146 §3.1,
 * {@link BibTable}), pool4 ports ({@link Pool4}) and per-subscriber quotas
 * ({@link SourceQuotaTable}) kept in step: the state the RFC 7915 translator consults. Pure data
 * and policy; it parses no packet.
 *
 * <p>A session of one protocol joins three transport addresses:
 * <pre>
 *  IPv6 side: (X', x) -> (Y', y)        X', x   the IPv6 source and port = the BIB's IPv6 side
 *  IPv4 side: (T, t)  -> (Z, z)         T, t    the pool4 address and port = the BIB's IPv4 side
 *                                       Z, z    the remote IPv4 address and port
 * </pre>
 * The IPv6 destination Y' is not stored: it is Z embedded in the pool6 prefix (RFC 6146 §3.5.1,
 * RFC 6052), and the translator extracts Z from Y' before the lookup anyway, so the IPv6-side key
 * is (protocol, X', x, Z, z) and y = z. For ICMP query sessions (RFC 6146 §3.5.3) x is the ICMPv6
 * identifier, t the ICMPv4 identifier and z is 0.
 *
 * <p>Layout: sessions are {@code int} indexes into one off-heap region, found through two
 * {@link HashIndex}es over the same entries, one per side, so both directions take one lookup.
 * <pre>
 *  session (48 bytes, native byte order):
 *   0                 8                 16                24      28      32      36  38  40  42 43 44 45   48
 *  +-----------------+-----------------+-----------------+-------+-------+-------+---+---+---+--+--+--+----+
 *  | X' bits 0-63    | X' bits 64-127  | expiry (ns)     | T     | Z     | BIB   | x | t | z |pr|st|fl| -- |
 *  +-----------------+-----------------+-----------------+-------+-------+-------+---+---+---+--+--+--+----+
 *  BIB: the BIB entry index (the free-list link while the session is free); pr: SessionProtocol;
 *  st: TcpStateMachine state; fl: FLAG_IN_USE
 * </pre>
 * X', x, T and t repeat the BIB entry's fields so that a lookup compares keys in one entry
 * without following the BIB link. Memory per session of capacity, {@link #BYTES_PER_SESSION}:
 * 48 for the entry + 2 indexes x 2 slots x 8 bytes = 80 bytes; 10 M sessions take 800 MB (763
 * MiB). BIB entries cost {@link BibTable#BYTES_PER_BIB_ENTRY} (64) and, when per-subscriber state is
 * needed ({@link SessionTableConfig#tracksSources()}), subscribers
 * {@link SourceQuotaTable#BYTES_PER_SOURCE} (40) each: see {@link SessionTableConfig#offHeapBytes()}.
 *
 * <p>Life of the state:
 * <ul>
 *   <li>IPv6-initiated: {@link #find6} misses, {@link #create6} finds or creates the BIB entry of
 *   (X', x) (endpoint-independent mapping, RFC 6146 §3.5.1 / RFC 4787 REQ-1: one pool4 port for
 *   every destination) and adds the session.</li>
 *   <li>IPv4-initiated: {@link #find4} misses, {@link #findBib4} finds who owns (T, t)
 *   (endpoint-independent filtering, RFC 6146 §3.5.1.1 / RFC 4787 REQ-8) and
 *   {@link #createSession} adds the session to it. No BIB entry: the packet is dropped (RFC 6146
 *   §3.5.1) or, for a TCP SYN, held by the caller ({@link TcpStateMachine#INCOMING_SYN_HOLD_NS});
 *   if the IPv6 SYN comes in time, {@link #create6At} maps (X', x) to the (T, t) it targeted.</li>
 *   <li>Every packet: {@link #refresh} (UDP, ICMP) or {@link #applyTcpTransition} (TCP).</li>
 *   <li>Expiry: {@link #expire(long, int)} once per batch, a bounded sweep. When a session goes
 *   and it was the last of a dynamic BIB entry, the BIB entry goes, its pool4 port is returned
 *   and the subscriber's counts drop. Static BIB entries stay.</li>
 * </ul>
 *
 * <p>Expiry is a sweep, not a timer wheel: a refresh is then one store of the deadline (no timer
 * to cancel and re-arm on every packet), and nothing is allocated per session. The cost is
 * lateness: a session lives until the sweep reaches it, at most one full pass after its deadline,
 * so the caller paces {@code maxSlots} to pass over the used region well within the shortest
 * lifetime (the NAT64 stages: one pass per half second of packet clock, {@code Nat64Shard.sweep}). Lookups do not check the deadline: an expired session the sweep has not reached yet
 * still answers (the effect of a packet arriving just before the deadline); use
 * {@link #isExpired(int, long)} to be strict.
 *
 * <p>Hot path: lookups, creation, refresh, removal and the sweep allocate nothing, box nothing
 * and throw nothing for valid input; failures come back as negative codes
 * ({@link StateFailure#code()}). Accessors take an index the table returned and do not check it.
 * Not thread-safe: one owner thread per table (the worker owning the shard).
 */
public final class SessionTable implements AutoCloseable
{
    /** Returned by the lookups on a miss. */
    public static final int NOT_FOUND = -1;

    /** Bytes of one session entry. */
    public static final int SESSION_ENTRY_BYTES = 48;

    /** Off-heap bytes per session of capacity: the entry and two slots in each of the two indexes. */
    public static final int BYTES_PER_SESSION =
        SESSION_ENTRY_BYTES + 2 * HashIndex.SLOTS_PER_ENTRY * HashIndex.SLOT_BYTES;

    /** Largest session capacity: entry offsets and index slots must fit an {@code int}. */
    public static final int MAX_CAPACITY = Math.min(
        (Integer.MAX_VALUE - OffHeapRegion.CACHE_LINE) / SESSION_ENTRY_BYTES,
        HashIndex.MAX_SLOTS / HashIndex.SLOTS_PER_ENTRY);

    static final int SRC6_HIGH_OFFSET = 0;
    static final int SRC6_LOW_OFFSET = 8;
    static final int EXPIRY_OFFSET = 16;
    static final int POOL4_ADDRESS_OFFSET = 24;
    static final int REMOTE4_ADDRESS_OFFSET = 28;
    static final int BIB_OFFSET = 32;
    static final int SRC6_PORT_OFFSET = 36;
    static final int POOL4_PORT_OFFSET = 38;
    static final int REMOTE_PORT_OFFSET = 40;
    static final int PROTOCOL_OFFSET = 42;
    static final int TCP_STATE_OFFSET = 43;
    static final int FLAGS_OFFSET = 44;

    static final int FLAG_IN_USE = 1;

    private final SessionTableConfig config;
    private Nat64Timeouts timeouts;
    private final Pool4 pool4;
    private final OffHeapRegion region;
    private final UnsafeBuffer entries;
    private final EntryAllocator allocator;
    private final HashIndex by6;
    private final HashIndex by4;
    private final BibTable bibs;
    private final SourceQuotaTable quotas;
    private final long[][] keys6 = new long[SessionProtocol.COUNT][];
    private final long[][] keys4 = new long[SessionProtocol.COUNT][];

    private int sweepCursor;
    private long slotsVisited;
    private long expiredSessions;
    private long tcpProbes;

    /**
     * Allocates every region at once ({@link SessionTableConfig#offHeapBytes()}). Config time.
     *
     * @param config sizes and limits.
     * @param pool4  this shard's pool4; the table allocates and returns its ports but does not
     *               own it ({@link #close()} leaves it open).
     */
    public SessionTable(final SessionTableConfig config, final Pool4 pool4)
    {
        if (null == config || null == pool4)
        {
            throw new IllegalArgumentException("session table needs a config and a pool4");
        }
        this.config = config;
        this.timeouts = config.timeouts();
        this.pool4 = pool4;
        final int capacity = config.maxSessions();
        region = new OffHeapRegion(capacity * SESSION_ENTRY_BYTES);
        entries = region.buffer();
        allocator = new EntryAllocator(entries, SESSION_ENTRY_BYTES, BIB_OFFSET, capacity);
        by6 = new HashIndex(capacity * HashIndex.SLOTS_PER_ENTRY);
        by4 = new HashIndex(capacity * HashIndex.SLOTS_PER_ENTRY);
        bibs = new BibTable(config.maxBibEntries(), StateHash.derive(config.hashSeed(), 0xB1B));
        quotas = config.tracksSources() ? new SourceQuotaTable(config.maxSources(), config.sourcePrefixLength(),
            config.maxBibPerSource(), config.maxSessionsPerSource(), config.hashSeed()) : null;
        for (int p = 0; p < SessionProtocol.COUNT; p++)
        {
            keys6[p] = StateHash.indexKeys(StateHash.derive(config.hashSeed(), 0x5E5_0600 + p), 3);
            keys4[p] = StateHash.indexKeys(StateHash.derive(config.hashSeed(), 0x5E5_0400 + p), 2);
        }
    }

    // ---------------------------------------------------------------- lookups

    /**
     * Finds the session of a packet from the IPv6 side: (X', x) to Pref64::Z, z.
     *
     * @param protocol   a {@link SessionProtocol} index.
     * @param src6High   X' bits 0-63.
     * @param src6Low    X' bits 64-127.
     * @param src6Port   x (ICMPv6 identifier for ICMP).
     * @param remote4    Z, extracted from the IPv6 destination with the pool6 prefix.
     * @param remotePort z = y (0 for ICMP).
     * @return the session, or {@link #NOT_FOUND}.
     */
    public int find6(
        final int protocol,
        final long src6High,
        final long src6Low,
        final int src6Port,
        final int remote4,
        final int remotePort)
    {
        if (!SessionProtocol.isValid(protocol))
        {
            return NOT_FOUND;
        }
        final int hash = hash6(protocol, src6High, src6Low, src6Port, remote4, remotePort);
        final HashIndex index = by6;
        final UnsafeBuffer entries = this.entries;
        int slot = index.home(hash);
        while (true)
        {
            final long value = index.slot(slot);
            if (HashIndex.EMPTY == value)
            {
                return NOT_FOUND;
            }
            if (HashIndex.hashOf(value) == hash)
            {
                final int session = HashIndex.entryOf(value);
                final int offset = session * SESSION_ENTRY_BYTES;
                if (entries.getLong(offset + SRC6_LOW_OFFSET) == src6Low &&
                    entries.getInt(offset + REMOTE4_ADDRESS_OFFSET) == remote4 &&
                    entries.getLong(offset + SRC6_HIGH_OFFSET) == src6High &&
                    (entries.getShort(offset + SRC6_PORT_OFFSET) & 0xFFFF) == src6Port &&
                    (entries.getShort(offset + REMOTE_PORT_OFFSET) & 0xFFFF) == remotePort &&
                    entries.getByte(offset + PROTOCOL_OFFSET) == protocol)
                {
                    return session;
                }
            }
            slot = index.next(slot);
        }
    }

    /**
     * Finds the session of a packet from the IPv4 side: (Z, z) to (T, t).
     *
     * @param protocol     a {@link SessionProtocol} index.
     * @param pool4Address T, the packet's destination address.
     * @param pool4Port    t, the packet's destination port (ICMPv4 identifier for ICMP).
     * @param remote4      Z, the packet's source address.
     * @param remotePort   z, the packet's source port (0 for ICMP).
     * @return the session, or {@link #NOT_FOUND}.
     */
    public int find4(
        final int protocol,
        final int pool4Address,
        final int pool4Port,
        final int remote4,
        final int remotePort)
    {
        if (!SessionProtocol.isValid(protocol))
        {
            return NOT_FOUND;
        }
        final int hash = hash4(protocol, pool4Address, pool4Port, remote4, remotePort);
        final HashIndex index = by4;
        final UnsafeBuffer entries = this.entries;
        int slot = index.home(hash);
        while (true)
        {
            final long value = index.slot(slot);
            if (HashIndex.EMPTY == value)
            {
                return NOT_FOUND;
            }
            if (HashIndex.hashOf(value) == hash)
            {
                final int session = HashIndex.entryOf(value);
                final int offset = session * SESSION_ENTRY_BYTES;
                if (entries.getInt(offset + REMOTE4_ADDRESS_OFFSET) == remote4 &&
                    entries.getInt(offset + POOL4_ADDRESS_OFFSET) == pool4Address &&
                    (entries.getShort(offset + POOL4_PORT_OFFSET) & 0xFFFF) == pool4Port &&
                    (entries.getShort(offset + REMOTE_PORT_OFFSET) & 0xFFFF) == remotePort &&
                    entries.getByte(offset + PROTOCOL_OFFSET) == protocol)
                {
                    return session;
                }
            }
            slot = index.next(slot);
        }
    }

    /**
     * The BIB lookup by IPv6 transport address: the existing mapping of (X', x), reused for every
     * destination (endpoint-independent mapping, RFC 6146 §3.5.1 / RFC 4787 REQ-1).
     *
     * @return the BIB entry (read it through {@link #bibs()}), or {@link BibTable#NOT_FOUND}.
     */
    public int findBib6(final int protocol, final long src6High, final long src6Low, final int src6Port)
    {
        return bibs.find6(protocol, src6High, src6Low, src6Port);
    }

    /**
     * The BIB lookup by pool4 transport address: the IPv6 transport address (T, t) maps to, which
     * endpoint-independent filtering lets any remote reach (RFC 6146 §3.5.1.1 / RFC 4787 REQ-8).
     *
     * @return the BIB entry (read it through {@link #bibs()}), or {@link BibTable#NOT_FOUND}.
     */
    public int findBib4(final int protocol, final int pool4Address, final int pool4Port)
    {
        return bibs.find4(protocol, pool4Address, pool4Port);
    }

    // ---------------------------------------------------------------- creation

    /**
     * Creates the session of an IPv6-initiated flow (RFC 6146 §3.5.1 UDP, §3.5.2.2 TCP V6 SYN,
     * §3.5.3 ICMP): the BIB entry of (X', x) is reused, or created with a pool4 port from
     * {@link Pool4#allocate}; then the session is added. Nothing is left behind on failure.
     *
     * @param tcpState initial state, {@link TcpStateMachine#V6_INIT} for TCP, ignored otherwise.
     * @param expiryNs deadline, e.g. {@code nowNs + timeouts.udpNs()}.
     * @return the session, or a negative {@link StateFailure} code: {@code POOL4_EXHAUSTED} (the
     * caller SHOULD send ICMPv6 Destination Unreachable, Code 3, RFC 6146 §3.5.1.1),
     * {@code SESSION_TABLE_FULL}, {@code BIB_TABLE_FULL}, {@code SOURCE_BIB_QUOTA},
     * {@code SOURCE_SESSION_QUOTA}, {@code SOURCE_TABLE_FULL}, {@code SESSION_EXISTS} or
     * {@code BAD_ARGUMENT}.
     */
    public int create6(
        final int protocol,
        final long src6High,
        final long src6Low,
        final int src6Port,
        final int remote4,
        final int remotePort,
        final int tcpState,
        final long expiryNs)
    {
        final int bib = findOrCreateBib6(protocol, src6High, src6Low, src6Port);
        if (bib < 0)
        {
            return bib;
        }
        final int session = createSession(bib, remote4, remotePort, tcpState, expiryNs);
        if (session < 0 && 0 == bibs.sessionCount(bib) && !bibs.isStatic(bib))
        {
            removeBib(bib);     // made for this session only
        }
        return session;
    }

    /**
     * Adds a session to an existing BIB entry: the IPv4-initiated case once filtering allowed it
     * (RFC 6146 §3.5.1 UDP with endpoint-independent filtering, §3.5.2.2 V4 SYN with a BIB entry).
     *
     * @param bib        from {@link #findBib4} (or {@link #findBib6}).
     * @param remote4    Z.
     * @param remotePort z (0 for ICMP).
     * @param tcpState   initial state, e.g. {@link TcpStateMachine#V4_INIT}; ignored for UDP and ICMP.
     * @param expiryNs   deadline.
     * @return the session, or a negative {@link StateFailure} code: {@code SESSION_TABLE_FULL},
     * {@code SOURCE_SESSION_QUOTA}, {@code SOURCE_TABLE_FULL}, {@code SESSION_EXISTS},
     * {@code NO_BIB} or {@code BAD_ARGUMENT}.
     */
    public int createSession(final int bib, final int remote4, final int remotePort, final int tcpState, final long expiryNs)
    {
        if (!bibs.isInUse(bib))
        {
            return StateFailure.NO_BIB.code();
        }
        if (remotePort < 0 || remotePort > 0xFFFF)
        {
            return StateFailure.BAD_ARGUMENT.code();
        }
        final int protocol = bibs.protocol(bib);
        final long src6High = bibs.src6High(bib);
        final long src6Low = bibs.src6Low(bib);
        final int src6Port = bibs.src6Port(bib);
        if (NOT_FOUND != find6(protocol, src6High, src6Low, src6Port, remote4, remotePort))
        {
            return StateFailure.SESSION_EXISTS.code();
        }
        if (allocator.inUse() == allocator.capacity())
        {
            return StateFailure.SESSION_TABLE_FULL.code();
        }
        final int quota = null == quotas ? 0 : quotas.addSession(src6High, src6Low);  // RFC 6888 REQ-4 style cap
        if (quota < 0)
        {
            return quota;
        }

        final int session = allocator.allocate();
        final int pool4Address = bibs.pool4Address(bib);
        final int pool4Port = bibs.pool4Port(bib);
        final int offset = session * SESSION_ENTRY_BYTES;
        final UnsafeBuffer entries = this.entries;
        entries.putLong(offset + SRC6_HIGH_OFFSET, src6High);
        entries.putLong(offset + SRC6_LOW_OFFSET, src6Low);
        entries.putLong(offset + EXPIRY_OFFSET, expiryNs);
        entries.putInt(offset + POOL4_ADDRESS_OFFSET, pool4Address);
        entries.putInt(offset + REMOTE4_ADDRESS_OFFSET, remote4);
        entries.putInt(offset + BIB_OFFSET, bib);
        entries.putShort(offset + SRC6_PORT_OFFSET, (short)src6Port);
        entries.putShort(offset + POOL4_PORT_OFFSET, (short)pool4Port);
        entries.putShort(offset + REMOTE_PORT_OFFSET, (short)remotePort);
        entries.putByte(offset + PROTOCOL_OFFSET, (byte)protocol);
        entries.putByte(offset + TCP_STATE_OFFSET, (byte)(SessionProtocol.TCP == protocol ? tcpState : 0));
        entries.putByte(offset + FLAGS_OFFSET, (byte)FLAG_IN_USE);
        by6.insert(hash6(protocol, src6High, src6Low, src6Port, remote4, remotePort), session);
        by4.insert(hash4(protocol, pool4Address, pool4Port, remote4, remotePort), session);
        bibs.acquire(bib);
        return session;
    }

    /**
     * Creates the session of an IPv6 SYN that answers an IPv4 SYN the caller held because its
     * destination (T, t) had no BIB entry (RFC 6146 §3.5.2.2, CLOSED state, V4 SYN, and V4 INIT:
     * the simultaneous open). The mapping of (X', x) must be exactly that (T, t): it is created
     * there (a dynamic entry, the port reserved in pool4) or, if it exists, must already be there.
     *
     * @param tcpState normally {@link TcpStateMachine#ESTABLISHED} (V4 INIT + V6 SYN).
     * @return the session, or a negative {@link StateFailure} code: those of {@link #create6}
     * except {@code POOL4_EXHAUSTED}, plus {@code BIB_EXISTS} ((X', x) is mapped elsewhere, or
     * (T, t) belongs to another source) and {@code NOT_IN_POOL4}.
     */
    public int create6At(
        final int protocol,
        final long src6High,
        final long src6Low,
        final int src6Port,
        final int pool4Address,
        final int pool4Port,
        final int remote4,
        final int remotePort,
        final int tcpState,
        final long expiryNs)
    {
        final int existing = bibs.find6(protocol, src6High, src6Low, src6Port);
        if (BibTable.NOT_FOUND != existing)
        {
            if (bibs.pool4Address(existing) != pool4Address || bibs.pool4Port(existing) != pool4Port)
            {
                return StateFailure.BIB_EXISTS.code();
            }
            return createSession(existing, remote4, remotePort, tcpState, expiryNs);
        }
        final int bib = insertBibAt(protocol, src6High, src6Low, src6Port, pool4Address, pool4Port, false);
        if (bib < 0)
        {
            return bib;
        }
        final int session = createSession(bib, remote4, remotePort, tcpState, expiryNs);
        if (session < 0)
        {
            removeBib(bib);     // made for this session only
        }
        return session;
    }

    /**
     * Adds a static BIB entry from configuration, so IPv4 hosts can reach a server at (X', x)
     * through (T, t) with no IPv6-initiated traffic first. It never expires. The port is reserved
     * in pool4, inside or outside the dynamic range.
     *
     * @return the BIB entry, or a negative {@link StateFailure} code: {@code BIB_EXISTS} (either
     * side already mapped), {@code NOT_IN_POOL4}, {@code BIB_TABLE_FULL}, {@code SOURCE_TABLE_FULL}
     * or {@code BAD_ARGUMENT}. Static entries count towards the subscriber's BIB entries but are
     * not refused by its limit.
     */
    public int addStaticBib(
        final int protocol,
        final long src6High,
        final long src6Low,
        final int src6Port,
        final int pool4Address,
        final int pool4Port)
    {
        return insertBibAt(protocol, src6High, src6Low, src6Port, pool4Address, pool4Port, true);
    }

    /**
     * Makes a static BIB entry dynamic (configuration removed it): it goes now if no session uses
     * it, else with its last session.
     *
     * @return {@code false} if {@code bib} is not a live static entry.
     */
    public boolean removeStaticBib(final int bib)
    {
        if (!bibs.isInUse(bib) || !bibs.isStatic(bib))
        {
            return false;
        }
        bibs.setStatic(bib, false);
        if (0 == bibs.sessionCount(bib))
        {
            removeBib(bib);
        }
        return true;
    }

    // ---------------------------------------------------------------- updates

    /**
     * Sets a session's deadline: on every UDP or ICMP packet, {@code nowNs + lifetime}
     * (RFC 6146 §3.5.1, §3.5.3).
     */
    public void refresh(final int session, final long expiryNs)
    {
        entries.putLong(session * SESSION_ENTRY_BYTES + EXPIRY_OFFSET, expiryNs);
    }

    public void tcpState(final int session, final int state)
    {
        entries.putByte(session * SESSION_ENTRY_BYTES + TCP_STATE_OFFSET, (byte)state);
    }

    /**
     * Applies a {@link TcpStateMachine#next} result to a TCP session: the new state, and the
     * lifetime it asks for from {@code nowNs}.
     */
    public void applyTcpTransition(final int session, final int transition, final long nowNs)
    {
        final int offset = session * SESSION_ENTRY_BYTES;
        entries.putByte(offset + TCP_STATE_OFFSET, (byte)TcpStateMachine.state(transition));
        final int timeoutKind = TcpStateMachine.timeout(transition);
        if (TcpStateMachine.TIMEOUT_UNCHANGED != timeoutKind)
        {
            entries.putLong(offset + EXPIRY_OFFSET, nowNs + timeouts.tcpNs(timeoutKind));
        }
    }

    /**
     * Removes a session now (and its BIB entry, pool4 port and quota if it was the last session of
     * a dynamic BIB entry).
     *
     * @return {@code false} if {@code session} is not a live session.
     */
    public boolean remove(final int session)
    {
        if (!isInUse(session))
        {
            return false;
        }
        removeSession(session);
        return true;
    }

    // ---------------------------------------------------------------- expiry

    /**
     * {@link #expire(long, int, SessionExpiryHandler)} with no handler.
     */
    public int expire(final long nowNs, final int maxSlots)
    {
        return expire(nowNs, maxSlots, SessionExpiryHandler.NONE);
    }

    /**
     * The bounded sweep: visits at most {@code maxSlots} session slots, continuing where the last
     * call stopped and wrapping over the part of the region ever used, and removes the sessions
     * whose deadline is at or before {@code nowNs}. An ESTABLISHED TCP session is not removed but
     * moved to TRANS on the transitory lifetime, and the handler asked to probe (RFC 6146
     * §3.5.2.2). Call once per batch.
     *
     * @param nowNs    the clock (packet timestamps in replay).
     * @param maxSlots the most slots to visit; no slot is visited twice in one call.
     * @param handler  told of probes and removals.
     * @return sessions removed.
     */
    public int expire(final long nowNs, final int maxSlots, final SessionExpiryHandler handler)
    {
        final int used = allocator.highWater();
        if (0 == allocator.inUse() || maxSlots <= 0)
        {
            return 0;
        }
        final UnsafeBuffer entries = this.entries;
        final int visits = Math.min(maxSlots, used);
        int cursor = sweepCursor;
        int removed = 0;
        for (int i = 0; i < visits; i++)
        {
            final int session = cursor;
            cursor = cursor + 1 < used ? cursor + 1 : 0;
            final int offset = session * SESSION_ENTRY_BYTES;
            // One load decides for nearly every slot: a free slot's deadline is Long.MAX_VALUE.
            if (entries.getLong(offset + EXPIRY_OFFSET) > nowNs ||
                (entries.getByte(offset + FLAGS_OFFSET) & FLAG_IN_USE) == 0)
            {
                continue;
            }
            if (SessionProtocol.TCP == entries.getByte(offset + PROTOCOL_OFFSET) &&
                TcpStateMachine.ESTABLISHED == entries.getByte(offset + TCP_STATE_OFFSET))
            {
                // RFC 6146 §3.5.2.2 ESTABLISHED: on expiry, probe and move to TRANS with TCP_TRANS.
                entries.putByte(offset + TCP_STATE_OFFSET, (byte)TcpStateMachine.TRANS);
                entries.putLong(offset + EXPIRY_OFFSET, nowNs + timeouts.tcpTransitoryNs());
                tcpProbes++;
                handler.onTcpProbe(this, session);
                continue;
            }
            handler.onExpired(this, session);
            removeSession(session);
            removed++;
        }
        sweepCursor = cursor;
        slotsVisited += visits;
        expiredSessions += removed;
        return removed;
    }

    /**
     * @return {@code true} if the session's deadline is at or before {@code nowNs} (it is removed
     * when the sweep reaches it).
     */
    public boolean isExpired(final int session, final long nowNs)
    {
        return entries.getLong(session * SESSION_ENTRY_BYTES + EXPIRY_OFFSET) <= nowNs;
    }

    // ---------------------------------------------------------------- accessors

    /**
     * @return {@code true} if {@code session} is a valid index of a live session.
     */
    public boolean isInUse(final int session)
    {
        return session >= 0 && session < allocator.capacity() &&
            (entries.getByte(session * SESSION_ENTRY_BYTES + FLAGS_OFFSET) & FLAG_IN_USE) != 0;
    }

    public int protocol(final int session)
    {
        return entries.getByte(session * SESSION_ENTRY_BYTES + PROTOCOL_OFFSET);
    }

    public long src6High(final int session)
    {
        return entries.getLong(session * SESSION_ENTRY_BYTES + SRC6_HIGH_OFFSET);
    }

    public long src6Low(final int session)
    {
        return entries.getLong(session * SESSION_ENTRY_BYTES + SRC6_LOW_OFFSET);
    }

    public int src6Port(final int session)
    {
        return entries.getShort(session * SESSION_ENTRY_BYTES + SRC6_PORT_OFFSET) & 0xFFFF;
    }

    public int pool4Address(final int session)
    {
        return entries.getInt(session * SESSION_ENTRY_BYTES + POOL4_ADDRESS_OFFSET);
    }

    public int pool4Port(final int session)
    {
        return entries.getShort(session * SESSION_ENTRY_BYTES + POOL4_PORT_OFFSET) & 0xFFFF;
    }

    public int remote4Address(final int session)
    {
        return entries.getInt(session * SESSION_ENTRY_BYTES + REMOTE4_ADDRESS_OFFSET);
    }

    public int remotePort(final int session)
    {
        return entries.getShort(session * SESSION_ENTRY_BYTES + REMOTE_PORT_OFFSET) & 0xFFFF;
    }

    /**
     * @return the {@link TcpStateMachine} state (0 for UDP and ICMP).
     */
    public int tcpState(final int session)
    {
        return entries.getByte(session * SESSION_ENTRY_BYTES + TCP_STATE_OFFSET);
    }

    public long expiryNs(final int session)
    {
        return entries.getLong(session * SESSION_ENTRY_BYTES + EXPIRY_OFFSET);
    }

    /**
     * @return the session's BIB entry, read through {@link #bibs()}.
     */
    public int bib(final int session)
    {
        return entries.getInt(session * SESSION_ENTRY_BYTES + BIB_OFFSET);
    }

    public BibTable bibs()
    {
        return bibs;
    }

    /**
     * @return the per-subscriber counts, or {@code null} when the configuration needs none
     * ({@link SessionTableConfig#tracksSources()}).
     */
    public SourceQuotaTable quotas()
    {
        return quotas;
    }

    public Pool4 pool4()
    {
        return pool4;
    }

    public SessionTableConfig config()
    {
        return config;
    }

    /**
     * @return the lifetimes in force: {@link SessionTableConfig#timeouts()} until {@link #timeouts(Nat64Timeouts)}.
     */
    public Nat64Timeouts timeouts()
    {
        return timeouts;
    }

    /**
     * Puts new lifetimes in force (a configuration reload): they apply from each session's next
     * refresh or state change; the deadlines already set stay. Worker thread only.
     */
    public void timeouts(final Nat64Timeouts newTimeouts)
    {
        if (null == newTimeouts)
        {
            throw new IllegalArgumentException("timeouts: null");
        }
        timeouts = newTimeouts;
    }

    /**
     * @return live sessions.
     */
    public int size()
    {
        return allocator.inUse();
    }

    /**
     * @return session slots ever handed out: the part of the region the expiry sweep passes over.
     */
    public int usedSlots()
    {
        return allocator.highWater();
    }

    /**
     * @return the session capacity, {@link SessionTableConfig#maxSessions()}.
     */
    public int capacity()
    {
        return allocator.capacity();
    }

    /**
     * @return slots the sweep has visited since construction.
     */
    public long slotsVisited()
    {
        return slotsVisited;
    }

    /**
     * @return sessions the sweep has removed since construction.
     */
    public long expiredSessions()
    {
        return expiredSessions;
    }

    /**
     * @return ESTABLISHED TCP sessions the sweep moved to TRANS with a probe request.
     */
    public long tcpProbes()
    {
        return tcpProbes;
    }

    /**
     * @return off-heap bytes held by the sessions, both session indexes, the BIB and the quota
     * table; equal to {@link SessionTableConfig#offHeapBytes()}. Pool4 is not included.
     */
    public long offHeapBytes()
    {
        return region.length() + by6.offHeapBytes() + by4.offHeapBytes() + bibs.offHeapBytes() +
            (null == quotas ? 0 : quotas.offHeapBytes());
    }

    /**
     * Frees every off-heap region (not pool4's). The table must not be used afterwards.
     */
    public void close()
    {
        region.free();
        by6.free();
        by4.free();
        bibs.free();
        if (null != quotas)
        {
            quotas.free();
        }
    }

    HashIndex index6()
    {
        return by6;
    }

    HashIndex index4()
    {
        return by4;
    }

    // ---------------------------------------------------------------- internals

    private int findOrCreateBib6(final int protocol, final long src6High, final long src6Low, final int src6Port)
    {
        if (!SessionProtocol.isValid(protocol) || !isPort(src6Port))
        {
            return StateFailure.BAD_ARGUMENT.code();
        }
        final int existing = bibs.find6(protocol, src6High, src6Low, src6Port);
        if (BibTable.NOT_FOUND != existing)
        {
            return existing;    // RFC 6146 §3.5.1: endpoint-independent mapping reuses (T, t)
        }
        if (bibs.size() == bibs.capacity())
        {
            return StateFailure.BIB_TABLE_FULL.code();
        }
        final int quota = null == quotas ? 0 : quotas.addBib(src6High, src6Low, true);  // RFC 6888 REQ-4: ports
        if (quota < 0)
        {
            return quota;
        }
        final long transport = pool4.allocate(protocol, src6High, src6Low, src6Port);
        if (Pool4.NO_PORT == transport)
        {
            // RFC 6146 §3.5.1.1: no IPv4 transport address; the caller sends ICMPv6 Address Unreachable.
            removeQuotaBib(src6High, src6Low);
            return StateFailure.POOL4_EXHAUSTED.code();
        }
        return bibs.insert(
            protocol, src6High, src6Low, src6Port, Pool4.address(transport), Pool4.port(transport), false);
    }

    /**
     * A BIB entry at a given (T, t): static from configuration, or dynamic for a simultaneous open.
     */
    private int insertBibAt(
        final int protocol,
        final long src6High,
        final long src6Low,
        final int src6Port,
        final int pool4Address,
        final int pool4Port,
        final boolean isStatic)
    {
        if (!SessionProtocol.isValid(protocol) || !isPort(src6Port) || !isPort(pool4Port))
        {
            return StateFailure.BAD_ARGUMENT.code();
        }
        if (BibTable.NOT_FOUND != bibs.find6(protocol, src6High, src6Low, src6Port) ||
            BibTable.NOT_FOUND != bibs.find4(protocol, pool4Address, pool4Port))
        {
            return StateFailure.BIB_EXISTS.code();
        }
        if (!pool4.contains(pool4Address))
        {
            return StateFailure.NOT_IN_POOL4.code();
        }
        if (bibs.size() == bibs.capacity())
        {
            return StateFailure.BIB_TABLE_FULL.code();
        }
        final int quota = null == quotas ? 0 : quotas.addBib(src6High, src6Low, !isStatic);
        if (quota < 0)
        {
            return quota;
        }
        if (!pool4.reserve(protocol, pool4Address, pool4Port))
        {
            // Only a port taken outside this table could be in use without a BIB entry.
            removeQuotaBib(src6High, src6Low);
            return StateFailure.BIB_EXISTS.code();
        }
        return bibs.insert(protocol, src6High, src6Low, src6Port, pool4Address, pool4Port, isStatic);
    }

    private void removeSession(final int session)
    {
        final UnsafeBuffer entries = this.entries;
        final int offset = session * SESSION_ENTRY_BYTES;
        final int protocol = entries.getByte(offset + PROTOCOL_OFFSET);
        final long src6High = entries.getLong(offset + SRC6_HIGH_OFFSET);
        final long src6Low = entries.getLong(offset + SRC6_LOW_OFFSET);
        final int remote4 = entries.getInt(offset + REMOTE4_ADDRESS_OFFSET);
        final int remotePort = entries.getShort(offset + REMOTE_PORT_OFFSET) & 0xFFFF;
        final int bib = entries.getInt(offset + BIB_OFFSET);

        by6.remove(hash6(protocol, src6High, src6Low, entries.getShort(offset + SRC6_PORT_OFFSET) & 0xFFFF,
            remote4, remotePort), session);
        by4.remove(hash4(protocol, entries.getInt(offset + POOL4_ADDRESS_OFFSET),
            entries.getShort(offset + POOL4_PORT_OFFSET) & 0xFFFF, remote4, remotePort), session);
        entries.putByte(offset + FLAGS_OFFSET, (byte)0);
        entries.putLong(offset + EXPIRY_OFFSET, Long.MAX_VALUE);       // never due: the sweep skips it at once
        allocator.free(session);
        if (null != quotas)
        {
            quotas.removeSession(src6High, src6Low);
        }

        if (0 == bibs.release(bib) && !bibs.isStatic(bib))
        {
            removeBib(bib);     // the last session of a dynamic BIB entry
        }
    }

    private void removeBib(final int bib)
    {
        pool4.release(bibs.protocol(bib), bibs.pool4Address(bib), bibs.pool4Port(bib));
        removeQuotaBib(bibs.src6High(bib), bibs.src6Low(bib));
        bibs.remove(bib);
    }

    private void removeQuotaBib(final long src6High, final long src6Low)
    {
        if (null != quotas)
        {
            quotas.removeBib(src6High, src6Low);
        }
    }

    private int hash6(
        final int protocol,
        final long src6High,
        final long src6Low,
        final int src6Port,
        final int remote4,
        final int remotePort)
    {
        return StateHash.index(keys6[protocol], src6High, src6Low,
            ((long)remote4 << 32) | ((long)src6Port << 16) | remotePort);
    }

    private int hash4(
        final int protocol,
        final int pool4Address,
        final int pool4Port,
        final int remote4,
        final int remotePort)
    {
        return StateHash.index(keys4[protocol],
            ((long)pool4Address << 32) | ((long)pool4Port << 16) | remotePort, remote4);
    }

    private static boolean isPort(final int port)
    {
        return port >= 0 && port <= 0xFFFF;
    }
}
