package io.sixgate.core.frame;

import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A preallocated pool of frames in one off-heap region, addressed by {@code int} handle.
 *
 * <pre>
 *  region:  | slot 0                     | slot 1                     | ...
 *  slot:    | headroom | data ........... | tailroom                   |
 *           ^slotStart  ^offset(frame)     ^offset + length   ^slotEnd
 * </pre>
 *
 * Every frame's bytes live in {@link #buffer()} at absolute index {@link #offset(int)}, so
 * flyweights wrap the one buffer at an offset and nothing is allocated per packet. The
 * headroom lets a stage grow headers in place (IPv4 to IPv6 adds 20 bytes, plus a
 * fragment header) by moving the start of the frame back.
 *
 * <p>Per-frame metadata (receive port, timestamp, parse results) sits in primitive
 * arrays beside the region.
 *
 * <p>Not thread-safe: one owner thread allocates and releases. A frame that crosses to
 * another thread comes back to its owner through a queue before it is released.
 */
public final class FramePool
{
    /** Returned by {@link #allocate()} when the pool is empty. */
    public static final int NO_FRAME = -1;

    /** Default bytes reserved before the data of a fresh frame. */
    public static final int DEFAULT_HEADROOM = 128;

    /** Default slot size: headroom + the largest Ethernet frame with a VLAN tag, rounded up. */
    public static final int DEFAULT_SLOT_SIZE = 2048;

    private static final int CACHE_LINE = 64;

    private final UnsafeBuffer buffer;
    private final int slotSize;
    private final int headroom;
    private final int capacity;

    private final int[] offset;
    private final int[] length;
    private final int[] port;
    private final long[] timestampNs;
    private final int[] l3Offset;
    private final int[] l4Offset;
    private final int[] l4Protocol;
    private final int[] egressPort;
    private final long[] nextHopHigh;
    private final long[] nextHopLow;
    private final long[] offload;
    private final boolean[] inUse;

    private final int[] freeStack;
    private int freeCount;
    private long allocationFailures;
    private long invalidReleases;

