package io.sixgate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zero-garbage gate on JMH JSON results shaped as {@code -rf json} writes them.
 */
class AllocationCheckTest
{
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void passesWhenEveryBenchmarkAllocatesNothing() throws IOException
    {
        final Path json = write(result("io.sixgate.bench.TokenBucketBenchmark.conforming", "", 0.0002),
            result("io.sixgate.bench.Nat64EstablishedBenchmark.established6to4",
                "\"sessions\": \"1000000\", \"packet\": \"udp-64\"", 0.004));

        assertEquals(0, run(json.toString()));
        assertTrue(output().contains("ok   io.sixgate.bench.Nat64EstablishedBenchmark.established6to4 " +
            "[sessions=1000000, packet=udp-64]: 0.004 B/op"), output());
        assertTrue(output().contains("none allocates"), output());
    }

    @Test
    void failsNamingTheBenchmarkThatAllocates() throws IOException
    {
        final Path json = write(result("io.sixgate.bench.TokenBucketBenchmark.conforming", "", 0.0002),
            result("io.sixgate.bench.SiitTranslateBenchmark.translate6to4", "\"packet\": \"udp-64\"", 24.0));

        assertEquals(1, run(json.toString()));
        assertTrue(output().contains("FAIL io.sixgate.bench.SiitTranslateBenchmark.translate6to4 [packet=udp-64]: " +
            "allocates 24.000 B/op (limit 0.500)"), output());
        assertTrue(output().contains("allocation check FAILED: 1 of 2"), output());
    }

    @Test
    void failsJustAboveTheEpsilonAndPassesAtIt() throws IOException
    {
        assertEquals(1, run(write(result("io.sixgate.bench.A.b", "", 0.51)).toString()));
        assertEquals(0, run(write(result("io.sixgate.bench.A.b", "", 0.5)).toString()));
        assertEquals(1, run("--epsilon", "0.1", write(result("io.sixgate.bench.A.b", "", 0.2)).toString()));
    }

    @Test
    void failsWhenTheRunWasNotMadeWithTheGcProfiler() throws IOException
    {
        final Path json = write("{\"benchmark\": \"io.sixgate.bench.A.b\", \"params\": {}, " +
            "\"primaryMetric\": {\"score\": 5.0}, \"secondaryMetrics\": {}}");

        assertEquals(1, run(json.toString()));
        assertTrue(output().contains("FAIL io.sixgate.bench.A.b: no gc.alloc.rate.norm (run JMH with -prof gc)"),
            output());
    }

    @Test
    void failsOnAnEmptyResultList() throws IOException
    {
        assertEquals(1, run(write().toString()));
        assertTrue(output().contains("FAIL no benchmark results"), output());
    }

    @Test
    void readsResultsFromSeveralFiles() throws IOException
    {
        final Path clean = write(result("io.sixgate.bench.A.b", "", 0.0));
        final Path dirty = write(result("io.sixgate.bench.C.d", "", 40.0));

        assertEquals(1, run(clean.toString(), dirty.toString()));
        assertTrue(output().contains("FAIL io.sixgate.bench.C.d"), output());
    }

    @Test
    void refusesUnreadableInputWithStatusTwo() throws IOException
    {
        final Path notJmh = dir.resolve("not-jmh.json");
        Files.writeString(notJmh, "{\"hello\": 1}");

        assertEquals(2, run(notJmh.toString()));
        assertTrue(errors().contains("cannot read"), errors());
        assertEquals(2, run(dir.resolve("missing.json").toString()));
        assertEquals(2, run());
        assertEquals(2, run("--epsilon", "many", notJmh.toString()));
    }

    @Test
    void nothingIsExemptFromTheGate()
    {
        assertEquals(List.of(), List.copyOf(AllocationCheck.EXEMPT.keySet()),
            "every benchmark measures a hot path; an exemption needs its reason in AllocationCheck");
    }

    private int run(final String... args)
    {
        return AllocationCheck.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String output()
    {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String errors()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path write(final String... results) throws IOException
    {
        final Path file = Files.createTempFile(dir, "jmh", ".json");
        Files.writeString(file, "[" + String.join(",", results) + "]");
        return file;
    }

    /** A result as JMH 1.37 writes it, trimmed to the fields the check reads and a few it does not. */
    private static String result(final String benchmark, final String params, final double bytesPerOp)
    {
        return "{\"jmhVersion\": \"1.37\", \"benchmark\": \"" + benchmark + "\", \"mode\": \"avgt\", " +
            "\"params\": {" + params + "}, " +
            "\"primaryMetric\": {\"score\": 12.5, \"scoreUnit\": \"ns/op\", \"rawData\": [[12.5]]}, " +
            "\"secondaryMetrics\": {" +
            "\"gc.alloc.rate\": {\"score\": 0.02, \"scoreUnit\": \"MB/sec\"}, " +
            "\"gc.alloc.rate.norm\": {\"score\": " + bytesPerOp + ", \"scoreUnit\": \"B/op\", \"rawData\": [[" +
            bytesPerOp + "]]}, " +
            "\"gc.count\": {\"score\": 0.0, \"scoreUnit\": \"counts\"}}}";
    }
}
