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
     * Defaults when a TAP port takes offloads: a slot holds the largest super-packet a TAP hands
     * over (64 KiB with its Ethernet header: tun has no BIG TCP, so its GSO limit stays at the
     * legacy 65 536) after the headroom, so the senders' own TSO bursts cross whole; a quarter as
     * many frames as plain, 128 MiB per worker.
     */
    public static final int OFFLOAD_DEFAULT_FRAMES = 2048;
    public static final int OFFLOAD_DEFAULT_SLOT_SIZE = 65536 + FramePool.DEFAULT_HEADROOM;
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
