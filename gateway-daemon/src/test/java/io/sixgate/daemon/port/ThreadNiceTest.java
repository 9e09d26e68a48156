package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ThreadNiceTest
{
    /**
     * Root (CAP_SYS_NICE) to go below 0: the thread that calls it moves, the others stay.
     */
    @Test
    void setsTheNiceValueOfTheCallingThreadOnly() throws Exception
    {
        RootRequirement.require();
        final int before = ThreadNice.get();
        final ExecutorService thread = Executors.newSingleThreadExecutor();
        try
        {
            assertNull(thread.submit(() -> ThreadNice.set(-7)).get(10, TimeUnit.SECONDS));
            assertEquals(-7, thread.submit(ThreadNice::get).get(10, TimeUnit.SECONDS));
            assertEquals(before, ThreadNice.get(), "the test's own thread kept its nice value");
        }
        finally
        {
            thread.shutdownNow();
        }
    }
}
