package io.sixgate.nat64.stateful;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.nat64.conformance.ConformanceRunner;
import io.sixgate.nat64.siit.TranslatorConfig;
import io.sixgate.nat64.state.BibTable;
import io.sixgate.nat64.state.PortRange;
import io.sixgate.nat64.state.PortPartition;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.state.SessionTable;
import io.sixgate.nat64.state.SessionTableConfig;
import io.sixgate.nat64.state.TcpStateMachine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session snapshot of a graceful restart: the file format, and what the restore keeps,
 * re-arms and skips.
 */
class SessionSnapshotTest
{
    private static final int POOL4_A = Ipv4Address.parse("192.0.2.2");
    private static final int POOL4_B = Ipv4Address.parse("192.0.2.3");
    private static final int REMOTE = Ipv4Address.parse("203.0.113.5");
    private static final long[] CLIENT = Ipv6Address.parse("2001:db8:ffff::7");
    private static final long[] CLIENT_B = Ipv6Address.parse("2001:db8:ffff::8");
    private static final PortRange PORTS = new PortRange(1024, 65535);
    private static final long OLD_NOW_NS = TimeUnit.SECONDS.toNanos(1_000);
    private static final long NEW_NOW_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long WALL_NS = TimeUnit.DAYS.toNanos(20_000);
    private static final long MINUTE_NS = TimeUnit.MINUTES.toNanos(1);

    @TempDir
    Path dir;

    @Test
    void everyProtocolAndTcpStateComesBackOnTheSamePool4TransportAddressWithItsLifetimeLeft() throws IOException
    {
        final Path file = dir.resolve("sessions.snap");
        try (Nat64Shard before = shard(1, new int[]{POOL4_A, POOL4_B}, PORTS, 64, List.of());
             Nat64Shard after = shard(99, new int[]{POOL4_A, POOL4_B}, PORTS, 64, List.of()))
        {
            final SessionTable old = before.sessions();
            int port = 40000;
            for (int state = TcpStateMachine.V4_INIT; state <= TcpStateMachine.TRANS; state++)
            {
                assertTrue(before.create6(SessionProtocol.TCP, CLIENT[0], CLIENT[1], port++, REMOTE, 80, state,
                    OLD_NOW_NS + state * MINUTE_NS) >= 0);
            }
            final int udp = before.create6(SessionProtocol.UDP, CLIENT[0], CLIENT[1], 5353, REMOTE, 53, 0,
                OLD_NOW_NS + 3 * MINUTE_NS);
            // A second session of the same BIB entry (endpoint-independent mapping, another remote).
            assertTrue(before.createSession(old.bib(udp), REMOTE + 1, 5300, 0, OLD_NOW_NS + 2 * MINUTE_NS) >= 0);
            assertTrue(before.create6(SessionProtocol.ICMP, CLIENT_B[0], CLIENT_B[1], 77, REMOTE, 0, 0,
                OLD_NOW_NS + MINUTE_NS) >= 0);
            assertEquals(10, old.size());

            assertEquals(10, SessionSnapshot.write(file, OLD_NOW_NS, WALL_NS, before));
            assertEquals(SessionSnapshot.HEADER_BYTES + 10 * SessionSnapshot.RECORD_BYTES, Files.size(file));
            final SessionSnapshot snapshot = SessionSnapshot.read(file);
            final SessionRestoreReport report =
                SessionRestore.into(snapshot, after, NEW_NOW_NS, WALL_NS, SessionOwnership.EVERY_SESSION);

            assertEquals(10, report.restoredCount(), report.toString());
            assertEquals(0, report.skippedCount());
            final SessionTable restored = after.sessions();
            assertEquals(10, restored.size());
            assertEquals(old.bibs().size(), restored.bibs().size(), "the BIB entries the sessions need, no more");
            for (int s = 0; s < old.capacity(); s++)
            {
                if (!old.isInUse(s))
                {
                    continue;
                }
                final int r = restored.find6(old.protocol(s), old.src6High(s), old.src6Low(s), old.src6Port(s),
                    old.remote4Address(s), old.remotePort(s));
                assertTrue(r >= 0, "session " + s + " restored");
                assertEquals(old.pool4Address(s), restored.pool4Address(r));
                assertEquals(old.pool4Port(s), restored.pool4Port(r));
                assertEquals(old.tcpState(s), restored.tcpState(r));
                assertEquals(old.expiryNs(s) - OLD_NOW_NS, restored.expiryNs(r) - NEW_NOW_NS, "lifetime left");
                assertEquals(r, restored.find4(old.protocol(s), old.pool4Address(s), old.pool4Port(s),
                    old.remote4Address(s), old.remotePort(s)), "IPv4 replies find it");
                assertTrue(after.pool4().isAllocated(old.protocol(s), old.pool4Address(s), old.pool4Port(s)),
                    "the port is taken, not handed out again");
            }
        }
    }

