package io.sixgate.nat64.state;

import java.lang.management.ManagementFactory;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static io.sixgate.core.packet.TcpFlyweight.ACK;
import static io.sixgate.nat64.state.StateFixtures.CLIENT_PREFIX;
import static io.sixgate.nat64.state.StateFixtures.POOL_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state tables' hot-path promise: lookups from both sides, creation (with BIB entry, pool4
 * port and quota), refreshes, TCP transitions, removals, failures and the sweep allocate
 * nothing. Measured with the JVM's per-thread allocation counter over a million operations of
 * each kind after a warm-up, so one allocation per operation would show as megabytes.
 */
class StateHotPathAllocationTest
{
    private static final int OPERATIONS = 1_000_000;
    private static final int LIVE = 20_000;
    private static final int FLOWS = 2 * LIVE;
    /** Slack for the counter's own bookkeeping; far below one object per operation. */
    private static final long TOLERANCE_BYTES = 64 * 1024;

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private final int[] protocol = new int[FLOWS];
    private final long[] host = new long[FLOWS];
    private final int[] srcPort = new int[FLOWS];
    private final int[] remote = new int[FLOWS];
    private final int[] remotePort = new int[FLOWS];
    private final int[] session = new int[FLOWS];

    @Test
    void lookupsInsertsRefreshesAndExpiryAllocateNothing()
    {
        assertTrue(threads.isThreadAllocatedMemorySupported());
        final Random random = new Random(5);
        for (int i = 0; i < FLOWS; i++)
        {
            protocol[i] = i % SessionProtocol.COUNT;
            host[i] = random.nextInt(4096);
            srcPort[i] = 1024 + random.nextInt(64_000);
            remote[i] = 0xC633_6400 | random.nextInt(256);
            remotePort[i] = SessionProtocol.ICMP == protocol[i] ? 0 : 1 + random.nextInt(65_535);
            session[i] = -1;
        }

        final Pool4 pool = StateFixtures.pool(POOL_A, POOL_A + 1);
        final SessionTable table = new SessionTable(StateFixtures.config(2 * LIVE, 2 * LIVE, 8192), pool);
        try
        {
            for (int i = 0; i < LIVE; i++)
            {
                session[i] = table.create6(protocol[i], CLIENT_PREFIX, host[i], srcPort[i], remote[i], remotePort[i],
                    TcpStateMachine.ESTABLISHED, Long.MAX_VALUE);
            }

            long sink = run(table, 0);

            final long threadId = Thread.currentThread().getId();
            final long before = threads.getThreadAllocatedBytes(threadId);
            sink += run(table, OPERATIONS);
            final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

            assertTrue(sink != 42, "keeps the work alive");
            assertEquals(LIVE, table.size(), "churn kept the table at its size");
            assertTrue(allocated < TOLERANCE_BYTES,
                "allocated " + allocated + " bytes for " + OPERATIONS + " rounds of lookup, insert, refresh and expiry");
        }
        finally
        {
            table.close();
            pool.close();
        }
    }

    /**
     * One million rounds; each round: two lookups of a live flow (IPv6 and IPv4 side), a refresh
     * or TCP transition, a refused duplicate, one session removed and one created in its place
     * (the flow window slides over twice as many flows as are live), and a sweep of 16 slots.
     */
    private long run(final SessionTable table, final long clockBase)
    {
        long sink = 0;
        for (int round = 0; round < OPERATIONS; round++)
        {
            final long now = clockBase + round;
            final int live = round % FLOWS;                         // oldest live flow
            final int fresh = (round + LIVE) % FLOWS;               // flow to create
            final int s = session[live];

            sink += table.find6(protocol[live], CLIENT_PREFIX, host[live], srcPort[live], remote[live], remotePort[live]);
            sink += table.find4(protocol[live], table.pool4Address(s), table.pool4Port(s), remote[live], remotePort[live]);

            if (SessionProtocol.TCP == protocol[live])
            {
                table.applyTcpTransition(s, TcpStateMachine.next(table.tcpState(s), TcpStateMachine.FROM_IPV4, ACK), now);
            }
            else
            {
                table.refresh(s, Long.MAX_VALUE - 1);
            }
            sink += table.create6(protocol[live], CLIENT_PREFIX, host[live], srcPort[live], remote[live], remotePort[live],
                TcpStateMachine.V6_INIT, now);                      // SESSION_EXISTS

            table.remove(s);
            session[live] = -1;
            session[fresh] = table.create6(protocol[fresh], CLIENT_PREFIX, host[fresh], srcPort[fresh], remote[fresh],
                remotePort[fresh], TcpStateMachine.ESTABLISHED, Long.MAX_VALUE);
            sink += session[fresh] + table.findBib6(protocol[fresh], CLIENT_PREFIX, host[fresh], srcPort[fresh]);

            sink += table.expire(now, 16);
        }
        return sink;
    }
}
