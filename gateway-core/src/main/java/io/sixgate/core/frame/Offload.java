package io.sixgate.core.frame;

import java.nio.ByteOrder;

import io.sixgate.core.packet.InternetChecksum;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A frame's offload state: what the {@code struct virtio_net_hdr} in front of a frame on a TAP
 * opened with IFF_VNET_HDR said about it, packed into one {@code long} that
 * {@link FramePool#offload(int)} keeps per frame (0 for a plain frame).
 *
 * <pre>
 *  virtio_net_hdr (little-endian, 10 bytes; TUNSETVNETHDRSZ 10):
 *    0        1          2          4          6            8             10
 *    +--------+----------+----------+----------+------------+-------------+
 *    | flags  | gso_type | hdr_len  | gso_size | csum_start | csum_offset |
 *    +--------+----------+----------+----------+------------+-------------+
 *
 *  packed long:  bits 0-7 flags, 8-15 gso_type, 16-31 gso_size,
 *                32-47 csum_start from the start of the IP header, 48-63 csum_offset
 * </pre>
 *
 * {@code csum_start} is kept from the start of the IP header (the wire value counts from the
 * Ethernet header) because the pipeline strips and rebuilds the link header and the translators
 * change the IP header's length; {@code hdr_len} is a hint the kernel recomputes (tun_get_user),
 * so it is not kept and written as 0.
 *
 * <p>With {@link #F_NEEDS_CSUM} the transport checksum field holds the (not complemented)
 * pseudo-header sum only, for the full length of the packet; the receiver of the frame completes
 * it (or the kernel per segment, for a GSO super-packet). Stateless helpers; no allocation.
 */
public final class Offload
{
    /** Bytes of the header used here: {@code struct virtio_net_hdr} without {@code num_buffers}. */
    public static final int HEADER_LENGTH = 10;

    public static final int FLAGS_OFFSET = 0;
    public static final int GSO_TYPE_OFFSET = 1;
    public static final int HDR_LEN_OFFSET = 2;
    public static final int GSO_SIZE_OFFSET = 4;
    public static final int CSUM_START_OFFSET = 6;
    public static final int CSUM_OFFSET_OFFSET = 8;

    /** VIRTIO_NET_HDR_F_NEEDS_CSUM: the checksum at csum_start + csum_offset is partial. */
    public static final int F_NEEDS_CSUM = 1;
    /** VIRTIO_NET_HDR_F_DATA_VALID: the sender checked the checksum. */
    public static final int F_DATA_VALID = 2;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_UDP_L4 = 5;
    /** Flag bit of gso_type: the TCP flow uses ECN; CWR goes on the first segment only. */
    public static final int GSO_ECN = 0x80;

    /** A plain frame: nothing offloaded. */
    public static final long NONE = 0;

    /** Offset of the TCP checksum in the TCP header (RFC 9293 §3.1). */
    public static final int TCP_CHECKSUM_OFFSET = 16;

    private Offload()
    {
    }

    /**
     * Packs a header's fields.
     *
     * @param csumStartFromIp csum_start counted from the start of the IP header.
     */
    public static long pack(
        final int flags, final int gsoType, final int gsoSize, final int csumStartFromIp, final int csumOffset)
    {
        return (flags & 0xFFL) | (gsoType & 0xFFL) << 8 | (gsoSize & 0xFFFFL) << 16
            | (csumStartFromIp & 0xFFFFL) << 32 | (csumOffset & 0xFFFFL) << 48;
    }

    /**
     * Reads a header written by the kernel.
     *
     * @param linkHeaderLength bytes of link header before the IP header (14 for Ethernet),
     *                         taken off {@code csum_start}.
     */
    public static long read(final DirectBuffer buffer, final int offset, final int linkHeaderLength)
    {
        final int flags = buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
        final int gsoType = buffer.getByte(offset + GSO_TYPE_OFFSET) & 0xFF;
        final int gsoSize = buffer.getShort(offset + GSO_SIZE_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int csumStart = buffer.getShort(offset + CSUM_START_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int csumOffset = buffer.getShort(offset + CSUM_OFFSET_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int fromIp = (flags & F_NEEDS_CSUM) != 0 ? csumStart - linkHeaderLength : 0;
        return pack(flags, gsoType, gsoSize, fromIp, csumOffset);
    }

    /**
     * Writes the header for the kernel: {@code hdr_len} 0 (tun recomputes it), little-endian
     * (the virtio 1.0 byte order, which TUNSETVNETLE or a little-endian host gives).
     *
     * @param linkHeaderLength bytes of link header before the IP header, added to {@code csum_start}.
     */
    public static void write(
        final MutableDirectBuffer buffer, final int offset, final long offload, final int linkHeaderLength)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags(offload));
        buffer.putByte(offset + GSO_TYPE_OFFSET, (byte)gsoType(offload));
        buffer.putShort(offset + HDR_LEN_OFFSET, (short)0, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + GSO_SIZE_OFFSET, (short)gsoSize(offload), ByteOrder.LITTLE_ENDIAN);
        final boolean partial = needsChecksum(offload);
        buffer.putShort(offset + CSUM_START_OFFSET,
            (short)(partial ? csumStartFromIp(offload) + linkHeaderLength : 0), ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + CSUM_OFFSET_OFFSET,
            (short)(partial ? csumOffset(offload) : 0), ByteOrder.LITTLE_ENDIAN);
    }

    public static int flags(final long offload)
    {
        return (int)(offload & 0xFF);
    }

    public static int gsoType(final long offload)
    {
        return (int)(offload >>> 8 & 0xFF);
    }

    /**
     * @return the payload bytes per segment (the MSS) of a GSO super-packet.
     */
    public static int gsoSize(final long offload)
    {
        return (int)(offload >>> 16 & 0xFFFF);
    }

    public static int csumStartFromIp(final long offload)
    {
        return (int)(offload >>> 32 & 0xFFFF);
    }

    public static int csumOffset(final long offload)
    {
        return (int)(offload >>> 48 & 0xFFFF);
    }

    public static boolean needsChecksum(final long offload)
    {
        return (offload & F_NEEDS_CSUM) != 0;
    }

    /**
     * @return whether the frame is a GSO super-packet (gso_type other than NONE, ECN bit aside).
     */
    public static boolean isGso(final long offload)
    {
        return (gsoType(offload) & ~GSO_ECN) != GSO_NONE;
    }

    /**
     * @return whether the super-packet is TCP (TCPV4 or TCPV6, with or without ECN): the kinds
     * the pipeline carries whole; anything else is dropped at ingest.
     */
    public static boolean isTcpGso(final long offload)
    {
        final int type = gsoType(offload) & ~GSO_ECN;
        return type == GSO_TCPV4 || type == GSO_TCPV6;
    }

    /**
     * The same offload after translation to the other IP version: TCPV6 becomes TCPV4 and back
     * (ECN bit kept), {@code gso_size} unchanged (the payload per segment; each IPv4 segment is 20
     * bytes shorter than its IPv6 one, so it fits wherever the IPv6 one did), {@code csum_start}
     * moved to the new header's end.
     *
     * @param ipv4            whether the translated packet is IPv4.
     * @param csumStartFromIp where the transport header now starts, from the IP header.
     */
    public static long translated(final long offload, final boolean ipv4, final int csumStartFromIp)
    {
        int gsoType = gsoType(offload);
        if (isTcpGso(offload))
        {
            gsoType = (gsoType & GSO_ECN) | (ipv4 ? GSO_TCPV4 : GSO_TCPV6);
        }
        return pack(flags(offload) & F_NEEDS_CSUM, gsoType, gsoSize(offload), csumStartFromIp, csumOffset(offload));
    }

    /**
     * Bytes on the wire of the largest segment of a super-packet: what an MTU check compares.
     *
     * @param headersLength IP and transport headers of each segment.
     */
    public static int segmentLength(final long offload, final int headersLength)
    {
        return headersLength + gsoSize(offload);
    }

    /**
     * The length an MTU check weighs: the packet's own, or for a TCP super-packet its largest
     * segment (IP header and options as they are, TCP header, gso_size of payload).
     *
     * @param l3Offset     absolute offset of the IP header.
     * @param packetLength the IP packet's length.
     */
    public static int lengthOnLink(
        final DirectBuffer buffer, final int l3Offset, final long offload, final int packetLength)
    {
        if (!isGso(offload) || !needsChecksum(offload))
        {
            return packetLength;
        }
        final int l4FromIp = csumStartFromIp(offload);
        return Math.min(packetLength,
            l4FromIp + (buffer.getByte(l3Offset + l4FromIp + 12) >>> 4 & 0xF) * 4 + gsoSize(offload));
    }

    /**
     * RFC 1624 eqn. 3 for a partial checksum field. The field holds the pseudo-header sum itself
     * rather than its complement, so the update runs on the complement and complements back: the
     * sum becomes {@code field - oldSum + newSum}.
     */
    public static int updatePartial(final int field, final int oldSum, final int newSum)
    {
        return ~InternetChecksum.update(~field & 0xFFFF, oldSum, newSum) & 0xFFFF;
    }

    /**
     * Completes a partial checksum in software, as the kernel would: the one's complement sum of
     * everything from {@code csumStart} to the end (the field holding the pseudo-header sum),
     * complemented into the field.
     *
     * @param csumStart absolute offset of the transport header.
     * @param end       absolute offset after the packet's last byte.
     */
    public static void complete(
        final MutableDirectBuffer buffer, final int csumStart, final int csumOffset, final int end)
    {
        final int checksum = ~InternetChecksum.sum(buffer, csumStart, end - csumStart) & 0xFFFF;
        // As skb_checksum_help: a computed 0 goes out as 0xFFFF (the same in one's complement,
        // and what UDP needs, RFC 768).
        buffer.putShort(csumStart + csumOffset, (short)(checksum == 0 ? 0xFFFF : checksum), ByteOrder.BIG_ENDIAN);
    }
}
