package io.sixgate.nat64.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.sixgate.core.state.HashIndex;

import org.junit.jupiter.api.Test;

import static io.sixgate.nat64.state.StateFixtures.CLIENT_PREFIX;
import static io.sixgate.nat64.state.StateFixtures.POOL_A;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One million random creates, removals, lookups and sweeps on a small table, checked against a
 * {@link HashMap} model after every operation and in full at checkpoints: deletion (explicit and
 * by expiry) must keep every other session findable from both sides, including clusters that
 * wrap from the last index slot to the first.
 */
class SessionTableRandomizedTest
{
    private static final int OPERATIONS = 1_000_000;
    private static final int MAX_SESSIONS = 512;
    private static final int CHECKPOINT = 25_000;
    private static final int PHASE = 50_000;

    private record Flow(int protocol, int host, int srcPort, int remote4, int remotePort)
    {
    }

    private record Mapping(int protocol, int host, int srcPort)
    {
    }

    @Test
    void everySessionStaysFindableFromBothSidesThroughOneMillionOperations()
    {
        final Random random = new Random(6146);
        final Pool4 pool = StateFixtures.pool(POOL_A);
        final SessionTable table = new SessionTable(StateFixtures.config(MAX_SESSIONS, 1024, 64), pool);
        final Map<Flow, Integer> sessions = new HashMap<>();
        final Map<Integer, Flow> flows = new HashMap<>();
        final List<Flow> present = new ArrayList<>();
        final Map<Mapping, Long> mappings = new HashMap<>();
        final Map<Mapping, Integer> mappingUsers = new HashMap<>();
        final List<Integer> expired = new ArrayList<>();
        final SessionExpiryHandler collect = new SessionExpiryHandler()
        {
            @Override
            public void onExpired(final SessionTable t, final int session)
            {
                expired.add(session);
            }
        };

        long now = 0;
        long wrapped = 0;
        int created = 0;
        int removedByExpiry = 0;
        int refusedFull = 0;
        try
        {
            for (int op = 0; op < OPERATIONS; op++)
            {
                // Alternate phases that fill the table to refusal and drain it.
                final boolean filling = (op / PHASE) % 2 == 0;
                final int dice = random.nextInt(100);
                if (dice < (filling ? 70 : 40))
                {
                    final Flow flow = randomFlow(random);
                    final Mapping mapping = new Mapping(flow.protocol(), flow.host(), flow.srcPort());
                    final int result = table.create6(flow.protocol(), CLIENT_PREFIX, flow.host(), flow.srcPort(),
                        flow.remote4(), flow.remotePort(), TcpStateMachine.V6_INIT, now + 1 + random.nextInt(50_000));
                    if (sessions.containsKey(flow))
                    {
                        assertEquals(StateFailure.SESSION_EXISTS.code(), result, "op " + op);
                    }
                    else if (sessions.size() == MAX_SESSIONS)
                    {
                        assertEquals(StateFailure.SESSION_TABLE_FULL.code(), result, "op " + op);
                        refusedFull++;
                    }
                    else
                    {
                        assertTrue(result >= 0, "op " + op + ": " + StateFailure.ofCode(result));
                        final long transport = Pool4.pack(table.pool4Address(result), table.pool4Port(result));
                        final Long known = mappings.putIfAbsent(mapping, transport);
                        if (null != known)
                        {
                            assertEquals(known.longValue(), transport, "endpoint-independent mapping, op " + op);
                        }
                        mappingUsers.merge(mapping, 1, Integer::sum);
                        sessions.put(flow, result);
                        flows.put(result, flow);
                        present.add(flow);
                        created++;
                    }
                }
                else if (dice < 80)
                {
                    // removal: 10% of operations while filling, 40% while draining
                    if (present.isEmpty())
                    {
                        continue;
                    }
                    final int at = random.nextInt(present.size());
                    final Flow flow = present.get(at);
                    final int session = sessions.get(flow);
                    assertEquals(session, find6(table, flow), "op " + op);
                    assertTrue(table.remove(session), "op " + op);
                    forget(flow, session, sessions, flows, present, mappings, mappingUsers);
                }
                else if (dice < 95)
                {
                    final Flow flow = random.nextBoolean() || present.isEmpty() ?
                        randomFlow(random) : present.get(random.nextInt(present.size()));
                    final Integer session = sessions.get(flow);
                    assertEquals(null == session ? SessionTable.NOT_FOUND : session, find6(table, flow), "op " + op);
                    if (null != session)
                    {
                        final long transport = mappings.get(new Mapping(flow.protocol(), flow.host(), flow.srcPort()));
                        assertEquals(session.intValue(), table.find4(flow.protocol(), Pool4.address(transport),
                            Pool4.port(transport), flow.remote4(), flow.remotePort()), "op " + op);
                    }
                }
                else
                {
                    now += random.nextInt(2_000);
                    expired.clear();
                    final int removed = table.expire(now, 1 + random.nextInt(64), collect);
                    assertEquals(removed, expired.size());
                    for (final int session : expired)
                    {
                        final Flow flow = flows.get(session);
                        assertTrue(null != flow, "op " + op + " expired unknown session " + session);
                        forget(flow, session, sessions, flows, present, mappings, mappingUsers);
                    }
                    removedByExpiry += removed;
                }

                assertEquals(sessions.size(), table.size(), "op " + op);
                if (op % CHECKPOINT == 0 || op == OPERATIONS - 1)
                {
                    checkEverything(table, pool, sessions, mappings, op);
                    wrapped += wrappedEntries(table.index6()) + wrappedEntries(table.index4());
                }
            }

            assertTrue(created > 100_000, "created " + created);
            assertTrue(removedByExpiry > 10_000, "expired " + removedByExpiry);
            assertTrue(refusedFull > 1_000, "table full " + refusedFull + " times");
            assertTrue(wrapped > 0, "no probe sequence wrapped past the last slot at any checkpoint");

            for (final Flow flow : new ArrayList<>(present))
            {
                assertTrue(table.remove(sessions.get(flow)));
            }
            assertEquals(0, table.size());
            assertEquals(0, table.bibs().size());
            assertEquals(0, table.quotas().size());
            assertEquals(0, pool.allocatedPorts());
            assertEquals(0, occupied(table.index6()) + occupied(table.index4()));
        }
        finally
        {
            table.close();
            pool.close();
        }
    }

