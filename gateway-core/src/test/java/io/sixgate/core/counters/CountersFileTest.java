package io.sixgate.core.counters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CountersFileTest
{
    @TempDir
    Path dir;

    @Test
    void readerInAnotherMappingSeesWriterCounters()
    {
        final File file = dir.resolve("counters.dat").toFile();
        try (CountersFile writer = CountersFile.create(file, 64);
            CountersFile reader = CountersFile.open(file))
        {
            final PipelineCounters counters = new PipelineCounters(
                writer.manager(), 3, new String[]{"v6", "v4"}, new String[]{"ipv6-input/truncated-header"});
            counters.onReceived(1);
            counters.onReceived(1);
            counters.onDropped(0);

            final Map<String, Long> byLabel = new HashMap<>();
            final Map<String, Integer> workerByLabel = new HashMap<>();
            reader.reader().forEach((counterId, typeId, key, label) ->
            {
                byLabel.put(label, reader.reader().getCounterValue(counterId));
                workerByLabel.put(label, key.getInt(CounterType.KEY_WORKER_OFFSET));
            });
            assertEquals(2L, byLabel.get("rx port=v4 worker=3"));
            assertEquals(0L, byLabel.get("rx port=v6 worker=3"));
            assertEquals(1L, byLabel.get("drop ipv6-input/truncated-header worker=3"));
            assertEquals(3, workerByLabel.get("consumed worker=3"));
            assertEquals(ProcessHandle.current().pid(), reader.writerPid());
        }
    }

    @Test
    void refusesFilesThatAreNotCounters() throws IOException
    {
        final Path junk = dir.resolve("junk.dat");
        Files.write(junk, new byte[4096]);
        final IllegalStateException e =
            assertThrows(IllegalStateException.class, () -> CountersFile.open(junk.toFile()));
        assertEquals(junk + " is not a sixgate counters file (version 1)", e.getMessage());
        assertThrows(IllegalStateException.class, () -> CountersFile.open(dir.resolve("none").toFile()));
    }
}
