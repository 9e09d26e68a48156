package io.sixgate.bench;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Locale;
import java.util.function.IntSupplier;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Runs one benchmark of the suite outside JMH and reports its cost per operation in the thread's
 * CPU time, the least of several rounds: on a shared machine, where JMH's wall-clock figures swing
 * with the other work, the CPU time the benchmark thread really ran is steadier (what remains is
 * the other work's effect on the caches). A companion to JMH, not a replacement: no forks, no
 * blackhole, no statistics beyond the minimum.
 *
 * <pre>
 *  java [flags of BenchJvm] -cp bench/target/benchmarks.jar io.sixgate.bench.CpuTimeRunner \
 *      Nat64EstablishedBenchmark established6to4 sessions=1000000 packet=udp-64
 * </pre>
 * Operations returning {@code int} or {@code boolean}; {@code @Setup}/{@code @TearDown} of level
 * trial around the run, of level iteration around each round; {@code -Drounds=N} (default 12, the
 * first 4 are warm-up) and {@code -DroundMillis=M} (default 500).
 */
public final class CpuTimeRunner
{
    private CpuTimeRunner()
    {
    }

    public static void main(final String[] args) throws Throwable
    {
        if (args.length < 2)
        {
            System.err.println("usage: CpuTimeRunner CLASS METHOD [param=value...]");
            System.exit(2);
        }
        final Class<?> type = Class.forName("io.sixgate.bench." + args[0]);
        final Object bench = type.getDeclaredConstructor().newInstance();
        for (int i = 2; i < args.length; i++)
        {
            final String[] pair = args[i].split("=", 2);
            final Field field = type.getField(pair[0]);
            field.set(bench, field.getType() == int.class ? (Object)Integer.valueOf(pair[1]) : pair[1]);
        }
        final IntSupplier operation = operation(bench, type.getMethod(args[1]));
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final int rounds = Integer.getInteger("rounds", 12);
        final long roundNs = Long.getLong("roundMillis", 500) * 1_000_000L;

        call(bench, Setup.class, Level.Trial);
        double best = Double.MAX_VALUE;
        long sink = 0;
        for (int round = 0; round < rounds; round++)
        {
            call(bench, Setup.class, Level.Iteration);
            long operations = 0;
            final long start = threads.getCurrentThreadCpuTime();
            long used;
            do
            {
                for (int i = 0; i < 1024; i++)
                {
                    sink += operation.getAsInt();
                }
                operations += 1024;
                used = threads.getCurrentThreadCpuTime() - start;
            }
            while (used < roundNs);
            call(bench, TearDown.class, Level.Iteration);
            final double perOperation = (double)used / operations;
            System.out.printf(Locale.ROOT, "round %2d: %.1f ns/op (CPU time)%s%n", round, perOperation,
                round < 4 ? ", warm-up" : "");
            if (round >= 4)
            {
                best = Math.min(best, perOperation);
            }
        }
        call(bench, TearDown.class, Level.Trial);
        System.out.printf(Locale.ROOT, "%s.%s %s: %.1f ns/op, %.2f M op/s (least CPU time of %d rounds)%s%n",
            args[0], args[1], String.join(" ", java.util.Arrays.copyOfRange(args, 2, args.length)), best,
            1e3 / best, rounds - 4, sink == 42 ? " " : "");
    }

    /** A direct lambda over the method, so the JIT inlines the call as JMH's stub does. */
    private static IntSupplier operation(final Object bench, final Method method) throws Throwable
    {
        final MethodHandles.Lookup lookup = MethodHandles.lookup();
        final MethodHandle target = lookup.unreflect(method);
        if (method.getReturnType() == int.class)
        {
            return (IntSupplier)LambdaMetafactory.metafactory(lookup, "getAsInt",
                MethodType.methodType(IntSupplier.class, bench.getClass()), MethodType.methodType(int.class), target,
                MethodType.methodType(int.class)).getTarget().invoke(bench);
        }
        if (method.getReturnType() == boolean.class)
        {
            final java.util.function.BooleanSupplier test = (java.util.function.BooleanSupplier)LambdaMetafactory
                .metafactory(lookup, "getAsBoolean", MethodType.methodType(java.util.function.BooleanSupplier.class,
                    bench.getClass()), MethodType.methodType(boolean.class), target,
                    MethodType.methodType(boolean.class)).getTarget().invoke(bench);
            return () -> test.getAsBoolean() ? 1 : 0;
        }
        throw new IllegalArgumentException(method + " returns neither int nor boolean");
    }

    private static void call(final Object bench, final Class<? extends java.lang.annotation.Annotation> kind,
        final Level level) throws Exception
    {
        for (final Method method : bench.getClass().getMethods())
        {
            final Level methodLevel = kind == Setup.class ?
                (method.isAnnotationPresent(Setup.class) ? method.getAnnotation(Setup.class).value() : null) :
                (method.isAnnotationPresent(TearDown.class) ? method.getAnnotation(TearDown.class).value() : null);
            if (methodLevel == level)
            {
                method.invoke(bench);
            }
        }
    }
}
