package io.sixgate.daemon.config;

import java.nio.file.Path;
import java.util.List;

import io.sixgate.nat64.siit.TranslatorConfig;
import io.sixgate.nat64.state.Nat64Timeouts;
import io.sixgate.nat64.state.PortRange;
import io.sixgate.nat64.state.SessionTableConfig;
import io.sixgate.nat64.stateful.EipTable;
import io.sixgate.nat64.stateful.Nat64StatefulConfig;
import io.sixgate.nat64.stateful.StaticBibEntry;

/**
 * The stateful part of the {@code nat64} section ({@code mode: stateful}) and the top-level
 * {@code eip} bindings, validated.
 *
 * @param pool4Addresses       pool4 addresses.
 * @param tcpPorts             pool4 TCP ports.
 * @param udpPorts             pool4 UDP ports.
 * @param icmpIdentifiers      pool4 ICMP identifiers.
 * @param staticBib            static BIB entries.
 * @param timeouts             session lifetimes.
 * @param incomingSynHoldNs    TCP_INCOMING_SYN.
 * @param maxSessions          the global session cap (and BIB entries).
 * @param maxSessionsPerSource sessions and BIB entries per IPv6 source address (RFC 6888 REQ-4).
 * @param maxSources           IPv6 sources (subscribers) with state at once, {@code max-sessions}
 *                             unless set: the source table's size when it is kept.
 * @param addressDependentFiltering {@code filtering: address-dependent}.
 * @param eip                  IPv6 EIP bindings.
 * @param snapshotFile         where {@code sixgate run} writes the sessions when it stops and reads
 *                             them back when it starts (graceful restart), or {@code null}: not kept.
 */
public record Nat64StatefulSettings(
    int[] pool4Addresses,
    PortRange tcpPorts,
    PortRange udpPorts,
    PortRange icmpIdentifiers,
    List<StaticBibEntry> staticBib,
    Nat64Timeouts timeouts,
    long incomingSynHoldNs,
    int maxSessions,
    int maxSessionsPerSource,
    int maxSources,
    boolean addressDependentFiltering,
    EipTable eip,
    Path snapshotFile)
{
    /** Default {@code max-sessions}. */
    public static final int DEFAULT_MAX_SESSIONS = 65536;

    public Nat64StatefulSettings
    {
        pool4Addresses = pool4Addresses.clone();
        staticBib = List.copyOf(staticBib);
    }

    /**
     * @param translator the RFC 7915 settings (pool6, the gateway's addresses, MTUs).
     * @param seed       secret for the hashes and RFC 6056 port choice (random in the daemon).
     * @return the settings of one worker's shard. Off-heap memory:
     * {@link Nat64StatefulConfig#offHeapBytes()}, 144 bytes per session of {@code max-sessions},
     * 40 more per source of {@code max-sources} when a {@code max-sessions-per-source} below it or
     * a {@code max-sources} below {@code max-sessions} needs the source table, plus 24 KiB per
     * pool4 address.
     */
    public Nat64StatefulConfig shardConfig(final TranslatorConfig translator, final long seed)
    {
        return shardConfig(translator, seed, maxSessions, maxSources, staticBib);
    }

    /**
     * The settings of one of several workers' shards.
     *
     * @param shardSessions  the worker's share of {@code max-sessions} (also its BIB size).
     * @param shardSources   the worker's share of {@code max-sources}: a subscriber's flows all
     *                       steer to its home worker, so each worker holds a part of them.
     * @param shardStaticBib the static BIB entries the worker holds.
     */
    public Nat64StatefulConfig shardConfig(final TranslatorConfig translator, final long seed, final int shardSessions,
        final int shardSources, final List<StaticBibEntry> shardStaticBib)
    {
        final SessionTableConfig sessions = new SessionTableConfig(shardSessions, shardSessions,
            Math.min(shardSources, shardSessions), 128, maxSessionsPerSource, maxSessionsPerSource, timeouts, seed);
        return new Nat64StatefulConfig(translator, pool4Addresses, tcpPorts, udpPorts, icmpIdentifiers, shardStaticBib,
            sessions, addressDependentFiltering, incomingSynHoldNs, Nat64StatefulConfig.DEFAULT_MAX_HELD_SYNS, eip,
            Nat64StatefulConfig.DEFAULT_SWEEP_SLOTS_PER_PACKET, Nat64StatefulConfig.DEFAULT_SWEEP_SLOTS_PER_TICK, seed);
    }
}
