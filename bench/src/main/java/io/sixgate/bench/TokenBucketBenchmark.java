package io.sixgate.bench;

import static io.sixgate.bench.BenchFixtures.START_NS;

import java.util.concurrent.TimeUnit;

import io.sixgate.egress.Ipv6GatewayPolicy;
import io.sixgate.egress.TokenBucket;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One token-bucket decision per packet (the per-address bandwidth cap): the largest bandwidth a
 * policy gives (5000 Mbit/s) with its default burst, 64-byte packets on a packet clock.
 * {@code conforming}: one packet every 200 ns (2.6 Gbit/s), every packet passes. {@code overRate}:
 * one every 20 ns (25.6 Gbit/s), about four in five are refused.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {BenchJvm.ADD_EXPORTS_MISC, BenchJvm.ADD_OPENS_NIO_CH, BenchJvm.ADD_OPENS_NIO,
    BenchJvm.NATIVE_ACCESS, BenchJvm.NO_BOUNDS_CHECKS})
public class TokenBucketBenchmark
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
