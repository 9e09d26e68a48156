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
     * Defaults when a TAP port takes offloads: 16 KiB slots hold a TCP super-packet of 10
     * segments at MTU 1500 (the kernel is told the limit), half as many frames as plain so the
     * pool stays at 64 MiB per worker rather than 128.
     */
    public static final int OFFLOAD_DEFAULT_FRAMES = 4096;
    public static final int OFFLOAD_DEFAULT_SLOT_SIZE = 16384;
    public static final FramePoolConfig OFFLOAD_DEFAULT =
        new FramePoolConfig(OFFLOAD_DEFAULT_FRAMES, OFFLOAD_DEFAULT_SLOT_SIZE);

    /**
     * @return the largest frame a slot holds after the headroom.
     */
    public int maxFrameLength()
    {
        return slotSize - FramePool.DEFAULT_HEADROOM;
    }
}
