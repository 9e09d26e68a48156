package io.sixgate.core.state;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashIndexTest
{
    /** Hash whose home is the last slot of any index: {@code 0xFFFFFFFF * n >>> 32 == n - 1}. */
    private static final int LAST_SLOT_HASH = 0xFFFF_FFFF;

    private HashIndex index;

    @AfterEach
    void free()
    {
        if (null != index)
        {
            index.free();
        }
    }

    @Test
    void homeSpreadsHashesOverAnySlotCount()
    {
        index = new HashIndex(10);
        assertEquals(0, index.home(0));
        assertEquals(9, index.home(LAST_SLOT_HASH));
        assertEquals(5, index.home(0x8000_0000));
        assertEquals(0, index.next(9));
        assertEquals(10 * HashIndex.SLOT_BYTES, index.offHeapBytes());
    }

    @Test
    void entriesCollidingAtTheLastSlotWrapToTheStart()
    {
        index = new HashIndex(16);
        for (int entry = 0; entry < 4; entry++)
        {
            index.insert(LAST_SLOT_HASH, entry);
        }
        assertEquals(15, index.slotOf(LAST_SLOT_HASH, 0));
        assertEquals(0, index.slotOf(LAST_SLOT_HASH, 1));
        assertEquals(1, index.slotOf(LAST_SLOT_HASH, 2));
        assertEquals(2, index.slotOf(LAST_SLOT_HASH, 3));
    }

    @Test
    void deletingAtTheLastSlotShiftsWrappedEntriesBackAcrossTheEnd()
    {
        index = new HashIndex(16);
        for (int entry = 0; entry < 4; entry++)
        {
            index.insert(LAST_SLOT_HASH, entry);
        }
        final int homeZero = 0;     // an entry whose home is slot 0 sits behind the wrapped ones
        index.insert(homeZero, 9);
        assertEquals(3, index.slotOf(homeZero, 9));

        assertTrue(index.remove(LAST_SLOT_HASH, 0));

        assertEquals(15, index.slotOf(LAST_SLOT_HASH, 1));
        assertEquals(0, index.slotOf(LAST_SLOT_HASH, 2));
        assertEquals(1, index.slotOf(LAST_SLOT_HASH, 3));
        assertEquals(2, index.slotOf(homeZero, 9));
        assertEquals(HashIndex.EMPTY, index.slot(3));
        assertEquals(-1, index.slotOf(LAST_SLOT_HASH, 0));
    }

    @Test
    void entryAtItsHomeIsNotMovedBeforeIt()
    {
        index = new HashIndex(16);
        final int homeFive = 0x5000_0000;       // 0x50000000 * 16 >>> 32 = 5
        final int homeSix = 0x6000_0000;
        index.insert(homeFive, 1);
        index.insert(homeSix, 2);
        index.insert(homeFive, 3);              // probes to slot 7
        assertEquals(7, index.slotOf(homeFive, 3));

        assertTrue(index.remove(homeFive, 1));

        assertEquals(6, index.slotOf(homeSix, 2), "stays at its home");
        assertEquals(5, index.slotOf(homeFive, 3), "moves into the hole at its home");
    }

    @Test
    void removingAnAbsentPairChangesNothing()
    {
        index = new HashIndex(8);
        index.insert(7, 1);
        assertFalse(index.remove(7, 2));
        assertFalse(index.remove(8, 1));
        assertTrue(index.slotOf(7, 1) >= 0);
    }

    @Test
    void randomInsertsAndDeletesKeepEveryEntryReachableIncludingAcrossTheWrap()
    {
        final int slots = 64;
        final int maxEntries = slots / HashIndex.SLOTS_PER_ENTRY;
        index = new HashIndex(slots);
        final Random random = new Random(6146);
        final Map<Integer, Integer> model = new HashMap<>();
        final List<Integer> present = new ArrayList<>();
        int nextEntry = 0;
        int wrappedSeen = 0;

        for (int op = 0; op < 200_000; op++)
        {
            if (present.size() < maxEntries && (present.isEmpty() || random.nextInt(100) < 55))
            {
                // Half the hashes land in the last eighth of the table, so clusters often wrap.
                final int hash = random.nextBoolean() ? random.nextInt() : (0xE000_0000 | random.nextInt(0x2000_0000));
                final int entry = nextEntry++;
                index.insert(hash, entry);
                model.put(entry, hash);
                present.add(entry);
            }
            else
            {
                final int at = random.nextInt(present.size());
                final int entry = present.get(at);
                present.set(at, present.get(present.size() - 1));
                present.remove(present.size() - 1);
                assertTrue(index.remove(model.remove(entry), entry), "op " + op);
            }

            int occupied = 0;
            for (int slot = 0; slot < slots; slot++)
            {
                if (index.slot(slot) != HashIndex.EMPTY)
                {
                    occupied++;
                    final long value = index.slot(slot);
                    if (index.home(HashIndex.hashOf(value)) > slot)
                    {
                        wrappedSeen++;
                    }
                }
            }
            assertEquals(model.size(), occupied, "op " + op);
            for (final Map.Entry<Integer, Integer> e : model.entrySet())
            {
                assertTrue(index.slotOf(e.getValue(), e.getKey()) >= 0, "entry " + e.getKey() + " lost at op " + op);
            }
        }
        assertTrue(wrappedSeen > 1000, "the probe sequence wrapped " + wrappedSeen + " times");
    }

    @Test
    void rejectsSizesOutsideTheAddressableRange()
    {
        assertThrows(IllegalArgumentException.class, () -> new HashIndex(0));
        assertThrows(
            IllegalArgumentException.class, () -> new HashIndex(HashIndex.MAX_SLOTS + 1));
    }

    @Test
    void freedIndexThrowsInsteadOfReadingFreedMemory()
    {
        final HashIndex freed = new HashIndex(8);
        freed.free();
        freed.free();
        assertThrows(IndexOutOfBoundsException.class, () -> freed.slot(0));
    }
}
