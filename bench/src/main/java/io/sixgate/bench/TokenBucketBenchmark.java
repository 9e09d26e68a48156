package io.sixgate.bench;

import static io.sixgate.bench.BenchFixtures.START_NS;

import io.sixgate.egress.Ipv6GatewayPolicy;
import io.sixgate.egress.TokenBucket;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One token-bucket decision per packet (the per-address bandwidth cap): the largest bandwidth a
 * policy gives (5000 Mbit/s) with its default burst, 64-byte packets on a packet clock.
 * {@code conforming}: one packet every 200 ns (2.6 Gbit/s), every packet passes. {@code overRate}:
 * one every 20 ns (25.6 Gbit/s), about four in five are refused.
 */
@State(Scope.Thread)
public class TokenBucketBenchmark extends SuiteBenchmark
{
    private static final int PACKET_BYTES = 64;

    private TokenBucket bucket;
    private long nowNs;

    @Setup
    public void setUp()
    {
        bucket = new TokenBucket(TokenBucket.bytesPerSecond(Ipv6GatewayPolicy.MAX_BANDWIDTH_MBPS),
            Ipv6GatewayPolicy.defaultBurstBytes(Ipv6GatewayPolicy.MAX_BANDWIDTH_MBPS));
        nowNs = START_NS;
    }

    @Benchmark
    public boolean conforming()
    {
        nowNs += 200;
        return bucket.tryConsume(PACKET_BYTES, nowNs);
    }

    @Benchmark
    public boolean overRate()
    {
        nowNs += 20;
        return bucket.tryConsume(PACKET_BYTES, nowNs);
    }
}