    private static Flow randomFlow(final Random random)
    {
        return new Flow(random.nextInt(SessionProtocol.COUNT), random.nextInt(16), 40_000 + random.nextInt(16),
            0xC633_6400 | random.nextInt(4), random.nextInt(8));
    }

    private static int find6(final SessionTable table, final Flow flow)
    {
        return table.find6(flow.protocol(), CLIENT_PREFIX, flow.host(), flow.srcPort(), flow.remote4(), flow.remotePort());
    }

    private static void forget(
        final Flow flow,
        final int session,
        final Map<Flow, Integer> sessions,
        final Map<Integer, Flow> flows,
        final List<Flow> present,
        final Map<Mapping, Long> mappings,
        final Map<Mapping, Integer> mappingUsers)
    {
        sessions.remove(flow);
        flows.remove(session);
        final int at = present.indexOf(flow);
        present.set(at, present.get(present.size() - 1));
        present.remove(present.size() - 1);
        final Mapping mapping = new Mapping(flow.protocol(), flow.host(), flow.srcPort());
        if (mappingUsers.merge(mapping, -1, Integer::sum) == 0)
        {
            mappingUsers.remove(mapping);
            mappings.remove(mapping);
        }
    }

    private static void checkEverything(
        final SessionTable table,
        final Pool4 pool,
        final Map<Flow, Integer> sessions,
        final Map<Mapping, Long> mappings,
        final int op)
    {
        for (final Map.Entry<Flow, Integer> e : sessions.entrySet())
        {
            final Flow flow = e.getKey();
            final int session = e.getValue();
            assertEquals(session, find6(table, flow), "checkpoint " + op);
            assertEquals(session, table.find4(flow.protocol(), table.pool4Address(session), table.pool4Port(session),
                flow.remote4(), flow.remotePort()), "checkpoint " + op);
        }
        for (final Map.Entry<Mapping, Long> e : mappings.entrySet())
        {
            final Mapping m = e.getKey();
            final int bib = table.findBib6(m.protocol(), CLIENT_PREFIX, m.host(), m.srcPort());
            assertEquals(bib, table.findBib4(m.protocol(), Pool4.address(e.getValue()), Pool4.port(e.getValue())));
        }
        assertEquals(mappings.size(), table.bibs().size(), "checkpoint " + op);
        assertEquals(mappings.size(), pool.allocatedPorts(), "checkpoint " + op);
        assertEquals(sessions.size(), occupied(table.index6()), "checkpoint " + op);
        assertEquals(sessions.size(), occupied(table.index4()), "checkpoint " + op);
    }

    private static int occupied(final HashIndex index)
    {
        int count = 0;
        for (int slot = 0; slot < index.slotCount(); slot++)
        {
            count += index.slot(slot) != HashIndex.EMPTY ? 1 : 0;
        }
        return count;
    }

    /**
     * Entries sitting at a lower slot than their home: their probe sequence wrapped.
     */
    private static int wrappedEntries(final HashIndex index)
    {
        int count = 0;
        for (int slot = 0; slot < index.slotCount(); slot++)
        {
            final long value = index.slot(slot);
            if (value != HashIndex.EMPTY && index.home(HashIndex.hashOf(value)) > slot)
            {
                count++;
            }
        }
        return count;
    }
}
