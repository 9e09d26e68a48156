package io.sixgate.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The suite's run settings, which every benchmark class inherits (JMH reads these class
 * annotations from superclasses; a subclass's own annotation wins): time per operation in
 * nanoseconds, 3 warm-up and 5 measured iterations of one second, one fork with the JVM flags
 * the daemon runs with ({@link BenchJvm}). A class that measures otherwise says so itself.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {BenchJvm.ADD_EXPORTS_MISC, BenchJvm.ADD_OPENS_NIO_CH, BenchJvm.ADD_OPENS_NIO,
    BenchJvm.NATIVE_ACCESS, BenchJvm.NO_BOUNDS_CHECKS})
public abstract class SuiteBenchmark
{
}
