package io.sixgate.core.icmp;

import static java.nio.ByteOrder.BIG_ENDIAN;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.packet.InternetChecksum;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds the ICMP errors the gateway originates (the router's Time Exceeded, Destination
 * Unreachable and Packet Too Big, RFC 1812 §4.3 and RFC 4443 §3; the translator's, RFC 7915
 * §4.4 and §5.4) in fresh frames of the pool, quoting as much of the offending packet as the
 * size limits allow. It only builds: whether an error may be sent at all is the caller's rule.
 *
 * <p>Size limits: an ICMPv4 error is at most 576 bytes (RFC 1812 §4.3.2.3), an ICMPv6 error at
 * most 1280 bytes (RFC 4443 §2.4 (c)).
 *
 * <p>One instance per worker; nothing is allocated after construction.
 */
public final class IcmpErrorFactory
{
    /** RFC 1812 §4.3.2.3: an ICMPv4 error is at most 576 bytes. */
    public static final int ICMPV4_ERROR_MAX = 576;

    /** RFC 4443 §2.4 (c): an ICMPv6 error must not exceed the minimum IPv6 MTU. */
    public static final int ICMPV6_ERROR_MAX = 1280;

    /** Hop limit / TTL of the errors we originate (RFC 1700 default TTL, Linux's 64). */
    public static final int HOP_LIMIT = 64;

    /**
     * TOS of the ICMPv4 errors we originate: precedence 6, "internetwork control"
     * (RFC 1812 §4.3.2.5, what Linux writes).
     */
    public static final int ICMPV4_ERROR_TOS = 0xC0;

    private final FramePool pool;
    private final UnsafeBuffer buffer;

    public IcmpErrorFactory(final FramePool pool)
    {
        this.pool = pool;
        this.buffer = pool.buffer();
    }

    /**
     * An ICMPv4 error about the IPv4 packet at {@code [offset, offset + length)}.
     *
     * @param offset         absolute offset of the offending packet in the pool's buffer.
     * @param length         its length (it is quoted up to the 576-byte limit).
     * @param source         source of the error: one of the gateway's own IPv4 addresses.
     * @param destination    destination: the offending packet's source.
     * @param type           ICMPv4 type.
     * @param code           ICMPv4 code.
     * @param restOfHeader   bytes 4-7 of the ICMP header (pointer, length, next-hop MTU).
     * @param identification IPv4 identification of the error.
     * @return the new frame, or {@link FramePool#NO_FRAME} when the pool is empty.
     */
    public int icmpv4Error(
        final int offset,
        final int length,
        final int source,
        final int destination,
        final int type,
        final int code,
        final int restOfHeader,
        final int identification)
    {
        final int frame = pool.allocate();
        if (frame == FramePool.NO_FRAME)
        {
            return FramePool.NO_FRAME;
        }
        final int quoted = Math.min(length, Math.min(ICMPV4_ERROR_MAX, pool.slotSize() - pool.headroom()) - 28);
        final int total = 28 + quoted;
        final int out = pool.offset(frame);
        pool.l3Offset(frame, out);
        // Quote first: the quoted packet lives in another frame, so nothing overlaps.
        buffer.putBytes(out + 28, buffer, offset, quoted);

        buffer.putByte(out, (byte)0x45);
        buffer.putByte(out + 1, (byte)ICMPV4_ERROR_TOS);
        buffer.putShort(out + 2, (short)total, BIG_ENDIAN);
        buffer.putShort(out + 4, (short)identification, BIG_ENDIAN);
        buffer.putShort(out + 6, (short)0, BIG_ENDIAN);     // DF clear: the error is at most 576 bytes
        buffer.putByte(out + 8, (byte)HOP_LIMIT);
        buffer.putByte(out + 9, (byte)1);
        buffer.putShort(out + 10, (short)0, BIG_ENDIAN);
        buffer.putInt(out + 12, source, BIG_ENDIAN);
        buffer.putInt(out + 16, destination, BIG_ENDIAN);
        buffer.putShort(out + 10, (short)InternetChecksum.checksum(buffer, out, 20), BIG_ENDIAN);

        buffer.putByte(out + 20, (byte)type);
        buffer.putByte(out + 21, (byte)code);
        buffer.putShort(out + 22, (short)0, BIG_ENDIAN);
        buffer.putInt(out + 24, restOfHeader, BIG_ENDIAN);
        buffer.putShort(out + 22, (short)InternetChecksum.checksum(buffer, out + 20, 8 + quoted), BIG_ENDIAN);

        pool.setLength(frame, total);
        return frame;
    }

    /**
     * An ICMPv6 error about the IPv6 packet at {@code [offset, offset + length)}.
     *
     * @param offset        absolute offset of the offending packet in the pool's buffer.
     * @param length        its length (it is quoted up to the 1280-byte limit).
     * @param srcHigh       bits 0-63 of the error's source: one of the gateway's own IPv6 addresses.
     * @param srcLow        bits 64-127 of it.
     * @param dstHigh       bits 0-63 of the destination: the offending packet's source.
     * @param dstLow        bits 64-127 of it.
     * @param type          ICMPv6 type.
     * @param code          ICMPv6 code.
     * @param restOfHeader  bytes 4-7 of the ICMPv6 header (MTU, pointer).
     * @return the new frame, or {@link FramePool#NO_FRAME} when the pool is empty.
     */
    public int icmpv6Error(
        final int offset,
        final int length,
        final long srcHigh,
        final long srcLow,
        final long dstHigh,
        final long dstLow,
        final int type,
        final int code,
        final int restOfHeader)
    {
        final int frame = pool.allocate();
        if (frame == FramePool.NO_FRAME)
        {
            return FramePool.NO_FRAME;
        }
        final int quoted = Math.min(length, Math.min(ICMPV6_ERROR_MAX, pool.slotSize() - pool.headroom()) - 48);
        final int icmpLength = 8 + quoted;
        final int out = pool.offset(frame);
        pool.l3Offset(frame, out);
        buffer.putBytes(out + 48, buffer, offset, quoted);

        buffer.putInt(out, 6 << 28, BIG_ENDIAN);             // traffic class 0, flow label 0
        buffer.putShort(out + 4, (short)icmpLength, BIG_ENDIAN);
        buffer.putByte(out + 6, (byte)58);
        buffer.putByte(out + 7, (byte)HOP_LIMIT);
        buffer.putLong(out + 8, srcHigh, BIG_ENDIAN);
        buffer.putLong(out + 16, srcLow, BIG_ENDIAN);
        buffer.putLong(out + 24, dstHigh, BIG_ENDIAN);
        buffer.putLong(out + 32, dstLow, BIG_ENDIAN);

        buffer.putByte(out + 40, (byte)type);
        buffer.putByte(out + 41, (byte)code);
        buffer.putShort(out + 42, (short)0, BIG_ENDIAN);
        buffer.putInt(out + 44, restOfHeader, BIG_ENDIAN);
        final int sum = InternetChecksum.add(
            InternetChecksum.ipv6PseudoHeaderSum(srcHigh, srcLow, dstHigh, dstLow, 58, icmpLength),
            InternetChecksum.sum(buffer, out + 40, icmpLength));
        buffer.putShort(out + 42, (short)InternetChecksum.complement(sum), BIG_ENDIAN);

        pool.setLength(frame, 40 + icmpLength);
        return frame;
    }
}
