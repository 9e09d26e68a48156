package io.sixgate.nat64.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * Suite {@code siit} of the conformance corpus (see {@link CorpusSuiteTest}): every case of
 * {@code siit-expected-pass.txt} passes, all 77 {@code rfc7915} cases pass, and the runner's
 * failure paths say what went wrong.
 */
class SiitConformanceTest extends CorpusSuiteTest
{
    @Override
    protected String suite()
    {
        return ConformanceRunner.SUITE_SIIT;
    }

    @Override
    protected String expectedPassResource()
    {
        return ConformanceMain.SIIT_EXPECTED_PASS;
    }

    @Test
    void runsEverySiitCaseOfTheCorpus()
    {
        assertEquals(124, results.size(), "the corpus README promises 124 siit cases");
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
