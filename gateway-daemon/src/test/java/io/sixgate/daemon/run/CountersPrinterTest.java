package io.sixgate.daemon.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.sixgate.core.counters.CountersFile;

import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CountersPrinterTest
{
    @TempDir
    Path dir;

    @Test
    void printsTheNonZeroCountersAlignedInAllocationOrder()
    {
        final Path file = dir.resolve("counters.dat");
        try (CountersFile counters = CountersFile.create(file.toFile(), 16))
        {
            final CountersManager manager = counters.manager();
            manager.newCounter("rx port=vpc worker=0").set(7013);
            manager.newCounter("tx port=vpc worker=0").set(0);
            manager.newCounter("drop nat64-4to6/no-bib-entry worker=0").set(2);
        }

        final StringWriter text = new StringWriter();
        CountersPrinter.print(file, new PrintWriter(text));

        assertEquals(String.join(System.lineSeparator(),
            "counters in " + file + " (non-zero):",
            "  rx port=vpc worker=0                        7013",
            "  drop nat64-4to6/no-bib-entry worker=0          2",
            "dropped in all: 2 (each under its reason above)",
            ""), text.toString());
        assertEquals(List.of(new CountersPrinter.Counter("rx port=vpc worker=0", 7013),
            new CountersPrinter.Counter("drop nat64-4to6/no-bib-entry worker=0", 2)), CountersPrinter.nonZero(file));
    }

    @Test
    void saysWhenEveryCounterIsZero()
    {
        final Path file = dir.resolve("zero.dat");
        try (CountersFile counters = CountersFile.create(file.toFile(), 4))
        {
            counters.manager().newCounter("rx port=vpc worker=0");
        }

        final StringWriter text = new StringWriter();
        CountersPrinter.print(file, new PrintWriter(text));

        assertEquals(String.join(System.lineSeparator(), "counters in " + file + " (non-zero):", "  (none)",
            "dropped in all: 0", ""), text.toString());
    }

    @Test
    void refusesAFileThatIsNotACountersFile() throws Exception
    {
        final Path file = Files.writeString(dir.resolve("notes.txt"), "not counters, but long enough to map a header"
            + " ".repeat(200));

        assertThrows(IllegalStateException.class, () -> CountersPrinter.print(file, new PrintWriter(new StringWriter())));
    }
}
