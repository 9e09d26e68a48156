package io.sixgate.daemon.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * SIGHUP, sent for real to this JVM with kill(1), runs a reload on the reload thread. (The
 * handler is installed before the signal is sent: without it the JVM would exit on SIGHUP.)
 */
class ReloadSignalTest
{
    @Test
    void sighupRunsTheReloadOnItsOwnThread() throws Exception
    {
        final CountDownLatch reloaded = new CountDownLatch(1);
        final String[] thread = new String[1];
        final ReloadSignal signal = ReloadSignal.install(() ->
        {
            thread[0] = Thread.currentThread().getName();
            reloaded.countDown();
        });
        try
        {
            final Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(ProcessHandle.current().pid()))
                .inheritIO().start();
            assertEquals(0, kill.waitFor());

            assertTrue(reloaded.await(10, TimeUnit.SECONDS), "the reload ran");
            assertEquals("sixgate-reload", thread[0]);
        }
        finally
        {
            signal.close();
        }
    }

    @Test
    void aFailingReloadDoesNotStopTheNextOne() throws Exception
    {
        final CountDownLatch second = new CountDownLatch(2);
        try (ReloadSignal signal = ReloadSignal.install(() ->
        {
            second.countDown();
            throw new IllegalStateException("bad reload");
        }))
        {
            signal.request("test");
            Thread.sleep(100);
            signal.request("test");

            assertTrue(second.await(10, TimeUnit.SECONDS), "both reloads ran");
        }
    }
}
