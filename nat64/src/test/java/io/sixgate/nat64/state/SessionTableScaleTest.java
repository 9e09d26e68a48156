package io.sixgate.nat64.state;

import org.junit.jupiter.api.Test;

import static io.sixgate.nat64.state.StateFixtures.CLIENT_PREFIX;
import static io.sixgate.nat64.state.StateFixtures.POOL_A;
import static io.sixgate.nat64.state.StateFixtures.POOL_B;
import static io.sixgate.nat64.state.StateFixtures.SERVER_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 100 000 concurrent sessions: inserted, found from both sides, and expired protocol by protocol
 * by a sweep of 256 slots per batch, until nothing is left in any table or in pool4.
 */
class SessionTableScaleTest
{
    private static final int HOSTS = 50_000;
    private static final int SESSIONS = 2 * HOSTS;
    private static final int BATCH_SLOTS = 256;
    private static final long T0 = 1_000_000_000L;
    private static final int POOL_C = POOL_B + 1;
    private static final int POOL_D = POOL_B + 2;

    @Test
    void hundredThousandSessionsAreFoundBothWaysAndExpire()
    {
        final Nat64Timeouts timeouts = Nat64Timeouts.RFC_6146_DEFAULTS;
        final Pool4 pool = StateFixtures.pool(POOL_A, POOL_B, POOL_C, POOL_D);
        final SessionTable table = new SessionTable(
            StateFixtures.config(SESSIONS, HOSTS, HOSTS).withSourceLimits(128, 4, 4), pool);     // subscribers counted
        try
        {
            final int[] session = new int[SESSIONS];
            for (int i = 0; i < SESSIONS; i++)
            {
                final int host = i >>> 1;
                final int protocol = protocolOf(host);
                final long expiry = T0 + timeouts.lifetimeNs(protocol);     // TCP: transitory, as in V6 INIT
                session[i] = table.create6(protocol, CLIENT_PREFIX, host, srcPort(host), remote(i), remotePort(i),
                    TcpStateMachine.V6_INIT, expiry);
                assertTrue(session[i] >= 0, "session " + i + ": " + StateFailure.ofCode(session[i]));
            }
            assertEquals(SESSIONS, table.size());
            assertEquals(HOSTS, table.bibs().size(), "two destinations per host share one mapping");
            assertEquals(HOSTS, pool.allocatedPorts());
            assertEquals(StateFailure.BIB_TABLE_FULL.code(),
                table.create6(SessionProtocol.UDP, CLIENT_PREFIX + 1, 1, 1, SERVER_1, 1, 0, T0), "new mapping");
            assertEquals(StateFailure.SESSION_TABLE_FULL.code(),
                table.create6(protocolOf(0), CLIENT_PREFIX, 0, srcPort(0), SERVER_1, 0, 0, T0), "existing mapping");

            for (int i = 0; i < SESSIONS; i++)
            {
                final int host = i >>> 1;
                final int protocol = protocolOf(host);
                final int s = session[i];
                assertEquals(s, table.find6(protocol, CLIENT_PREFIX, host, srcPort(host), remote(i), remotePort(i)));
                assertEquals(s, table.find4(protocol, table.pool4Address(s), table.pool4Port(s), remote(i), remotePort(i)));
                if ((i & 1) == 1)
                {
                    assertEquals(table.bib(session[i - 1]), table.bib(s));
                }
            }

            final int icmp = countOf(SessionProtocol.ICMP);
            final int tcp = countOf(SessionProtocol.TCP);
            final int udp = SESSIONS - icmp - tcp;
            assertEquals(icmp, sweepOnce(table, T0 + timeouts.icmpNs()), "ICMP at 60 s");
            assertEquals(SESSIONS - icmp, table.size());
            assertEquals(tcp, sweepOnce(table, T0 + timeouts.tcpTransitoryNs()), "TCP transitory at 4 min");
            assertEquals(udp, sweepOnce(table, T0 + timeouts.udpNs()), "UDP at 5 min");

            assertEquals(0, table.size());
            assertEquals(0, table.bibs().size());
            assertEquals(0, table.quotas().size());
            assertEquals(0, pool.allocatedPorts());
            assertEquals(SessionTable.NOT_FOUND,
                table.find6(protocolOf(7), CLIENT_PREFIX, 7, srcPort(7), remote(14), remotePort(14)));
        }
        finally
        {
            table.close();
            pool.close();
        }
    }

    /**
     * One pass over every used slot, in batches as a worker would call it.
     */
    private static int sweepOnce(final SessionTable table, final long nowNs)
    {
        int removed = 0;
        for (int visited = 0; visited < SESSIONS; visited += BATCH_SLOTS)
        {
            removed += table.expire(nowNs, BATCH_SLOTS);
        }
        return removed;
    }

    private static int protocolOf(final int host)
    {
        return host % SessionProtocol.COUNT;
    }

    private static int countOf(final int protocol)
    {
        int count = 0;
        for (int host = 0; host < HOSTS; host++)
        {
            count += protocolOf(host) == protocol ? 2 : 0;
        }
        return count;
    }

    private static int srcPort(final int host)
    {
        return 1024 + (host * 7919) % 64_000;
    }

    private static int remote(final int i)
    {
        return 0xC633_6400 | (i & 0xFF);       // 198.51.100.0/24
    }

    private static int remotePort(final int i)
    {
        return SessionProtocol.ICMP == protocolOf(i >>> 1) ? 0 : 80 + (i & 1);
    }
}
