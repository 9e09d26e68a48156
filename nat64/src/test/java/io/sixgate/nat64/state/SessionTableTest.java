package io.sixgate.nat64.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static io.sixgate.core.packet.TcpFlyweight.ACK;
import static io.sixgate.core.packet.TcpFlyweight.FIN;
import static io.sixgate.core.packet.TcpFlyweight.SYN;
import static io.sixgate.nat64.state.SessionProtocol.ICMP;
import static io.sixgate.nat64.state.SessionProtocol.TCP;
import static io.sixgate.nat64.state.SessionProtocol.UDP;
import static io.sixgate.nat64.state.StateFixtures.CLIENT_PREFIX;
import static io.sixgate.nat64.state.StateFixtures.POOL_A;
import static io.sixgate.nat64.state.StateFixtures.POOL_B;
import static io.sixgate.nat64.state.StateFixtures.SERVER_1;
import static io.sixgate.nat64.state.StateFixtures.SERVER_2;
import static io.sixgate.nat64.state.StateFixtures.client;
import static io.sixgate.nat64.state.TcpStateMachine.V4_INIT;
import static io.sixgate.nat64.state.TcpStateMachine.V6_INIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionTableTest
{
    private static final long NOW = 1_000_000_000L;
    private static final long EXPIRY = NOW + Nat64Timeouts.UDP_DEFAULT_NS;

    private Pool4 pool;
    private SessionTable table;

    @AfterEach
    void close()
    {
        if (null != table)
        {
            table.close();
        }
        if (null != pool)
        {
            pool.close();
        }
    }

    @Test
    void sessionCreatedFromIpv6IsFoundFromBothSides()
    {
        open(16, 16, 16, POOL_A);
        final int session = table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53, 0, EXPIRY);
        assertTrue(session >= 0, failure(session));

        assertEquals(session, table.find6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53));
        final int pool4Port = table.pool4Port(session);
        assertEquals(POOL_A, table.pool4Address(session));
        assertEquals(session, table.find4(UDP, POOL_A, pool4Port, SERVER_1, 53));

        assertEquals(UDP, table.protocol(session));
        assertEquals(CLIENT_PREFIX, table.src6High(session));
        assertEquals(client(1), table.src6Low(session));
        assertEquals(40_000, table.src6Port(session));
        assertEquals(SERVER_1, table.remote4Address(session));
        assertEquals(53, table.remotePort(session));
        assertEquals(EXPIRY, table.expiryNs(session));
        assertEquals(1, table.size());
        assertEquals(1, table.bibs().size());
    }

    @Test
    void lookupsMissOnAnyDifferentField()
    {
        open(16, 16, 16, POOL_A);
        final int session = table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53, 0, EXPIRY);
        final int t = table.pool4Port(session);

        assertEquals(SessionTable.NOT_FOUND, table.find6(TCP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53));
        assertEquals(SessionTable.NOT_FOUND, table.find6(UDP, CLIENT_PREFIX + 1, client(1), 40_000, SERVER_1, 53));
        assertEquals(SessionTable.NOT_FOUND, table.find6(UDP, CLIENT_PREFIX, client(2), 40_000, SERVER_1, 53));
        assertEquals(SessionTable.NOT_FOUND, table.find6(UDP, CLIENT_PREFIX, client(1), 40_001, SERVER_1, 53));
        assertEquals(SessionTable.NOT_FOUND, table.find6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_2, 53));
        assertEquals(SessionTable.NOT_FOUND, table.find6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 54));
        assertEquals(SessionTable.NOT_FOUND, table.find4(TCP, POOL_A, t, SERVER_1, 53));
        assertEquals(SessionTable.NOT_FOUND, table.find4(UDP, POOL_B, t, SERVER_1, 53));
        assertEquals(SessionTable.NOT_FOUND, table.find4(UDP, POOL_A, t + 1, SERVER_1, 53));
        assertEquals(SessionTable.NOT_FOUND, table.find4(UDP, POOL_A, t, SERVER_2, 53));
        assertEquals(SessionTable.NOT_FOUND, table.find4(UDP, POOL_A, t, SERVER_1, 54));
        assertEquals(SessionTable.NOT_FOUND, table.find4(7, POOL_A, t, SERVER_1, 53));
    }

    @Test
    void twoDestinationsFromOneSourceGetTheSamePool4Port()
    {
        // Endpoint-independent mapping: RFC 6146 §3.5.1, RFC 4787 REQ-1.
        open(16, 16, 16, POOL_A, POOL_B);
        final int first = table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53, 0, EXPIRY);
        final int second = table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_2, 123, 0, EXPIRY);
        assertTrue(first >= 0 && second >= 0 && first != second);

        assertEquals(table.bib(first), table.bib(second));
        assertEquals(table.pool4Address(first), table.pool4Address(second));
        assertEquals(table.pool4Port(first), table.pool4Port(second));
        assertEquals(1, table.bibs().size());
        assertEquals(2, table.bibs().sessionCount(table.bib(first)));

        final int bib = table.findBib6(UDP, CLIENT_PREFIX, client(1), 40_000);
        assertEquals(table.bib(first), bib);
        assertEquals(bib, table.findBib4(UDP, table.pool4Address(first), table.pool4Port(first)));
        assertEquals(1, pool.allocatedPorts());
    }

    @Test
    void differentSourcePortsOfOneHostGetDifferentPortsOnTheSameAddress()
    {
        open(16, 16, 16, POOL_A, POOL_B);
        final int first = table.create6(TCP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 443, V6_INIT, EXPIRY);
        final int second = table.create6(TCP, CLIENT_PREFIX, client(1), 40_001, SERVER_1, 443, V6_INIT, EXPIRY);
        assertNotEquals(table.bib(first), table.bib(second));
        assertNotEquals(table.pool4Port(first), table.pool4Port(second));
        assertEquals(table.pool4Address(first), table.pool4Address(second), "paired pooling, RFC 4787 REQ-2");
        assertEquals(TcpStateMachine.V6_INIT, table.tcpState(first));
    }

    @Test
    void ipv4InitiatedSessionJoinsTheExistingBibEntry()
    {
        // Endpoint-independent filtering: RFC 6146 §3.5.1.1, RFC 4787 REQ-8.
        open(16, 16, 16, POOL_A);
        final int outbound = table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 3478, 0, EXPIRY);
        final int t = table.pool4Port(outbound);
        assertEquals(SessionTable.NOT_FOUND, table.find4(UDP, POOL_A, t, SERVER_2, 5000));

        final int bib = table.findBib4(UDP, POOL_A, t);
        final BibTable bibs = table.bibs();
        assertEquals(CLIENT_PREFIX, bibs.src6High(bib));
        assertEquals(client(1), bibs.src6Low(bib));
        assertEquals(40_000, bibs.src6Port(bib));
        assertEquals(UDP, bibs.protocol(bib));

        final int inbound = table.createSession(bib, SERVER_2, 5000, 0, EXPIRY);
        assertTrue(inbound >= 0, failure(inbound));
        assertEquals(inbound, table.find4(UDP, POOL_A, t, SERVER_2, 5000));
        assertEquals(inbound, table.find6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_2, 5000));
        assertEquals(2, bibs.sessionCount(bib));
    }

    @Test
    void unknownPool4TransportAddressHasNoBibEntry()
    {
        open(16, 16, 16, POOL_A);
        assertEquals(BibTable.NOT_FOUND, table.findBib4(UDP, POOL_A, 40_000));
        assertEquals(BibTable.NOT_FOUND, table.findBib6(UDP, CLIENT_PREFIX, client(1), 40_000));
        assertEquals(StateFailure.NO_BIB.code(), table.createSession(3, SERVER_1, 53, 0, EXPIRY));
        assertEquals(StateFailure.NO_BIB.code(), table.createSession(-1, SERVER_1, 53, 0, EXPIRY));
    }

    @Test
    void creatingAnExistingSessionFailsAndChangesNothing()
    {
        open(16, 16, 16, POOL_A);
        final int session = table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53, 0, EXPIRY);
        assertEquals(StateFailure.SESSION_EXISTS.code(),
            table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53, 0, EXPIRY + 1));
        assertEquals(StateFailure.SESSION_EXISTS.code(), table.createSession(table.bib(session), SERVER_1, 53, 0, EXPIRY));
        assertEquals(1, table.size());
        assertEquals(1, table.bibs().size());
        assertEquals(1, table.bibs().sessionCount(table.bib(session)));
        assertEquals(EXPIRY, table.expiryNs(session));
    }

    @Test
    void fullTableRefusesNewSessionsAndExistingOnesStillWork()
    {
        open(8, 64, 32, POOL_A);       // fewer sources than BIB entries: subscribers are counted
        final int[] sessions = new int[8];
        for (int i = 0; i < 8; i++)
        {
            sessions[i] = table.create6(UDP, CLIENT_PREFIX, client(i), 40_000, SERVER_1, 53, 0, EXPIRY);
            assertTrue(sessions[i] >= 0, failure(sessions[i]));
        }
        assertEquals(StateFailure.SESSION_TABLE_FULL.code(),
            table.create6(UDP, CLIENT_PREFIX, client(99), 40_000, SERVER_1, 53, 0, EXPIRY));
        assertEquals(StateFailure.SESSION_TABLE_FULL.code(),
            table.create6(UDP, CLIENT_PREFIX, client(0), 40_000, SERVER_2, 53, 0, EXPIRY), "existing BIB entry too");
        assertEquals(8, table.bibs().size(), "the BIB entry made for the refused session is gone");
        assertEquals(8, pool.allocatedPorts(), "and so is its port");
        assertEquals(8, table.quotas().size());

        for (int i = 0; i < 8; i++)
        {
            assertEquals(sessions[i], table.find6(UDP, CLIENT_PREFIX, client(i), 40_000, SERVER_1, 53));
            assertEquals(sessions[i], table.find4(UDP, POOL_A, table.pool4Port(sessions[i]), SERVER_1, 53));
        }

        assertTrue(table.remove(sessions[3]));
        assertTrue(table.create6(UDP, CLIENT_PREFIX, client(99), 40_000, SERVER_1, 53, 0, EXPIRY) >= 0);
    }

    @Test
    void fullBibRefusesNewMappingsButNotNewSessionsOfExistingOnes()
    {
        open(16, 2, 16, POOL_A);
        assertTrue(table.create6(UDP, CLIENT_PREFIX, client(1), 1111, SERVER_1, 53, 0, EXPIRY) >= 0);
        assertTrue(table.create6(UDP, CLIENT_PREFIX, client(2), 2222, SERVER_1, 53, 0, EXPIRY) >= 0);
        assertEquals(StateFailure.BIB_TABLE_FULL.code(),
            table.create6(UDP, CLIENT_PREFIX, client(3), 3333, SERVER_1, 53, 0, EXPIRY));
        assertTrue(table.create6(UDP, CLIENT_PREFIX, client(1), 1111, SERVER_2, 53, 0, EXPIRY) >= 0);
        assertEquals(2, pool.allocatedPorts());
    }

    @Test
    void exhaustedPool4FailsAndLeavesNoTrace()
    {
        pool = new Pool4(new int[]{ POOL_A }, PortRange.ALL, new PortRange(5000, 5003), PortRange.ALL, 1);
        table = new SessionTable(StateFixtures.config(64, 64, 32), pool);
        for (int i = 0; i < 4; i++)
        {
            assertTrue(table.create6(UDP, CLIENT_PREFIX, client(i), 40_000, SERVER_1, 53, 0, EXPIRY) >= 0);
        }
        final int refused = table.create6(UDP, CLIENT_PREFIX, client(9), 40_000, SERVER_1, 53, 0, EXPIRY);
        assertEquals(StateFailure.POOL4_EXHAUSTED, StateFailure.ofCode(refused));
        assertEquals("pool4-exhausted", StateFailure.ofCode(refused).label());
        assertEquals(4, table.bibs().size());
        assertEquals(0, table.quotas().bibCount(CLIENT_PREFIX, client(9)));
        assertEquals(4, table.quotas().size());

        // TCP has its own ports: the same address may be in use in another protocol's BIB (RFC 6146 §3.5.1.1).
        assertTrue(table.create6(TCP, CLIENT_PREFIX, client(9), 40_000, SERVER_1, 80, V6_INIT, EXPIRY) >= 0);
    }

    @Test
    void perSubscriberBibQuotaRefusesTheNextPortButNotOtherSubscribers()
    {
        pool = StateFixtures.pool(POOL_A);
        table = new SessionTable(StateFixtures.config(64, 64, 64).withSourceLimits(128, 3, 100), pool);
        for (int port = 1; port <= 3; port++)
        {
            assertTrue(table.create6(UDP, CLIENT_PREFIX, client(1), 40_000 + port, SERVER_1, 53, 0, EXPIRY) >= 0);
        }
        assertEquals(StateFailure.SOURCE_BIB_QUOTA.code(),
            table.create6(UDP, CLIENT_PREFIX, client(1), 40_004, SERVER_1, 53, 0, EXPIRY));
        assertEquals(StateFailure.SOURCE_BIB_QUOTA.code(),
            table.create6(TCP, CLIENT_PREFIX, client(1), 40_004, SERVER_1, 53, V6_INIT, EXPIRY));
        assertTrue(table.create6(UDP, CLIENT_PREFIX, client(1), 40_001, SERVER_2, 53, 0, EXPIRY) >= 0, "existing mapping");
        assertTrue(table.create6(UDP, CLIENT_PREFIX, client(2), 40_004, SERVER_1, 53, 0, EXPIRY) >= 0, "other subscriber");
        assertEquals(3, table.quotas().bibCount(CLIENT_PREFIX, client(1)));
        assertEquals(4, table.quotas().sessionCount(CLIENT_PREFIX, client(1)));
        assertEquals(4, pool.allocatedPorts());
    }

    @Test
    void perSubscriberSessionQuotaRefusesTheNextSession()
    {
        pool = StateFixtures.pool(POOL_A);
        table = new SessionTable(StateFixtures.config(64, 64, 64).withSourceLimits(128, 100, 2), pool);
        assertTrue(table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53, 0, EXPIRY) >= 0);
        assertTrue(table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_2, 53, 0, EXPIRY) >= 0);
        assertEquals(StateFailure.SOURCE_SESSION_QUOTA.code(),
            table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_2, 54, 0, EXPIRY));
        assertEquals(StateFailure.SOURCE_SESSION_QUOTA.code(),
            table.create6(UDP, CLIENT_PREFIX, client(1), 40_001, SERVER_2, 54, 0, EXPIRY));
        assertEquals(1, table.bibs().size(), "the BIB entry made for the refused session is gone");
        assertEquals(1, pool.allocatedPorts());
    }

    @Test
    void subscriberQuotaCoversTheWholeDelegatedPrefix()
    {
        pool = StateFixtures.pool(POOL_A);
        table = new SessionTable(StateFixtures.config(64, 64, 64).withSourceLimits(64, 2, 100), pool);
        assertTrue(table.create6(UDP, CLIENT_PREFIX, 0x1111, 40_000, SERVER_1, 53, 0, EXPIRY) >= 0);
        assertTrue(table.create6(UDP, CLIENT_PREFIX, 0x2222, 40_000, SERVER_1, 53, 0, EXPIRY) >= 0);
        assertEquals(StateFailure.SOURCE_BIB_QUOTA.code(),
            table.create6(UDP, CLIENT_PREFIX, 0x3333, 40_000, SERVER_1, 53, 0, EXPIRY), "same /64");
        assertTrue(table.create6(UDP, CLIENT_PREFIX + 1, 0x3333, 40_000, SERVER_1, 53, 0, EXPIRY) >= 0, "next /64");
        assertEquals(2, table.quotas().bibCount(CLIENT_PREFIX, 0xFFFF));
        assertEquals(2, table.quotas().size());
    }

    @Test
    void fullQuotaTableRefusesNewSubscribers()
    {
        open(64, 64, 2, POOL_A);
        assertTrue(table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53, 0, EXPIRY) >= 0);
        assertTrue(table.create6(UDP, CLIENT_PREFIX, client(2), 40_000, SERVER_1, 53, 0, EXPIRY) >= 0);
        assertEquals(StateFailure.SOURCE_TABLE_FULL.code(),
            table.create6(UDP, CLIENT_PREFIX, client(3), 40_000, SERVER_1, 53, 0, EXPIRY));
        assertTrue(table.create6(UDP, CLIENT_PREFIX, client(2), 40_001, SERVER_1, 53, 0, EXPIRY) >= 0);
        assertEquals(3, pool.allocatedPorts());
    }

    @Test
    void removingTheLastSessionFreesTheBibEntryItsPortAndTheQuota()
    {
        open(16, 16, 8, POOL_A);
        final int first = table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53, 0, EXPIRY);
        final int second = table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_2, 53, 0, EXPIRY);
        final int t = table.pool4Port(first);

        assertTrue(table.remove(first));
        assertFalse(table.remove(first), "twice");
        assertEquals(SessionTable.NOT_FOUND, table.find6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53));
        assertEquals(SessionTable.NOT_FOUND, table.find4(UDP, POOL_A, t, SERVER_1, 53));
        assertEquals(second, table.find4(UDP, POOL_A, t, SERVER_2, 53));
        assertTrue(pool.isAllocated(UDP, POOL_A, t), "the BIB entry still has a session");

        assertTrue(table.remove(second));
        assertEquals(0, table.size());
        assertEquals(0, table.bibs().size());
        assertEquals(BibTable.NOT_FOUND, table.findBib4(UDP, POOL_A, t));
        assertFalse(pool.isAllocated(UDP, POOL_A, t));
        assertEquals(0, table.quotas().size());
        assertFalse(table.remove(-1));
        assertFalse(table.remove(16));
    }

    @Test
    void staticBibEntryOutlivesItsSessionsAndHoldsItsPort()
    {
        open(16, 16, 8, POOL_A);
        final int bib = table.addStaticBib(TCP, CLIENT_PREFIX, client(80), 80, POOL_A, 8080);
        assertTrue(bib >= 0, failure(bib));
        assertTrue(table.bibs().isStatic(bib));
        assertTrue(pool.isAllocated(TCP, POOL_A, 8080));
        assertEquals(bib, table.findBib4(TCP, POOL_A, 8080));

        final int inbound = table.createSession(bib, SERVER_1, 50_000, V4_INIT, EXPIRY);
        assertEquals(TcpStateMachine.V4_INIT, table.tcpState(inbound));
        final int outbound = table.create6(TCP, CLIENT_PREFIX, client(80), 80, SERVER_2, 50_001, V6_INIT, EXPIRY);
        assertEquals(bib, table.bib(outbound), "IPv6-initiated traffic from the server uses the static mapping");
        assertEquals(8080, table.pool4Port(outbound));

        table.remove(inbound);
        table.remove(outbound);
        assertEquals(bib, table.findBib6(TCP, CLIENT_PREFIX, client(80), 80));
        assertTrue(pool.isAllocated(TCP, POOL_A, 8080));

        assertTrue(table.removeStaticBib(bib));
        assertFalse(table.removeStaticBib(bib));
        assertEquals(BibTable.NOT_FOUND, table.findBib4(TCP, POOL_A, 8080));
        assertFalse(pool.isAllocated(TCP, POOL_A, 8080));
        assertEquals(0, table.quotas().size());
    }

    @Test
    void removingAStaticEntryInUseWaitsForItsLastSession()
    {
        open(16, 16, 16, POOL_A);
        final int bib = table.addStaticBib(UDP, CLIENT_PREFIX, client(53), 53, POOL_A, 53);
        final int session = table.createSession(bib, SERVER_1, 40_000, 0, EXPIRY);
        assertTrue(table.removeStaticBib(bib));
        assertEquals(bib, table.findBib4(UDP, POOL_A, 53));
        table.remove(session);
        assertEquals(BibTable.NOT_FOUND, table.findBib4(UDP, POOL_A, 53));
        assertFalse(pool.isAllocated(UDP, POOL_A, 53));
    }

    @Test
    void staticBibEntryMustNotClashAndMustUseAPool4Address()
    {
        open(16, 16, 16, POOL_A);
        final int dynamic = table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53, 0, EXPIRY);
        final int t = table.pool4Port(dynamic);
        assertEquals(StateFailure.BIB_EXISTS.code(), table.addStaticBib(UDP, CLIENT_PREFIX, client(1), 40_000, POOL_A, 9));
        assertEquals(StateFailure.BIB_EXISTS.code(), table.addStaticBib(UDP, CLIENT_PREFIX, client(2), 40_000, POOL_A, t));
        assertEquals(StateFailure.NOT_IN_POOL4.code(), table.addStaticBib(UDP, CLIENT_PREFIX, client(2), 40_000, POOL_B, 9));
        assertEquals(StateFailure.BAD_ARGUMENT.code(), table.addStaticBib(UDP, CLIENT_PREFIX, client(2), 70_000, POOL_A, 9));
        assertEquals(StateFailure.BAD_ARGUMENT.code(), table.addStaticBib(5, CLIENT_PREFIX, client(2), 7, POOL_A, 9));
        assertTrue(table.addStaticBib(TCP, CLIENT_PREFIX, client(1), 40_000, POOL_A, t) >= 0, "other protocol");
        assertEquals(2, table.bibs().size());
    }

    @Test
    void staticEntriesCountTowardsTheSubscriberButAreNotRefusedByIt()
    {
        pool = StateFixtures.pool(POOL_A);
        table = new SessionTable(StateFixtures.config(16, 16, 16).withSourceLimits(128, 1, 10), pool);
        assertTrue(table.addStaticBib(UDP, CLIENT_PREFIX, client(1), 1, POOL_A, 1001) >= 0);
        assertTrue(table.addStaticBib(UDP, CLIENT_PREFIX, client(1), 2, POOL_A, 1002) >= 0);
        assertEquals(StateFailure.SOURCE_BIB_QUOTA.code(),
            table.create6(UDP, CLIENT_PREFIX, client(1), 3, SERVER_1, 53, 0, EXPIRY));
        assertEquals(2, table.quotas().bibCount(CLIENT_PREFIX, client(1)));
    }

    @Test
    void heldIpv4SynIsAnsweredByAMappingAtTheTransportAddressItTargeted()
    {
        // RFC 6146 §3.5.2.2 simultaneous open: the V4 SYN reached (T, t) with no BIB entry; the V6 SYN maps to it.
        open(16, 16, 16, POOL_A);
        final int session = table.create6At(TCP, CLIENT_PREFIX, client(1), 40_000, POOL_A, 44_444, SERVER_1, 50_000,
            TcpStateMachine.ESTABLISHED, EXPIRY);
        assertTrue(session >= 0, failure(session));
        assertEquals(44_444, table.pool4Port(session));
        assertEquals(session, table.find4(TCP, POOL_A, 44_444, SERVER_1, 50_000));
        assertFalse(table.bibs().isStatic(table.bib(session)));
        assertTrue(pool.isAllocated(TCP, POOL_A, 44_444));

        table.remove(session);
        assertFalse(pool.isAllocated(TCP, POOL_A, 44_444), "a dynamic entry goes with its last session");
        assertEquals(0, table.bibs().size());
    }

    @Test
    void simultaneousOpenJoinsAMatchingMappingAndRefusesAClashingOne()
    {
        open(16, 16, 16, POOL_A);
        final int first = table.create6(TCP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 80, V6_INIT, EXPIRY);
        final int t = table.pool4Port(first);
        final int joined = table.create6At(TCP, CLIENT_PREFIX, client(1), 40_000, POOL_A, t, SERVER_2, 80,
            TcpStateMachine.ESTABLISHED, EXPIRY);
        assertEquals(table.bib(first), table.bib(joined));

        final int bad = StateFailure.BIB_EXISTS.code();
        assertEquals(bad, table.create6At(TCP, CLIENT_PREFIX, client(1), 40_000, POOL_A, t + 1, SERVER_2, 81, 0, EXPIRY),
            "(X', x) is mapped elsewhere");
        assertEquals(bad, table.create6At(TCP, CLIENT_PREFIX, client(2), 40_000, POOL_A, t, SERVER_2, 81, 0, EXPIRY),
            "(T, t) belongs to another source");
        assertEquals(StateFailure.NOT_IN_POOL4.code(),
            table.create6At(TCP, CLIENT_PREFIX, client(2), 40_000, POOL_B, t, SERVER_2, 81, V6_INIT, EXPIRY));
        assertEquals(1, table.bibs().size());
        assertEquals(1, pool.allocatedPorts());
    }

    @Test
    void icmpQuerySessionMapsIdentifiers()
    {
        // RFC 6146 §3.5.3: the ICMPv6 identifier plays x, the ICMPv4 identifier t; no remote port.
        open(16, 16, 16, POOL_A);
        final int session = table.create6(ICMP, CLIENT_PREFIX, client(1), 0x1234, SERVER_1, 0, 0,
            NOW + Nat64Timeouts.ICMP_DEFAULT_NS);
        final int identifier4 = table.pool4Port(session);
        assertEquals(session, table.find4(ICMP, POOL_A, identifier4, SERVER_1, 0));
        assertEquals(session, table.find6(ICMP, CLIENT_PREFIX, client(1), 0x1234, SERVER_1, 0));
        assertEquals(SessionTable.NOT_FOUND, table.find4(UDP, POOL_A, identifier4, SERVER_1, 0));
        assertEquals(0, table.tcpState(session));
    }

    @Test
    void sameTupleInTwoProtocolsIsTwoSessions()
    {
        open(16, 16, 16, POOL_A);
        final int udp = table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53, 0, EXPIRY);
        final int tcp = table.create6(TCP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53, V6_INIT, EXPIRY);
        assertNotEquals(udp, tcp);
        assertEquals(udp, table.find6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53));
        assertEquals(tcp, table.find6(TCP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53));
        assertEquals(2, table.bibs().size());
    }

    @Test
    void badArgumentsComeBackAsCodesNotExceptions()
    {
        open(16, 16, 16, POOL_A);
        final int bad = StateFailure.BAD_ARGUMENT.code();
        assertEquals(bad, table.create6(3, CLIENT_PREFIX, client(1), 1, SERVER_1, 53, 0, EXPIRY));
        assertEquals(bad, table.create6(-1, CLIENT_PREFIX, client(1), 1, SERVER_1, 53, 0, EXPIRY));
        assertEquals(StateFailure.BAD_ARGUMENT.code(),
            table.create6(UDP, CLIENT_PREFIX, client(1), 65_536, SERVER_1, 53, 0, EXPIRY));
        assertEquals(StateFailure.BAD_ARGUMENT.code(),
            table.create6(UDP, CLIENT_PREFIX, client(1), 1, SERVER_1, -1, 0, EXPIRY));
        assertEquals(0, table.size());
        assertEquals(0, table.bibs().size());
        assertEquals(0, pool.allocatedPorts());
        assertEquals(SessionTable.NOT_FOUND, table.find6(9, CLIENT_PREFIX, client(1), 1, SERVER_1, 53));
        assertEquals(BibTable.NOT_FOUND, table.findBib6(9, CLIENT_PREFIX, client(1), 1));
        assertEquals(BibTable.NOT_FOUND, table.findBib4(9, POOL_A, 1));
    }

    @Test
    void failureCodesTurnBackIntoTheirLabels()
    {
        for (final StateFailure failure : StateFailure.values())
        {
            assertTrue(failure.code() <= -2);
            assertEquals(failure, StateFailure.ofCode(failure.code()));
        }
        assertNull(StateFailure.ofCode(SessionTable.NOT_FOUND));
        assertNull(StateFailure.ofCode(0));
        assertNull(StateFailure.ofCode(-2 - StateFailure.values().length));
        assertEquals("session-table-full", StateFailure.SESSION_TABLE_FULL.label());
    }

    @Test
    void tcpTransitionSetsStateAndLifetime()
    {
        open(16, 16, 16, POOL_A);
        final Nat64Timeouts timeouts = table.config().timeouts();
        final int session = table.create6(TCP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 443,
            TcpStateMachine.V6_INIT, NOW + timeouts.tcpTransitoryNs());

        final long later = NOW + 1_000;
        final int synAck = TcpStateMachine.next(table.tcpState(session), TcpStateMachine.FROM_IPV4, SYN | ACK);
        table.applyTcpTransition(session, synAck, later);
        assertEquals(TcpStateMachine.ESTABLISHED, table.tcpState(session));
        assertEquals(later + timeouts.tcpEstablishedNs(), table.expiryNs(session));

        final int fin = TcpStateMachine.next(TcpStateMachine.ESTABLISHED, TcpStateMachine.FROM_IPV6, FIN);
        table.applyTcpTransition(session, fin, later + 5);
        assertEquals(TcpStateMachine.V6_FIN_RCV, table.tcpState(session));
        assertEquals(later + timeouts.tcpEstablishedNs(), table.expiryNs(session), "FIN keeps the lifetime");
    }

    @Test
    void refreshMovesTheDeadline()
    {
        open(16, 16, 16, POOL_A);
        final int session = table.create6(UDP, CLIENT_PREFIX, client(1), 40_000, SERVER_1, 53, 0, EXPIRY);
        table.refresh(session, EXPIRY + 7);
        assertEquals(EXPIRY + 7, table.expiryNs(session));
        assertFalse(table.isExpired(session, EXPIRY + 6));
        assertTrue(table.isExpired(session, EXPIRY + 7));
    }

    private void open(final int maxSessions, final int maxBib, final int maxSources, final int... addresses)
    {
        pool = StateFixtures.pool(addresses);
        table = new SessionTable(StateFixtures.config(maxSessions, maxBib, maxSources), pool);
    }

    private static String failure(final int result)
    {
        return "result " + result + " " + StateFailure.ofCode(result);
    }
}
