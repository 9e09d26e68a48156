package io.sixgate.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.counters.PipelineCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;

import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;

class PipelineTest
{
    enum TestReason implements DropReason
    {
        ODD("odd-first-byte"),
        ZERO("zero-first-byte");

        private final String label;

        TestReason(final String label)
        {
            this.label = label;
        }

        @Override
        public String label()
        {
            return label;
        }
    }

    /** Drops odd first bytes, sends the rest to "forward". */
    static final class ParityStage extends Stage
    {
        private final FramePool pool;
        private int forward;

        ParityStage(final FramePool pool)
        {
            super("parity", TestReason.values());
            this.pool = pool;
        }

        @Override
        public void link(final Pipeline pipeline)
        {
            forward = pipeline.stageId("forward");
        }

        @Override
        public int process(final int frame)
        {
            final byte first = pool.buffer().getByte(pool.offset(frame));
            if (first == 0)
            {
                return drop(TestReason.ZERO);
            }
            return (first & 1) != 0 ? drop(TestReason.ODD) : Verdict.next(forward);
        }
    }

    /** Transmits on port 1 and, for first byte 4, also emits a copy on port 0. */
    static final class ForwardStage extends Stage
    {
        private Pipeline pipeline;

        ForwardStage()
        {
            super("forward", new DropReason[0]);
        }

        @Override
        public void link(final Pipeline pipeline)
        {
            this.pipeline = pipeline;
        }

        @Override
        public int process(final int frame)
        {
            final FramePool pool = pipeline.pool();
            if (pool.buffer().getByte(pool.offset(frame)) == 4)
            {
                final int copy = pool.allocateCopy(pool.copyOut(frame), 0, pool.length(frame));
                pipeline.emit(copy, Verdict.tx(0));
            }
            return Verdict.tx(1);
        }
    }

    static final class LoopStage extends Stage
    {
        LoopStage()
        {
            super("loop", new DropReason[0]);
        }

        @Override
        public int process(final int frame)
        {
            return Verdict.next(0);
        }
    }

    /**
     * Lets go of a burst of frames it held, each with a drop verdict, as l2-output does with the
     * frames queued for a neighbour that never answered.
     */
    static final class BurstDropStage extends Stage
    {
        private final int burst;
        private Pipeline pipeline;

        BurstDropStage(final int burst)
        {
            super("burst", TestReason.values());
            this.burst = burst;
        }

        @Override
        public void link(final Pipeline pipeline)
        {
            this.pipeline = pipeline;
        }

        @Override
        public int process(final int frame)
        {
            final FramePool pool = pipeline.pool();
            for (int i = 0; i < burst; i++)
            {
                pipeline.emit(pool.allocateCopy(new byte[]{1, 0, 0, 0}, 0, 4), drop(TestReason.ODD));
            }
            return drop(TestReason.ZERO);
        }
    }

    private final FramePool pool = new FramePool(16, 256, 32);
    private final List<int[]> transmitted = new ArrayList<>();

    private Pipeline.Builder twoPorts()
    {
        return Pipeline.builder()
            .pool(pool)
            .txSink((port, frame) ->
            {
                transmitted.add(new int[]{port, pool.buffer().getByte(pool.offset(frame))});
                pool.release(frame);
            })
            .port(new Port(0, "a", LinkType.RAW, 0, 1500), "parity")
            .port(new Port(1, "b", LinkType.RAW, 0, 1500), "parity");
    }

    private static CountersManager counters()
    {
        return InMemoryCounters.create(512);
    }

    private int frame(final int firstByte)
    {
        final int frame = pool.allocateCopy(new byte[]{(byte)firstByte, 0, 0, 0}, 0, 4);
        pool.port(frame, 0);
        return frame;
    }

