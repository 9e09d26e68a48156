package io.sixgate.nat64.stateful;

import java.util.List;
import java.util.Objects;

import io.sixgate.nat64.address.Rfc6052Prefix;
import io.sixgate.nat64.siit.TranslatorConfig;
import io.sixgate.nat64.state.PortRange;
import io.sixgate.nat64.state.SessionTableConfig;

/**
 * Every setting of stateful NAT64 (RFC 6146) for one worker's shard, immutable.
 *
 * @param translator          the RFC 7915 settings the translation step reuses: pool6 (its
 *                            {@code pool6}), the gateway's own addresses (sources of the ICMP errors
 *                            it originates), MTUs, traffic class; its EAMT must be empty.
 * @param pool4Addresses      pool4 (RFC 6146 §3.5.1.1).
 * @param tcpPorts            pool4 ports for TCP.
 * @param udpPorts            pool4 ports for UDP.
 * @param icmpIdentifiers     pool4 ICMP query identifiers.
 * @param staticBib           static BIB entries (RFC 6146 §3.1).
 * @param sessions            sizes, quotas (RFC 6888 REQ-4), timeouts, hash seed.
 * @param addressDependentFiltering RFC 6146 §3.5.1.1 / RFC 4787 REQ-8: {@code false} =
 *                            endpoint-independent filtering (the default), {@code true} = an IPv4
 *                            packet needs a session of its BIB entry with the same remote address.
 * @param incomingSynHoldNs   RFC 6146 §4 TCP_INCOMING_SYN: how long an unsolicited IPv4 SYN waits.
 * @param maxHeldSyns         how many such SYNs (frames) are held at once; more are dropped and counted.
 * @param eip                 IPv6 EIP bindings (public = embedded, private = instance address).
 * @param sweepSlotsPerPacket session slots the expiry sweep visits per packet at most; the packet
 *                            clock decides how many are due ({@link Nat64Shard#sweep}).
 * @param sweepSlotsPerTick   session slots the expiry sweep visits per tick at most.
 * @param pool4Seed           RFC 6056 secret of pool4's port choice.
 */
public record Nat64StatefulConfig(
    TranslatorConfig translator,
    int[] pool4Addresses,
    PortRange tcpPorts,
    PortRange udpPorts,
    PortRange icmpIdentifiers,
    List<StaticBibEntry> staticBib,
    SessionTableConfig sessions,
    boolean addressDependentFiltering,
    long incomingSynHoldNs,
    int maxHeldSyns,
    EipTable eip,
    int sweepSlotsPerPacket,
    int sweepSlotsPerTick,
    long pool4Seed)
{
    /** Default number of held IPv4 SYNs. */
    public static final int DEFAULT_MAX_HELD_SYNS = 1024;

    /** Default sweep budget per packet. */
    public static final int DEFAULT_SWEEP_SLOTS_PER_PACKET = 8;

    /** Default sweep budget per idle tick. */
    public static final int DEFAULT_SWEEP_SLOTS_PER_TICK = 4096;

    /**
     * @throws IllegalArgumentException if a part is missing or out of range.
     */
    public Nat64StatefulConfig
    {
        Objects.requireNonNull(translator, "translator");
        Objects.requireNonNull(pool4Addresses, "pool4Addresses");
        Objects.requireNonNull(tcpPorts, "tcpPorts");
        Objects.requireNonNull(udpPorts, "udpPorts");
        Objects.requireNonNull(icmpIdentifiers, "icmpIdentifiers");
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(eip, "eip");
        staticBib = List.copyOf(staticBib);
        pool4Addresses = pool4Addresses.clone();
        if (translator.pool6() == null)
        {
            throw new IllegalArgumentException("stateful NAT64 needs pool6 (an RFC 6052 prefix)");
        }
        if (translator.eamt().size() != 0)
        {
            throw new IllegalArgumentException("stateful NAT64 takes no EAMT entries");
        }
        if (pool4Addresses.length == 0)
        {
            throw new IllegalArgumentException("stateful NAT64 needs at least one pool4 address");
        }
        if (incomingSynHoldNs <= 0 || maxHeldSyns < 1 || sweepSlotsPerPacket < 0 || sweepSlotsPerTick < 0)
        {
            throw new IllegalArgumentException("hold time and held SYNs must be positive, sweep budgets not negative");
        }
    }

    @Override
    public int[] pool4Addresses()
    {
        return pool4Addresses.clone();
    }

    public Rfc6052Prefix pool6()
    {
        return translator.pool6();
    }

    /**
     * @return the same settings with another translator configuration (e.g. other MTUs).
     */
    public Nat64StatefulConfig withTranslator(final TranslatorConfig newTranslator)
    {
        return new Nat64StatefulConfig(newTranslator, pool4Addresses, tcpPorts, udpPorts, icmpIdentifiers, staticBib,
            sessions, addressDependentFiltering, incomingSynHoldNs, maxHeldSyns, eip, sweepSlotsPerPacket,
            sweepSlotsPerTick, pool4Seed);
    }

    /**
     * @return off-heap bytes of one shard: the session table (with BIB and quotas, see
     * {@link SessionTableConfig#offHeapBytes()}) and pool4's bitmaps.
     */
    public long offHeapBytes()
    {
        return sessions.offHeapBytes() + (long)pool4Addresses.length * io.sixgate.nat64.state.Pool4.BYTES_PER_ADDRESS;
    }
}