    @Test
    void theDowntimeCountsAgainstEveryLifetimeAndWhatRanOutIsSkippedAndCounted() throws IOException
    {
        final Path file = dir.resolve("sessions.snap");
        try (Nat64Shard before = shard(1, new int[]{POOL4_A}, PORTS, 64, List.of());
             Nat64Shard after = shard(2, new int[]{POOL4_A}, PORTS, 64, List.of()))
        {
            final int longLived = before.create6(SessionProtocol.TCP, CLIENT[0], CLIENT[1], 40000, REMOTE, 80,
                TcpStateMachine.ESTABLISHED, OLD_NOW_NS + 120 * MINUTE_NS);
            before.create6(SessionProtocol.UDP, CLIENT[0], CLIENT[1], 40001, REMOTE, 53, 0, OLD_NOW_NS + MINUTE_NS);
            before.create6(SessionProtocol.UDP, CLIENT[0], CLIENT[1], 40002, REMOTE, 53, 0, OLD_NOW_NS - 1);
            SessionSnapshot.write(file, OLD_NOW_NS, WALL_NS, before);

            final SessionRestoreReport report = SessionRestore.into(SessionSnapshot.read(file), after, NEW_NOW_NS,
                WALL_NS + 2 * MINUTE_NS, SessionOwnership.EVERY_SESSION);

            assertEquals(1, report.restoredCount());
            assertEquals(2, report.skippedCount(SnapshotSkipReason.EXPIRED), report.toString());
            assertEquals("restored 1, skipped 2 (expired 2)", report.toString());
            final SessionTable old = before.sessions();
            final int r = after.sessions().find6(SessionProtocol.TCP, CLIENT[0], CLIENT[1], 40000, REMOTE, 80);
            assertEquals(NEW_NOW_NS + 118 * MINUTE_NS, after.sessions().expiryNs(r));
            assertEquals(old.pool4Port(longLived), after.sessions().pool4Port(r));
            assertEquals(1, after.sessions().bibs().size(), "no BIB entry for a skipped session");
            assertEquals(1, after.pool4().allocatedPorts());
        }
    }

    @Test
    void sessionsTheNewConfigurationCannotHoldAreSkippedByReason() throws IOException
    {
        final Path file = dir.resolve("sessions.snap");
        try (Nat64Shard before = shard(1, new int[]{POOL4_A, POOL4_B}, PORTS, 64, List.of()))
        {
            for (int i = 0; i < 40; i++)
            {
                assertTrue(before.create6(SessionProtocol.UDP, CLIENT[0], CLIENT[1], 40000 + i, REMOTE, 53, 0,
                    OLD_NOW_NS + MINUTE_NS) >= 0);
            }
            SessionSnapshot.write(file, OLD_NOW_NS, WALL_NS, before);
            final SessionSnapshot snapshot = SessionSnapshot.read(file);
            final SessionTable old = before.sessions();
            int onA = 0;
            int highPorts = 0;
            for (int s = 0; s < old.capacity(); s++)
            {
                onA += old.isInUse(s) && old.pool4Address(s) == POOL4_A ? 1 : 0;
                highPorts += old.isInUse(s) && old.pool4Port(s) > 40000 ? 1 : 0;
            }

            try (Nat64Shard onlyA = shard(2, new int[]{POOL4_A}, PORTS, 64, List.of()))
            {
                final SessionRestoreReport report =
                    SessionRestore.into(snapshot, onlyA, NEW_NOW_NS, WALL_NS, SessionOwnership.EVERY_SESSION);
                assertEquals(onA, report.restoredCount());
                assertEquals(40 - onA, report.skippedCount(SnapshotSkipReason.NOT_IN_POOL4), report.toString());
            }
            try (Nat64Shard narrower = shard(2, new int[]{POOL4_A, POOL4_B}, new PortRange(1024, 40000), 64, List.of()))
            {
                final SessionRestoreReport report =
                    SessionRestore.into(snapshot, narrower, NEW_NOW_NS, WALL_NS, SessionOwnership.EVERY_SESSION);
                assertEquals(highPorts, report.skippedCount(SnapshotSkipReason.PORT_OUTSIDE_RANGE), report.toString());
                assertEquals(40 - highPorts, report.restoredCount());
            }
            try (Nat64Shard small = shard(2, new int[]{POOL4_A, POOL4_B}, PORTS, 16, List.of()))
            {
                final SessionRestoreReport report =
                    SessionRestore.into(snapshot, small, NEW_NOW_NS, WALL_NS, SessionOwnership.EVERY_SESSION);
                assertEquals(16, report.restoredCount());
                assertEquals(24, report.skippedCount(SnapshotSkipReason.TABLE_FULL), report.toString());
                assertEquals(16, small.sessions().size());
            }
        }
    }

