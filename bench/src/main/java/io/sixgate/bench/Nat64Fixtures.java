package io.sixgate.bench;

import static java.nio.ByteOrder.BIG_ENDIAN;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.core.packet.InternetChecksum;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.UdpFlyweight;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.stage.StageNames;
import io.sixgate.nat64.state.Nat64Timeouts;
import io.sixgate.nat64.state.PortRange;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.state.SessionTableConfig;
import io.sixgate.nat64.stateful.EipTable;
import io.sixgate.nat64.stateful.Nat64Shard;
import io.sixgate.nat64.stateful.Nat64Stateful46Stage;
import io.sixgate.nat64.stateful.Nat64Stateful64Stage;
import io.sixgate.nat64.stateful.Nat64StatefulConfig;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Stateful NAT64 (RFC 6146) fixtures: a shard sized as the daemon sizes it for
 * {@code max-sessions: N} (N sessions, N BIB entries, N sources), pool4 203.0.113.0/24 with every
 * port from 1024, pool6 64:ff9b::/96, and tables filled with distinct UDP sessions.
 *
 * <p>Filled flow {@code i}: client 2001:db8:ff00::/64 host {@code 1 + i / 64}, source port
 * {@code 10000 + i % 64} (so every flow is its own BIB entry and pool4 port, and every 64 flows
 * one subscriber), to 198.51.100.{@code 1 + i % 250} port 443.
 */
public final class Nat64Fixtures
{
    /** pool6, RFC 6052's well-known prefix. */
    public static final String POOL6 = "64:ff9b::";

    /** The clients of the filled flows: 2001:db8:ff00::/64. */
    public static final long FILL_CLIENT_HIGH = Ipv6Address.parse("2001:db8:ff00::")[Ipv6Address.HIGH];

    /** The client of the measured flow, outside the filled ones. */
    public static final String CLIENT6 = "2001:db8:ffff::7";

    /** The IPv4 server of the measured flow. */
    public static final String SERVER4 = "198.51.100.7";

    /** The server as the IPv6 client addresses it: pool6 + 198.51.100.7. */
    public static final String SERVER4_AS_V6 = "64:ff9b::c633:6407";

    /** Source port of the measured flow. */
    public static final int CLIENT_PORT = 40000;

    /** Destination port of every flow. */
    public static final int SERVER_PORT = 443;

    /** First source port of the filled flows. */
    public static final int FILL_FIRST_PORT = 10000;

    /** Flows per filled client (subscriber). */
    public static final int FLOWS_PER_CLIENT = 64;

    private static final int SERVERS = 0xC633_6400;       // 198.51.100.0
    private static final int POOL4_FIRST = 0xCB00_7100;   // 203.0.113.0
    private static final int POOL4_ADDRESSES = 256;

    private Nat64Fixtures()
    {
    }

    /**
     * A shard as {@code max-sessions: maxSessions} makes it in the daemon (see
     * {@code Nat64StatefulSettings}): sessions, BIB entries and sources all of that size, no
     * per-source limit, RFC 6146 lifetimes.
     */
    public static Nat64Shard shard(final int maxSessions)
    {
        return shard(maxSessions, maxSessions);
    }

    /**
     * A shard as {@code max-sessions: maxSessions} and {@code max-sessions-per-source: perSource}
     * make it in the daemon: below {@code maxSessions}, the per-source limit brings the source
     * table ({@code SessionTableConfig.tracksSources()}), of {@code maxSessions} sources.
     */
    public static Nat64Shard shard(final int maxSessions, final int perSource)
    {
        return shard(maxSessions, perSource, maxSessions);
    }

    /**
     * The same with {@code max-sources: maxSources}: the source table sized on its own.
     */
    public static Nat64Shard shard(final int maxSessions, final int perSource, final int maxSources)
    {
        final int[] pool4 = new int[POOL4_ADDRESSES];
        for (int i = 0; i < pool4.length; i++)
        {
            pool4[i] = POOL4_FIRST + i;
        }
        final PortRange ports = new PortRange(1024, 65535);
        final SessionTableConfig sessions = new SessionTableConfig(maxSessions, maxSessions, maxSources, 128,
            perSource, perSource, Nat64Timeouts.RFC_6146_DEFAULTS, 0x5EED);
        return new Nat64Shard(new Nat64StatefulConfig(BenchFixtures.nat64Translator(), pool4, ports, ports, ports,
            List.of(), sessions, false, TimeUnit.SECONDS.toNanos(6), Nat64StatefulConfig.DEFAULT_MAX_HELD_SYNS,
            EipTable.EMPTY, Nat64StatefulConfig.DEFAULT_SWEEP_SLOTS_PER_PACKET,
            Nat64StatefulConfig.DEFAULT_SWEEP_SLOTS_PER_TICK, 0x900L));
    }

