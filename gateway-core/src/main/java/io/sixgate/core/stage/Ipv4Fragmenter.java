package io.sixgate.core.stage;

import static java.nio.ByteOrder.BIG_ENDIAN;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.InternetChecksum;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Verdict;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Splits a routed IPv4 packet without DF into fragments that fit the egress MTU, the way
 * RFC 791 §3.2 ("Fragmentation") describes: the packet's own frame becomes the first fragment,
 * with every option; the others are new frames whose headers carry only the options with the
 * copy flag set (RFC 791 §3.1), each with the data offset in 8-octet units and MF set on all
 * but the last (which keeps the original MF, so a fragment can be fragmented again). Every
 * fragment keeps the packet's routing (egress port, next hop) and goes to the stage given,
 * usually {@link StageNames#L2_OUTPUT}.
 */
final class Ipv4Fragmenter
{
    /** More fragments than this would crowd the pipeline's pending queue; refused. */
    static final int MAX_FRAGMENTS = Pipeline.MAX_PENDING / 4;

    /** Fragmented, the first fragment is the frame itself. */
    static final int FRAGMENTED = 0;
    /** Would need more than {@link #MAX_FRAGMENTS} fragments. */
    static final int TOO_MANY_FRAGMENTS = 1;
    /** Not enough free frames in the pool for every fragment; nothing was changed. */
    static final int NO_FRAME = 2;

    private static final int OPTION_END = 0;
    private static final int OPTION_NOP = 1;
    private static final int OPTION_COPIED_FLAG = 0x80;

    private final FramePool pool;
    private final UnsafeBuffer buffer;

    Ipv4Fragmenter(final FramePool pool)
    {
        this.pool = pool;
        this.buffer = pool.buffer();
    }

    /**
     * @param frame     a routed packet at its L3 offset, longer than {@code mtu}, DF clear.
     * @param mtu       the egress MTU, 68 or more.
     * @param pipeline  where the second and later fragments are emitted.
     * @param nextStage the stage id they go to.
     * @return {@link #FRAGMENTED}, {@link #TOO_MANY_FRAGMENTS} or {@link #NO_FRAME}.
     */
    int fragment(final int frame, final int mtu, final Pipeline pipeline, final int nextStage)
    {
        final int l3 = pool.l3Offset(frame);
        final int headerLength = (buffer.getByte(l3) & 0x0F) << 2;
        final int totalLength = buffer.getShort(l3 + Ipv4Flyweight.TOTAL_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
        final int fragmentWord = buffer.getShort(l3 + Ipv4Flyweight.FLAGS_OFFSET, BIG_ENDIAN) & 0xFFFF;
        final boolean lastMoreFragments = (fragmentWord & Ipv4Flyweight.FLAG_MF) != 0;
        final int baseOffsetUnits = fragmentWord & Ipv4Flyweight.FRAGMENT_OFFSET_MASK;
        final int dataLength = totalLength - headerLength;

        // RFC 791 §3.2: NFB, the data of a fragment, is a whole number of 8-octet blocks.
        final int firstData = ((mtu - headerLength) >>> 3) << 3;
        final int laterHeaderLength = Ipv4Flyweight.MIN_HEADER_LENGTH + ((copiedOptionsLength(l3, headerLength) + 3) & ~3);
        final int laterData = ((mtu - laterHeaderLength) >>> 3) << 3;
        final int laterFragments = (dataLength - firstData + laterData - 1) / laterData;
        if (1 + laterFragments > MAX_FRAGMENTS)
        {
            return TOO_MANY_FRAGMENTS;
        }
        if (pool.available() < laterFragments)
        {
            return NO_FRAME;
        }

        int dataOffset = firstData;
        while (dataOffset < dataLength)
        {
            final int length = Math.min(laterData, dataLength - dataOffset);
            final boolean last = dataOffset + length == dataLength;
            final int out = pool.allocate();
            final int start = pool.offset(out);
            buffer.putBytes(start, buffer, l3, Ipv4Flyweight.MIN_HEADER_LENGTH);
            final int optionsEnd = copyOptions(l3, headerLength, start + Ipv4Flyweight.MIN_HEADER_LENGTH);
            for (int pad = optionsEnd; pad < start + laterHeaderLength; pad++)
            {
                buffer.putByte(pad, (byte)OPTION_END);
            }
            buffer.putBytes(start + laterHeaderLength, buffer, l3 + headerLength + dataOffset, length);
            writeHeader(start, laterHeaderLength, laterHeaderLength + length,
                baseOffsetUnits + (dataOffset >>> 3), !last || lastMoreFragments);
            pool.setLength(out, laterHeaderLength + length);
            pool.l3Offset(out, start);
            pool.port(out, pool.port(frame));
            pool.timestampNs(out, pool.timestampNs(frame));
            pool.route(out, pool.egressPort(frame), pool.nextHopHigh(frame), pool.nextHopLow(frame));
            pipeline.emit(out, Verdict.next(nextStage));
            dataOffset += length;
        }

        // The frame itself is the first fragment: every option, MF set.
        writeHeader(l3, headerLength, headerLength + firstData, baseOffsetUnits, true);
        pool.setLength(frame, l3 + headerLength + firstData - pool.offset(frame));
        return FRAGMENTED;
    }

    private void writeHeader(
        final int l3, final int headerLength, final int totalLength, final int offsetUnits, final boolean moreFragments)
    {
        final int dontFragment = buffer.getShort(l3 + Ipv4Flyweight.FLAGS_OFFSET, BIG_ENDIAN) & Ipv4Flyweight.FLAG_DF;
        buffer.putByte(l3, (byte)(0x40 | (headerLength >>> 2)));
        buffer.putShort(l3 + Ipv4Flyweight.TOTAL_LENGTH_OFFSET, (short)totalLength, BIG_ENDIAN);
        buffer.putShort(l3 + Ipv4Flyweight.FLAGS_OFFSET,
            (short)(dontFragment | (moreFragments ? Ipv4Flyweight.FLAG_MF : 0) | offsetUnits), BIG_ENDIAN);
        buffer.putShort(l3 + Ipv4Flyweight.HEADER_CHECKSUM_OFFSET, (short)0, BIG_ENDIAN);
        buffer.putShort(l3 + Ipv4Flyweight.HEADER_CHECKSUM_OFFSET,
            (short)InternetChecksum.checksum(buffer, l3, headerLength), BIG_ENDIAN);
    }

    /**
     * @return bytes of the options with the copy flag (RFC 791 §3.1), before padding.
     */
    private int copiedOptionsLength(final int l3, final int headerLength)
    {
        int length = 0;
        int i = l3 + Ipv4Flyweight.MIN_HEADER_LENGTH;
        final int end = l3 + headerLength;
        while (i < end)
        {
            final int type = buffer.getByte(i) & 0xFF;
            if (type == OPTION_END)
            {
                break;
            }
            final int optionLength = optionLength(i, end, type);
            if ((type & OPTION_COPIED_FLAG) != 0)
            {
                length += optionLength;
            }
            i += optionLength;
        }
        return length;
    }

    /**
     * Copies the options with the copy flag to {@code to}.
     *
     * @return where the copied options end.
     */
    private int copyOptions(final int l3, final int headerLength, final int to)
    {
        int out = to;
        int i = l3 + Ipv4Flyweight.MIN_HEADER_LENGTH;
        final int end = l3 + headerLength;
        while (i < end)
        {
            final int type = buffer.getByte(i) & 0xFF;
            if (type == OPTION_END)
            {
                break;
            }
            final int optionLength = optionLength(i, end, type);
            if ((type & OPTION_COPIED_FLAG) != 0)
            {
                buffer.putBytes(out, buffer, i, optionLength);
                out += optionLength;
            }
            i += optionLength;
        }
        return out;
    }

    private int optionLength(final int i, final int end, final int type)
    {
        if (type == OPTION_NOP || i + 1 >= end)
        {
            return 1;
        }
        final int length = buffer.getByte(i + 1) & 0xFF;
        // A malformed length would stall the walk or run past the header; take the rest.
        return length < 2 || i + length > end ? end - i : length;
    }
}
