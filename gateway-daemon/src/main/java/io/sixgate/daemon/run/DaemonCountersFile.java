package io.sixgate.daemon.run;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import io.sixgate.core.counters.CountersFile;
import io.sixgate.daemon.BadInputException;

/**
 * Creates the daemon's counters file at {@code counters-file}, replacing one a stopped daemon
 * left, but never a file that is not a counters file (a typo must not delete someone's data)
 * nor one a running sixgate still writes.
 */
final class DaemonCountersFile
{
    private DaemonCountersFile()
    {
    }

    /**
     * @throws BadInputException     when the path holds something that is not a sixgate counters file.
     * @throws IllegalStateException when another live process writes that file, or it cannot be created.
     */
    static CountersFile create(final Path path, final int maxCounters) throws BadInputException
    {
        final File file = path.toFile();
        if (Files.exists(path))
        {
            final long writerPid;
            try (CountersFile existing = CountersFile.open(file))
            {
                writerPid = existing.writerPid();
            }
            catch (final RuntimeException ex)
            {
                throw new BadInputException("counters-file " + path + " exists and is not a sixgate counters file;"
                    + " not replacing it (move it away or choose another counters-file)", ex);
            }
            if (isAnotherLiveJvm(writerPid))
            {
                throw new IllegalStateException("counters-file " + path + " belongs to running process " + writerPid
                    + " (another sixgate?); stop it or choose another counters-file");
            }
        }
        try
        {
            return CountersFile.create(file, maxCounters);
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalStateException("cannot create counters-file " + path + ": "
                + (ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName()), ex);
        }
    }

    private static boolean isAnotherLiveJvm(final long pid)
    {
        if (pid == ProcessHandle.current().pid())
        {
            return false;
        }
        final Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive())
        {
            return false;
        }
        // A recycled pid of some other program does not hold the file; a JVM may.
        return process.get().info().command().map(command -> command.contains("java")).orElse(true);
    }
}
