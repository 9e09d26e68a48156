package io.sixgate.nat64.state;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.sixgate.core.packet.TcpFlyweight.ACK;
import static io.sixgate.core.packet.TcpFlyweight.SYN;
import static io.sixgate.nat64.state.SessionProtocol.ICMP;
import static io.sixgate.nat64.state.SessionProtocol.TCP;
import static io.sixgate.nat64.state.SessionProtocol.UDP;
import static io.sixgate.nat64.state.StateFixtures.CLIENT_PREFIX;
import static io.sixgate.nat64.state.StateFixtures.POOL_A;
import static io.sixgate.nat64.state.StateFixtures.SERVER_1;
import static io.sixgate.nat64.state.StateFixtures.SERVER_2;
import static io.sixgate.nat64.state.StateFixtures.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expiry by the bounded sweep, driven by a fake clock in nanoseconds.
 */
class SessionTableExpiryTest
{
    private static final long T0 = 5_000_000_000_000L;
    private static final int ALL = Integer.MAX_VALUE;
    private static final Nat64Timeouts RFC = Nat64Timeouts.RFC_6146_DEFAULTS;

    private Pool4 pool;
    private SessionTable table;
    private final Recorder recorder = new Recorder();

    @BeforeEach
    void open()
    {
        pool = StateFixtures.pool(POOL_A);
        table = new SessionTable(StateFixtures.config(2048, 2048, 1024), pool);
    }

    @AfterEach
    void close()
    {
        table.close();
        pool.close();
    }

    @Test
    void udpSessionExpiresAtFiveMinutes()
    {
        final int session = table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53, 0, T0 + RFC.udpNs());
        final int t = table.pool4Port(session);

        assertEquals(0, table.expire(T0 + 5 * 60_000_000_000L - 1, ALL));
        assertTrue(table.isInUse(session));

