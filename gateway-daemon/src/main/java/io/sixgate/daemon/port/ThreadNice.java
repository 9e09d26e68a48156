package io.sixgate.daemon.port;

import com.sun.jna.LastErrorException;

/**
 * The nice value of the calling thread: {@code setpriority(PRIO_PROCESS, gettid(), nice)}. On
 * Linux the nice value belongs to each thread (setpriority(2), "BUGS"), so this moves only the
 * thread that calls it, e.g. an ingest event loop. Going below 0 needs CAP_SYS_NICE (root has
 * it). Start-up only.
 */
public final class ThreadNice
{
    private ThreadNice()
    {
    }

    /**
     * Sets the calling thread's nice value.
     *
     * @return {@code null} when done, else why not (one line, with the remedy).
     */
    public static String set(final int nice)
    {
        try
        {
            LibC.INSTANCE.setpriority(LibC.PRIO_PROCESS, LibC.INSTANCE.gettid(), nice);
            return null;
        }
        catch (final LastErrorException ex)
        {
            final int errno = ex.getErrorCode();
            return "cannot set nice " + nice + ": " + LibC.describe(ex)
                + (errno == LibC.EACCES || errno == LibC.EPERM ? " (needs root or CAP_SYS_NICE)" : "");
        }
    }

    /**
     * @return the calling thread's nice value.
     */
    public static int get()
    {
        return LibC.INSTANCE.getpriority(LibC.PRIO_PROCESS, LibC.INSTANCE.gettid());
    }
}
