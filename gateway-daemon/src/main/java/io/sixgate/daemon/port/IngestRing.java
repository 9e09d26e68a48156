package io.sixgate.daemon.port;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.ControlledMessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The hand-off from one port's ingest (producer: the event loop) to the worker (consumer): an
 * Agrona {@link OneToOneRingBuffer} in preallocated off-heap memory. The producer claims a
 * record big enough for the largest frame, reads the device straight into it and commits it
 * with the frame's length and receive time; the worker copies the frame into its own
 * {@code FramePool}, so the pool keeps one owner thread and nothing is allocated per frame.
 *
 * <pre>
 *   record (after Agrona's 8-byte record header):
 *   0                   8         12        16
 *   +-------------------+---------+---------+------------------------------+
 *   | receive time, ns  | length  | unused  | frame bytes (up to maxFrame)  |
 *   +-------------------+---------+---------+------------------------------+
 * </pre>
 *
 * Every record takes the full {@code maxFrame} whatever the frame's length, so the ring holds
 * exactly {@link #frames()} frames; the space is the price of reading in place (no bounce copy).
 *
 * <p>Frames of flows the worker has no state for may fill only 3/4 of the ring
 * ({@link #admitsNewFlow}); the last quarter is kept for frames of flows it forwards, so that a
 * flood of new flows, which the worker mostly refuses anyway, cannot crowd established traffic
 * out of the queue. The producer decides which a frame is ({@code KnownFlowHints}).
 */
public final class IngestRing
{
    public static final int TIMESTAMP_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int DATA_OFFSET = 16;

    /** Agrona message type of a frame record (type ids must be positive). */
    static final int MSG_TYPE_FRAME = 1;

    private final OneToOneRingBuffer ring;
    private final UnsafeBuffer buffer;
    private final long address;
    private final int maxFrame;
    private final int frames;
    private final int recordLength;
    /** Bytes the ring may hold, claimed records included, before new-flow frames are refused. */
    private final int newFlowLimit;

    /**
     * @param maxFrame largest frame a record holds.
     * @param frames   records the ring holds at least; rounded so the ring is a power of two.
     */
    public IngestRing(final int maxFrame, final int frames)
    {
        if (maxFrame <= 0 || frames < 8)
        {
            throw new IllegalArgumentException("an ingest ring needs maxFrame > 0 and at least 8 frames: "
                + maxFrame + ", " + frames);
        }
        final int recordLength = BitUtil.align(RecordDescriptor.HEADER_LENGTH + DATA_OFFSET + maxFrame,
            RecordDescriptor.ALIGNMENT);
        final int capacity = BitUtil.findNextPositivePowerOfTwo(recordLength * frames);
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            capacity + RingBufferDescriptor.TRAILER_LENGTH, BitUtil.CACHE_LINE_LENGTH));
        this.ring = new OneToOneRingBuffer(buffer);
        this.address = buffer.addressOffset();
        this.maxFrame = maxFrame;
        this.frames = capacity / recordLength;
        this.recordLength = recordLength;
        this.newFlowLimit = capacity - capacity / 4;
    }

    /**
     * Producer: reserves a record for one frame.
     *
     * @return the record's index, or a negative value when the ring is full.
     */
    public int claim()
    {
        final int index = ring.tryClaim(MSG_TYPE_FRAME, DATA_OFFSET + maxFrame);
        return index == RingBuffer.INSUFFICIENT_CAPACITY ? -1 : index;
    }

    /**
     * @return the memory address of a claimed record's frame bytes, for {@code readAddress}.
     */
    public long dataAddress(final int index)
    {
        return address + index + DATA_OFFSET;
    }

    /**
     * Producer: publishes a claimed record holding a frame of {@code length} bytes.
     */
    public void commit(final int index, final int length, final long timestampNs)
    {
        buffer.putLong(index + TIMESTAMP_OFFSET, timestampNs);
        buffer.putInt(index + LENGTH_OFFSET, length);
        ring.commit(index);
    }

    /**
     * Producer: whether a frame of a flow the worker does not know may take a record: the ring is
     * at most 3/4 full with it.
     *
     * @param claimed whether the frame's record is claimed already (and so counted).
     */
    public boolean admitsNewFlow(final boolean claimed)
    {
        return ring.size() + (claimed ? 0 : recordLength) <= newFlowLimit;
    }

    /**
     * @return the ring's memory, where a claimed record's frame starts at {@link #dataOffset}.
     */
    public DirectBuffer records()
    {
        return buffer;
    }

    /**
     * @return the offset in {@link #records()} of a claimed record's frame bytes.
     */
    public static int dataOffset(final int index)
    {
        return index + DATA_OFFSET;
    }

    /**
     * Producer: copies a whole frame into a new record and publishes it, for a frame that was
     * read elsewhere first (steered to this ring, or handed over by libpcap).
     *
     * @return {@code false} when the ring is full (nothing was copied).
     */
    public boolean offer(final DirectBuffer frame, final int offset, final int length, final long timestampNs)
    {
        final int index = ring.tryClaim(MSG_TYPE_FRAME, DATA_OFFSET + maxFrame);
        if (index == RingBuffer.INSUFFICIENT_CAPACITY)
        {
            return false;
        }
        buffer.putBytes(index + DATA_OFFSET, frame, offset, length);
        commit(index, length, timestampNs);
        return true;
    }

    /**
     * Producer: gives a claimed record back unused (nothing was read).
     */
    public void abort(final int index)
    {
        ring.abort(index);
    }

    /**
     * Consumer: hands up to {@code limit} frames to {@code handler}, oldest first. A handler that
     * returns {@code ABORT} leaves that frame in the ring for the next read.
     *
     * @return frames consumed.
     */
    public int read(final ControlledMessageHandler handler, final int limit)
    {
        return ring.controlledRead(handler, limit);
    }

    /**
     * @return the receive time of the record at {@code index} of the buffer given to a handler.
     */
    public static long timestampNs(final DirectBuffer buffer, final int index)
    {
        return buffer.getLong(index + TIMESTAMP_OFFSET);
    }

    /**
     * @return the frame length of the record at {@code index} of the buffer given to a handler.
     */
    public static int frameLength(final DirectBuffer buffer, final int index)
    {
        return buffer.getInt(index + LENGTH_OFFSET);
    }

    /**
     * @return whether the consumer has taken every committed record; safe from any thread.
     */
    public boolean isEmpty()
    {
        return ring.producerPosition() == ring.consumerPosition();
    }

    public int maxFrame()
    {
        return maxFrame;
    }

    /**
     * @return how many frames of flows the worker does not know the ring takes ({@link #admitsNewFlow}).
     */
    public int newFlowFrames()
    {
        return newFlowLimit / recordLength;
    }

    /**
     * @return how many frames the ring holds when full.
     */
    public int frames()
    {
        return frames;
    }
}