    @Test
    void countsEveryVerdictAndConservesFrames()
    {
        final Pipeline pipeline = twoPorts().stage(new ParityStage(pool)).stage(new ForwardStage()).build(counters(), 0);
        for (final int b : new int[]{2, 3, 0, 4, 5, 6})
        {
            pipeline.receive(frame(b));
        }
        final PipelineCounters c = pipeline.counters();
        assertEquals(6, c.received(0));
        assertEquals(3, c.transmitted(1), "2, 4 and 6 leave on b");
        assertEquals(1, c.transmitted(0), "the copy of 4 leaves on a");
        assertEquals(2, c.dropped(pipeline.dropReasonId("parity", TestReason.ODD)));
        assertEquals(1, c.dropped(pipeline.dropReasonId("parity", TestReason.ZERO)));
        assertEquals(1, c.generated());
        assertEquals(c.totalReceived() + c.generated(), c.totalTransmitted() + c.totalDropped() + c.consumed());
        assertEquals(pool.capacity(), pool.available(), "every frame returned to the pool");
    }

    @Test
    void generatedFrameLeavesAfterTheFrameThatCreatedIt()
    {
        final Pipeline pipeline = twoPorts().stage(new ParityStage(pool)).stage(new ForwardStage()).build(counters(), 0);
        pipeline.receive(frame(4));
        assertEquals(2, transmitted.size());
        assertEquals(1, transmitted.get(0)[0]);
        assertEquals(0, transmitted.get(1)[0]);
    }

    @Test
    void aBurstOfEmittedDropsIsCountedByItsReasonNotAsPendingOverflow()
    {
        final FramePool big = new FramePool(Pipeline.MAX_PENDING + 64, 256, 32);
        final Pipeline pipeline = Pipeline.builder().pool(big).txSink((p, f) -> big.release(f))
            .port(new Port(0, "a", LinkType.RAW, 0, 1500), "burst")
            .stage(new BurstDropStage(Pipeline.MAX_PENDING + 10)).build(counters(), 0);
        final int frame = big.allocateCopy(new byte[]{0, 0, 0, 0}, 0, 4);
        big.port(frame, 0);

        pipeline.receive(frame);

        assertEquals(Pipeline.MAX_PENDING + 10,
            pipeline.counters().dropped(pipeline.dropReasonId("burst", TestReason.ODD)));
        assertEquals(0, pipeline.counters().dropped(PipelineDropReason.PENDING_OVERFLOW.ordinal()));
        assertEquals(big.capacity(), big.available(), "every frame returned to the pool");
    }

    @Test
    void breaksStageLoopsWithACountedDrop()
    {
        final Pipeline looping = Pipeline.builder().pool(pool).txSink((p, f) -> pool.release(f))
            .port(new Port(0, "a", LinkType.RAW, 0, 1500), "loop").stage(new LoopStage()).build(counters(), 0);
        looping.receive(frame(2));
        assertEquals(1, looping.counters().dropped(PipelineDropReason.STAGE_LOOP.ordinal()));
        assertEquals(pool.capacity(), pool.available());
        assertTrue(looping.hasStage("loop"));
    }

    @Test
    void dropsFrameFromUnknownPort()
    {
        final Pipeline pipeline = twoPorts().stage(new ParityStage(pool)).stage(new ForwardStage()).build(counters(), 0);
        final int frame = frame(2);
        pool.port(frame, 7);
        pipeline.receive(frame);
        assertEquals(1, pipeline.counters().dropped(PipelineDropReason.BAD_VERDICT.ordinal()));
        assertEquals(pool.capacity(), pool.available());
    }

    @Test
    void rejectsMisWiredGraphAtBuildTime()
    {
        assertThrows(IllegalArgumentException.class,
            () -> twoPorts().stage(new ParityStage(pool)).build(counters(), 0), "forward stage missing");
        assertThrows(IllegalArgumentException.class,
            () -> twoPorts().stage(new ForwardStage()).stage(new ForwardStage()));
    }

    @Test
    void agentRunsBatchesFromItsSource()
    {
        final Pipeline pipeline = twoPorts().stage(new ParityStage(pool)).stage(new ForwardStage()).build(counters(), 0);
        final int[] queued = {frame(2), frame(6), frame(8)};
        final int[] next = {0};
        final PipelineAgent agent = new PipelineAgent("worker-0", (frames, max) ->
        {
            int n = 0;
            while (n < max && next[0] < queued.length)
            {
                frames[n++] = queued[next[0]++];
            }
            return n;
        }, pipeline, () -> 0L);
        assertEquals(3, agent.doWork());
        assertEquals(0, agent.doWork());
        assertEquals(3, pipeline.counters().transmitted(1));
    }

