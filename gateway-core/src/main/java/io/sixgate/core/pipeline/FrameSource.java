package io.sixgate.core.pipeline;

/**
 * Where a worker's received frames come from: a capture reader in replay, the ingest
 * queues in the daemon. Each frame has its port and timestamp set in the pool.
 */
@FunctionalInterface
public interface FrameSource
{
    /**
     * Moves up to {@code max} received frames into {@code frames}.
     *
     * @return how many were written, 0 when nothing is waiting.
     */
    int poll(int[] frames, int max);
}
