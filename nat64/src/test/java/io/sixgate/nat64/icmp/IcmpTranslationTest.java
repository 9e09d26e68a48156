package io.sixgate.nat64.icmp;

import static io.sixgate.nat64.icmp.IcmpTranslation.DROP;
import static io.sixgate.nat64.icmp.IcmpTranslation.icmpv4ToIcmpv6;
import static io.sixgate.nat64.icmp.IcmpTranslation.icmpv6ToIcmpv4;
import static io.sixgate.nat64.icmp.IcmpTranslation.pack;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The tables of RFC 7915 §4.2 and §5.2.
 */
class IcmpTranslationTest
{
    @Test
    void mapsIcmpv4DestinationUnreachableCodesAsRfc7915Section42Says()
    {
        for (final int code : new int[]{0, 1, 5, 6, 7, 8, 11, 12})
        {
            assertEquals(pack(1, 0), icmpv4ToIcmpv6(3, code), "code " + code);
        }
        assertEquals(pack(4, 1), icmpv4ToIcmpv6(3, 2));
        assertEquals(pack(1, 4), icmpv4ToIcmpv6(3, 3));
        assertEquals(pack(2, 0), icmpv4ToIcmpv6(3, 4));
        for (final int code : new int[]{9, 10, 13, 15})
        {
            assertEquals(pack(1, 1), icmpv4ToIcmpv6(3, code), "code " + code);
        }
        assertEquals(DROP, icmpv4ToIcmpv6(3, 14));
        assertEquals(DROP, icmpv4ToIcmpv6(3, 16));
    }

    @Test
    void dropsSingleHopAndObsoleteIcmpv4Messages()
    {
        for (final int type : new int[]{4, 5, 6, 9, 10, 13, 14, 15, 16, 17, 18, 42})
        {
            assertEquals(DROP, icmpv4ToIcmpv6(type, 0), "type " + type);
        }
        assertEquals(DROP, icmpv4ToIcmpv6(12, 1), "parameter problem, missing option");
    }

    @Test
    void mapsIcmpv6MessagesAsRfc7915Section52Says()
    {
        assertEquals(pack(8, 0), icmpv6ToIcmpv4(128, 0));
        assertEquals(pack(0, 0), icmpv6ToIcmpv4(129, 0));
        assertEquals(pack(3, 1), icmpv6ToIcmpv4(1, 0));
        assertEquals(pack(3, 10), icmpv6ToIcmpv4(1, 1));
        assertEquals(pack(3, 1), icmpv6ToIcmpv4(1, 2));
        assertEquals(pack(3, 1), icmpv6ToIcmpv4(1, 3));
        assertEquals(pack(3, 3), icmpv6ToIcmpv4(1, 4));
        assertEquals(DROP, icmpv6ToIcmpv4(1, 5));
        assertEquals(pack(3, 4), icmpv6ToIcmpv4(2, 0));
        assertEquals(pack(11, 1), icmpv6ToIcmpv4(3, 1));
        assertEquals(pack(12, 0), icmpv6ToIcmpv4(4, 0));
        assertEquals(pack(3, 2), icmpv6ToIcmpv4(4, 1));
        assertEquals(DROP, icmpv6ToIcmpv4(4, 2));
        for (int type = 130; type <= 137; type++)
        {
            assertEquals(DROP, icmpv6ToIcmpv4(type, 0), "MLD/ND type " + type);
        }
    }

    @Test
    void mapsParameterProblemPointersBothWays()
    {
        final int[][] figure3 = {{0, 0}, {1, 1}, {2, 4}, {3, 4}, {4, DROP}, {7, DROP}, {8, 7}, {9, 6}, {10, DROP},
            {11, DROP}, {12, 8}, {15, 8}, {16, 24}, {19, 24}, {20, DROP}};
        for (final int[] row : figure3)
        {
            assertEquals(row[1], IcmpTranslation.pointerIpv4ToIpv6(row[0]), "IPv4 pointer " + row[0]);
        }
        final int[][] figure6 = {{0, 0}, {1, 1}, {2, DROP}, {3, DROP}, {4, 2}, {5, 2}, {6, 9}, {7, 8}, {8, 12}, {23, 12},
            {24, 16}, {39, 16}, {40, DROP}};
        for (final int[] row : figure6)
        {
            assertEquals(row[1], IcmpTranslation.pointerIpv6ToIpv4(row[0]), "IPv6 pointer " + row[0]);
        }
    }

    @Test
    void adjustsMtusAndNeverAdvertisesLessThan1280ToIpv6()
    {
        assertEquals(1281, IcmpTranslation.packetTooBigMtu(1261, 1262, 1500, 1500));
        assertEquals(1280, IcmpTranslation.packetTooBigMtu(1259, 1262, 1500, 1500));
        assertEquals(1400, IcmpTranslation.packetTooBigMtu(1492, 1500, 1400, 1500), "bounded by the IPv6 next hop");
        assertEquals(1280, IcmpTranslation.packetTooBigMtu(0, 1400, 1500, 1500), "plateau 1006, then at least 1280");
        assertEquals(1500, IcmpTranslation.packetTooBigMtu(0, 2100, 1500, 1500), "plateau 2002, bounded by 1500");
        assertEquals(1006, IcmpTranslation.plateauBelow(1400));
        assertEquals(1260, IcmpTranslation.fragmentationNeededMtu(1280, false, 1500, 1500));
        assertEquals(1252, IcmpTranslation.fragmentationNeededMtu(1280, true, 1500, 1500), "Fragment Header: 28");
        assertEquals(1400, IcmpTranslation.fragmentationNeededMtu(9000, false, 1400, 9000));
        assertEquals(68, IcmpTranslation.fragmentationNeededMtu(10, false, 1500, 1500));
    }
}
