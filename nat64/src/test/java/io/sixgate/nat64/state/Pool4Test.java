package io.sixgate.nat64.state;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.sixgate.core.net.Ipv4Address;

import static io.sixgate.nat64.state.SessionProtocol.ICMP;
import static io.sixgate.nat64.state.SessionProtocol.TCP;
import static io.sixgate.nat64.state.SessionProtocol.UDP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Pool4Test
{
    private static final int T1 = Ipv4Address.parse("203.0.113.1");
    private static final int T2 = Ipv4Address.parse("203.0.113.2");
    private static final int T3 = Ipv4Address.parse("203.0.113.3");
    private static final int T4 = Ipv4Address.parse("203.0.113.4");
    private static final long CLIENT_HIGH = 0x2001_0db8_0000_0001L;

    private Pool4 pool;

    @AfterEach
    void close()
    {
        if (null != pool)
        {
            pool.close();
        }
    }

    @Test
    void wellKnownSourcePortMapsToAWellKnownPortAndOthersAbove1023()
    {
        pool = allPorts(7, T1);
        final Random random = new Random(1);
        for (int i = 0; i < 1_000; i++)
        {
            final long low = pool.allocate(UDP, CLIENT_HIGH, random.nextLong(), 1 + random.nextInt(1023));
            assertNotEquals(Pool4.NO_PORT, low);
            assertTrue(Pool4.port(low) >= 1 && Pool4.port(low) <= 1023, "well-known source got " + Pool4.port(low));
            final long high = pool.allocate(TCP, CLIENT_HIGH, random.nextLong(), 1024 + random.nextInt(64512));
            assertNotEquals(Pool4.NO_PORT, high);
            assertTrue(Pool4.port(high) >= 1024, "ephemeral source got " + Pool4.port(high));
        }
    }

    @Test
    void portParityFollowsTheSourcePort()
    {
        pool = allPorts(7, T1);
        final Random random = new Random(2);
        for (int i = 0; i < 5_000; i++)
        {
            final int sourcePort = 1024 + random.nextInt(64512);
            final int port = Pool4.port(pool.allocate(UDP, random.nextLong(), random.nextLong(), sourcePort));
            assertEquals(sourcePort & 1, port & 1, "source " + sourcePort + " got " + port);
        }
    }

    @Test
    void parityIsGivenUpRatherThanFailingWhenOnlyTheOtherParityIsLeft()
    {
        pool = new Pool4(new int[]{ T1 }, new PortRange(5000, 5003), PortRange.ALL, PortRange.ALL, 1);
        final Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 4; i++)
        {
            ports.add(Pool4.port(pool.allocate(TCP, CLIENT_HIGH, i, 40_000)));     // an even source port
        }
        assertEquals(Set.of(5000, 5001, 5002, 5003), ports);
        assertEquals(Pool4.NO_PORT, pool.allocate(TCP, CLIENT_HIGH, 9, 40_000));
    }

    @Test
    void everyMappingOfOneIpv6AddressUsesTheSameIpv4Address()
    {
        pool = allPorts(11, T1, T2, T3, T4);
        final Random random = new Random(3);
        final Set<Integer> used = new HashSet<>();
        for (int client = 0; client < 200; client++)
        {
            final long low = random.nextLong();
            final int expected = Pool4.address(pool.allocate(TCP, CLIENT_HIGH, low, 1024 + client));
            for (int port = 2000; port < 2010; port++)
            {
                assertEquals(expected, Pool4.address(pool.allocate(TCP, CLIENT_HIGH, low, port)));
                assertEquals(expected, Pool4.address(pool.allocate(UDP, CLIENT_HIGH, low, port)));
            }
            used.add(expected);
        }
        assertEquals(4, used.size(), "sources spread over every address");
    }

    @Test
    void sameSeedGivesTheSameChoicesAndAnotherSeedOthers()
    {
        pool = allPorts(42, T1, T2);
        final Pool4 twin = allPorts(42, T1, T2);
        final Pool4 other = allPorts(43, T1, T2);
        try
        {
            int differences = 0;
            for (int i = 0; i < 1_000; i++)
            {
                final long expected = pool.allocate(i % 3, CLIENT_HIGH, i, 1024 + i);
                assertEquals(expected, twin.allocate(i % 3, CLIENT_HIGH, i, 1024 + i));
                differences += expected != other.allocate(i % 3, CLIENT_HIGH, i, 1024 + i) ? 1 : 0;
            }
            assertTrue(differences > 900, "another seed changed " + differences + " of 1000 choices");
        }
        finally
        {
            twin.close();
            other.close();
        }
    }

    @Test
    void portsOfDifferentSourcesAreSpreadOverTheRange()
    {
        pool = allPorts(5, T1);
        final Random random = new Random(4);
        final BitSet blocks = new BitSet();
        for (int i = 0; i < 1_000; i++)
        {
            blocks.set(Pool4.port(pool.allocate(UDP, random.nextLong(), random.nextLong(), 50_000)) >>> 10);
        }
        assertTrue(blocks.cardinality() > 55, "1000 sources hit " + blocks.cardinality() + " of 63 blocks of 1024 ports");
    }

    @Test
    void exhaustedRangeFailsAndAReleasedPortIsHandedOutAgain()
    {
        pool = new Pool4(new int[]{ T1 }, PortRange.ALL, new PortRange(2000, 2015), PortRange.ALL, 9);
        final Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 16; i++)
        {
            final long mapped = pool.allocate(UDP, CLIENT_HIGH, i, 3000 + i);
            assertNotEquals(Pool4.NO_PORT, mapped);
            assertEquals(T1, Pool4.address(mapped));
            assertTrue(ports.add(Pool4.port(mapped)));
        }
        assertEquals(0, pool.freePorts(UDP));
        assertEquals(Pool4.NO_PORT, pool.allocate(UDP, CLIENT_HIGH, 99, 3000));
        assertEquals(Pool4.NO_PORT, pool.allocate(UDP, CLIENT_HIGH, 99, 3001));

        assertTrue(pool.release(UDP, T1, 2007));
        assertEquals(2007, Pool4.port(pool.allocate(UDP, CLIENT_HIGH, 99, 3000)));
        assertEquals(16, pool.allocatedPorts());
    }

    @Test
    void aFullPreferredAddressSpillsToTheNextOne()
    {
        pool = new Pool4(new int[]{ T1, T2 }, new PortRange(4000, 4007), PortRange.ALL, PortRange.ALL, 3);
        final Set<Long> mappings = new HashSet<>();
        for (int port = 0; port < 16; port++)
        {
            final long mapped = pool.allocate(TCP, CLIENT_HIGH, 1, 2000 + port);
            assertNotEquals(Pool4.NO_PORT, mapped, "mapping " + port);
            assertTrue(mappings.add(mapped));
        }
        assertEquals(Pool4.NO_PORT, pool.allocate(TCP, CLIENT_HIGH, 1, 5000));
    }

    @Test
    void lowSourcePortTakesAnyConfiguredPortWhenNoWellKnownPortIsConfigured()
    {
        pool = new Pool4(new int[]{ T1 }, new PortRange(61001, 65535), PortRange.ALL, PortRange.ALL, 1);
        final int port = Pool4.port(pool.allocate(TCP, CLIENT_HIGH, 1, 80));
        assertTrue(port >= 61001 && port % 2 == 0, "got " + port);
    }

    @Test
    void wholeRangeOfOneAddressIsHandedOutExactlyOnce()
    {
        pool = new Pool4(new int[]{ T1 }, PortRange.NON_WELL_KNOWN, PortRange.ALL, PortRange.ALL, 77);
        final BitSet seen = new BitSet(65536);
        final Random random = new Random(5);
        for (int i = 0; i < 64_512; i++)
        {
            final long mapped = pool.allocate(TCP, random.nextLong(), random.nextLong(), 1024 + random.nextInt(64512));
            assertNotEquals(Pool4.NO_PORT, mapped, "allocation " + i);
            final int port = Pool4.port(mapped);
            assertFalse(seen.get(port), "port " + port + " handed out twice");
            seen.set(port);
        }
        assertEquals(Pool4.NO_PORT, pool.allocate(TCP, 1, 2, 3000));
        assertEquals(0, pool.freePorts(TCP));
        assertEquals(1024, seen.nextSetBit(0));
    }

    @Test
    void tcpAndUdpNeverGetPortZeroButIcmpMayGetIdentifierZero()
    {
        pool = new Pool4(new int[]{ T1 }, new PortRange(0, 0), new PortRange(0, 1), new PortRange(0, 0), 1);
        assertEquals(Pool4.NO_PORT, pool.allocate(TCP, CLIENT_HIGH, 1, 0));
        assertEquals(1, Pool4.port(pool.allocate(UDP, CLIENT_HIGH, 1, 0)));
        final long icmp = pool.allocate(ICMP, CLIENT_HIGH, 1, 4242);
        assertEquals(0, Pool4.port(icmp));
        assertEquals(T1, Pool4.address(icmp));
    }

    @Test
    void reservedPortIsNeverHandedOutUntilReleased()
    {
        pool = new Pool4(new int[]{ T1 }, PortRange.ALL, new PortRange(2000, 2001), PortRange.ALL, 1);
        assertTrue(pool.reserve(UDP, T1, 2000));
        assertFalse(pool.reserve(UDP, T1, 2000), "twice");
        assertTrue(pool.reserve(UDP, T1, 53), "outside the dynamic range");
        assertFalse(pool.reserve(UDP, T2, 2000), "not a pool address");
        assertTrue(pool.isAllocated(UDP, T1, 2000));
        assertFalse(pool.isAllocated(TCP, T1, 2000), "per protocol");

        assertEquals(2001, Pool4.port(pool.allocate(UDP, CLIENT_HIGH, 1, 5000)));
        assertEquals(Pool4.NO_PORT, pool.allocate(UDP, CLIENT_HIGH, 1, 5001));

        assertTrue(pool.release(UDP, T1, 2000));
        assertFalse(pool.release(UDP, T1, 2000), "double release");
        assertTrue(pool.release(UDP, T1, 53));
        assertEquals(2000, Pool4.port(pool.allocate(UDP, CLIENT_HIGH, 1, 5000)));
    }

    @Test
    void knowsItsAddresses()
    {
        pool = allPorts(1, T3, T1);
        assertTrue(pool.contains(T1));
        assertTrue(pool.contains(T3));
        assertFalse(pool.contains(T2));
        assertEquals(2, pool.addressCount());
        assertEquals(T1, pool.address(0));
        assertEquals(new PortRange(1, 65535), pool.range(TCP));
        assertEquals(PortRange.ALL, pool.range(ICMP));
    }

    @Test
    void knowsTheAddressesOfAContiguousPoolAndNothingAroundIt()
    {
        pool = allPorts(1, T4, T2, T3);
        assertFalse(pool.contains(T1), "just below");
        assertTrue(pool.contains(T2) && pool.contains(T3) && pool.contains(T4));
        assertFalse(pool.contains(T4 + 1), "just above");
        assertFalse(pool.contains(0) || pool.contains(-1) || pool.contains(Integer.MIN_VALUE) ||
            pool.contains(Integer.MAX_VALUE));
        assertTrue(pool.reserve(UDP, T3, 5000), "a contiguous pool finds the address's bitmap");
        assertTrue(pool.isAllocated(UDP, T3, 5000));
        assertFalse(pool.isAllocated(UDP, T2, 5000));
    }

    @Test
    void knowsTheAddressesOfAPoolAcrossTheSignBoundaryAndWithGaps()
    {
        final int last = Ipv4Address.parse("127.255.255.255");
        final int first = Ipv4Address.parse("128.0.0.0");
        pool = allPorts(1, last, first);
        assertTrue(pool.contains(last) && pool.contains(first));
        assertFalse(pool.contains(last - 1) || pool.contains(first + 1) || pool.contains(0));
        pool.close();
        pool = allPorts(1, T1, T3, Ipv4Address.parse("198.51.100.9"));
        assertTrue(pool.contains(T1) && pool.contains(T3) && pool.contains(Ipv4Address.parse("198.51.100.9")));
        assertFalse(pool.contains(T2) || pool.contains(T4) || pool.contains(Ipv4Address.parse("198.51.100.8")));
        assertFalse(pool.contains(Ipv4Address.parse("192.0.2.1")) || pool.contains(Ipv4Address.parse("223.0.0.1")));
    }

    @Test
    void holdsOneBitmapPerAddressAndProtocolOffHeap()
    {
        pool = allPorts(1, T1, T2, T3);
        assertEquals(3L * 3 * 8192, pool.offHeapBytes());
        assertEquals(3 * Pool4.BYTES_PER_ADDRESS, pool.offHeapBytes());
    }

    @Test
    void rejectsBadConfiguration()
    {
        assertThrows(IllegalArgumentException.class, () -> allPorts(1));
        assertThrows(IllegalArgumentException.class, () -> allPorts(1, T1, T1));
        assertThrows(IllegalArgumentException.class, () -> new PortRange(10, 9));
        assertThrows(IllegalArgumentException.class, () -> new PortRange(0, 65536));
    }

    @Test
    void packsAnIpv4TransportAddressIntoOneLong()
    {
        final int address = Ipv4Address.parse("255.0.113.9");
        final long packed = Pool4.pack(address, 65535);
        assertTrue(packed > 0);
        assertEquals(address, Pool4.address(packed));
        assertEquals(65535, Pool4.port(packed));
    }

    private static Pool4 allPorts(final long seed, final int... addresses)
    {
        return new Pool4(addresses, PortRange.ALL, PortRange.ALL, PortRange.ALL, seed);
    }
}
