package io.sixgate.core.neighbour;

import static io.sixgate.core.neighbour.NeighbourCache.INCOMPLETE;
import static io.sixgate.core.neighbour.NeighbourCache.NOT_FOUND;
import static io.sixgate.core.neighbour.NeighbourCache.NO_MAC;
import static io.sixgate.core.neighbour.NeighbourCache.PERMANENT;
import static io.sixgate.core.neighbour.NeighbourCache.PROBE;
import static io.sixgate.core.neighbour.NeighbourCache.REACHABLE;
import static io.sixgate.core.neighbour.NeighbourCache.STALE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.sixgate.core.frame.FramePool;

import org.junit.jupiter.api.Test;

class NeighbourCacheTest
{
    private static final long S = 1_000_000_000L;
    private static final long MAC_A = 0x02_00_00_00_00_0AL;
    private static final long MAC_B = 0x02_00_00_00_00_0BL;

    private final NeighbourCache cache = new NeighbourCache(64, 128);

    /** Records what the timer asked for and takes the waiting frames as a stage would. */
    private final class Recorder implements NeighbourCache.TimerHandler
    {
        final List<String> calls = new ArrayList<>();
        final List<Integer> unresolvedFrames = new ArrayList<>();

        @Override
        public void solicit(final int slot, final boolean unicast)
        {
            calls.add((unicast ? "unicast " : "multicast ") + cache.ipv4Address(slot));
        }

        @Override
        public void unresolved(final int slot)
        {
            calls.add("unresolved " + cache.ipv4Address(slot));
            int frame;
            while ((frame = cache.dequeue(slot)) != FramePool.NO_FRAME)
            {
                unresolvedFrames.add(frame);
            }
        }
    }

    @Test
    void findsEntriesByPortFamilyAndAddress()
    {
        final int v4 = cache.createStale(1, false, 0, 7, MAC_A, 0);
        final int v6 = cache.createStale(1, true, 0, 7, MAC_B, 0);

        assertEquals(v4, cache.findIpv4(1, 7));
        assertEquals(v6, cache.findIpv6(1, 0, 7));
        assertEquals(NOT_FOUND, cache.findIpv4(2, 7), "another port");
        assertEquals(MAC_A, cache.mac(v4));
        assertEquals(MAC_B, cache.mac(v6));
        assertEquals(1, cache.portId(v6));
        assertTrue(cache.isIpv6(v6));
    }

    @Test
    void keepsFindingEveryEntryThroughRandomInsertsAndRemovals()
    {
        final NeighbourCache small = new NeighbourCache(200, 16);
        final Map<Long, Long> expected = new HashMap<>();
        final Random random = new Random(5);
        for (int round = 0; round < 20_000; round++)
        {
            final long address = random.nextInt(400);
            final int slot = small.findIpv4(0, (int)address);
            if (random.nextBoolean() && slot != NOT_FOUND)
            {
                small.remove(slot);
                expected.remove(address);
            }
            else if (slot == NOT_FOUND && small.size() < small.capacity())
            {
                final long mac = random.nextLong() & 0xFFFF_FFFF_FFFEL;
                small.createStale(0, false, 0, address, mac, 0);
                expected.put(address, mac);
            }
            assertEquals(expected.size(), small.size());
        }
        for (long address = 0; address < 400; address++)
        {
            final int slot = small.findIpv4(0, (int)address);
            assertEquals(expected.containsKey(address), slot != NOT_FOUND, "address " + address);
            if (slot != NOT_FOUND)
            {
                assertEquals(expected.get(address), small.mac(slot));
            }
        }
    }

    @Test
    void refusesNewEntriesWhenFull()
    {
        final NeighbourCache two = new NeighbourCache(2, 16);
        assertNotEquals(NOT_FOUND, two.createIncomplete(0, false, 0, 1, 0));
        assertNotEquals(NOT_FOUND, two.createIncomplete(0, false, 0, 2, 0));
        assertEquals(NOT_FOUND, two.createIncomplete(0, false, 0, 3, 0));
    }

