package io.sixgate.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * What {@code scripts/bench-e2e.sh} answers before it needs root: its help and its refusals of
 * bad options. {@link BenchE2eScriptIT} runs it for real.
 */
class BenchE2eScriptTest
{
    @Test
    void helpNamesTheThreeCasesTheFiguresAndEveryOption() throws Exception
    {
        final BenchE2eScript.Result help = BenchE2eScript.run(30, List.of("--help"));

        assertEquals(0, help.exit(), help.output());
        for (final String text : List.of("kernel   (a)", "tayga    (b)", "sixgate  (c)", "--duration SECONDS", "--quick",
            "--cases LIST", "--tests LIST", "--workers N", "--streams N", "--concurrency N", "--profile | --no-profile",
            "--results DIR", "/tmp/sixgate-e2e-topology.lock", "netns sgbcli"))
        {
            assertTrue(help.output().contains(text), text + " in " + help.output());
        }
        assertTrue(!help.output().contains("set -euo pipefail"), "only the comment block: " + help.output());
    }

    @Test
    void anUnknownCaseIsRefusedWithStatusTwoBeforeAnythingIsBuilt() throws Exception
    {
        final BenchE2eScript.Result refused = BenchE2eScript.run(30, List.of("--cases", "kernel,jool"));

        assertEquals(2, refused.exit(), refused.output());
        assertEquals("bench-e2e: --cases: unknown case jool (kernel, tayga, sixgate)\n", refused.output());
    }

    @Test
    void aDurationThatIsNotAPositiveWholeNumberIsRefused() throws Exception
    {
        final BenchE2eScript.Result refused = BenchE2eScript.run(30, List.of("--duration", "0"));

        assertEquals(2, refused.exit(), refused.output());
        assertEquals("bench-e2e: not a positive whole number: 0\n", refused.output());
    }

    @Test
    void anUnknownOptionPrintsTheUsageWithStatusTwo() throws Exception
    {
        final BenchE2eScript.Result refused = BenchE2eScript.run(30, List.of("--fast"));

        assertEquals(2, refused.exit(), refused.output());
        assertTrue(refused.output().contains("scripts/bench-e2e.sh [options]"), refused.output());
    }
}
