package io.sixgate.egress.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.testing.AllocationMeter;

import org.junit.jupiter.api.Test;

class AclClassifierTest
{
    private static final int ANY = AclClassifier.ANY_PROTOCOL;
    private static final int TCP = IpProtocol.TCP;
    private static final int UDP = IpProtocol.UDP;
    private static final int[] PROTOCOLS = {ANY, TCP, UDP, IpProtocol.ICMPV6, IpProtocol.ICMP, IpProtocol.ESP, 200};

    private static long high(final String address)
    {
        return PacketBuilder.ipv6High(address);
    }

    private static long low(final String address)
    {
        return PacketBuilder.ipv6Low(address);
    }

    @Test
    void lowerPriorityWinsWhicheverOrderTheRulesCameIn()
    {
        final AclClassifier a = AclClassifier.builder(1)
            .ipv6(0, high("2001:db8::"), 0, 32, TCP, 443, 443, 200, 2)
            .ipv6(0, 0, 0, 0, ANY, 0, 65535, 100, 1)
            .build();
        assertEquals(1, a.lookupIpv6(0, high("2001:db8::1"), low("2001:db8::1"), TCP, 443));
        final AclClassifier b = AclClassifier.builder(1)
            .ipv6(0, 0, 0, 0, ANY, 0, 65535, 300, 1)
            .ipv6(0, high("2001:db8::"), 0, 32, TCP, 443, 443, 200, 2)
            .build();
        assertEquals(2, b.lookupIpv6(0, high("2001:db8::1"), low("2001:db8::1"), TCP, 443));
        assertEquals(1, b.lookupIpv6(0, high("2001:db8::1"), low("2001:db8::1"), TCP, 444));
        assertEquals(1, b.lookupIpv6(0, high("2001:db9::1"), low("2001:db9::1"), TCP, 443));
    }

    @Test
    void equalPrioritiesGoToTheRuleAddedFirst()
    {
        final AclClassifier classifier = AclClassifier.builder(1)
            .ipv6(0, high("2001:db8::"), 0, 32, TCP, 0, 65535, 5, 7)
            .ipv6(0, high("2001:db8::"), 0, 48, ANY, 0, 65535, 5, 8)
            .build();
        assertEquals(7, classifier.lookupIpv6(0, high("2001:db8::1"), 1, TCP, 1));
        assertEquals(8, classifier.lookupIpv6(0, high("2001:db8::1"), 1, UDP, 1));
    }

    @Test
    void missesReturnNoMatchAndContextsAreApart()
    {
        final AclClassifier classifier = AclClassifier.builder(3)
            .ipv6(1, high("2001:db8::"), 0, 32, TCP, 80, 80, 1, 0)
            .build();
        assertEquals(AclClassifier.NO_MATCH, classifier.lookupIpv6(0, high("2001:db8::1"), 1, TCP, 80));
        assertEquals(0, classifier.lookupIpv6(1, high("2001:db8::1"), 1, TCP, 80));
        assertEquals(AclClassifier.NO_MATCH, classifier.lookupIpv6(1, high("2001:db8::1"), 1, TCP, 81));
        assertEquals(AclClassifier.NO_MATCH, classifier.lookupIpv6(1, high("2001:db8::1"), 1, UDP, 80));
        assertEquals(AclClassifier.NO_MATCH, classifier.lookupIpv6(2, high("2001:db8::1"), 1, TCP, 80));
    }

    @Test
    void packetWithoutPortsMatchesOnlyRulesWithoutPorts()
    {
        final AclClassifier classifier = AclClassifier.builder(1)
            .ipv6(0, 0, 0, 0, UDP, 53, 53, 1, 1)
            .ipv6(0, 0, 0, 0, UDP, 0, 65535, 2, 2)
            .build();
        assertEquals(1, classifier.lookupIpv6(0, 5, 5, UDP, 53));
        assertEquals(2, classifier.lookupIpv6(0, 5, 5, UDP, AclClassifier.NO_PORT));
    }

