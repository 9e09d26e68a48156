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
import org.junit.jupiter.api.TestInstance;

/**
 * Runs one suite of the conformance corpus (Jool's graybox packets) through the real pipeline
 * once per test class, and requires every case of the suite's expected-to-pass list to pass.
 *
 * <p>The corpus is found at {@code ../../shared/conformance/jool-graybox} from the module
 * directory (the repository root's {@code ../shared/...}), or at the system property
 * {@code sixgate.conformance.dir}. A missing corpus fails the build, unless
 * {@code -Dsixgate.conformance.optional=true}, which skips these tests visibly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class CorpusSuiteTest
{
    private static final String OPTIONAL_PROPERTY = "sixgate.conformance.optional";

    protected Path corpus;
    protected List<CaseResult> results;
    private String skipReason;

    /**
     * @return the suite, {@link ConformanceRunner#SUITE_SIIT} or {@link ConformanceRunner#SUITE_NAT64}.
     */
    protected abstract String suite();

    /**
     * @return the classpath resource listing the cases that must pass.
     */
    protected abstract String expectedPassResource();

    @BeforeAll
    void runCorpus()
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
        results = new ConformanceRunner(corpus).run(suite());
    }

    @BeforeEach
    void requireCorpus()
    {
        Assumptions.assumeTrue(skipReason == null, skipReason);
    }

    @Test
    void passesEveryCaseListedAsExpectedToPass()
    {
        final Set<String> expected = ConformanceMain.expectedPass(expectedPassResource());
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
    void commandLinePrintsTheSummaryAndSucceeds()
    {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final int status = ConformanceMain.run(
            new String[]{corpus.toString(), suite()}, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        final String output = bytes.toString(StandardCharsets.UTF_8);
        final long passed = results.stream().filter(CaseResult::passed).count();
        assertTrue(output.endsWith("conformance: " + passed + " passed, " + (results.size() - passed) + " failed"
            + System.lineSeparator()), output);
        assertEquals(0, status, output);
    }
}