    @Test
    void solicitedAdvertisementResolvesIncompleteAsReachable()
    {
        final int slot = cache.createIncomplete(0, true, 1, 2, 0);
        assertEquals(NO_MAC, cache.macForTransmit(slot, 0));

        assertEquals(NeighbourCache.RESOLVED, cache.advertise(slot, MAC_A, true, true, S));
        assertEquals(REACHABLE, cache.state(slot));
        assertEquals(MAC_A, cache.macForTransmit(slot, S));
    }

    @Test
    void advertisementWithoutLinkLayerAddressLeavesIncompleteAlone()
    {
        final int slot = cache.createIncomplete(0, true, 1, 2, 0);
        assertEquals(NeighbourCache.UNCHANGED, cache.advertise(slot, NO_MAC, true, true, S));
        assertEquals(INCOMPLETE, cache.state(slot));
    }

    @Test
    void unsolicitedOverrideMovesTheAddressAndMakesItStale()
    {
        final int slot = cache.createIncomplete(0, true, 1, 2, 0);
        cache.advertise(slot, MAC_A, true, true, 0);

        assertEquals(NeighbourCache.UPDATED, cache.advertise(slot, MAC_B, false, true, S));
        assertEquals(MAC_B, cache.mac(slot));
        assertEquals(STALE, cache.state(slot));
    }

    @Test
    void advertisementWithoutOverrideKeepsTheAddressButDoubtsIt()
    {
        final int slot = cache.createIncomplete(0, true, 1, 2, 0);
        cache.advertise(slot, MAC_A, true, true, 0);

        assertEquals(NeighbourCache.UPDATED, cache.advertise(slot, MAC_B, true, false, S));
        assertEquals(MAC_A, cache.mac(slot), "RFC 4861 §7.2.5: O clear, the cached address stays");
        assertEquals(STALE, cache.state(slot));
        assertEquals(NeighbourCache.UNCHANGED, cache.advertise(slot, MAC_B, false, false, S));
    }

    @Test
    void permanentEntriesIgnoreAdvertisementsAndNeverExpire()
    {
        cache.addPermanent(0, false, 0, 9, MAC_A);
        final int slot = cache.findIpv4(0, 9);

        assertEquals(NeighbourCache.KEPT_PERMANENT, cache.advertise(slot, MAC_B, false, true, 0));
        assertEquals(NeighbourCache.KEPT_PERMANENT, cache.learn(slot, MAC_B, 0));
        assertEquals(PERMANENT, cache.state(slot));
        assertEquals(MAC_A, cache.macForTransmit(slot, 1000 * S));
        assertFalse(cache.needsProbe(slot));
        cache.onTimer(1000 * S, new Recorder());
        assertEquals(slot, cache.findIpv4(0, 9));
    }

    @Test
    void reachableTurnsStaleAfterReachableTimeAndIsProbedWhenUsed()
    {
        final int slot = cache.createIncomplete(0, false, 0, 5, 0);
        cache.advertise(slot, MAC_A, true, true, 0);

        cache.macForTransmit(slot, 29 * S);
        assertEquals(REACHABLE, cache.state(slot));
        cache.macForTransmit(slot, 30 * S);
        assertTrue(cache.needsProbe(slot));

        cache.startProbe(slot, 30 * S);
        assertEquals(PROBE, cache.state(slot));
        final Recorder recorder = new Recorder();
        cache.onTimer(31 * S, recorder);
        cache.onTimer(32 * S, recorder);
        assertEquals(List.of("unicast 5", "unicast 5"), recorder.calls);
        cache.onTimer(33 * S, recorder);
        assertEquals(NOT_FOUND, cache.findIpv4(0, 5), "RFC 4861 §7.3.3: unanswered probes remove the entry");
    }