    @Test
    void prefixesAtTheTopOfTheAddressSpaceAndHostRoutes()
    {
        final AclClassifier classifier = AclClassifier.builder(1)
            .ipv6(0, -1L << 48, 0, 16, ANY, 0, 65535, 3, 3)
            .ipv6(0, -1L, -1L, 128, ANY, 0, 65535, 2, 2)
            .ipv6(0, -1L, -2L, 128, ANY, 0, 65535, 4, 4)
            .build();
        assertEquals(2, classifier.lookupIpv6(0, -1L, -1L, TCP, 1));
        assertEquals(3, classifier.lookupIpv6(0, -1L, -2L, TCP, 1), "the /16 has the better priority");
        assertEquals(3, classifier.lookupIpv6(0, -1L, -3L, TCP, 1));
        assertEquals(AclClassifier.NO_MATCH, classifier.lookupIpv6(0, 0x7FFF_FFFF_FFFF_FFFFL, -1L, TCP, 1));
    }

    @Test
    void ipv4ContextsMatchOnTheTop32Bits()
    {
        final AclClassifier classifier = AclClassifier.builder(1)
            .ipv4(0, PacketBuilder.ipv4Address("192.0.2.0"), 24, TCP, 22, 22, 10, 1)
            .ipv4(0, 0, 0, ANY, 0, 65535, 20, 2)
            .build();
        assertEquals(1, classifier.lookupIpv4(0, PacketBuilder.ipv4Address("192.0.2.9"), TCP, 22));
        assertEquals(2, classifier.lookupIpv4(0, PacketBuilder.ipv4Address("192.0.3.9"), TCP, 22));
        assertEquals(2, classifier.lookupIpv4(0, PacketBuilder.ipv4Address("255.255.255.255"), TCP, 22));
    }

