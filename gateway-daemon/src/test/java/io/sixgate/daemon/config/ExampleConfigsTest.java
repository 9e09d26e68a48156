package io.sixgate.daemon.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Every example configuration under the repository's {@code src/examples} must load.
 */
class ExampleConfigsTest
{
    @Test
    void everyExampleConfigurationLoads() throws IOException
    {
        final List<Path> examples;
        try (Stream<Path> files = Files.list(Path.of("../src/examples")))
        {
            examples = files.filter(path -> path.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
        }
        assertFalse(examples.isEmpty(), "no examples found under ../src/examples");
        for (final Path example : examples)
        {
            assertDoesNotThrow(() -> ConfigLoader.load(example), example.toString());
        }
    }
}
