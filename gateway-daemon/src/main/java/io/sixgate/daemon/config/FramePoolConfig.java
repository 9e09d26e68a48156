package io.sixgate.daemon.config;

import io.sixgate.core.frame.FramePool;

/**
 * Size of each worker's {@link FramePool}: every frame the worker holds at once, received,
 * queued or generated, takes one slot.
 *
 * @param frames   number of slots.
 * @param slotSize bytes per slot, headroom ({@link FramePool#DEFAULT_HEADROOM}) included.
 */
public record FramePoolConfig(int frames, int slotSize)
{
    public static final int DEFAULT_FRAMES = 8192;
    public static final int DEFAULT_SLOT_SIZE = FramePool.DEFAULT_SLOT_SIZE;

    public static final FramePoolConfig DEFAULT = new FramePoolConfig(DEFAULT_FRAMES, DEFAULT_SLOT_SIZE);

    /**
     * @return the largest frame a slot holds after the headroom.
     */
    public int maxFrameLength()
    {
        return slotSize - FramePool.DEFAULT_HEADROOM;
    }
}