    @Test
    void refusesBadRules()
    {
        final AclClassifier.Builder builder = AclClassifier.builder(1);
        assertThrows(IllegalArgumentException.class, () -> builder.ipv6(0, 1, 0, 32, TCP, 0, 65535, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> builder.ipv6(1, 0, 0, 0, TCP, 0, 65535, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> builder.ipv6(0, 0, 0, 0, TCP, 10, 9, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> builder.ipv6(0, 0, 0, 0, 256, 0, 65535, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> builder.ipv6(0, 0, 0, 0, TCP, 0, 65535, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> builder.ipv4(0, 1, 31, TCP, 0, 65535, 1, 0));
    }

    @Test
    void agreesWithTheLinearReferenceOnRandomRuleSets()
    {
        final SplittableRandom random = new SplittableRandom(6);
        int matched = 0;
        for (int set = 0; set < 300; set++)
        {
            final int rules = 1 + random.nextInt(set < 250 ? 60 : 600);
            matched += compareOnRandomRules(random, 4, rules, 400);
        }
        assertTrue(matched > 300 * 400 / 10, "the random packets hit rules: " + matched + " of " + 300 * 400);
    }

    @Test
    void agreesWithTheLinearReferenceOnThousandsOfRules()
    {
        final SplittableRandom random = new SplittableRandom(10_000);
        final int matched = compareOnRandomRules(random, 2, 10_000, 20_000);
        assertTrue(matched > 20_000 / 10, "the random packets hit rules: " + matched + " of 20000");
    }

    @Test
    void lookupAllocatesNothing()
    {
        final LinearAclReference reference = new LinearAclReference();
        final long[][] seeds = seeds(new SplittableRandom(1), 8);
        final SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 1000; i++)
        {
            addRandomRule(random, reference, 1, seeds, i);
        }
        final AclClassifier classifier = reference.compile(1);
        final int[] sink = new int[1];
        assertEquals(0, AllocationMeter.leastBytesAllocatedBy(() ->
        {
            for (int i = 0; i < 1000; i++)
            {
                sink[0] += classifier.lookupIpv6(0, seeds[i & 7][0], seeds[i & 7][1] + i, TCP, i);
                sink[0] += classifier.lookupIpv4(0, i, UDP, AclClassifier.NO_PORT);
            }
        }));
    }

    /** @return how many packets matched a rule. */
    private static int compareOnRandomRules(final SplittableRandom random, final int contexts, final int ruleCount,
        final int packets)
    {
        final LinearAclReference reference = new LinearAclReference();
        final long[][] seeds = seeds(random, 1 + random.nextInt(12));
        for (int i = 0; i < ruleCount; i++)
        {
            addRandomRule(random, reference, contexts, seeds, i);
        }
        final AclClassifier classifier = reference.compile(contexts);
        int matched = 0;
        for (int p = 0; p < packets; p++)
        {
            final int context = random.nextInt(contexts);
            final long[] address = packetAddress(random, seeds);
            final int protocol = random.nextInt(4) == 0 ? random.nextInt(256) : PROTOCOLS[1 + random.nextInt(6)];
            final int port = packetPort(random, reference);
            final int expected = reference.lookup(context, address[0], address[1], protocol, port);
            final int actual = classifier.lookupIpv6(context, address[0], address[1], protocol, port);
            matched += expected == AclClassifier.NO_MATCH ? 0 : 1;
            assertEquals(expected, actual, () -> "context " + context + ", " + new Ipv6Prefix(address[0], address[1], 128)
                + ", protocol " + protocol + ", port " + port + ", " + ruleCount + " rules");
        }
        return matched;
    }

    private static long[][] seeds(final SplittableRandom random, final int count)
    {
        final long[][] seeds = new long[count][];
        for (int i = 0; i < count; i++)
        {
            seeds[i] = new long[]{random.nextLong(), random.nextLong()};
        }
        return seeds;
    }

    private static void addRandomRule(final SplittableRandom random, final LinearAclReference reference,
        final int contexts, final long[][] seeds, final int value)
    {
        final long[] seed = seeds[random.nextInt(seeds.length)];
        final int length = random.nextInt(5) == 0 ? random.nextInt(129) : new int[]{0, 16, 32, 48, 56, 64, 96, 120,
            127, 128}[random.nextInt(10)];
        final long high = seed[0] & Ipv6Prefix.maskHigh(length);
        final long low = seed[1] & Ipv6Prefix.maskLow(length);
        final int protocol = random.nextInt(6) == 0 ? random.nextInt(256) : PROTOCOLS[random.nextInt(PROTOCOLS.length)];
        int from = 0;
        int to = AclClassifier.MAX_PORT;
        if ((protocol == TCP || protocol == UDP) && random.nextInt(3) != 0)
        {
            from = random.nextInt(3) == 0 ? random.nextInt(1024) : random.nextInt(65536);
            to = random.nextBoolean() ? from : Math.min(AclClassifier.MAX_PORT, from + random.nextInt(5000));
        }
        // Few distinct priorities, so that ties (first added wins) come up often.
        final int priority = random.nextInt(Math.max(2, value / 2 + 1));
        reference.add(random.nextInt(contexts), high, low, length, protocol, from, to, priority, value);
    }

    private static long[] packetAddress(final SplittableRandom random, final long[][] seeds)
    {
        if (random.nextInt(10) == 0)
        {
            return new long[]{random.nextLong(), random.nextLong()};
        }
        final long[] seed = seeds[random.nextInt(seeds.length)];
        final int flip = random.nextInt(140);     // 128 and above: the seed itself
        long high = seed[0];
        long low = seed[1];
        if (flip < 64)
        {
            high ^= 1L << (63 - flip);
        }
        else if (flip < 128)
        {
            low ^= 1L << (127 - flip);
        }
        return new long[]{high, low};
    }

    private static int packetPort(final SplittableRandom random, final LinearAclReference reference)
    {
        final int pick = random.nextInt(10);
        if (pick == 0)
        {
            return AclClassifier.NO_PORT;
        }
        if (pick < 6 && !reference.rules().isEmpty())
        {
            final LinearAclReference.Rule rule = reference.rules().get(random.nextInt(reference.rules().size()));
            final int edge = new int[]{rule.portFrom() - 1, rule.portFrom(), rule.portTo(), rule.portTo() + 1}[
                random.nextInt(4)];
            return Math.max(0, Math.min(AclClassifier.MAX_PORT, edge));
        }
        return random.nextInt(65536);
    }
}
