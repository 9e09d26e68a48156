package io.sixgate.bench;

import io.sixgate.core.route.Ipv6RouteTable;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * IPv6 longest-prefix match ({@link Ipv6RouteTable}, the table ipv6-forward and the ipv6-gateway
 * policy use) over {@code routes} generated routes of a realistic shape ({@link Ipv6RouteMix}):
 * {@code random} looks up the next of {@link #LOOKUPS} precomputed addresses spread over the
 * whole table (the cost on a gateway with many destinations, cache misses included);
 * {@code sameAddress} looks one address up again and again (the cost with the path cached).
 */
@State(Scope.Thread)
public class Ipv6LpmBenchmark extends SuiteBenchmark
{
    /** Precomputed lookup addresses (16 MiB of them, read in order). */
    public static final int LOOKUPS = 1 << 20;

    @Param({Ipv6RouteMix.BGP, Ipv6RouteMix.CLOUD})
    public String mix;

    @Param({"100000"})
    public int routes;

    private Ipv6RouteTable table;
    private final long[] high = new long[LOOKUPS];
    private final long[] low = new long[LOOKUPS];
    private int next;

    @Setup
    public void setUp()
    {
        final Ipv6RouteMix generated = Ipv6RouteMix.generate(mix, routes, 0x1B6);
        table = generated.table();
        BenchFixtures.check(table.size() == routes, "table holds " + table.size() + " routes, not " + routes);
        generated.lookups(high, low, 0x10C);
        int hits = 0;
        for (int i = 0; i < LOOKUPS; i++)
        {
            hits += table.lookup(high[i], low[i]) >= 0 ? 1 : 0;
        }
        BenchFixtures.check(hits >= LOOKUPS * 8L / 10, "only " + hits + " of " + LOOKUPS + " lookups found a route");
    }

    @Benchmark
    public int random()
    {
        final int i = next = (next + 1) & (LOOKUPS - 1);
        return table.lookup(high[i], low[i]);
    }

    @Benchmark
    public int sameAddress()
    {
        return table.lookup(high[0], low[0]);
    }
}