    @Test
    void aSessionOfAStaticBibEntryJoinsTheConfiguredEntryAndClashesWhenTheEntryNowMapsElsewhere() throws IOException
    {
        final Path file = dir.resolve("sessions.snap");
        final StaticBibEntry server = new StaticBibEntry(SessionProtocol.TCP, CLIENT[0], CLIENT[1], 22, POOL4_A, 2222);
        final StaticBibEntry moved = new StaticBibEntry(SessionProtocol.TCP, CLIENT_B[0], CLIENT_B[1], 22, POOL4_A, 2222);
        try (Nat64Shard before = shard(1, new int[]{POOL4_A}, new PortRange(4096, 65535), 64, List.of(server)))
        {
            final int bib = before.sessions().findBib4(SessionProtocol.TCP, POOL4_A, 2222);
            assertTrue(before.createSession(bib, REMOTE, 50000, TcpStateMachine.ESTABLISHED,
                OLD_NOW_NS + MINUTE_NS) >= 0);
            SessionSnapshot.write(file, OLD_NOW_NS, WALL_NS, before);
            final SessionSnapshot snapshot = SessionSnapshot.read(file);
            assertTrue(snapshot.hadStaticBib(0));

            try (Nat64Shard same = shard(2, new int[]{POOL4_A}, new PortRange(4096, 65535), 64, List.of(server)))
            {
                final SessionRestoreReport report =
                    SessionRestore.into(snapshot, same, NEW_NOW_NS, WALL_NS, SessionOwnership.EVERY_SESSION);
                assertEquals(1, report.restoredCount(), report.toString());
                final BibTable bibs = same.sessions().bibs();
                assertEquals(1, bibs.size());
                final int entry = bibs.find4(SessionProtocol.TCP, POOL4_A, 2222);
                assertTrue(bibs.isStatic(entry));
                assertEquals(1, bibs.sessionCount(entry));
            }
            try (Nat64Shard changed = shard(2, new int[]{POOL4_A}, new PortRange(4096, 65535), 64, List.of(moved)))
            {
                final SessionRestoreReport report =
                    SessionRestore.into(snapshot, changed, NEW_NOW_NS, WALL_NS, SessionOwnership.EVERY_SESSION);
                assertEquals(1, report.skippedCount(SnapshotSkipReason.MAPPING_CLASH), report.toString());
                assertEquals(0, changed.sessions().size());
            }
        }
    }

