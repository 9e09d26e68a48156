package io.sixgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.IntSupplier;

import io.sixgate.core.pipeline.Verdict;
import io.sixgate.core.testing.AllocationMeter;

import org.junit.jupiter.api.Test;

/**
 * Every benchmark at a small size, outside JMH: its set-up passes its own checks (the packet is
 * translated, forwarded or passed, not dropped; restoring a frame gives it back whole), its
 * operation keeps doing what set-up saw, and allocates nothing ({@link AllocationMeter}), so a
 * change that breaks a benchmark or makes its path allocate fails the build, not only
 * {@code scripts/bench.sh}.
 */
class BenchmarkHotPathsTest
{
    private static final int OPERATIONS = 2_000;

    @Test
    void inputStagesPassValidPacketsWithoutAllocating()
    {
        final InputStagesBenchmark bench = new InputStagesBenchmark();
        bench.setUp();
        assertNextWithoutAllocating(bench::ethernetInput);
        assertNextWithoutAllocating(bench::ipv6Input);
        assertNextWithoutAllocating(bench::ipv4Input);
    }

    @Test
    void siitTranslatesBothWaysWithoutAllocating()
    {
        for (final String packet : new String[]{BenchFixtures.UDP_64, BenchFixtures.TCP_1500})
        {
            final SiitTranslateBenchmark bench = new SiitTranslateBenchmark();
            bench.packet = packet;
            bench.setUp();
            assertNextWithoutAllocating(bench::translate6to4);
            assertNextWithoutAllocating(bench::translate4to6);
        }
    }

    @Test
    void nat64TranslatesAnEstablishedFlowBothWaysWithoutAllocating()
    {
        for (final String packet : new String[]{BenchFixtures.UDP_64, BenchFixtures.TCP_1500})
        {
            final Nat64EstablishedBenchmark bench = new Nat64EstablishedBenchmark();
            bench.sessions = 1000;
            bench.packet = packet;
            bench.setUp();
            try
            {
                assertNextWithoutAllocating(bench::established6to4);
                assertNextWithoutAllocating(bench::established4to6);
            }
            finally
            {
                bench.tearDown();
            }
        }
    }

    @Test
    void nat64TranslatesManyFlowsWithoutAllocating()
    {
        final Nat64ManyFlowsBenchmark bench = new Nat64ManyFlowsBenchmark();
        bench.sessions = 100_000;
        bench.setUp();
        try
        {
            assertNextWithoutAllocating(bench::manyFlows6to4);
            assertNextWithoutAllocating(bench::manyFlows4to6);
        }
        finally
        {
            bench.tearDown();
        }
    }

    @Test
    void nat64CreatesASessionPerFreshFlowWithoutAllocating()
    {
        final Nat64NewSessionBenchmark bench = new Nat64NewSessionBenchmark();
        bench.capacity = 100_000;
        bench.setUp();
        try
        {
            for (int iteration = 0; iteration < 2; iteration++)
            {
                bench.startIteration();
                assertNextWithoutAllocating(bench::newSession);
                bench.endIteration();
            }
        }
        finally
        {
            bench.tearDown();
        }
    }

    @Test
    void egressOnlyFindsAndPassesItsFlowWithoutAllocating()
    {
        final EgressOnlyBenchmark bench = new EgressOnlyBenchmark();
        bench.flows = 1000;
        bench.setUp();
        try
        {
            assertZeroAllocation(bench::lookupAndRefresh);
            assertNextWithoutAllocating(bench::inboundPacket);
            assertNextWithoutAllocating(bench::outboundPacket);
            bench.checkNothingWasRefused();
        }
        finally
        {
            bench.tearDown();
        }
    }

    @Test
    void tokenBucketDecidesWithoutAllocating()
    {
        final TokenBucketBenchmark bench = new TokenBucketBenchmark();
        bench.setUp();
        final boolean[] passed = new boolean[1];
        assertEquals(0, AllocationMeter.leastBytesAllocatedBy(() ->
        {
            for (int i = 0; i < OPERATIONS; i++)
            {
                passed[0] = bench.conforming();
            }
        }));
        assertEquals(true, passed[0], "a conforming packet passes");
        assertEquals(0, AllocationMeter.leastBytesAllocatedBy(() -> passed[0] = bench.overRate()));
    }

    @Test
    void lpmFindsRoutesWithoutAllocating()
    {
        for (final String mix : new String[]{Ipv6RouteMix.BGP, Ipv6RouteMix.CLOUD})
        {
            final Ipv6LpmBenchmark bench = new Ipv6LpmBenchmark();
            bench.mix = mix;
            bench.routes = 20_000;
            bench.setUp();
            assertZeroAllocation(bench::random);
            assertZeroAllocation(bench::sameAddress);
        }
    }

    @Test
    void frameRestoreAllocatesNothing()
    {
        final FrameRestoreBenchmark bench = new FrameRestoreBenchmark();
        bench.setUp();
        assertZeroAllocation(bench::headers);
        assertZeroAllocation(bench::freshFrame);
    }

    @Test
    void workerPipelineTransmitsEveryFrameWithoutAllocating()
    {
        for (final String scenario : new String[]{"nat64-6to4", "nat64-4to6", "ipv6-forward"})
        {
            final WorkerPipelineBenchmark bench = new WorkerPipelineBenchmark();
            bench.scenario = scenario;
            try
            {
                bench.setUp();
            }
            catch (final Exception e)
            {
                throw new AssertionError(scenario + ": " + e.getMessage(), e);
            }
            final int[] work = new int[1];
            assertEquals(0, AllocationMeter.leastBytesAllocatedBy(() ->
            {
                for (int i = 0; i < 20; i++)
                {
                    work[0] = bench.benchmarkBatch();
                }
            }), scenario);
            assertEquals(WorkerPipelineBenchmark.FLOWS, work[0], scenario + ": a full batch each time");
            bench.checkEveryFrameLeft();
        }
    }

    /** Runs the operation many times: it must pass the packet on every time and allocate nothing. */
    private static void assertNextWithoutAllocating(final IntSupplier operation)
    {
        final int[] verdicts = new int[1];
        final int[] notNext = new int[1];
        final long bytes = AllocationMeter.leastBytesAllocatedBy(() ->
        {
            for (int i = 0; i < OPERATIONS; i++)
            {
                final int verdict = operation.getAsInt();
                verdicts[0] = verdict;
                notNext[0] += Verdict.kind(verdict) == Verdict.KIND_NEXT ? 0 : 1;
            }
        });
        assertEquals(0, notNext[0], "every operation passes its packet on; last verdict " +
            Verdict.toString(verdicts[0]));
        assertEquals(0, bytes, "bytes allocated by " + OPERATIONS + " operations");
    }

    /** Runs the operation many times, allocating nothing. */
    private static void assertZeroAllocation(final IntSupplier operation)
    {
        assertEquals(0, AllocationMeter.leastBytesAllocatedBy(() -> repeat(operation)));
    }

    private static void repeat(final IntSupplier operation)
    {
        int sink = 0;
        for (int i = 0; i < OPERATIONS; i++)
        {
            sink += operation.getAsInt();
        }
        SINK[0] = sink;
    }

    private static final int[] SINK = new int[1];
}
