package io.sixgate.bench;

import java.util.SplittableRandom;

import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.egress.acl.AclClassifier;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One network-ACL classification (the ACL's inbound IPv6 rules: remote address, protocol,
 * destination port) with 10 and 10 000 rules. The rules look like real ones: prefixes of the
 * usual lengths (/0 to /128) around a few hundred networks, TCP and UDP single ports and ranges,
 * ICMPv6, any; unique priorities. Packets cycle through 4096 pre-built tuples, most of them inside
 * a rule's prefix; {@code lookupOutsideRuleNetworks} sends only addresses that no rule covers but
 * the /0 ones (mostly the implicit deny).
 *
 * <pre>
 *   java -jar bench/target/benchmarks.jar AclClassifier -f 1 -wi 2 -i 3 -prof gc
 * </pre>
 */
@State(Scope.Thread)
public class AclClassifierBenchmark extends SuiteBenchmark
{
    private static final int PACKETS = 4096;
    private static final int[] LENGTHS = {0, 16, 32, 40, 48, 56, 64, 96, 120, 128};
    private static final int[] PROTOCOLS = {IpProtocol.TCP, IpProtocol.TCP, IpProtocol.UDP, IpProtocol.ICMPV6,
        AclClassifier.ANY_PROTOCOL};

    @Param({"10", "10000"})
    public int rules;

    private AclClassifier classifier;
    private final long[] high = new long[PACKETS];
    private final long[] low = new long[PACKETS];
    private final int[] protocol = new int[PACKETS];
    private final int[] port = new int[PACKETS];
    private final long[] missHigh = new long[PACKETS];
    private int next;

    @Setup
    public void setUp()
    {
        final SplittableRandom random = new SplittableRandom(20_260_101L);
        final long[][] networks = new long[Math.max(4, rules / 20)][];
        for (int i = 0; i < networks.length; i++)
        {
            // 2001:db8::/32 and its neighbours: everything under 2000::/4.
            networks[i] = new long[]{0x2000_0000_0000_0000L | (random.nextLong() >>> 4), random.nextLong()};
        }
        final AclClassifier.Builder builder = AclClassifier.builder(1);
        for (int rule = 0; rule < rules; rule++)
        {
            final long[] network = networks[random.nextInt(networks.length)];
            final int length = LENGTHS[random.nextInt(LENGTHS.length)];
            final int proto = PROTOCOLS[random.nextInt(PROTOCOLS.length)];
            int from = 0;
            int to = AclClassifier.MAX_PORT;
            if ((proto == IpProtocol.TCP || proto == IpProtocol.UDP) && random.nextInt(4) != 0)
            {
                from = random.nextInt(4) == 0 ? 1024 * random.nextInt(8) : random.nextInt(65536);
                to = random.nextInt(3) == 0 ? Math.min(AclClassifier.MAX_PORT, from + random.nextInt(2048)) : from;
            }
            builder.ipv6(0, network[0] & Ipv6Prefix.maskHigh(length), network[1] & Ipv6Prefix.maskLow(length), length,
                proto, from, to, rule, rule);
        }
        classifier = builder.build();
        for (int i = 0; i < PACKETS; i++)
        {
            final long[] network = networks[random.nextInt(networks.length)];
            // Keep the first 48 to 128 bits of a network, so that packets fall in its prefixes.
            final int keep = 48 + random.nextInt(81);
            high[i] = keep >= 64 ? network[0] : (network[0] & Ipv6Prefix.maskHigh(keep)) | (random.nextLong()
                & ~Ipv6Prefix.maskHigh(keep));
            low[i] = keep >= 64 ? (network[1] & Ipv6Prefix.maskLow(keep)) | (random.nextLong()
                & ~Ipv6Prefix.maskLow(keep)) : random.nextLong();
            protocol[i] = random.nextInt(4) == 0 ? IpProtocol.UDP : random.nextInt(8) == 0 ? IpProtocol.ICMPV6
                : IpProtocol.TCP;
            port[i] = random.nextInt(3) == 0 ? 443 : random.nextInt(65536);
            // 3000::/4: outside every rule's network; only /0 rules cover it.
            missHigh[i] = 0x3000_0000_0000_0000L | (random.nextLong() >>> 4);
        }
    }

    @Benchmark
    public int lookup()
    {
        final int i = next++ & (PACKETS - 1);
        return classifier.lookupIpv6(0, high[i], low[i], protocol[i], port[i]);
    }

    @Benchmark
    public int lookupOutsideRuleNetworks()
    {
        final int i = next++ & (PACKETS - 1);
        return classifier.lookupIpv6(0, missHigh[i], low[i], protocol[i], port[i]);
    }
}
