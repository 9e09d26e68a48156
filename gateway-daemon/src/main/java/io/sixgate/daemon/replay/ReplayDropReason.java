package io.sixgate.daemon.replay;

import io.sixgate.core.pipeline.DropReason;

/**
 * Frames replay cannot hand to the pipeline. They are counted as received on their port and
 * dropped here, so every frame of every input capture ends up in a counter.
 */
public enum ReplayDropReason implements DropReason
{
    /** Longer than a frame-pool slot after the headroom (frame-pool.slot-size too small). */
    OVERSIZE_FRAME("oversize-frame"),
    /** The capture kept fewer bytes than the frame had (captured with a small snaplen). */
    SNAPPED_FRAME("snapped-frame"),
    /** Every frame of the pool was held by the pipeline when the frame arrived. */
    POOL_EXHAUSTED("pool-exhausted");

    /** The prefix of these reasons in counter labels, where stages put their name. */
    public static final String SOURCE_NAME = "replay";

    private final String label;

    ReplayDropReason(final String label)
    {
        this.label = label;
    }

    @Override
    public String label()
    {
        return label;
    }
}
