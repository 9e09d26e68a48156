package io.sixgate.core.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

/**
 * The packets of the conformance corpus (Jool's graybox packets, raw IP), read where they lie
 * beside the repository and never copied into it, so the fuzz targets can run over them as
 * more seeds.
 *
 * <p>Found like the conformance tests find it: {@code -Dsixgate.conformance.dir=DIR}, else
 * {@code ../../shared/conformance/jool-graybox} from the module directory. A missing corpus fails
 * the test unless {@code -Dsixgate.conformance.optional=true}, which skips it visibly.
 */
public final class GrayboxCorpus
{
    private GrayboxCorpus()
    {
    }

    /**
     * @param suite {@code siit} or {@code nat64}: the folder of that suite's packets.
     * @return every {@code .pkt} file of the suite, sorted.
     */
    public static List<Path> packets(final String suite)
    {
        final String configured = System.getProperty("sixgate.conformance.dir");
        final Path corpus = configured != null ? Paths.get(configured) : Paths.get("../../shared/conformance/jool-graybox");
        if (!Files.isDirectory(corpus.resolve(suite)))
        {
            final String message = "conformance corpus not found at " + corpus.toAbsolutePath()
                + " (set -Dsixgate.conformance.dir=DIR, or -Dsixgate.conformance.optional=true to skip)";
            Assumptions.assumeFalse(Boolean.getBoolean("sixgate.conformance.optional"), "SKIPPED: " + message);
            fail(message);
        }
        try (Stream<Path> files = Files.walk(corpus.resolve(suite)))
        {
            return files.filter(file -> file.toString().endsWith(".pkt")).sorted().toList();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    public static byte[] read(final Path packet)
    {
        try
        {
            return Files.readAllBytes(packet);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