    /**
     * A stage pipeline with the three stateful stages over the shard: ipv6-input goes to
     * nat64-6to4, ipv4-input to nat64-4to6.
     */
    public static Pipeline pipeline(final FramePool pool, final Nat64Shard shard)
    {
        return BenchFixtures.stagePipeline(pool, Nat64Stateful46Stage.NAME, Nat64Stateful64Stage.NAME,
            new Nat64Stateful64Stage(shard, pool, StageNames.IPV4_OUTPUT, StageNames.IPV6_OUTPUT,
                Nat64Stateful46Stage.HAIRPIN_NAME),
            new Nat64Stateful46Stage(shard, pool, StageNames.IPV6_OUTPUT, StageNames.IPV4_OUTPUT),
            Nat64Stateful46Stage.hairpin(shard, pool, StageNames.IPV6_OUTPUT, StageNames.IPV4_OUTPUT));
    }

    /**
     * Adds filled flows {@code 0 .. count - 1} (see the class comment) as UDP sessions that live
     * the UDP lifetime from {@code nowNs}.
     *
     * @throws IllegalStateException when the table refuses one.
     */
    public static void fill(final Nat64Shard shard, final int count, final long nowNs)
    {
        final long expiryNs = nowNs + Nat64Timeouts.RFC_6146_DEFAULTS.udpNs();
        for (int i = 0; i < count; i++)
        {
            final int session = shard.create6(SessionProtocol.UDP, FILL_CLIENT_HIGH, fillClientLow(i), fillClientPort(i),
                fillServer(i), SERVER_PORT, 0, expiryNs);
            if (session < 0)
            {
                throw new IllegalStateException("benchmark set-up: filling session " + i + " of " + count + " failed: " +
                    io.sixgate.nat64.state.StateFailure.ofCode(session));
            }
        }
    }

    public static long fillClientLow(final int flow)
    {
        return 1 + flow / FLOWS_PER_CLIENT;
    }

    public static int fillClientPort(final int flow)
    {
        return FILL_FIRST_PORT + flow % FLOWS_PER_CLIENT;
    }

    public static int fillServer(final int flow)
    {
        return SERVERS + 1 + flow % 250;
    }

    /** The text form of a filled flow's client, for building its packets. */
    public static String fillClient(final int flow)
    {
        return Ipv6Address.format(FILL_CLIENT_HIGH, fillClientLow(flow));
    }

    /** The text form of a filled flow's server as the IPv6 client addresses it. */
    public static String fillServerAsV6(final int flow)
    {
        final long[] pool6 = Ipv6Address.parse(POOL6);
        return Ipv6Address.format(pool6[Ipv6Address.HIGH], pool6[Ipv6Address.LOW] | (fillServer(flow) & 0xFFFF_FFFFL));
    }

    /** The text form of an IPv4 address. */
    public static String ipv4(final int address)
    {
        return Ipv4Address.format(address);
    }

    /**
     * Rewrites the IPv6 source address's low 64 bits and the UDP source port of the frame's
     * packet, keeping the UDP checksum right (RFC 1624): a fresh flow without building a packet.
     * Allocates nothing.
     */
    public static void rewriteUdpSource(
        final FramePool pool, final int frame, final long oldLow, final long newLow, final int oldPort, final int newPort)
    {
        final UnsafeBuffer buffer = pool.buffer();
        final int l3 = pool.l3Offset(frame);
        final int l4 = pool.l4Offset(frame);
        buffer.putLong(l3 + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, newLow, BIG_ENDIAN);
        buffer.putShort(l4 + UdpFlyweight.SRC_PORT_OFFSET, (short)newPort, BIG_ENDIAN);
        int checksum = buffer.getShort(l4 + UdpFlyweight.CHECKSUM_OFFSET, BIG_ENDIAN) & 0xFFFF;
        checksum = InternetChecksum.update32(checksum, (int)(oldLow >>> 32), (int)(newLow >>> 32));
        checksum = InternetChecksum.update32(checksum, (int)oldLow, (int)newLow);
        checksum = InternetChecksum.update16(checksum, oldPort, newPort);
        buffer.putShort(l4 + UdpFlyweight.CHECKSUM_OFFSET, (short)InternetChecksum.udpWireChecksum(checksum), BIG_ENDIAN);
    }
}
