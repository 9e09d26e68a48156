package io.sixgate.core.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The seed files of a fuzz target, made by test code from the project's own test packets and
 * kept under {@code src/test/resources/<package>/<Class>Inputs/<method>/seed-*}, where Jazzer
 * reads them (regression mode: every build; fuzzing mode: the starting corpus).
 *
 * <p>A test compares the files with what the code makes now and fails when they drift; run it
 * with {@code -Dsixgate.fuzz.write-seeds=true} to write them again.
 */
public final class FuzzSeeds
{
    public static final String WRITE_PROPERTY = "sixgate.fuzz.write-seeds";

    private FuzzSeeds()
    {
    }

    /**
     * @param testClass the fuzz test class.
     * @param method    the {@code @FuzzTest} method.
     * @return {@code src/test/resources/<package>/<Class>Inputs/<method>}, from the module directory.
     */
    public static Path directory(final Class<?> testClass, final String method)
    {
        return Path.of("src/test/resources", testClass.getPackageName().replace('.', '/'),
            testClass.getSimpleName() + "Inputs", method);
    }

    /**
     * Fails when a seed file is missing or differs from {@code seeds}; writes them instead with
     * {@link #WRITE_PROPERTY}.
     */
    public static void assertUpToDate(final Class<?> testClass, final String method, final Map<String, byte[]> seeds)
    {
        final Path dir = directory(testClass, method);
        try
        {
            if (Boolean.getBoolean(WRITE_PROPERTY))
            {
                Files.createDirectories(dir);
                for (final Map.Entry<String, byte[]> seed : seeds.entrySet())
                {
                    Files.write(dir.resolve("seed-" + seed.getKey()), seed.getValue());
                }
            }
            for (final Map.Entry<String, byte[]> seed : seeds.entrySet())
            {
                final Path file = dir.resolve("seed-" + seed.getKey());
                assertTrue(Files.isRegularFile(file), file + " is missing: run this test with -D" + WRITE_PROPERTY + "=true");
                assertArrayEquals(seed.getValue(), Files.readAllBytes(file),
                    file + " drifted from the code that makes it: run this test with -D" + WRITE_PROPERTY + "=true");
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
