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
 * Runs suite {@code nat64} of the conformance corpus (Jool's graybox packets, RFC 6146) through
 * the real stateful pipeline, all cases in file order on one session table, and requires every
 * case of {@code nat64-expected-pass.txt} to pass. Corpus location as {@link SiitConformanceTest}.
 */
class Nat64ConformanceTest
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
                skipReason = "SKIPPED: " + message;
                return;
            }
            fail(message);
        }
        results = new ConformanceRunner(corpus).run(ConformanceRunner.SUITE_NAT64);
    }

    @BeforeEach
    void requireCorpus()
    {
        Assumptions.assumeTrue(skipReason == null, skipReason);
    }

    @Test
    void runsEveryNat64CaseOfTheCorpus()
    {
        assertEquals(42, results.size(), "cases.tsv has 42 nat64 rows");
    }

    @Test
    void passesEveryCaseListedAsExpectedToPass()
    {
        final Set<String> expected = ConformanceMain.expectedPass(ConformanceMain.NAT64_EXPECTED_PASS);
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
    void passesAtLeastNinetyPercent()
    {
        final long passed = results.stream().filter(CaseResult::passed).count();
        assertTrue(passed * 10 >= results.size() * 9L, passed + " of " + results.size());
    }

    @Test
    void theHeldSynCasesNeedTheirWait()
    {
        // so-46 and so-66 are answered only once the clock passes TCP_INCOMING_SYN (6 s).
        final ConformanceCase so46 = new ConformanceRunner(corpus).cases(ConformanceRunner.SUITE_NAT64).stream()
            .filter(c -> c.id().equals("so-46")).findFirst().orElseThrow();
        final ConformanceCase noWait = new ConformanceCase(so46.suite(), so46.group(), so46.id(), so46.senders(),
            so46.receiver(), so46.inputs(), so46.expected(), new int[0], List.of());
        final CaseResult result = new ConformanceRunner(corpus).run(noWait);
        assertTrue(!result.passed() && result.detail().startsWith("expected 1 packet(s) on n4, got 0"), result.detail());
    }

    @Test
    void commandLinePrintsTheSummaryAndSucceeds()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int status = ConformanceMain.run(
            new String[]{corpus.toString(), "nat64"}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String output = bytes.toString(StandardCharsets.UTF_8);
        final long passed = results.stream().filter(CaseResult::passed).count();
        assertTrue(output.endsWith("conformance: " + passed + " passed, " + (results.size() - passed) + " failed"
            + System.lineSeparator()), output);
        assertEquals(0, status, output);
    }
}
