package io.sixgate.nat64.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Runs suite {@code nat64} of the conformance corpus (Jool's graybox packets, RFC 6146) through
 * the real stateful pipeline, all cases in file order on one session table, and requires every
 * case of {@code nat64-expected-pass.txt} to pass. Corpus location as {@link SiitConformanceTest}.
 */
class Nat64ConformanceTest extends CorpusSuiteTest
{
    @Override
    protected String suite()
    {
        return ConformanceRunner.SUITE_NAT64;
    }

    @Override
    protected String expectedPassResource()
    {
        return ConformanceMain.NAT64_EXPECTED_PASS;
    }

    @Test
    void runsEveryNat64CaseOfTheCorpus()
    {
        assertEquals(42, results.size(), "cases.tsv has 42 nat64 rows");
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

}
