package io.sixgate.bench.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code scripts/bench-e2e.sh} from the bench module's directory, output and errors together.
 */
final class BenchE2eScript
{
    static final Path SCRIPT = Path.of("../scripts/bench-e2e.sh");

    /** What the script printed and how it ended. */
    record Result(int exit, String output)
    {
    }

    private BenchE2eScript()
    {
    }

    static Result run(final int timeoutSeconds, final List<String> args) throws IOException, InterruptedException
    {
        return run(timeoutSeconds, args, Map.of());
    }

    static Result run(final int timeoutSeconds, final List<String> args, final Map<String, String> environment)
        throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(args);
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        final Process process = builder.start();
        final byte[][] output = new byte[1][];
        // Read while it runs: a script printing more than a pipe holds would otherwise never end.
        final Thread reader = new Thread(() ->
        {
            try
            {
                output[0] = process.getInputStream().readAllBytes();
            }
            catch (final IOException ex)
            {
                output[0] = ("(output unreadable: " + ex + ")").getBytes(StandardCharsets.UTF_8);
            }
        }, "bench-e2e-output");
        reader.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS))
        {
            // SIGTERM first: the script's trap removes its namespaces.
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
            reader.join(5_000);
            fail(String.join(" ", command) + ": no end after " + timeoutSeconds + " s: "
                + (output[0] == null ? "" : new String(output[0], StandardCharsets.UTF_8)));
        }
        reader.join();
        return new Result(process.exitValue(), new String(output[0], StandardCharsets.UTF_8));
    }
}
