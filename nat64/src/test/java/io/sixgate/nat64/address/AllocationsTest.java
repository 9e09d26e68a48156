package io.sixgate.nat64.address;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The zero-allocation tests are only as good as the meter: prove it sees an allocation.
 */
class AllocationsTest
{
    private static Object sink;

    @Test
    void meterSeesAnAllocation()
    {
        final long bytes = Allocations.bytesAllocatedBy(() ->
        {
            for (int i = 0; i < 1_000; i++)
            {
                sink = new long[4];
            }
        });

        assertTrue(bytes >= 1_000 * 32, "measured " + bytes);
    }
}
