package io.sixgate.nat64.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs suite {@code siit} of the conformance corpus (Jool's graybox packets) through the real
 * pipeline and requires every case of {@code siit-expected-pass.txt} to pass.
 *
 * <p>The corpus is found at {@code ../../shared/conformance/jool-graybox} from the module
 * directory (the repository root's {@code ../shared/...}), or at the system property
 * {@code sixgate.conformance.dir}. A missing corpus fails the build, unless
 * {@code -Dsixgate.conformance.optional=true}, which skips these tests visibly.
 */
class SiitConformanceTest
{
    private static final String OPTIONAL_PROPERTY = "sixgate.conformance.optional";

    private static Path corpus;
    private static List<CaseResult> results;
    private static String skipReason;

    @BeforeAll
    static void runCorpus()
    {
        final String configured = System.getProperty(ConformanceMain.CORPUS_DIR_PROPERTY);
        corpus = configured != null ? Paths.get(configured) : Paths.get("../../shared/conformance/jool-graybox");
        if (!Files.isRegularFile(corpus.resolve("cases.tsv")))
        {
            final String message = "conformance corpus not found at " + corpus.toAbsolutePath()
                + " (set -D" + ConformanceMain.CORPUS_DIR_PROPERTY + "=DIR, or -D" + OPTIONAL_PROPERTY
                + "=true to skip these tests)";
            if (Boolean.getBoolean(OPTIONAL_PROPERTY))
            {
                // Every test then reports itself as skipped, with this reason.
                skipReason = "SKIPPED: " + message;
                return;
            }
            fail(message);
        }
        results = new ConformanceRunner(corpus).run(ConformanceRunner.SUITE_SIIT);
    }

    @BeforeEach
    void requireCorpus()
    {
        Assumptions.assumeTrue(skipReason == null, skipReason);
    }

    @Test
    void runsEverySiitCaseOfTheCorpus()
    {
        assertEquals(124, results.size(), "the corpus README promises 124 siit cases");
    }

    @Test
    void passesEveryCaseListedAsExpectedToPass()
    {
        final Set<String> expected = ConformanceMain.expectedPass(ConformanceMain.SIIT_EXPECTED_PASS);
        final Map<String, CaseResult> byId = results.stream().collect(Collectors.toMap(CaseResult::id, Function.identity()));
        final List<String> failures = new ArrayList<>();
        for (final String id : expected)
        {
            final CaseResult result = byId.get(id);
            if (result == null)
            {
                failures.add(id + ": listed but not in the corpus");
            }
            else if (!result.passed())
            {
                failures.add(id + ": " + result.detail());
            }
        }
        assertTrue(failures.isEmpty(), () -> "expected-to-pass cases failed:\n  " + String.join("\n  ", failures));
    }

    @Test
    void passesAllRfc7915Cases()
    {
        final List<String> failures = results.stream()
            .filter(r -> "rfc7915".equals(r.testCase().group()) && !r.passed())
            .map(r -> r.id() + ": " + r.detail())
            .collect(Collectors.toList());
        assertEquals(77, results.stream().filter(r -> "rfc7915".equals(r.testCase().group())).count());
        assertTrue(failures.isEmpty(), () -> String.join("\n", failures));
    }

    @Test
    void commandLinePrintsTheSummaryAndSucceeds()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int status = ConformanceMain.run(
            new String[]{corpus.toString(), "siit"}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String output = bytes.toString(StandardCharsets.UTF_8);
        final long passed = results.stream().filter(CaseResult::passed).count();
        assertTrue(output.endsWith("conformance: " + passed + " passed, " + (results.size() - passed) + " failed"
            + System.lineSeparator()), output);
        assertEquals(0, status, output);
    }

    @Test
    void commandLineFailsWhenAListedCaseFails() throws Exception
    {
        // issue132 needs the IPv4 client's kernel to answer (docs/conformance.md), so it fails.
        final String nat64Case = "manual/issue132/test";
        final Path list = Files.createTempFile("expected-pass", ".txt");
        try
        {
            Files.writeString(list, "# a comment\n" + nat64Case + "\n");
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            final int status = ConformanceMain.run(new String[]{corpus.toString(), "nat64", "--expected-pass",
                list.toString()}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
            final String output = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(output.contains("FAIL " + nat64Case + " [") && output.contains("(expected to pass)"), output);
            assertEquals(1, status, output);
        }
        finally
        {
            Files.deleteIfExists(list);
        }
    }

    @Test
    void reportsAByteDiffForAWrongPacket()
    {
        final ConformanceCase original = new ConformanceRunner(corpus).cases(ConformanceRunner.SUITE_SIIT).stream()
            .filter(c -> c.id().equals("7915/aat1")).findFirst().orElseThrow();
        // Expect the packet of another case: same addresses, different bytes.
        final ConformanceCase wrong = new ConformanceCase(original.suite(), original.group(), original.id(),
            original.senders(), original.receiver(), original.inputs(), List.of("siit/7915/fae1.pkt"), new int[0],
            original.env());
        final CaseResult result = new ConformanceRunner(corpus).run(wrong);
        assertTrue(!result.passed() && result.detail().startsWith("length 64 vs 52; 5: 18 vs 0c, 6: 21 vs 11"), result.detail());
    }
}
