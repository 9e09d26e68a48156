package io.sixgate.nat64.state;

import static io.sixgate.nat64.state.SessionProtocol.ICMP;
import static io.sixgate.nat64.state.SessionProtocol.TCP;
import static io.sixgate.nat64.state.SessionProtocol.UDP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import io.sixgate.core.net.Ipv4Address;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pool4 shared among workers ({@link PortPartition}): each worker's pool hands out only its own
 * part, so that the port alone tells which worker made a mapping; RFC 4787's range and parity
 * rules keep holding inside a part.
 */
class Pool4PartitionTest
{
    private static final int T1 = Ipv4Address.parse("203.0.113.1");
    private static final int T2 = Ipv4Address.parse("203.0.113.2");

    private final List<Pool4> pools = new ArrayList<>();

    @AfterEach
    void close()
    {
        pools.forEach(Pool4::close);
    }

    private Pool4[] shared(final int workers, final PortRange tcp, final PortRange udp, final PortRange icmp,
        final int... addresses)
    {
        final Pool4[] parts = new Pool4[workers];
        for (int w = 0; w < workers; w++)
        {
            parts[w] = new Pool4(addresses, tcp, udp, icmp, 100 + w, new PortPartition(w, workers));
            pools.add(parts[w]);
        }
        return parts;
    }

    @Test
    void everyPortHasExactlyOneOwnerAndPairsAreDealtRoundRobin()
    {
        for (final int workers : new int[]{1, 2, 3, 7, 64})
        {
            for (int port = 0; port <= 65535; port++)
            {
                int owners = 0;
                for (int w = 0; w < workers; w++)
                {
                    owners += new PortPartition(w, workers).owns(port) ? 1 : 0;
                }
                assertEquals(1, owners, "port " + port + " of " + workers + " workers");
                assertEquals(PortPartition.owner(port, workers), PortPartition.owner(port ^ 1, workers),
                    "a pair has one owner");
            }
        }
        assertEquals(20000 % 3, PortPartition.owner(40000, 3), "pair 20000 holds 40000 and 40001");
    }

    @Test
    void allocationsStayInTheOwnersPartForEveryProtocolAndSource()
    {
        final int workers = 3;
        final Pool4[] parts = shared(workers, PortRange.ALL, PortRange.ALL, PortRange.ALL, T1, T2);
        final Random random = new Random(3);
        for (int i = 0; i < 30_000; i++)
        {
            final int w = random.nextInt(workers);
            final int protocol = random.nextInt(SessionProtocol.COUNT);
            final int sourcePort = random.nextInt(65536);
            final long mapped = parts[w].allocate(protocol, random.nextLong(), random.nextLong(), sourcePort);
            assertNotEquals(Pool4.NO_PORT, mapped);
            final int port = Pool4.port(mapped);
            assertEquals(w, PortPartition.owner(port, workers), "worker " + w + " handed out " + port);
            assertTrue(parts[w].owns(port));
            if (protocol != ICMP)
            {
                assertEquals(sourcePort & 1, port & 1, "parity kept inside the part: " + sourcePort + " -> " + port);
                assertEquals(sourcePort <= Pool4.WELL_KNOWN_LAST, port <= Pool4.WELL_KNOWN_LAST,
                    "range kept inside the part: " + sourcePort + " -> " + port);
            }
        }
    }

    @Test
    void theWorkersPartsTogetherHandOutTheWholeRangeOnce()
    {
        final int workers = 4;
        final PortRange range = new PortRange(40000, 40999);
        final Pool4[] parts = shared(workers, range, range, range, T1);
        final BitSet seen = new BitSet();
        for (int w = 0; w < workers; w++)
        {
            assertEquals(250, parts[w].freePorts(UDP), "the free count counts the worker's part only");
            for (int i = 0; ; i++)
            {
                final long mapped = parts[w].allocate(UDP, 1, i, 50000 + i);
                if (mapped == Pool4.NO_PORT)
                {
                    break;
                }
                assertFalse(seen.get(Pool4.port(mapped)), "port " + Pool4.port(mapped) + " handed out twice");
                seen.set(Pool4.port(mapped));
            }
            assertEquals(0, parts[w].freePorts(UDP));
        }
        assertEquals(1000, seen.cardinality());
        assertEquals(40000, seen.nextSetBit(0));
        assertEquals(40999, seen.previousSetBit(65535));
    }

    @Test
    void oneWorkersExhaustedPartLeavesTheOthersTheirs()
    {
        final PortRange range = new PortRange(5000, 5007);
        final Pool4[] parts = shared(2, range, range, range, T1);
        for (int i = 0; i < 4; i++)
        {
            assertNotEquals(Pool4.NO_PORT, parts[0].allocate(TCP, 1, i, 40000));
        }
        assertEquals(Pool4.NO_PORT, parts[0].allocate(TCP, 1, 99, 40000), "worker 0 owns 5000, 5001, 5004, 5005");
        assertEquals(4, parts[1].freePorts(TCP));
        final int port = Pool4.port(parts[1].allocate(TCP, 1, 0, 40000));
        assertTrue(port == 5002 || port == 5006, "worker 1 owns 5002, 5003, 5006, 5007 and keeps the parity: " + port);
    }

    @Test
    void aStaticEntryMayReserveAnotherWorkersPortWithoutTouchingTheFreeCount()
    {
        final Pool4[] parts = shared(2, PortRange.NON_WELL_KNOWN, PortRange.NON_WELL_KNOWN, PortRange.ALL, T1);
        final int foreign = 80;     // pair 40: worker 0's
        assertFalse(parts[1].owns(foreign));
        final int before = parts[1].freePorts(TCP);

        assertTrue(parts[1].reserve(TCP, T1, foreign));

        assertTrue(parts[1].isAllocated(TCP, T1, foreign));
        assertEquals(before, parts[1].freePorts(TCP));
        assertTrue(parts[1].release(TCP, T1, foreign));
        assertEquals(before, parts[1].freePorts(TCP));
    }

    @Test
    void rejectsAWorkerOutsideTheCount()
    {
        assertThrows(IllegalArgumentException.class, () -> new PortPartition(2, 2));
        assertThrows(IllegalArgumentException.class, () -> new PortPartition(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new PortPartition(0, PortPartition.MAX_WORKERS + 1));
    }
}