        assertEquals(1, table.expire(T0 + 5 * 60_000_000_000L, ALL));
        assertEquals(SessionTable.NOT_FOUND, table.find6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53));
        assertEquals(0, table.bibs().size());
        assertFalse(pool.isAllocated(UDP, POOL_A, t), "pool4 port returned");
        assertEquals(0, table.quotas().size());
    }

    @Test
    void icmpSessionExpiresAtSixtySeconds()
    {
        table.create6(ICMP, CLIENT_PREFIX, client(1), 7, SERVER_1, 0, 0, T0 + RFC.icmpNs());
        assertEquals(0, table.expire(T0 + 59_999_999_999L, ALL));
        assertEquals(1, table.expire(T0 + 60_000_000_000L, ALL));
        assertEquals(0, table.size());
    }

    @Test
    void openingTcpSessionExpiresAtTheFourMinuteTransitoryLifetime()
    {
        final long deadline = T0 + RFC.tcpTransitoryNs();
        table.create6(TCP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 443, TcpStateMachine.V6_INIT, deadline);
        assertEquals(0, table.expire(T0 + 4 * 60_000_000_000L - 1, ALL));
        assertEquals(1, table.expire(T0 + 4 * 60_000_000_000L, ALL));
        assertEquals(0, table.tcpProbes(), "no probe outside ESTABLISHED");
    }

    @Test
    void establishedTcpSessionIsProbedAtTwoHoursFourMinutesThenEndsAfterTheTransitoryLifetime()
    {
        final int session = table.create6(TCP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 443, TcpStateMachine.V6_INIT, 0);
        table.applyTcpTransition(session, TcpStateMachine.next(TcpStateMachine.V6_INIT, TcpStateMachine.FROM_IPV4,
            SYN | ACK), T0);
        final long established = T0 + 124 * 60_000_000_000L;
        assertEquals(established, table.expiryNs(session));

        assertEquals(0, table.expire(established - 1, ALL, recorder));
        assertEquals(0, table.expire(established, ALL, recorder), "probed, not removed");
        assertEquals(List.of(session), recorder.probed);
        assertEquals(TcpStateMachine.TRANS, table.tcpState(session));
        assertEquals(established + RFC.tcpTransitoryNs(), table.expiryNs(session));
        assertEquals(1, table.tcpProbes());

        assertEquals(0, table.expire(established + RFC.tcpTransitoryNs() - 1, ALL, recorder));
        assertEquals(1, table.expire(established + RFC.tcpTransitoryNs(), ALL, recorder));
        assertEquals(List.of(session), recorder.expired);
    }

    @Test
    void answerToTheProbeReestablishesTheSession()
    {
        final int session = table.create6(TCP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 443, TcpStateMachine.ESTABLISHED,
            T0 + RFC.tcpEstablishedNs());
        table.expire(T0 + RFC.tcpEstablishedNs(), ALL, recorder);
        assertEquals(TcpStateMachine.TRANS, table.tcpState(session));

        final long answer = T0 + RFC.tcpEstablishedNs() + 1_000_000L;
        final int ack = TcpStateMachine.next(TcpStateMachine.TRANS, TcpStateMachine.FROM_IPV6, ACK);
        table.applyTcpTransition(session, ack, answer);
        assertEquals(TcpStateMachine.ESTABLISHED, table.tcpState(session));
        assertEquals(0, table.expire(answer + RFC.tcpTransitoryNs(), ALL, recorder));
        assertTrue(table.isInUse(session));
    }

    @Test
    void halfClosedTcpSessionIsRemovedWithoutAProbe()
    {
        table.create6(TCP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 443, TcpStateMachine.V6_FIN_RCV, T0);
        assertEquals(1, table.expire(T0, ALL, recorder));
        assertTrue(recorder.probed.isEmpty());
    }

    @Test
    void refreshedSessionOutlivesItsFirstDeadline()
    {
        final int session = table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53, 0, T0 + RFC.udpNs());
        table.refresh(session, T0 + 60_000_000_000L + RFC.udpNs());
        assertEquals(0, table.expire(T0 + RFC.udpNs(), ALL));
        assertEquals(1, table.expire(T0 + 60_000_000_000L + RFC.udpNs(), ALL));
    }

    @Test
    void bibEntryGoesWithItsLastSessionOnly()
    {
        final int early = table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53, 0, T0 + 10);
        table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_2, 53, 0, T0 + 20);
        final int t = table.pool4Port(early);

        assertEquals(1, table.expire(T0 + 10, ALL));
        assertEquals(1, table.bibs().size());
        assertTrue(pool.isAllocated(UDP, POOL_A, t));

        assertEquals(1, table.expire(T0 + 20, ALL));
        assertEquals(0, table.bibs().size());
        assertFalse(pool.isAllocated(UDP, POOL_A, t));
    }

    @Test
    void staticBibEntryNeverExpires()
    {
        final int bib = table.addStaticBib(UDP, CLIENT_PREFIX, client(53), 53, POOL_A, 53);
        table.createSession(bib, SERVER_1, 40_000, 0, T0);
        assertEquals(1, table.expire(T0, ALL));
        assertEquals(0, table.expire(Long.MAX_VALUE, ALL));
        assertEquals(bib, table.findBib4(UDP, POOL_A, 53));
        assertTrue(pool.isAllocated(UDP, POOL_A, 53));
    }

    @Test
    void sweepNeverVisitsMoreThanMaxSlotsPerCall()
    {
        final int sessions = 1_000;
        for (int i = 0; i < sessions; i++)
        {
            assertTrue(table.create6(UDP, CLIENT_PREFIX, client(i), 40_000, SERVER_1, 53, 0, T0 + i) >= 0);
        }
        final int maxSlots = 7;
        int calls = 0;
        int removed = 0;
        while (table.size() > 0)
        {
            final long visitedBefore = table.slotsVisited();
            final int n = table.expire(T0 + sessions, maxSlots, recorder);
            assertTrue(table.slotsVisited() - visitedBefore <= maxSlots, "visited " + (table.slotsVisited() - visitedBefore));
            assertTrue(n <= maxSlots);
            removed += n;
            calls++;
        }
        assertEquals(sessions, removed);
        assertEquals((sessions + maxSlots - 1) / maxSlots, calls, "one pass over the used slots");
        assertEquals(sessions, recorder.expired.size());
        assertEquals(sessions, table.expiredSessions());
        assertEquals(0, pool.allocatedPorts());
    }

    @Test
    void sweepResumesWhereItStoppedAndWrapsAround()
    {
        for (int i = 0; i < 100; i++)
        {
            table.create6(UDP, CLIENT_PREFIX, client(i), 40_000, SERVER_1, 53, 0, i < 50 ? T0 + 1_000 : T0);
        }
        // Sessions 0-49 live longer: the first pass removes 50-99 only.
        for (int call = 0; call < 10; call++)
        {
            table.expire(T0, 10);
        }
        assertEquals(50, table.size());
        assertEquals(100, table.slotsVisited());
        // The cursor wrapped to slot 0: the next 5 calls cover slots 0-49.
        for (int call = 0; call < 5; call++)
        {
            assertEquals(10, table.expire(T0 + 1_000, 10));
        }
        assertEquals(0, table.size());
    }

    @Test
    void sweepOfAnEmptyTableVisitsNothing()
    {
        assertEquals(0, table.expire(Long.MAX_VALUE, 1_000));
        assertEquals(0, table.slotsVisited());
        final int session = table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53, 0, T0);
        assertEquals(0, table.expire(T0, 0));
        assertEquals(1, table.expire(T0, 1_000));
        assertEquals(1, table.slotsVisited(), "only the slots ever used");
        assertFalse(table.isInUse(session));
    }

    @Test
    void handlerReadsTheSessionBeforeItGoes()
    {
        final int session = table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_2, 123, 0, T0);
        final int[] seenRemote = new int[1];
        table.expire(T0, ALL, new SessionExpiryHandler()
        {
            @Override
            public void onExpired(final SessionTable expiring, final int expired)
            {
                seenRemote[0] = expiring.remote4Address(expired);
                assertEquals(session, expired);
            }
        });
        assertEquals(SERVER_2, seenRemote[0]);
    }

    private static final class Recorder implements SessionExpiryHandler
    {
        final List<Integer> probed = new ArrayList<>();
        final List<Integer> expired = new ArrayList<>();

        @Override
        public void onTcpProbe(final SessionTable table, final int session)
        {
            probed.add(session);
        }

        @Override
        public void onExpired(final SessionTable table, final int session)
        {
            expired.add(session);
        }
    }
}