    /** Counts ticks and remembers the last time it was given. */
    static final class ClockStage extends Stage
    {
        long lastTickNs = -1;
        int ticks;

        ClockStage()
        {
            super("clock", new DropReason[0]);
        }

        @Override
        public int onTick(final long nowNs)
        {
            ticks++;
            lastTickNs = nowNs;
            return 0;
        }

        @Override
        public int process(final int frame)
        {
            return Verdict.tx(0);
        }
    }

    @Test
    void agentGivesThePipelineItsClockBeforeEachBatch()
    {
        final ClockStage clock = new ClockStage();
        final Pipeline pipeline = Pipeline.builder().pool(pool).txSink((p, f) -> pool.release(f))
            .port(new Port(0, "a", LinkType.RAW, 0, 1500), "clock").stage(clock).build(counters(), 0);
        final long[] now = {1_000};
        final PipelineAgent agent = new PipelineAgent("worker-0", (frames, max) -> 0, pipeline, () -> now[0]);

        agent.doWork();
        now[0] = 7_000;
        agent.doWork();

        assertEquals(2, clock.ticks);
        assertEquals(7_000, clock.lastTickNs);
    }

    @Test
    void agentWithATickIntervalTicksAtMostThatOften()
    {
        final ClockStage clock = new ClockStage();
        final Pipeline pipeline = Pipeline.builder().pool(pool).txSink((p, f) -> pool.release(f))
            .port(new Port(0, "a", LinkType.RAW, 0, 1500), "clock").stage(clock).build(counters(), 0);
        final long[] now = {5_000};
        final PipelineAgent agent = new PipelineAgent("worker-0", (frames, max) -> 0, pipeline, () -> now[0], 1_000);

        agent.doWork();
        now[0] = 5_999;
        agent.doWork();
        assertEquals(1, clock.ticks, "a second tick within the interval");
        assertEquals(5_000, clock.lastTickNs);

        now[0] = 6_000;
        agent.doWork();
        assertEquals(2, clock.ticks);
        assertEquals(6_000, clock.lastTickNs);
        assertThrows(IllegalArgumentException.class,
            () -> new PipelineAgent("worker-0", (frames, max) -> 0, pipeline, () -> 0L, -1));
    }

    enum TestEvent implements StageEvent
    {
        SEEN("seen"),
        EVEN("even");

        private final String label;

        TestEvent(final String label)
        {
            this.label = label;
        }

        @Override
        public String label()
        {
            return label;
        }
    }

    /** Counts every frame and every even first byte, then transmits on port 0. */
    static final class CountingStage extends Stage
    {
        private final FramePool pool;

        CountingStage(final FramePool pool)
        {
            super("counting", new StageEvent[][]{TestEvent.values()}, TestReason.values());
            this.pool = pool;
        }

        @Override
        public int process(final int frame)
        {
            count(TestEvent.SEEN);
            if ((pool.buffer().getByte(pool.offset(frame)) & 1) == 0)
            {
                count(TestEvent.EVEN);
            }
            return Verdict.tx(0);
        }
    }

    @Test
    void countsStageEventsUnderTheirLabels()
    {
        final Pipeline pipeline = Pipeline.builder().pool(pool).txSink((p, f) -> pool.release(f))
            .port(new Port(0, "a", LinkType.RAW, 0, 1500), "counting").stage(new CountingStage(pool))
            .build(counters(), 0);
        for (final int b : new int[]{1, 2, 4})
        {
            pipeline.receive(frame(b));
        }

        assertEquals(3, pipeline.counters().event(pipeline.eventId("counting", TestEvent.SEEN)));
        assertEquals(2, pipeline.counters().event(pipeline.eventId("counting", TestEvent.EVEN)));
        assertEquals(java.util.List.of("counting/seen", "counting/even"), java.util.List.of(pipeline.eventLabels()));
        assertEquals(3, pipeline.counters().totalTransmitted(), "events are not frames");
    }
}