    @Test
    void eachWorkerTakesTheSessionsOfThePool4PortsItOwns() throws IOException
    {
        final Path file = dir.resolve("sessions.snap");
        try (Nat64Shard before = shard(1, new int[]{POOL4_A}, PORTS, 256, List.of());
             Nat64Shard worker0 = shard(2, new int[]{POOL4_A}, PORTS, 256, List.of());
             Nat64Shard worker1 = shard(3, new int[]{POOL4_A}, PORTS, 256, List.of()))
        {
            for (int i = 0; i < 100; i++)
            {
                before.create6(SessionProtocol.UDP, CLIENT[0], CLIENT[1], 30000 + i, REMOTE, 53, 0, OLD_NOW_NS + MINUTE_NS);
            }
            SessionSnapshot.write(file, OLD_NOW_NS, WALL_NS, before);
            final SessionSnapshot snapshot = SessionSnapshot.read(file);

            // The multi-worker rule (PortPartition): port pair k belongs to worker k mod 2.
            final SessionRestoreReport first =
                SessionRestore.into(snapshot, worker0, NEW_NOW_NS, WALL_NS, (protocol, address, port) -> PortPartition.owner(port, 2) == 0);
            final SessionRestoreReport second =
                SessionRestore.into(snapshot, worker1, NEW_NOW_NS, WALL_NS, (protocol, address, port) -> PortPartition.owner(port, 2) == 1);

            assertEquals(100, first.restoredCount() + second.restoredCount());
            assertEquals(second.restoredCount(), first.otherWorkerCount());
            assertEquals(0, first.skippedCount() + second.skippedCount());
            assertTrue(first.restoredCount() > 0 && second.restoredCount() > 0);
            final SessionTable table = worker1.sessions();
            for (int s = 0; s < table.capacity(); s++)
            {
                assertTrue(!table.isInUse(s) || (table.pool4Port(s) >>> 1) % 2 == 1);
            }
        }
    }

    @Test
    void aRestoredSessionOpensTheAddressDependentFilterForItsRemote() throws IOException
    {
        final Path file = dir.resolve("sessions.snap");
        try (Nat64Shard before = shard(1, new int[]{POOL4_A}, PORTS, 64, List.of(), true);
             Nat64Shard after = shard(2, new int[]{POOL4_A}, PORTS, 64, List.of(), true))
        {
            final int s = before.create6(SessionProtocol.UDP, CLIENT[0], CLIENT[1], 40000, REMOTE, 53, 0,
                OLD_NOW_NS + MINUTE_NS);
            final int port = before.sessions().pool4Port(s);
            SessionSnapshot.write(file, OLD_NOW_NS, WALL_NS, before);
            assertFalse(after.filterAllows(SessionProtocol.UDP, POOL4_A, port, REMOTE));

            SessionRestore.into(SessionSnapshot.read(file), after, NEW_NOW_NS, WALL_NS, SessionOwnership.EVERY_SESSION);

            assertTrue(after.filterAllows(SessionProtocol.UDP, POOL4_A, port, REMOTE));
            assertFalse(after.filterAllows(SessionProtocol.UDP, POOL4_A, port, REMOTE + 1));
        }
    }

    @Test
    void noSessionsMakeAHeaderOnlyFileAndAnEmptyRestore() throws IOException
    {
        final Path file = dir.resolve("sessions.snap");
        try (Nat64Shard before = shard(1, new int[]{POOL4_A}, PORTS, 64, List.of());
             Nat64Shard after = shard(2, new int[]{POOL4_A}, PORTS, 64, List.of()))
        {
            assertEquals(0, SessionSnapshot.write(file, OLD_NOW_NS, WALL_NS, before));
            assertEquals(SessionSnapshot.HEADER_BYTES, Files.size(file));
            final SessionSnapshot snapshot = SessionSnapshot.read(file);
            assertEquals(0, snapshot.count());
            assertEquals(WALL_NS, snapshot.writtenAtEpochNs());
            final SessionRestoreReport report =
                SessionRestore.into(snapshot, after, NEW_NOW_NS, WALL_NS, SessionOwnership.EVERY_SESSION);
            assertEquals("restored 0, skipped 0", report.toString());
            assertEquals(0, after.sessions().size());
        }
    }

    @Test
    void aMissingFileIsAFirstStart() throws IOException
    {
        assertNull(SessionSnapshot.read(dir.resolve("none.snap")));
    }

