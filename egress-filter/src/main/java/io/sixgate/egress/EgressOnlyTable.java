package io.sixgate.egress;

import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.state.EntryAllocator;
import io.sixgate.core.state.HashIndex;
import io.sixgate.core.state.OffHeapRegion;
import io.sixgate.core.state.StateHash;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * The egress-only filter's flow state (RFC 6092 §3.2, §3.3): outbound packets create or refresh a
 * flow, inbound packets pass only when they find one. Off heap, fixed capacity, open addressing
 * over {@link HashIndex} like the NAT64 session table. The security groups use it as their
 * connection table too ({@code io.sixgate.egress.acl.SecurityGroupStage}), with the flow's
 * initiator as the inside end and IPv4 addresses in their IPv4-mapped form.
 *
 * <p>A flow is keyed by (protocol, inside address, inside port, outside address, outside port):
 * <ul>
 *   <li>TCP, UDP: the ports;</li>
 *   <li>ICMPv6 echo: the identifier as the inside port, outside port 0;</li>
 *   <li>ESP, AH (RFC 6092 §3.2.4): addresses only, ports 0;</li>
 *   <li>UDP with endpoint-independent filtering (RFC 6092 §3.2.3 allows it, RFC 4787 REQ-8):
 *   the outside address and port are 0, so any outside host may answer the inside endpoint.</li>
 * </ul>
 *
 * <pre>
 *  flow (64 bytes):
 *   0            8            16           24           32         40   42   44 45 46  48     52     56
 *  +------------+------------+------------+------------+----------+----+----+--+--+--+--+------+------+----+
 *  | in 0-63    | in 64-127  | out 0-63   | out 64-127 | expiry   |inP |outP|pr|ts|fl|  | hash | link | -- |
 *  +------------+------------+------------+------------+----------+----+----+--+--+--+--+------+------+----+
 *  pr: IP protocol; ts: TCP state bits; fl: FLAG_IN_USE; link: the free-list link while free
 * </pre>
 *
 * <p>Expiry is a bounded sweep ({@link #expire(long, int)}): a refresh is one store of the
 * deadline. Lookups do not check the deadline, so a flow lives until the sweep reaches it; the
 * caller sweeps a few slots per packet and more when idle.
 *
 * <p>When the table or an address's share is full, {@link #create} returns a negative failure
 * code and changes nothing: existing flows keep working, only new outbound flows are refused.
 * Hot path allocates nothing and throws nothing. Not thread-safe: one owner (the worker).
 */
public final class EgressOnlyTable implements AutoCloseable
{
    /** Returned by {@link #find} on a miss. */
    public static final int NOT_FOUND = -1;

    /** {@link #create}: every flow of capacity is in use. */
    public static final int FAILURE_TABLE_FULL = -2;

    /** {@link #create}: the inside address holds its limit of flows (or the address table is full). */
    public static final int FAILURE_ADDRESS_LIMIT = -3;

    /** Bytes of one flow entry. */
    public static final int ENTRY_BYTES = 64;

    /** Off-heap bytes per flow of capacity: the entry, its index slots and an address entry. */
    public static final int BYTES_PER_FLOW = ENTRY_BYTES + HashIndex.SLOTS_PER_ENTRY * HashIndex.SLOT_BYTES
        + AddressFlowCounts.ENTRY_BYTES + HashIndex.SLOTS_PER_ENTRY * HashIndex.SLOT_BYTES;

    /** Largest capacity: offsets must fit an {@code int}. */
    public static final int MAX_CAPACITY = (Integer.MAX_VALUE - OffHeapRegion.CACHE_LINE) / ENTRY_BYTES;

    /** TCP state bit: a SYN went out. */
    public static final int TCP_SYN_OUT = 0x01;
    /** TCP state bit: a SYN came in (a SYN-ACK, or the other half of a simultaneous open). */
    public static final int TCP_SYN_IN = 0x02;
    /** TCP state bit: a FIN went out. */
    public static final int TCP_FIN_OUT = 0x04;
    /** TCP state bit: a FIN came in. */
    public static final int TCP_FIN_IN = 0x08;
    /** TCP state bit: a RST was seen either way. */
    public static final int TCP_RST = 0x10;
    /** TCP state bit: the flow was picked up mid-stream (first packet out was not a SYN). */
    public static final int TCP_PICKED_UP = 0x20;
    /** TCP state bit: any packet came in. */
    public static final int TCP_SEEN_IN = 0x40;

    private static final int IN_HIGH_OFFSET = 0;
    private static final int IN_LOW_OFFSET = 8;
    private static final int OUT_HIGH_OFFSET = 16;
    private static final int OUT_LOW_OFFSET = 24;
    private static final int EXPIRY_OFFSET = 32;
    private static final int IN_PORT_OFFSET = 40;
    private static final int OUT_PORT_OFFSET = 42;
    private static final int PROTOCOL_OFFSET = 44;
    private static final int TCP_STATE_OFFSET = 45;
    private static final int FLAGS_OFFSET = 46;
    private static final int HASH_OFFSET = 48;
    private static final int LINK_OFFSET = 52;

    private static final int FLAG_IN_USE = 1;

    private EgressOnlyTimeouts timeouts;
    private final OffHeapRegion region;
    private final UnsafeBuffer entries;
    private final EntryAllocator allocator;
    private final HashIndex index;
    private final AddressFlowCounts perAddress;
    private final long[] keys;
    private final int capacity;
    private int sweepCursor;
    private long expired;

    /**
     * Allocates everything at once ({@link #BYTES_PER_FLOW} per flow). Config time.
     *
     * @param capacity           flows at once, 1 to {@link #MAX_CAPACITY}.
     * @param maxFlowsPerAddress flows one inside address may hold, at least 1.
     * @param timeouts           idle timeouts.
     * @param hashSeed           secret for the index hash (a remote host must not predict slots).
     */
    public EgressOnlyTable(
        final int capacity, final int maxFlowsPerAddress, final EgressOnlyTimeouts timeouts, final long hashSeed)
    {
        if (capacity <= 0 || capacity > MAX_CAPACITY)
        {
            throw new IllegalArgumentException("capacity must be in [1, " + MAX_CAPACITY + "]: " + capacity);
        }
        if (maxFlowsPerAddress <= 0)
        {
            throw new IllegalArgumentException("flows per address must be > 0: " + maxFlowsPerAddress);
        }
        this.timeouts = timeouts;
        this.capacity = capacity;
        this.region = new OffHeapRegion(capacity * ENTRY_BYTES);
        this.entries = region.buffer();
        this.allocator = new EntryAllocator(entries, ENTRY_BYTES, LINK_OFFSET, capacity);
        this.index = new HashIndex(capacity * HashIndex.SLOTS_PER_ENTRY);
        this.perAddress = new AddressFlowCounts(capacity, maxFlowsPerAddress, StateHash.derive(hashSeed, 0xADD));
        this.keys = StateHash.indexKeys(StateHash.derive(hashSeed, 0xE6E5), 5);
    }

    /**
     * Finds a flow. For an inbound packet the inside endpoint is its destination.
     *
     * @return the flow, or {@link #NOT_FOUND}.
     */
    public int find(
        final int protocol,
        final long inHigh,
        final long inLow,
        final int inPort,
        final long outHigh,
        final long outLow,
        final int outPort)
    {
        return find(hash(protocol, inHigh, inLow, inPort, outHigh, outLow, outPort),
            protocol, inHigh, inLow, inPort, outHigh, outLow, outPort);
    }

    /**
     * Creates a flow for an outbound packet that found none. The caller has looked it up.
     *
     * @return the new flow, or {@link #FAILURE_TABLE_FULL} / {@link #FAILURE_ADDRESS_LIMIT}.
     */
    public int create(
        final int protocol,
        final long inHigh,
        final long inLow,
        final int inPort,
        final long outHigh,
        final long outLow,
        final int outPort,
        final long nowNs)
    {
        if (allocator.inUse() >= capacity)
        {
            return FAILURE_TABLE_FULL;
        }
        if (!perAddress.acquire(inHigh, inLow))
        {
            return FAILURE_ADDRESS_LIMIT;
        }
        final int flow = allocator.allocate();
        final int hash = hash(protocol, inHigh, inLow, inPort, outHigh, outLow, outPort);
        final int offset = flow * ENTRY_BYTES;
        entries.putLong(offset + IN_HIGH_OFFSET, inHigh);
        entries.putLong(offset + IN_LOW_OFFSET, inLow);
        entries.putLong(offset + OUT_HIGH_OFFSET, outHigh);
        entries.putLong(offset + OUT_LOW_OFFSET, outLow);
        entries.putShort(offset + IN_PORT_OFFSET, (short)inPort);
        entries.putShort(offset + OUT_PORT_OFFSET, (short)outPort);
        entries.putByte(offset + PROTOCOL_OFFSET, (byte)protocol);
        entries.putByte(offset + TCP_STATE_OFFSET, (byte)0);
        entries.putByte(offset + FLAGS_OFFSET, (byte)FLAG_IN_USE);
        entries.putInt(offset + HASH_OFFSET, hash);
        entries.putLong(offset + EXPIRY_OFFSET, nowNs + idleTimeoutNs(protocol, 0));
        index.insert(hash, flow);
        return flow;
    }

    /**
     * A non-TCP packet of the flow passed: push the deadline out (RFC 6092 §3.2.3, §3.2.4).
     */
    public void refresh(final int flow, final long nowNs)
    {
        final int offset = flow * ENTRY_BYTES;
        final int protocol = entries.getByte(offset + PROTOCOL_OFFSET) & 0xFF;
        entries.putLong(offset + EXPIRY_OFFSET, nowNs + idleTimeoutNs(protocol, 0));
    }

    /**
     * A TCP segment of the flow passed (RFC 6092 §3.3.1): track SYN, FIN and RST each way and set
     * the deadline from the result. Both SYNs seen (a SYN-ACK answered our SYN, or a simultaneous
     * open, RFC 6092 §3.3.1 and RFC 5382 REQ-2) makes the flow established; a FIN each way or a RST
     * makes it transitory. A SYN on a closed or closing flow starts it over.
     *
     * @param outbound whether the segment went from inside to outside.
     * @param flags    the TCP flags byte.
     */
    public void onTcp(final int flow, final boolean outbound, final int flags, final long nowNs)
    {
        final int offset = flow * ENTRY_BYTES;
        int state = entries.getByte(offset + TCP_STATE_OFFSET) & 0xFF;
        final boolean syn = (flags & TcpFlyweight.SYN) != 0;
        if (syn && (state & (TCP_RST | TCP_FIN_OUT | TCP_FIN_IN)) != 0)
        {
            state = 0;
        }
        if (state == 0 && outbound && !syn)
        {
            state = TCP_PICKED_UP;
        }
        if (syn)
        {
            state |= outbound ? TCP_SYN_OUT : TCP_SYN_IN;
        }
        if ((flags & TcpFlyweight.FIN) != 0)
        {
            state |= outbound ? TCP_FIN_OUT : TCP_FIN_IN;
        }
        if ((flags & TcpFlyweight.RST) != 0)
        {
            state |= TCP_RST;
        }
        if (!outbound)
        {
            state |= TCP_SEEN_IN;
        }
        entries.putByte(offset + TCP_STATE_OFFSET, (byte)state);
        entries.putLong(offset + EXPIRY_OFFSET, nowNs + idleTimeoutNs(IpProtocol.TCP, state));
    }

    /**
     * @return whether TCP state bits mean an established connection.
     */
    public static boolean isEstablished(final int tcpState)
    {
        if ((tcpState & (TCP_RST | TCP_FIN_OUT | TCP_FIN_IN)) != 0)
        {
            return false;
        }
        final boolean handshake = (tcpState & (TCP_SYN_OUT | TCP_SYN_IN)) == (TCP_SYN_OUT | TCP_SYN_IN);
        final boolean pickedUp = (tcpState & (TCP_PICKED_UP | TCP_SEEN_IN)) == (TCP_PICKED_UP | TCP_SEEN_IN);
        return handshake || pickedUp;
    }

    private long idleTimeoutNs(final int protocol, final int tcpState)
    {
        switch (protocol)
        {
            case IpProtocol.TCP:
                return isEstablished(tcpState) ? timeouts.tcpEstablishedNs() : timeouts.tcpTransitoryNs();
            case IpProtocol.UDP:
                return timeouts.udpNs();
            case IpProtocol.ICMP:
            case IpProtocol.ICMPV6:
                return timeouts.icmpNs();
            default:
                return timeouts.ipsecNs();
        }
    }

    /**
     * Sweeps up to {@code maxSlots} entries from where the last sweep stopped and removes flows
     * whose deadline passed.
     *
     * @return flows removed.
     */
    public int expire(final long nowNs, final int maxSlots)
    {
        final int highWater = allocator.highWater();
        if (highWater == 0)
        {
            return 0;
        }
        int removed = 0;
        int cursor = sweepCursor;
        final int slots = Math.min(maxSlots, highWater);
        for (int i = 0; i < slots; i++)
        {
            if (cursor >= highWater)
            {
                cursor = 0;
            }
            final int offset = cursor * ENTRY_BYTES;
            if ((entries.getByte(offset + FLAGS_OFFSET) & FLAG_IN_USE) != 0 &&
                entries.getLong(offset + EXPIRY_OFFSET) - nowNs <= 0)
            {
                remove(cursor);
                removed++;
            }
            cursor++;
        }
        sweepCursor = cursor;
        expired += removed;
        return removed;
    }

    /**
     * Removes a flow now (an administrator deleting a rule; never an ICMPv6 message, RFC 6092 §3.2.1).
     */
    public void remove(final int flow)
    {
        final int offset = flow * ENTRY_BYTES;
        index.remove(entries.getInt(offset + HASH_OFFSET), flow);
        perAddress.release(entries.getLong(offset + IN_HIGH_OFFSET), entries.getLong(offset + IN_LOW_OFFSET));
        entries.putByte(offset + FLAGS_OFFSET, (byte)0);
        allocator.free(flow);
    }

    /**
     * New idle timeouts (a reload): each flow gets its new lifetime from its next packet; the
     * deadlines already set stay. Worker thread only.
     */
    public void timeouts(final EgressOnlyTimeouts newTimeouts)
    {
        timeouts = newTimeouts;
    }

    public EgressOnlyTimeouts timeouts()
    {
        return timeouts;
    }

    /** Flows in use. */
    public int size()
    {
        return allocator.inUse();
    }

    public int capacity()
    {
        return capacity;
    }

    /** Flows removed by expiry since creation. */
    public long expiredFlows()
    {
        return expired;
    }

    /** Flows the inside address holds. */
    public int flowsOf(final long inHigh, final long inLow)
    {
        return perAddress.count(inHigh, inLow);
    }

    public long expiryNs(final int flow)
    {
        return entries.getLong(flow * ENTRY_BYTES + EXPIRY_OFFSET);
    }

    public int tcpState(final int flow)
    {
        return entries.getByte(flow * ENTRY_BYTES + TCP_STATE_OFFSET) & 0xFF;
    }

    private int find(
        final int hash,
        final int protocol,
        final long inHigh,
        final long inLow,
        final int inPort,
        final long outHigh,
        final long outLow,
        final int outPort)
    {
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
                final int flow = HashIndex.entryOf(value);
                final int offset = flow * ENTRY_BYTES;
                if (entries.getLong(offset + IN_LOW_OFFSET) == inLow &&
                    entries.getLong(offset + OUT_LOW_OFFSET) == outLow &&
                    entries.getLong(offset + IN_HIGH_OFFSET) == inHigh &&
                    entries.getLong(offset + OUT_HIGH_OFFSET) == outHigh &&
                    (entries.getShort(offset + IN_PORT_OFFSET) & 0xFFFF) == inPort &&
                    (entries.getShort(offset + OUT_PORT_OFFSET) & 0xFFFF) == outPort &&
                    (entries.getByte(offset + PROTOCOL_OFFSET) & 0xFF) == protocol)
                {
                    return flow;
                }
            }
            slot = index.next(slot);
        }
    }

    private int hash(
        final int protocol,
        final long inHigh,
        final long inLow,
        final int inPort,
        final long outHigh,
        final long outLow,
        final int outPort)
    {
        return StateHash.index(keys, inHigh, inLow, outHigh, outLow,
            ((long)protocol << 32) | ((long)inPort << 16) | outPort);
    }

    @Override
    public void close()
    {
        perAddress.close();
        index.free();
        region.free();
    }
}
