package io.sixgate.nat64.state;

import org.junit.jupiter.api.Test;

import static io.sixgate.nat64.state.StateFixtures.CLIENT_PREFIX;
import static io.sixgate.nat64.state.StateFixtures.POOL_A;
import static io.sixgate.nat64.state.StateFixtures.SERVER_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
