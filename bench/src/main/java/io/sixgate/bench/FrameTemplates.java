package io.sixgate.bench;

import io.sixgate.core.frame.FramePool;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Snapshots of prepared frames (bytes and pool metadata), restored into a frame of the pool before
 * each benchmark operation, because the stages work in place: a translator rewrites the headers
 * and moves the frame's start, l2-output writes the Ethernet header.
 *
 * <p>A snapshot keeps the first {@code bytesPerTemplate} bytes of the frame's data; a restore
 * copies them back into the slot and resets offset, length, port, timestamp and the L3/L4
 * metadata, all relative to the slot so any frame of the pool can take any template. Keep only
 * the headers ({@link #HEADER_BYTES}) when the stage leaves the payload alone and the frame
 * restored into holds the same payload (the frame the template was taken from, or one of the same
 * packet shape), which {@link #matchesSnapshot} lets the benchmark verify at set-up; keep the
 * whole frame when the frame is a fresh one from the pool (the worker-pipeline benchmark's
 * stand-in for the device read).
 *
 * <p>The restore is one {@code copyMemory} and a few array stores, about 15 ns that every stage
 * benchmark that rewrites its frame includes; {@code FrameRestoreBenchmark} measures it alone.
 */
public final class FrameTemplates
{
    /** Ethernet (14) + IPv6 (40) + TCP with options (60) fit, rounded to two cache lines. */
    public static final int HEADER_BYTES = 128;

    private final int bytesPerTemplate;
    private final UnsafeBuffer bytes;
    private final int[] dataInSlot;
    private final int[] length;
    private final int[] copyLength;
    private final int[] port;
    private final long[] timestampNs;
    private final int[] l3InSlot;
    private final int[] l4InSlot;
    private final int[] l4Protocol;
    private final byte[][] wholeFrame;

    /**
     * @param count            how many templates.
     * @param bytesPerTemplate bytes of each frame's data kept and restored.
     */
    public FrameTemplates(final int count, final int bytesPerTemplate)
    {
        this.bytesPerTemplate = bytesPerTemplate;
        this.bytes = new UnsafeBuffer(BufferUtil.allocateDirectAligned(count * bytesPerTemplate, 64));
        this.dataInSlot = new int[count];
        this.length = new int[count];
        this.copyLength = new int[count];
        this.port = new int[count];
        this.timestampNs = new long[count];
        this.l3InSlot = new int[count];
        this.l4InSlot = new int[count];
        this.l4Protocol = new int[count];
        this.wholeFrame = new byte[count][];
    }

    /** A single template of the frame as it is now; see {@link #capture}. */
    public static FrameTemplates of(final FramePool pool, final int frame, final int bytesPerTemplate)
    {
        final FrameTemplates templates = new FrameTemplates(1, bytesPerTemplate);
        templates.capture(0, pool, frame);
        return templates;
    }

    /**
     * Takes template {@code index} from the frame as it is now (set-up time).
     *
     * @throws IllegalArgumentException when the frame is shorter than a header-only template
     *                                  assumes, so a restore would leave stale bytes behind.
     */
    public void capture(final int index, final FramePool pool, final int frame)
    {
        final int slot = pool.slotStart(frame);
        final int offset = pool.offset(frame);
        dataInSlot[index] = offset - slot;
        length[index] = pool.length(frame);
        copyLength[index] = Math.min(bytesPerTemplate, pool.length(frame));
        port[index] = pool.port(frame);
        timestampNs[index] = pool.timestampNs(frame);
        l3InSlot[index] = pool.l3Offset(frame) < 0 ? -1 : pool.l3Offset(frame) - slot;
        l4InSlot[index] = pool.l4Offset(frame) < 0 ? -1 : pool.l4Offset(frame) - slot;
        l4Protocol[index] = pool.l4Protocol(frame);
        bytes.putBytes(index * bytesPerTemplate, pool.buffer(), offset, copyLength[index]);
        wholeFrame[index] = pool.copyOut(frame);
    }

    /**
     * Puts template {@code index} into {@code frame}: bytes and metadata. Allocates nothing.
     */
    public void restore(final int index, final FramePool pool, final int frame)
    {
        final int slot = pool.slotStart(frame);
        final int offset = slot + dataInSlot[index];
        pool.buffer().putBytes(offset, bytes, index * bytesPerTemplate, copyLength[index]);
        pool.setData(frame, offset, length[index]);
        pool.port(frame, port[index]);
        pool.timestampNs(frame, timestampNs[index]);
        final int l3 = l3InSlot[index];
        final int l4 = l4InSlot[index];
        pool.l3Offset(frame, l3 < 0 ? -1 : slot + l3);
        pool.l4Offset(frame, l4 < 0 ? -1 : slot + l4);
        pool.l4Protocol(frame, l4Protocol[index]);
        pool.route(frame, -1, 0, 0);
    }

    /**
     * Allocates a frame and puts template {@code index} in it.
     *
     * @return the frame, or {@link FramePool#NO_FRAME} when the pool is empty.
     */
    public int allocate(final int index, final FramePool pool)
    {
        final int frame = pool.allocate();
        if (frame != FramePool.NO_FRAME)
        {
            restore(index, pool, frame);
        }
        return frame;
    }

    /**
     * @return whether the frame holds exactly the bytes template {@code index} was taken from,
     * payload included: after a restore, proof that a header-only template restores the frame
     * whole (set-up checks; allocates).
     */
    public boolean matchesSnapshot(final int index, final FramePool pool, final int frame)
    {
        return java.util.Arrays.equals(wholeFrame[index], pool.copyOut(frame)) &&
            pool.offset(frame) - pool.slotStart(frame) == dataInSlot[index];
    }
}