    @Test
    void resendsSolicitationsThenGivesUpAndHandsBackWaitingFrames()
    {
        final int slot = cache.createIncomplete(0, false, 0, 5, 0);
        assertTrue(cache.enqueue(slot, 3));
        assertTrue(cache.enqueue(slot, 4));
        final Recorder recorder = new Recorder();

        assertEquals(0, cache.onTimer(S / 2, recorder), "nothing due before the retransmission time");
        cache.onTimer(S, recorder);
        cache.onTimer(2 * S, recorder);
        cache.onTimer(3 * S, recorder);

        assertEquals(List.of("multicast 5", "multicast 5", "unresolved 5"), recorder.calls);
        assertEquals(List.of(3, 4), recorder.unresolvedFrames);
        assertEquals(NOT_FOUND, cache.findIpv4(0, 5));
        assertEquals(0, cache.queuedTotal());
    }

    @Test
    void boundsWaitingFramesPerNeighbourAndInAll()
    {
        final NeighbourCache bounded = new NeighbourCache(8, 64, 2, 3, S, S, S);
        final int a = bounded.createIncomplete(0, false, 0, 1, 0);
        final int b = bounded.createIncomplete(0, false, 0, 2, 0);
        assertTrue(bounded.enqueue(a, 10));
        assertTrue(bounded.enqueue(a, 11));
        assertTrue(bounded.isQueueFull(a));
        assertFalse(bounded.enqueue(a, 12), "per-neighbour bound");
        assertTrue(bounded.enqueue(b, 13));
        assertFalse(bounded.enqueue(b, 14), "total bound");
        assertEquals(10, bounded.dequeue(a));
        assertEquals(11, bounded.dequeue(a));
        assertEquals(FramePool.NO_FRAME, bounded.dequeue(a));
    }

    @Test
    void waitingFramesFollowTheirEntryWhenItMoves()
    {
        final NeighbourCache small = new NeighbourCache(200, 64);
        final int[] slots = new int[50];
        for (int i = 0; i < slots.length; i++)
        {
            slots[i] = small.createIncomplete(0, false, 0, i, 0);
            small.enqueue(slots[i], i);
        }
        for (int i = 0; i < slots.length; i += 2)
        {
            final int slot = small.findIpv4(0, i);
            small.dequeue(slot);
            small.remove(slot);
        }
        for (int i = 1; i < slots.length; i += 2)
        {
            assertEquals(i, small.dequeue(small.findIpv4(0, i)));
        }
    }

    @Test
    void collectsUnusedStaleEntries()
    {
        final int slot = cache.createStale(0, false, 0, 5, MAC_A, 0);
        cache.macForTransmit(slot, 30 * S);
        final Recorder recorder = new Recorder();

        cache.onTimer(60 * S, recorder);
        assertNotEquals(NOT_FOUND, cache.findIpv4(0, 5), "used at 30 s");
        cache.onTimer(90 * S, recorder);
        assertEquals(NOT_FOUND, cache.findIpv4(0, 5));
        assertTrue(recorder.calls.isEmpty());
    }

    @Test
    void learningANewMacMakesTheEntryStale()
    {
        final int slot = cache.createIncomplete(0, false, 0, 5, 0);
        assertEquals(NeighbourCache.RESOLVED, cache.learn(slot, MAC_A, 0));
        assertEquals(STALE, cache.state(slot));
        cache.advertise(slot, MAC_A, true, true, 0);
        assertEquals(NeighbourCache.UNCHANGED, cache.learn(slot, MAC_A, 0));
        assertEquals(REACHABLE, cache.state(slot));
        assertEquals(NeighbourCache.UPDATED, cache.learn(slot, MAC_B, 0));
        assertEquals(STALE, cache.state(slot));
    }

    @Test
    void givesUpOnTimeWhenTicksComeLate()
    {
        final int slot = cache.createIncomplete(0, false, 0, 5, 0);
        cache.enqueue(slot, 3);
        final Recorder recorder = new Recorder();

        cache.onTimer(5 * S, recorder);

        assertEquals(List.of("unresolved 5"), recorder.calls, "no burst of missed solicitations");
        assertEquals(List.of(3), recorder.unresolvedFrames);
    }
}
