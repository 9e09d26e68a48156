package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GsoLimitsTest
{
    @Test
    void aSlotOf64KibTakesAnySuperPacketATapGives()
    {
        assertTrue(GsoLimits.unlimited(65536));
        assertFalse(GsoLimits.unlimited(65535));
    }

    @Test
    void aSmallerSlotTakesTheSegmentsThatFitWithTheirHeaders()
    {
        // (16256 - 256) / 1460 = 10 segments of at most 1460 bytes, 14 856 bytes with headers.
        assertEquals(10, GsoLimits.segments(16384 - 128, 1500));
        assertEquals(10 * 1460 + 256, GsoLimits.maxSize(10, 1500));
        assertTrue(GsoLimits.segments(16256, 1500) * 1460 + GsoLimits.HEADERS_ROOM <= 16256);
    }

    @Test
    void aSlotOfOneSegmentTakesNoSuperPacket()
    {
        assertEquals(0, GsoLimits.segments(2048 - 128, 1500));
    }
}