    /**
     * @param capacity number of frames.
     * @param slotSize bytes per frame slot, a multiple of 64.
     * @param headroom bytes reserved in front of a fresh frame's data.
     */
    public FramePool(final int capacity, final int slotSize, final int headroom)
    {
        if (capacity <= 0)
        {
            throw new IllegalArgumentException("capacity must be > 0: " + capacity);
        }
        if (slotSize <= 0 || slotSize % CACHE_LINE != 0)
        {
            throw new IllegalArgumentException("slotSize must be a positive multiple of 64: " + slotSize);
        }
        if (headroom < 0 || headroom >= slotSize)
        {
            throw new IllegalArgumentException("headroom must be in [0, slotSize): " + headroom);
        }
        if ((long)capacity * slotSize > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("pool larger than 2 GiB: " + capacity + " x " + slotSize);
        }
        this.capacity = capacity;
        this.slotSize = slotSize;
        this.headroom = headroom;
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity * slotSize, CACHE_LINE));
        this.offset = new int[capacity];
        this.length = new int[capacity];
        this.port = new int[capacity];
        this.timestampNs = new long[capacity];
        this.l3Offset = new int[capacity];
        this.l4Offset = new int[capacity];
        this.l4Protocol = new int[capacity];
        this.egressPort = new int[capacity];
        this.nextHopHigh = new long[capacity];
        this.nextHopLow = new long[capacity];
        this.offload = new long[capacity];
        this.inUse = new boolean[capacity];
        this.freeStack = new int[capacity];
        for (int i = 0; i < capacity; i++)
        {
            freeStack[i] = capacity - 1 - i;
        }
        this.freeCount = capacity;
    }

    /**
     * @param capacity number of frames with {@link #DEFAULT_SLOT_SIZE} and {@link #DEFAULT_HEADROOM}.
     */
    public FramePool(final int capacity)
    {
        this(capacity, DEFAULT_SLOT_SIZE, DEFAULT_HEADROOM);
    }

    /**
     * @return the buffer over the whole region; frames are at absolute offsets within it.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * Takes a frame with empty data positioned after the headroom, metadata cleared.
     *
     * @return the handle, or {@link #NO_FRAME} when every frame is in use (counted).
     */
    public int allocate()
    {
        if (freeCount == 0)
        {
            allocationFailures++;
            return NO_FRAME;
        }
        final int frame = freeStack[--freeCount];
        inUse[frame] = true;
        offset[frame] = slotStart(frame) + headroom;
        length[frame] = 0;
        port[frame] = -1;
        timestampNs[frame] = 0;
        l3Offset[frame] = -1;
        l4Offset[frame] = -1;
        l4Protocol[frame] = -1;
        egressPort[frame] = -1;
        nextHopHigh[frame] = 0;
        nextHopLow[frame] = 0;
        offload[frame] = Offload.NONE;
        return frame;
    }

    /**
     * Takes {@code count} frames or none: for work that needs them all (the fragments of one
     * packet), so nothing has to be given back halfway. One owner thread makes the check exact.
     *
     * @param frames receives the handles in its first {@code count} slots.
     * @return {@code false}, taking nothing (counted as one allocation failure), when fewer are free.
     */
    public boolean allocateAll(final int[] frames, final int count)
    {
        if (count > freeCount)
        {
            allocationFailures++;
            return false;
        }
        for (int i = 0; i < count; i++)
        {
            frames[i] = allocate();
        }
        return true;
    }

    /**
     * Returns a frame to the pool. Releasing a frame that is not in use is a bug elsewhere;
     * it is ignored and counted rather than corrupting the free list.
     *
     * @param frame the handle.
     * @return {@code true} when the frame was in use and is now free.
     */
    public boolean release(final int frame)
    {
        if (frame < 0 || frame >= capacity || !inUse[frame])
        {
            invalidReleases++;
            return false;
        }
        inUse[frame] = false;
        freeStack[freeCount++] = frame;
        return true;
    }

    public int capacity()
    {
        return capacity;
    }

    public int available()
    {
        return freeCount;
    }

    public int slotSize()
    {
        return slotSize;
    }

    public int headroom()
    {
        return headroom;
    }

    public long allocationFailures()
    {
        return allocationFailures;
    }

    public long invalidReleases()
    {
        return invalidReleases;
    }

    public boolean isInUse(final int frame)
    {
        return frame >= 0 && frame < capacity && inUse[frame];
    }

    public int slotStart(final int frame)
    {
        return frame * slotSize;
    }

    public int slotEnd(final int frame)
    {
        return (frame + 1) * slotSize;
    }

    /**
     * @return absolute index in {@link #buffer()} of the frame's first byte.
     */
    public int offset(final int frame)
    {
        return offset[frame];
    }

    public int length(final int frame)
    {
        return length[frame];
    }

    /**
     * Sets the frame's data window.
     *
     * @return {@code false}, changing nothing, when the window would leave the frame's slot.
     */
    public boolean setData(final int frame, final int newOffset, final int newLength)
    {
        if (newOffset < slotStart(frame) || newLength < 0 || newOffset + newLength > slotEnd(frame))
        {
            return false;
        }
        offset[frame] = newOffset;
        length[frame] = newLength;
        return true;
    }

    /**
     * Sets the data length, keeping the start.
     *
     * @return {@code false}, changing nothing, when the data would run past the slot.
     */
    public boolean setLength(final int frame, final int newLength)
    {
        return setData(frame, offset[frame], newLength);
    }

    /**
     * Moves the start of the data by {@code delta} bytes: negative grows the frame at the front
     * (into the headroom), positive strips bytes from the front. The end stays where it is.
     *
     * @return {@code false}, changing nothing, when the new start leaves the slot or passes the end.
     */
    public boolean adjustHead(final int frame, final int delta)
    {
        return setData(frame, offset[frame] + delta, length[frame] - delta);
    }

    /**
     * @return bytes available after the frame's data before the end of its slot.
     */
    public int tailroom(final int frame)
    {
        return slotEnd(frame) - offset[frame] - length[frame];
    }

    public int port(final int frame)
    {
        return port[frame];
    }

    public void port(final int frame, final int portId)
    {
        port[frame] = portId;
    }

    /**
     * @return when the frame was received, in nanoseconds of the pipeline's clock (the packet
     * timestamp in replay, the receive time in the daemon).
     */
    public long timestampNs(final int frame)
    {
        return timestampNs[frame];
    }

    public void timestampNs(final int frame, final long nanos)
    {
        timestampNs[frame] = nanos;
    }

    /**
     * @return absolute offset of the IP header, set by the L2 input stage, or -1.
     */
    public int l3Offset(final int frame)
    {
        return l3Offset[frame];
    }

    public void l3Offset(final int frame, final int absoluteOffset)
    {
        l3Offset[frame] = absoluteOffset;
    }

    /**
     * @return absolute offset of the upper-layer header (after IPv6 extension headers), or -1.
     */
    public int l4Offset(final int frame)
    {
        return l4Offset[frame];
    }

    public void l4Offset(final int frame, final int absoluteOffset)
    {
        l4Offset[frame] = absoluteOffset;
    }

    /**
     * @return upper-layer protocol number (IPv4 protocol / last IPv6 next header), or -1.
     */
    public int l4Protocol(final int frame)
    {
        return l4Protocol[frame];
    }

    public void l4Protocol(final int frame, final int protocol)
    {
        l4Protocol[frame] = protocol;
    }

    /**
     * @return the port chosen by routing, or -1 before routing.
     */
    public int egressPort(final int frame)
    {
        return egressPort[frame];
    }

    public void egressPort(final int frame, final int portId)
    {
        egressPort[frame] = portId;
    }

    /**
     * @return high 64 bits of the IPv6 next hop chosen by routing (0 for IPv4).
     */
    public long nextHopHigh(final int frame)
    {
        return nextHopHigh[frame];
    }

    /**
     * @return low 64 bits of the IPv6 next hop, or the IPv4 next hop in the low 32 bits.
     */
    public long nextHopLow(final int frame)
    {
        return nextHopLow[frame];
    }

    /**
     * Records where routing sends the frame.
     *
     * @param portId  egress port.
     * @param high    IPv6 next hop high bits (0 for IPv4).
     * @param low     IPv6 next hop low bits, or the IPv4 next hop as an unsigned int.
     */
    public void route(final int frame, final int portId, final long high, final long low)
    {
        egressPort[frame] = portId;
        nextHopHigh[frame] = high;
        nextHopLow[frame] = low;
    }

    /**
     * @return the frame's offload state ({@link Offload}): {@link Offload#NONE} for a plain frame,
     * else what the TAP's virtio-net header said (a partial checksum, a TCP super-packet).
     */
    public long offload(final int frame)
    {
        return offload[frame];
    }

    public void offload(final int frame, final long state)
    {
        offload[frame] = state;
    }

    /**
     * Copies bytes into a fresh frame; a convenience for capture readers and tests.
     *
     * @return the frame, or {@link #NO_FRAME} when the pool is empty or the data does not fit.
     */
    public int allocateCopy(final byte[] data, final int dataOffset, final int dataLength)
    {
        if (dataLength > slotSize - headroom)
        {
            return NO_FRAME;
        }
        final int frame = allocate();
        if (frame != NO_FRAME)
        {
            buffer.putBytes(offset[frame], data, dataOffset, dataLength);
            length[frame] = dataLength;
        }
        return frame;
    }

    /**
     * @return a copy of the frame's data; allocates, so for tests and slow paths only.
     */
    public byte[] copyOut(final int frame)
    {
        final byte[] bytes = new byte[length[frame]];
        buffer.getBytes(offset[frame], bytes);
        return bytes;
    }
}
