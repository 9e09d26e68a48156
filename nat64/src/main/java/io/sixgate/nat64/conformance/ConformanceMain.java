package io.sixgate.nat64.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Command line: runs one suite of the conformance corpus and prints one line per failing case,
 * then {@code conformance: N passed, M failed}.
 *
 * <pre>
 * java ... io.sixgate.nat64.conformance.ConformanceMain [corpus-dir] [suite] [--expected-pass FILE]
 * </pre>
 *
 * Defaults: the corpus at {@code ../shared/conformance/jool-graybox} (or the system property
 * {@value #CORPUS_DIR_PROPERTY}), suite {@code siit}, and the suite's expected-to-pass list
 * shipped as the resource {@value #SIIT_EXPECTED_PASS} or {@value #NAT64_EXPECTED_PASS}.
 *
 * <p>Exit status: 0 when every expected-to-pass case passed, 1 when one of them failed, 2 when
 * the corpus or the list cannot be read.
 */
public final class ConformanceMain
{
    /** System property naming the corpus directory. */
    public static final String CORPUS_DIR_PROPERTY = "sixgate.conformance.dir";

    /** Corpus location relative to the repository root. */
    public static final String DEFAULT_CORPUS_DIR = "../shared/conformance/jool-graybox";

    /** Classpath resource listing the siit cases that must pass, one id per line. */
    public static final String SIIT_EXPECTED_PASS = "/io/sixgate/nat64/conformance/siit-expected-pass.txt";

    /** Classpath resource listing the nat64 cases that must pass, one id per line. */
    public static final String NAT64_EXPECTED_PASS = "/io/sixgate/nat64/conformance/nat64-expected-pass.txt";

    private ConformanceMain()
    {
    }

    public static void main(final String[] args)
    {
        System.exit(run(args, System.out));
    }

    /**
     * {@link #main(String[])} without the exit, for tests.
     *
     * @return the exit status.
     */
    public static int run(final String[] args, final PrintStream out)
    {
        final List<String> positional = new ArrayList<>();
        String expectedPassFile = null;
        for (int i = 0; i < args.length; i++)
        {
            if ("--expected-pass".equals(args[i]) && i + 1 < args.length)
            {
                expectedPassFile = args[++i];
            }
            else if ("--help".equals(args[i]) || "-h".equals(args[i]))
            {
                out.println("usage: ConformanceMain [corpus-dir] [suite] [--expected-pass FILE]");
                return 0;
            }
            else
            {
                positional.add(args[i]);
            }
        }
        final Path corpus = Paths.get(positional.isEmpty()
            ? System.getProperty(CORPUS_DIR_PROPERTY, DEFAULT_CORPUS_DIR) : positional.get(0));
        final String suite = positional.size() > 1 ? positional.get(1) : ConformanceRunner.SUITE_SIIT;

        if (!Files.isRegularFile(corpus.resolve("cases.tsv")))
        {
            out.println("conformance: no corpus at " + corpus.toAbsolutePath() + " (cases.tsv missing)");
            return 2;
        }
        final Set<String> expectedPass;
        try
        {
            expectedPass = expectedPassFile != null ? readList(Files.newInputStream(Paths.get(expectedPassFile)))
                : ConformanceRunner.SUITE_SIIT.equals(suite) ? expectedPass(SIIT_EXPECTED_PASS)
                : ConformanceRunner.SUITE_NAT64.equals(suite) ? expectedPass(NAT64_EXPECTED_PASS) : Set.of();
        }
        catch (final IOException | UncheckedIOException ex)
        {
            out.println("conformance: cannot read the expected-pass list: " + ex.getMessage());
            return 2;
        }

        final List<CaseResult> results;
        try
        {
            results = new ConformanceRunner(corpus).run(suite);
        }
        catch (final UncheckedIOException | IllegalArgumentException ex)
        {
            out.println("conformance: cannot run the corpus: " + ex.getMessage());
            return 2;
        }
        int passed = 0;
        int failed = 0;
        int regressions = 0;
        for (final CaseResult r : results)
        {
            if (r.passed())
            {
                passed++;
                continue;
            }
            failed++;
            final boolean listed = expectedPass.contains(r.id());
            if (listed)
            {
                regressions++;
            }
            out.println("FAIL " + r.id() + " [" + r.testCase().group() + "]" + (listed ? " (expected to pass)" : "")
                + ": " + r.detail());
        }
        out.println("conformance: " + passed + " passed, " + failed + " failed");
        return regressions == 0 ? 0 : 1;
    }

    /**
     * Reads an expected-to-pass list from the classpath: one case id per line, {@code #} comments.
     *
     * @throws UncheckedIOException when the resource is missing.
     */
    public static Set<String> expectedPass(final String resource)
    {
        final InputStream in = ConformanceMain.class.getResourceAsStream(resource);
        if (in == null)
        {
            throw new UncheckedIOException(new IOException("resource " + resource + " not found"));
        }
        try
        {
            return readList(in);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    private static Set<String> readList(final InputStream in) throws IOException
    {
        final Set<String> ids = new LinkedHashSet<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)))
        {
            String line;
            while ((line = reader.readLine()) != null)
            {
                final String id = line.trim();
                if (!id.isEmpty() && !id.startsWith("#"))
                {
                    ids.add(id);
                }
            }
        }
        return ids;
    }
}
