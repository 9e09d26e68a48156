package io.sixgate.core.state;

import java.nio.ByteBuffer;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One zeroed, cache-line-aligned off-heap region that can be freed at once.
 *
 * <p>Why not {@code BufferUtil.allocateDirectAligned}: it returns a slice of a larger buffer, and
 * {@code BufferUtil.free} refuses slices, so a 1 GiB table would stay mapped until the garbage
 * collector happened to run its cleaner. Here the unsliced allocation is kept for
 * {@link #free()}, and the aligned window is an {@link UnsafeBuffer} over it. After
 * {@link #free()} the window is re-pointed at an empty array, so a use after free throws
 * instead of reading freed memory.
 */
public final class OffHeapRegion
{
    public static final int CACHE_LINE = 64;

    private static final byte[] FREED = new byte[0];

    private final UnsafeBuffer buffer;
    private final int length;
    private ByteBuffer allocation;

    /**
     * @param length bytes, at most {@code Integer.MAX_VALUE - 64}.
     */
    public OffHeapRegion(final int length)
    {
        if (length <= 0 || length > Integer.MAX_VALUE - CACHE_LINE)
        {
            throw new IllegalArgumentException("region length must be in [1, 2 GiB - 64]: " + length);
        }
        this.length = length;
        allocation = ByteBuffer.allocateDirect(length + CACHE_LINE);     // zeroed by the JDK
        final long address = BufferUtil.address(allocation);
        final int offset = (int)((CACHE_LINE - (address & (CACHE_LINE - 1))) & (CACHE_LINE - 1));
        buffer = new UnsafeBuffer(allocation, offset, length);
    }

    /**
     * @return the aligned window of {@link #length()} bytes.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return usable bytes (the allocation is one cache line longer for the alignment).
     */
    public int length()
    {
        return length;
    }

    /**
     * Returns the memory to the OS now. Idempotent.
     */
    public void free()
    {
        if (null != allocation)
        {
            buffer.wrap(FREED);
            BufferUtil.free(allocation);
            allocation = null;
        }
    }
}
