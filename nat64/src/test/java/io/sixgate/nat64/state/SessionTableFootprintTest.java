package io.sixgate.nat64.state;

import org.junit.jupiter.api.Test;

import static io.sixgate.nat64.state.StateFixtures.CLIENT_PREFIX;
import static io.sixgate.nat64.state.StateFixtures.POOL_A;
import static io.sixgate.nat64.state.StateFixtures.SERVER_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The off-heap footprint is what the constants say, and 10 M sessions fit in 1.5 GiB.
 */
class SessionTableFootprintTest
{
    private static final long GIB = 1L << 30;

    @Test
    void sessionCostsEightyBytesWithBothIndexes()
    {
        assertEquals(48, SessionTable.SESSION_ENTRY_BYTES);
        assertEquals(48 + 2 * 2 * 8, SessionTable.BYTES_PER_SESSION);
        assertEquals(32 + 2 * 2 * 8, BibTable.BYTES_PER_BIB_ENTRY);
        assertEquals(24 + 2 * 8, SourceQuotaTable.BYTES_PER_SOURCE);
        assertEquals(3 * 8192, Pool4.BYTES_PER_ADDRESS);
    }

    @Test
    void allocatedRegionsAddUpToTheDocumentedBytes()
    {
        final Pool4 pool = StateFixtures.pool(POOL_A);
        final SessionTableConfig config = StateFixtures.config(1_000, 300, 70);
        final SessionTable table = new SessionTable(config, pool);
        try
        {
            final long expected = 1_000L * 80 + 300L * 64 + 70L * 40;
            assertEquals(expected, config.offHeapBytes());
            assertEquals(expected, table.offHeapBytes());
            assertEquals(300L * 64, table.bibs().offHeapBytes());
            assertEquals(70L * 40, table.quotas().offHeapBytes());
        }
        finally
        {
            table.close();
            pool.close();
        }
    }

    @Test
    void withoutSourceLimitsTheTableKeepsNoSubscriberStateNorItsBytes()
    {
        final Pool4 pool = StateFixtures.pool(POOL_A);
        final SessionTableConfig config = StateFixtures.config(1_000, 300, 300);
        final SessionTable table = new SessionTable(config, pool);
        try
        {
            assertFalse(config.tracksSources(), "no limit can bind and the source table cannot fill");
            assertEquals(1_000L * 80 + 300L * 64, config.offHeapBytes());
            assertEquals(config.offHeapBytes(), table.offHeapBytes());
            assertNull(table.quotas());
            final int session = table.create6(SessionProtocol.UDP, CLIENT_PREFIX, 1, 40_000, SERVER_1, 53, 0, 1);
            assertEquals(session, table.find6(SessionProtocol.UDP, CLIENT_PREFIX, 1, 40_000, SERVER_1, 53));
            assertTrue(table.remove(session));
            assertEquals(0, table.bibs().size());
            assertEquals(0, pool.allocatedPorts());

            assertTrue(config.withSourceLimits(128, 299, 1_000).tracksSources(), "a BIB limit per source");
            assertTrue(config.withSourceLimits(128, 300, 999).tracksSources(), "a session limit per source");
            assertTrue(StateFixtures.config(1_000, 300, 299).tracksSources(), "a source table that can fill");
        }
        finally
        {
            table.close();
            pool.close();
        }
    }

    @Test
    void tenMillionSessionsAsTheDaemonSizesThemFitInOneAndAHalfGib()
    {
        // max-sessions: 10000000 with no per-source limit: 10 M sessions, BIB entries and sources.
        final SessionTableConfig config = new SessionTableConfig(10_000_000, 10_000_000, 10_000_000, 128,
            10_000_000, 10_000_000, Nat64Timeouts.RFC_6146_DEFAULTS, 1);
        assertEquals(1_440_000_000L, config.offHeapBytes(), "144 bytes per session: sessions and BIB, no source table");
        assertTrue(config.offHeapBytes() <= 3 * GIB / 2);
        assertFalse(config.withSourceLimits(128, 10_000_000, 4096).offHeapBytes() <= 3 * GIB / 2,
            "with a per-source limit the source table is back: 184 bytes per session, 1.71 GiB");
    }

    @Test
    void tenMillionSessionsFitInOneAndAHalfGibIncludingBibAndQuotas()
    {
        // Worst case for the BIB: as many BIB entries as sessions; a million subscribers.
        final SessionTableConfig config = StateFixtures.config(10_000_000, 10_000_000, 1_000_000);
        assertEquals(800_000_000L, 10_000_000L * SessionTable.BYTES_PER_SESSION, "sessions and both indexes: 763 MiB");
        assertEquals(1_480_000_000L, config.offHeapBytes());
        assertTrue(config.offHeapBytes() <= 3 * GIB / 2, config.offHeapBytes() + " bytes");

        final Pool4 pool = StateFixtures.pool(POOL_A);
        final SessionTable table = new SessionTable(config, pool);
        try
        {
            assertEquals(config.offHeapBytes(), table.offHeapBytes(), "what was really allocated");
            final int session = table.create6(SessionProtocol.UDP, CLIENT_PREFIX, 1, 40_000, SERVER_1, 53, 0, 1);
            assertEquals(session, table.find4(SessionProtocol.UDP, POOL_A, table.pool4Port(session), SERVER_1, 53));
            assertEquals(1, table.expire(1, 1_000));
        }
        finally
        {
            table.close();
            pool.close();
        }
    }
}