    @Test
    void writingReplacesTheOldFileAndLeavesNoTemporaryBehind() throws IOException
    {
        final Path file = dir.resolve("sessions.snap");
        Files.write(file, new byte[1000]);
        try (Nat64Shard shard = shard(1, new int[]{POOL4_A}, PORTS, 64, List.of()))
        {
            shard.create6(SessionProtocol.UDP, CLIENT[0], CLIENT[1], 40000, REMOTE, 53, 0, OLD_NOW_NS + MINUTE_NS);
            SessionSnapshot.write(file, OLD_NOW_NS, WALL_NS, shard);
        }
        assertEquals(1, SessionSnapshot.read(file).count());
        assertEquals(List.of(file), Files.list(dir).toList());
    }

    @Test
    void aCorruptTruncatedOrForeignFileIsRefusedWithWhatIsWrong() throws IOException
    {
        final Path file = dir.resolve("sessions.snap");
        try (Nat64Shard shard = shard(1, new int[]{POOL4_A}, PORTS, 64, List.of()))
        {
            for (int i = 0; i < 3; i++)
            {
                shard.create6(SessionProtocol.UDP, CLIENT[0], CLIENT[1], 40000 + i, REMOTE, 53, 0, OLD_NOW_NS + MINUTE_NS);
            }
            SessionSnapshot.write(file, OLD_NOW_NS, WALL_NS, shard);
        }
        final byte[] good = Files.readAllBytes(file);

        final Map<String, byte[]> broken = Map.of(
            "checksum mismatch", with(good, SessionSnapshot.HEADER_BYTES + 30, (byte)(good[SessionSnapshot.HEADER_BYTES + 30] ^ 1)),
            "truncated: 120 bytes for 3 sessions, expected 164", java.util.Arrays.copyOf(good, 120),
            "truncated: 10 bytes, shorter than the 32-byte header", java.util.Arrays.copyOf(good, 10),
            "trailing bytes", java.util.Arrays.copyOf(good, good.length + 1),
            "version 2, this sixgate reads version 1", withInt(good, 8, 2),
            "not a sixgate session snapshot (wrong magic)", with(good, 0, (byte)'X'),
            "broken header: -1 records of 44 bytes", withInt(good, 16, -1));
        for (final Map.Entry<String, byte[]> entry : broken.entrySet())
        {
            Files.write(file, entry.getValue());
            final SessionSnapshotException error = assertThrows(SessionSnapshotException.class,
                () -> SessionSnapshot.read(file), entry.getKey());
            assertTrue(error.getMessage().startsWith("session snapshot " + file + ": " + entry.getKey()),
                error.getMessage());
        }
        Files.write(file, good);
        assertNotEquals(null, SessionSnapshot.read(file), "the untouched file still reads");
    }

    static Nat64Shard shard(
        final long seed, final int[] pool4, final PortRange ports, final int maxSessions, final List<StaticBibEntry> staticBib)
    {
        return shard(seed, pool4, ports, maxSessions, staticBib, false);
    }

    static Nat64Shard shard(
        final long seed,
        final int[] pool4,
        final PortRange ports,
        final int maxSessions,
        final List<StaticBibEntry> staticBib,
        final boolean addressDependent)
    {
        final Map<String, String> settings = ConformanceRunner.nat64TranslatorSetup();
        settings.put(TranslatorConfig.LOCAL_IPV6_KEY, "2001:db8::1");
        settings.put(TranslatorConfig.LOCAL_IPV4_KEY, "192.0.2.1");
        final TranslatorConfig translator = TranslatorConfig.fromProperties(settings);
        return new Nat64Shard(new Nat64StatefulConfig(translator, pool4, ports, ports, ports, staticBib,
            SessionTableConfig.of(maxSessions, maxSessions, maxSessions, seed), addressDependent,
            TimeUnit.SECONDS.toNanos(6), 16, EipTable.EMPTY, Nat64StatefulConfig.DEFAULT_SWEEP_SLOTS_PER_PACKET,
            Nat64StatefulConfig.DEFAULT_SWEEP_SLOTS_PER_TICK, seed));
    }

    private static byte[] with(final byte[] bytes, final int offset, final byte value)
    {
        final byte[] copy = bytes.clone();
        copy[offset] = value;
        return copy;
    }

    private static byte[] withInt(final byte[] bytes, final int offset, final int value)
    {
        final byte[] copy = bytes.clone();
        ByteBuffer.wrap(copy).putInt(offset, value);
        return copy;
    }
}
