package io.sixgate.nat64.siit;

import static java.nio.ByteOrder.BIG_ENDIAN;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.frame.Offload;
import io.sixgate.core.icmp.IcmpErrorFactory;
import io.sixgate.core.icmp.IdentificationGenerator;
import io.sixgate.core.packet.Icmpv4Flyweight;
import io.sixgate.core.packet.InternetChecksum;
import io.sixgate.core.packet.IpProtocol;
import io.sixgate.core.packet.Ipv4Flyweight;
import io.sixgate.core.packet.Ipv6Flyweight;
import io.sixgate.core.packet.Ipv6FragmentHeaderFlyweight;
import io.sixgate.core.packet.TcpFlyweight;
import io.sixgate.core.packet.UdpFlyweight;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.Verdict;
import io.sixgate.nat64.icmp.IcmpTranslation;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * RFC 7915 §4: translates one IPv4 packet into IPv6 in place, in its frame of the pool.
 *
 * <pre>
 *  before:        | IPv4 header (20-60) | L4 header and data ........ |
 *  after:  | IPv6 (40) [| Fragment (8)] | L4 header and data ........ |
 *          ^ the frame's start moves back into the headroom
 * </pre>
 *
 * The L4 bytes never move; the IPv6 header is written in front of them after every field of
 * the IPv4 header has been read. ICMPv4 errors are rewritten the same way around the packet in
 * error (RFC 7915 §4.3). Extra fragments (RFC 7915 §4.1, {@code lowest-ipv6-mtu}) and the
 * ICMPv4 errors the translator originates (§4.4) are new frames handed to
 * {@link Pipeline#emit(int, int)}.
 *
 * <p>Used by {@link Siit46Stage} and, for hairpinning (RFC 7757 §4.2), by {@link Siit64Stage}.
 * Single-threaded; nothing is allocated after construction.
 */
public final class Translator46
{
    private static final int IPV4_MF = 0x2000;
    private static final int IPV4_DF = 0x4000;
    private static final int IPV4_OFFSET_MASK = 0x1FFF;

    private static final int UDP_CHECKSUM = UdpFlyweight.CHECKSUM_OFFSET;
    private static final int TCP_CHECKSUM = TcpFlyweight.CHECKSUM_OFFSET;
    private static final int ICMP_CHECKSUM = Icmpv4Flyweight.CHECKSUM_OFFSET;
    private static final int ICMP_IDENTIFIER = 4;

    private static final int PROTO_ICMP = IpProtocol.ICMP;
    private static final int PROTO_IGMP = 2;      // RFC 1112
    private static final int PROTO_TCP = IpProtocol.TCP;
    private static final int PROTO_UDP = IpProtocol.UDP;
    private static final int PROTO_FRAGMENT = IpProtocol.FRAGMENT;
    private static final int PROTO_ICMPV6 = IpProtocol.ICMPV6;

    /** RFC 4443 §2.4 (c): room for the packet in error (and extensions) in an ICMPv6 error. */
    private static final int ICMPV6_ERROR_PAYLOAD_MAX = IcmpErrorFactory.ICMPV6_ERROR_MAX - 48;

    /** RFC 4884 §4.1: with extensions, the original datagram is zero-padded to 128 bytes. */
    private static final int RFC4884_MIN_ORIGINAL = 128;

    private final FramePool pool;
    private final UnsafeBuffer buffer;
    private final TranslatorConfig config;
    private final Mapping46 mapper;
    private final EgressMtu egressMtu;
    private final IcmpErrorFactory errors;
    private final IdentificationGenerator identification;

    private final int[] extraFrames = new int[64];

    private Pipeline pipeline;
    private int ipv4OutputId = -1;
    private int ipv6OutputId = -1;

    // Addresses of the packet being translated, as long pairs.
    private long srcHigh;
    private long srcLow;
    private long dstHigh;
    private long dstLow;

    /**
     * SIIT: addresses from EAM, pool6 and RFC 6791.
     */
    Translator46(
        final FramePool pool, final TranslatorConfig config, final IcmpErrorFactory errors,
        final IdentificationGenerator identification)
    {
        this(pool, config, errors, identification, new AddressMapper(config));
    }

    /**
     * A translator whose addresses and ports come from {@code mapping}: SIIT's address mapper, or
     * the session of stateful NAT64 (RFC 6146 §3.7 reuses RFC 7915).
     */
    public Translator46(
        final FramePool pool, final TranslatorConfig config, final IcmpErrorFactory errors,
        final IdentificationGenerator identification, final Mapping46 mapping)
    {
        this.pool = pool;
        this.buffer = pool.buffer();
        this.config = config;
        this.mapper = mapping;
        this.egressMtu = config.egressMtu();
        this.errors = errors;
        this.identification = identification;
    }

    /**
     * @param pipeline     for emitting fragments and ICMPv4 errors.
     * @param ipv4OutputId stage that sends ICMPv4 errors back to the IPv4 side.
     * @param ipv6OutputId stage that sends translated packets to the IPv6 side.
     */
    public void link(final Pipeline pipeline, final int ipv4OutputId, final int ipv6OutputId)
    {
        this.pipeline = pipeline;
        this.ipv4OutputId = ipv4OutputId;
        this.ipv6OutputId = ipv6OutputId;
    }

    /**
     * Translates the IPv4 packet in {@code frame} to IPv6 in place.
     *
     * @param frame   the frame, starting at the IPv4 header.
     * @param hairpin {@code true} when the packet comes from {@link Siit64Stage} and goes back to
     *                the IPv6 side (RFC 7757 §4.2): its source is translated through pool6 only,
     *                its TTL was already decremented, and no ICMPv4 error is sent for it.
     * @return {@code null} when the frame now holds the IPv6 packet (and any further fragments
     * were emitted to the IPv6 output), otherwise why it must be dropped.
     */
    public Siit46DropReason translate(final int frame, final boolean hairpin)
    {
        return translate(frame, hairpin, hairpin);
    }

    /**
     * {@link #translate(int, boolean)} for a caller that has verified the IPv4 header checksum
     * of this very packet itself (stateful NAT64's incoming tuple does, RFC 6146 §3.4).
     *
     * @param headerChecksumVerified {@code true} to skip the header checksum check (RFC 1812
     *                               §5.2.2): the caller made it on the same bytes.
     */
    public Siit46DropReason translate(final int frame, final boolean hairpin, final boolean headerChecksumVerified)
    {
        final int off = pool.offset(frame);
        final int frameLength = pool.length(frame);
        if (frameLength >= 20)
        {
            // Version+IHL, TOS, Total Length | Flags+Fragment Offset | TTL, Protocol.
            final int versionTosLength = buffer.getInt(off, BIG_ENDIAN);
            final int flagsOffset = u16(off + Ipv4Flyweight.FLAGS_OFFSET);
            final int ttlProtocol = u16(off + Ipv4Flyweight.TTL_OFFSET);
            final int totalLength = versionTosLength & 0xFFFF;
            final int ttl = ttlProtocol >>> 8;
            final int protocol = ttlProtocol & 0xFF;
            final int l4 = off + 20;
            final int l4Length = totalLength - 20;
            final int mtu6 = egressMtu.ipv6Mtu();
            if (versionTosLength >>> 24 == 0x45 && l4Length >= 0 && totalLength <= frameLength
                && isPlain(pool.offload(frame))
                && (flagsOffset & (IPV4_MF | IPV4_OFFSET_MASK)) == 0 && (hairpin || ttl > 1)
                && 40 + l4Length <= ((flagsOffset & IPV4_DF) != 0 ? mtu6 : Math.min(mtu6, config.lowestIpv6Mtu()))
                && (protocol == PROTO_TCP && l4Length >= 20
                    || protocol == PROTO_UDP && l4Length >= 8 && u16(l4 + UDP_CHECKSUM) != 0)
                && (headerChecksumVerified || InternetChecksum.sum(buffer, off, 20) == 0xFFFF))
            {
                return translatePlain(frame, l4, (versionTosLength >>> 16) & 0xFF, protocol,
                    hairpin ? ttl : ttl - 1, l4Length, hairpin);
            }
        }
        return translateAny(frame, hairpin, headerChecksumVerified, off, frameLength);
    }

    /** Neither a partial checksum nor a super-packet: those take {@link #translateAny}'s checks. */
    private static boolean isPlain(final long offload)
    {
        return !Offload.needsChecksum(offload) && !Offload.isGso(offload);
    }

    /**
     * The common packet, kept small so that C2 inlines it into the stage: TCP, or UDP with a
     * checksum, no options, not a fragment, a TTL that may be forwarded, fitting the IPv6 MTU
     * without a Fragment Header. Every check {@link #translateAny} makes before it changes a
     * byte is then decided the same way, and what it does after is done here in the same order.
     */
    private Siit46DropReason translatePlain(
        final int frame, final int l4, final int tos, final int protocol, final int hopLimit, final int l4Length,
        final boolean hairpin)
    {
        final int src4 = buffer.getInt(l4 - 20 + Ipv4Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final int dst4 = buffer.getInt(l4 - 20 + Ipv4Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        // RFC 7915 §4.1, RFC 1812 §5.3.7, RFC 7757 §3.2: as in translateAny.
        if (isIllegalSource(src4))
        {
            return Siit46DropReason.ILLEGAL_SOURCE;
        }
        if (isIllegalSource(dst4) || !mapper.destination(dst4))
        {
            return Siit46DropReason.UNTRANSLATABLE_DESTINATION;
        }
        dstHigh = mapper.high();
        dstLow = mapper.low();
        if (!mapper.source(src4, false, hairpin))
        {
            return Siit46DropReason.UNTRANSLATABLE_SOURCE;
        }
        srcHigh = mapper.high();
        srcLow = mapper.low();

        // RFC 7915 §4.5: TCP and UDP checksums updated for the new pseudo-header (and ports).
        final boolean udp = protocol == PROTO_UDP;
        final int checksumOffset = l4 + (udp ? UDP_CHECKSUM : TCP_CHECKSUM);
        updateTransportChecksum(l4, checksumOffset, u16(checksumOffset), src4, dst4, udp);

        final int out = l4 - 40;
        if (!pool.setData(frame, out, 40 + l4Length))
        {
            return Siit46DropReason.NO_ROOM;
        }
        writeIpv6Header(out, config.zeroizeTrafficClass() ? 0 : tos, l4Length, protocol, hopLimit,
            srcHigh, srcLow, dstHigh, dstLow);
        pool.l3Offset(frame, out);
        pool.l4Offset(frame, l4);
        pool.l4Protocol(frame, protocol);
        return null;
    }

    /**
     * Any packet: options, fragments, ICMP, errors to send; see {@link #translate(int, boolean, boolean)}.
     */
    private Siit46DropReason translateAny(
        final int frame, final boolean hairpin, final boolean headerChecksumVerified, final int off,
        final int frameLength)
    {
        if (frameLength < 20)
        {
            return Siit46DropReason.TRUNCATED_IPV4_HEADER;
        }
        final int versionIhl = buffer.getByte(off) & 0xFF;
        if (versionIhl >>> 4 != 4)
        {
            return Siit46DropReason.NOT_IPV4;
        }
        final int ihl = (versionIhl & 0x0F) << 2;
        if (ihl < 20 || ihl > frameLength)
        {
            return Siit46DropReason.BAD_HEADER_LENGTH;
        }
        final int totalLength = u16(off + Ipv4Flyweight.TOTAL_LENGTH_OFFSET);
        if (totalLength < ihl || totalLength > frameLength)
        {
            return Siit46DropReason.TRUNCATED_PACKET;
        }
        // RFC 1812 §5.2.2: a router verifies the header checksum.
        if (!headerChecksumVerified && InternetChecksum.sum(buffer, off, ihl) != 0xFFFF)
        {
            return Siit46DropReason.BAD_HEADER_CHECKSUM;
        }

        final int tos = buffer.getByte(off + Ipv4Flyweight.TOS_OFFSET) & 0xFF;
        final int id = u16(off + Ipv4Flyweight.IDENTIFICATION_OFFSET);
        final int flagsOffset = u16(off + Ipv4Flyweight.FLAGS_OFFSET);
        final int ttl = buffer.getByte(off + Ipv4Flyweight.TTL_OFFSET) & 0xFF;
        final int protocol = buffer.getByte(off + Ipv4Flyweight.PROTOCOL_OFFSET) & 0xFF;
        final int src4 = buffer.getInt(off + Ipv4Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final int dst4 = buffer.getInt(off + Ipv4Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);

        final boolean df = (flagsOffset & IPV4_DF) != 0;
        final boolean mf = (flagsOffset & IPV4_MF) != 0;
        final int fragmentOffset = flagsOffset & IPV4_OFFSET_MASK;
        final boolean isFragment = mf || fragmentOffset != 0;
        final boolean nonFirst = fragmentOffset != 0;
        final int l4 = off + ihl;
        final int l4Length = totalLength - ihl;

        final boolean isIcmpError = protocol == PROTO_ICMP && !nonFirst && l4Length >= 1
            && IcmpTranslation.isIcmpv4Error(buffer.getByte(l4) & 0xFF);

        // RFC 7915 §4.1 (Source Address), RFC 1812 §5.3.7: drop illegal sources, except in the
        // ICMPv4 errors, where they are translated "for the purpose of trouble shooting".
        if (!isIcmpError && isIllegalSource(src4))
        {
            return Siit46DropReason.ILLEGAL_SOURCE;
        }

        // RFC 7915 §1.2: multicast cannot be mapped by the unicast rule of RFC 6052; RFC 1812
        // §5.3.7: 0/8, 127/8 and class E are not forwarded either.
        // RFC 7757 §3.2: EAM first, then pool6.
        if (isIllegalSource(dst4) || !mapper.destination(dst4))
        {
            return Siit46DropReason.UNTRANSLATABLE_DESTINATION;
        }
        dstHigh = mapper.high();
        dstLow = mapper.low();
        // SIIT: pool6 only when hairpinned (RFC 7757 §4.2), RFC 6791 for errors.
        if (!mapper.source(src4, isIcmpError, hairpin))
        {
            return Siit46DropReason.UNTRANSLATABLE_SOURCE;
        }
        srcHigh = mapper.high();
        srcLow = mapper.low();

        // RFC 7915 §4.1 (Hop Limit): the translator is a router; TTL 1 or 0 cannot be forwarded.
        if (!hairpin && ttl <= 1)
        {
            sendIcmpv4Error(off, totalLength, src4, dst4, protocol, isIcmpError, nonFirst,
                IcmpTranslation.ICMPV4_TIME_EXCEEDED, 0, 0);
            return Siit46DropReason.TTL_EXCEEDED;
        }
        final int hopLimit = hairpin ? ttl : ttl - 1;

        // RFC 7915 §4.1: IPv4 options are ignored, but an unexpired source route is refused.
        if (ihl > 20 && hasUnexpiredSourceRoute(off + 20, off + ihl))
        {
            sendIcmpv4Error(off, totalLength, src4, dst4, protocol, isIcmpError, nonFirst,
                IcmpTranslation.ICMPV4_DEST_UNREACHABLE, IcmpTranslation.ICMPV4_CODE_SOURCE_ROUTE_FAILED, 0);
            return Siit46DropReason.UNEXPIRED_SOURCE_ROUTE;
        }

        // RFC 7915 §4.1: sizes. DF set and "the MTU of the next-hop interface is less than the
        // total length value of the IPv4 packet plus 20": Fragmentation Needed. Otherwise the
        // packet is fragmented when it exceeds the MTU, or lowest-ipv6-mtu without DF.
        final int mtu6 = egressMtu.ipv6Mtu();
        // A partial checksum (a TCP super-packet from a TAP with offload) is carried whole, only
        // as plain TCP whose transport header is where the virtio-net header said.
        final long offload = pool.offload(frame);
        final boolean partial = Offload.needsChecksum(offload);
        if (partial && (protocol != PROTO_TCP || isFragment || hairpin || l4Length < 20
            || off + Offload.csumStartFromIp(offload) != l4 || Offload.csumOffset(offload) != TCP_CHECKSUM))
        {
            return Siit46DropReason.OFFLOAD_NOT_TRANSLATABLE;
        }
        // A super-packet leaves as segments: each must fit as a full-size packet would (RFC 7915
        // §4.1); IPv4 options are not copied, so a segment is 40 + TCP header + gso_size.
        final boolean gso = partial && Offload.isGso(offload);
        final int sizeOnLink = gso
            ? Offload.segmentLength(offload, 40 + (buffer.getByte(l4 + 12) >>> 4 & 0xF) * 4) : totalLength + 20;
        if (gso && !df && sizeOnLink > mtu6)
        {
            // Would need fragments of each segment: not segmented in software here.
            return Siit46DropReason.OFFLOAD_NOT_TRANSLATABLE;
        }
        if (!isIcmpError && df && sizeOnLink > mtu6)
        {
            if (hairpin)
            {
                return Siit46DropReason.FRAGMENTATION_NEEDED;
            }
            sendIcmpv4Error(off, totalLength, src4, dst4, protocol, isIcmpError, nonFirst,
                IcmpTranslation.ICMPV4_DEST_UNREACHABLE, IcmpTranslation.ICMPV4_CODE_FRAGMENTATION_NEEDED,
                (mtu6 - 20) & 0xFFFF);
            return Siit46DropReason.FRAGMENTATION_NEEDED;
        }
        final int trafficClass = config.zeroizeTrafficClass() ? 0 : tos;
        int nextHeader = protocol;
        boolean computeUdpChecksum = false;

        if (protocol == PROTO_ICMPV6 || IpProtocol.isIpv6ExtensionHeader(protocol))
        {
            // Deviation from RFC 7915 §4.1 ("otherwise copied"): as Next Header these numbers make
            // the IPv4 sender's payload IPv6 headers (a Routing header it wrote, say) or an
            // ICMPv6 message for the receiver. AH too: IPv6 walks on through its Next Header, and
            // its ICV, over the IPv4 header, cannot verify after translation anyway. Found by
            // fuzzing: a Hop-by-Hop header of payload bytes (alone, behind AH, as 254), and ICMPv6.
            return Siit46DropReason.IPV6_ONLY_PROTOCOL;
        }
        switch (protocol)
        {
            case PROTO_ICMP:
            {
                if (isFragment)
                {
                    return Siit46DropReason.FRAGMENTED_ICMP;
                }
                if (l4Length < 8)
                {
                    return Siit46DropReason.TRUNCATED_L4_HEADER;
                }
                if (isIcmpError)
                {
                    return translateIcmpError(frame, off, ihl, totalLength, l4, l4Length, trafficClass, hopLimit, hairpin);
                }
                final int type = buffer.getByte(l4) & 0xFF;
                final int code = buffer.getByte(l4 + Icmpv4Flyweight.CODE_OFFSET) & 0xFF;
                final int translated = IcmpTranslation.icmpv4ToIcmpv6(type, code);
                if (translated == IcmpTranslation.DROP)
                {
                    return Siit46DropReason.ICMP_NOT_TRANSLATED;
                }
                // RFC 7915 §4.2: type change, plus the ICMPv6 pseudo-header the checksum now covers;
                // RFC 6146 §3.7: the identifier of an ICMP query becomes the IPv6 host's.
                final int checksum = u16(l4 + ICMP_CHECKSUM);
                final int oldId = u16(l4 + ICMP_IDENTIFIER);
                final int newId = mapper.destinationPort(oldId);
                final int newSum = InternetChecksum.add(InternetChecksum.add(translated, newId),
                    InternetChecksum.ipv6PseudoHeaderSum(srcHigh, srcLow, dstHigh, dstLow, PROTO_ICMPV6, l4Length));
                buffer.putShort(l4 + ICMP_CHECKSUM,
                    (short)InternetChecksum.update(checksum, InternetChecksum.add(type << 8 | code, oldId), newSum),
                    BIG_ENDIAN);
                buffer.putByte(l4, (byte)IcmpTranslation.typeOf(translated));
                buffer.putShort(l4 + ICMP_IDENTIFIER, (short)newId, BIG_ENDIAN);
                nextHeader = PROTO_ICMPV6;
                break;
            }
            case PROTO_IGMP:
                // RFC 7915 §4.2: IGMP messages are single-hop and SHOULD be silently dropped.
                return Siit46DropReason.IGMP_NOT_TRANSLATED;
            case PROTO_UDP:
                if (!nonFirst)
                {
                    if (l4Length < 8)
                    {
                        return Siit46DropReason.TRUNCATED_L4_HEADER;
                    }
                    final int checksum = u16(l4 + UDP_CHECKSUM);
                    if (checksum == 0)
                    {
                        // RFC 7915 §4.5: a stateless translator cannot compute the checksum of a
                        // fragmented datagram; option 1 (drop) unless amending is configured.
                        if (isFragment || !config.amendUdpChecksumZero())
                        {
                            sendIcmpv4Error(off, totalLength, src4, dst4, protocol, false, nonFirst,
                                IcmpTranslation.ICMPV4_DEST_UNREACHABLE, IcmpTranslation.ICMPV4_CODE_ADMIN_PROHIBITED, 0);
                            return isFragment
                                ? Siit46DropReason.UDP_ZERO_CHECKSUM_FRAGMENT : Siit46DropReason.UDP_ZERO_CHECKSUM;
                        }
                        computeUdpChecksum = true;   // option 2, once the IPv6 header is written
                        rewritePorts(l4, mapper.sourcePort(u16(l4)), mapper.destinationPort(u16(l4 + 2)));
                    }
                    else
                    {
                        updateTransportChecksum(l4, l4 + UDP_CHECKSUM, checksum, src4, dst4, true);
                    }
                }
                break;
            case PROTO_TCP:
                if (!nonFirst)
                {
                    if (l4Length < 20)
                    {
                        return Siit46DropReason.TRUNCATED_L4_HEADER;
                    }
                    if (partial)
                    {
                        updatePartialChecksum(l4, src4, dst4);
                    }
                    else
                    {
                        updateTransportChecksum(l4, l4 + TCP_CHECKSUM, u16(l4 + TCP_CHECKSUM), src4, dst4, false);
                    }
                }
                break;
            default:
                // RFC 7915 §4.5: other transport protocols are forwarded with the header translated.
                break;
        }

        final int limit = df ? mtu6 : Math.min(mtu6, config.lowestIpv6Mtu());
        final int ipv6Length = 40 + (isFragment ? 8 : 0) + l4Length;
        final boolean split = gso ? sizeOnLink > limit : ipv6Length > limit;
        if (gso && split)
        {
            return Siit46DropReason.OFFLOAD_NOT_TRANSLATABLE;
        }
        final boolean fragmentHeader = isFragment || split;
        final int headerLength = fragmentHeader ? 48 : 40;

        final int out = l4 - headerLength;
        if (!pool.setData(frame, out, headerLength + l4Length))
        {
            return Siit46DropReason.NO_ROOM;
        }
        writeIpv6Header(out, trafficClass, l4Length + headerLength - 40, fragmentHeader ? PROTO_FRAGMENT : nextHeader,
            hopLimit, srcHigh, srcLow, dstHigh, dstLow);
        if (fragmentHeader)
        {
            // RFC 7915 §4.1: Fragment Header from the IPv4 fragment fields, identification
            // zero-extended.
            writeFragmentHeader(out + 40, nextHeader, fragmentOffset, mf, id);
        }
        if (computeUdpChecksum)
        {
            // RFC 7915 §4.5 option 2: "calculating an IPv6 checksum and forwarding the packet".
            final int sum = InternetChecksum.add(
                InternetChecksum.ipv6PseudoHeaderSum(srcHigh, srcLow, dstHigh, dstLow, PROTO_UDP, l4Length),
                InternetChecksum.sum(buffer, l4, l4Length));
            buffer.putShort(l4 + UDP_CHECKSUM,
                (short)InternetChecksum.udpWireChecksum(InternetChecksum.complement(sum)), BIG_ENDIAN);
        }
        pool.l3Offset(frame, out);
        pool.l4Offset(frame, l4);
        pool.l4Protocol(frame, nextHeader);
        if (partial)
        {
            // GSO_TCPV4 becomes GSO_TCPV6 with the same gso_size; TCP now starts 40 bytes in.
            pool.offload(frame, Offload.translated(offload, false, 40));
        }
        if (split)
        {
            return fragment(frame, out, l4, l4Length, limit, fragmentOffset, mf);
        }
        return null;
    }

    /**
     * RFC 7915 §4.1: cuts the translated packet (already in the frame, with a Fragment Header)
     * into fragments of at most {@code limit} bytes; the first stays in {@code frame}.
     */
    private Siit46DropReason fragment(
        final int frame, final int out, final int l4, final int l4Length, final int limit,
        final int fragmentOffset, final boolean mf)
    {
        // Fragment data is a multiple of 8 bytes, except in the last fragment (RFC 8200 §4.5).
        final int chunk = (limit - 48) & ~7;
        final int count = (l4Length + chunk - 1) / chunk;
        if (count > extraFrames.length + 1 || 48 + chunk > pool.slotSize() - pool.headroom())
        {
            return Siit46DropReason.NO_ROOM;
        }
        // All or nothing: a datagram missing a fragment cannot be reassembled.
        if (!pool.allocateAll(extraFrames, count - 1))
        {
            return Siit46DropReason.NO_FRAME;
        }
        for (int k = 1; k < count; k++)
        {
            final int extra = extraFrames[k - 1];
            final int piece = Math.min(chunk, l4Length - k * chunk);
            final int target = pool.offset(extra);
            pool.l3Offset(extra, target);
            pool.setLength(extra, 48 + piece);
            buffer.putBytes(target, buffer, out, 48);
            buffer.putBytes(target + 48, buffer, l4 + k * chunk, piece);
            buffer.putShort(target + 4, (short)(8 + piece), BIG_ENDIAN);
            final boolean last = k == count - 1;
            buffer.putShort(target + 42,
                (short)(((fragmentOffset + k * chunk / 8) << 3) | (last ? (mf ? 1 : 0) : 1)), BIG_ENDIAN);
            pool.port(extra, pool.port(frame));
            pipeline.emit(extra, Verdict.next(ipv6OutputId));
        }
        buffer.putShort(out + 4, (short)(8 + chunk), BIG_ENDIAN);
        buffer.putShort(out + 42, (short)((fragmentOffset << 3) | 1), BIG_ENDIAN);
        pool.setLength(frame, 48 + chunk);
        return null;
    }

    /**
     * RFC 7915 §4.3: translates an ICMPv4 error and the packet in error inside it.
     *
     * <pre>
     *  before: | IPv4 | ICMPv4 (8) | inner IPv4 (20-60) | inner L4 ...[pad]| extension |
     *  after:  | IPv6 | ICMPv6 (8) | inner IPv6 [+Frag] | inner L4 ...[pad]| extension |
     * </pre>
     *
     * The inner L4 bytes stay where they are; the RFC 4884 extension is moved behind the new
     * original-datagram field, and the whole is truncated to 1280 bytes (RFC 4443 §2.4 (c)).
     */
    private Siit46DropReason translateIcmpError(
        final int frame, final int off, final int ihl, final int totalLength, final int l4, final int l4Length,
        final int trafficClass, final int hopLimit, final boolean hairpin)
    {
        // RFC 1812 §4.3.2... a router does not have to check, but recomputing the checksum of a
        // corrupt message would hide the corruption from the receiver.
        if (InternetChecksum.sum(buffer, l4, l4Length) != 0xFFFF)
        {
            return Siit46DropReason.ICMP_ERROR_BAD_CHECKSUM;
        }
        final int type = buffer.getByte(l4) & 0xFF;
        final int code = buffer.getByte(l4 + Icmpv4Flyweight.CODE_OFFSET) & 0xFF;
        final int translated = IcmpTranslation.icmpv4ToIcmpv6(type, code);
        if (translated == IcmpTranslation.DROP)
        {
            return Siit46DropReason.ICMP_NOT_TRANSLATED;
        }
        final int type6 = IcmpTranslation.typeOf(translated);
        final int code6 = IcmpTranslation.codeOf(translated);
        int rest6 = 0;
        if (type6 == IcmpTranslation.ICMPV6_PARAMETER_PROBLEM)
        {
            if (type == IcmpTranslation.ICMPV4_DEST_UNREACHABLE)
            {
                // Protocol unreachable: the pointer names the IPv6 Next Header field.
                rest6 = IcmpTranslation.IPV6_NEXT_HEADER_POINTER;
            }
            else
            {
                rest6 = IcmpTranslation.pointerIpv4ToIpv6(buffer.getByte(l4 + Icmpv4Flyweight.POINTER_OFFSET) & 0xFF);
                if (rest6 == IcmpTranslation.DROP)
                {
                    return Siit46DropReason.ICMP_NOT_TRANSLATED;
                }
            }
        }

        // RFC 4884 §4.1: a non-zero length attribute (32-bit words) separates the original
        // datagram from the extension structure.
        final int inner = l4 + Icmpv4Flyweight.HEADER_LENGTH;
        final int available = l4Length - 8;
        int originalLength = available;
        int extensionLength = 0;
        if (IcmpTranslation.icmpv4HasLengthAttribute(type))
        {
            final int attribute = (buffer.getByte(l4 + Icmpv4Flyweight.LENGTH_OFFSET) & 0xFF) << 2;
            if (attribute > 0 && attribute <= available)
            {
                originalLength = attribute;
                // ICMPv6 Parameter Problem has no length attribute: its extension cannot follow.
                extensionLength = IcmpTranslation.icmpv6HasLengthAttribute(type6) ? available - attribute : 0;
            }
        }

        // The packet in error.
        if (originalLength < 20 || (buffer.getByte(inner) & 0xF0) != 0x40)
        {
            return Siit46DropReason.INNER_PACKET_TRUNCATED;
        }
        final int innerIhl = (buffer.getByte(inner) & 0x0F) << 2;
        if (innerIhl < 20 || innerIhl > originalLength)
        {
            return Siit46DropReason.INNER_PACKET_TRUNCATED;
        }
        final int innerTos = buffer.getByte(inner + Ipv4Flyweight.TOS_OFFSET) & 0xFF;
        final int innerTotal = u16(inner + Ipv4Flyweight.TOTAL_LENGTH_OFFSET);
        final int innerId = u16(inner + Ipv4Flyweight.IDENTIFICATION_OFFSET);
        final int innerFlags = u16(inner + Ipv4Flyweight.FLAGS_OFFSET);
        final int innerTtl = buffer.getByte(inner + Ipv4Flyweight.TTL_OFFSET) & 0xFF;
        final int innerProtocol = buffer.getByte(inner + Ipv4Flyweight.PROTOCOL_OFFSET) & 0xFF;
        final int innerSrc4 = buffer.getInt(inner + Ipv4Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final int innerDst4 = buffer.getInt(inner + Ipv4Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        final boolean innerMf = (innerFlags & IPV4_MF) != 0;
        final int innerFragmentOffset = innerFlags & IPV4_OFFSET_MASK;
        final boolean innerIsFragment = innerMf || innerFragmentOffset != 0;
        final int innerL4 = inner + innerIhl;
        final int innerL4Available = originalLength - innerIhl;
        final int innerL4Length = Math.max(innerTotal - innerIhl, 0);

        // The inner packet went the other way: its source is the outer destination's peer.
        if (!mapper.innerSource(innerSrc4))
        {
            return Siit46DropReason.INNER_UNTRANSLATABLE_ADDRESS;
        }
        final long innerSrcHigh = mapper.high();
        final long innerSrcLow = mapper.low();
        if (!mapper.innerDestination(innerDst4, hairpin))
        {
            return Siit46DropReason.INNER_UNTRANSLATABLE_ADDRESS;
        }
        final long innerDstHigh = mapper.high();
        final long innerDstLow = mapper.low();

        // Inner transport checksums: incremental, since the inner packet is usually truncated.
        int innerNextHeader = innerProtocol;
        if (innerFragmentOffset == 0)
        {
            if (innerProtocol == PROTO_ICMP)
            {
                if (innerL4Available >= 1 && IcmpTranslation.isIcmpv4Error(buffer.getByte(innerL4) & 0xFF))
                {
                    // RFC 7915 §4.3: stop at the first embedded header.
                    return Siit46DropReason.NESTED_ICMP_ERROR;
                }
                innerNextHeader = PROTO_ICMPV6;
                if (innerL4Available >= 4)
                {
                    final int innerType = buffer.getByte(innerL4) & 0xFF;
                    final int innerCode = buffer.getByte(innerL4 + Icmpv4Flyweight.CODE_OFFSET) & 0xFF;
                    final int innerTranslated = IcmpTranslation.icmpv4ToIcmpv6(innerType, innerCode);
                    if (innerTranslated == IcmpTranslation.DROP)
                    {
                        return Siit46DropReason.ICMP_NOT_TRANSLATED;
                    }
                    int oldSum = innerType << 8 | innerCode;
                    int newSum = InternetChecksum.add(innerTranslated, InternetChecksum.ipv6PseudoHeaderSum(
                        innerSrcHigh, innerSrcLow, innerDstHigh, innerDstLow, PROTO_ICMPV6, innerL4Length));
                    if (innerL4Available >= 6)
                    {
                        // RFC 6146 §3.7: the inner query identifier is pool4's; the IPv6 host's comes back.
                        final int oldId = u16(innerL4 + ICMP_IDENTIFIER);
                        final int newId = mapper.innerSourcePort(oldId);
                        oldSum = InternetChecksum.add(oldSum, oldId);
                        newSum = InternetChecksum.add(newSum, newId);
                        buffer.putShort(innerL4 + ICMP_IDENTIFIER, (short)newId, BIG_ENDIAN);
                    }
                    buffer.putShort(innerL4 + ICMP_CHECKSUM,
                        (short)InternetChecksum.update(u16(innerL4 + ICMP_CHECKSUM), oldSum, newSum), BIG_ENDIAN);
                    buffer.putByte(innerL4, (byte)IcmpTranslation.typeOf(innerTranslated));
                }
            }
            else if (innerProtocol == PROTO_UDP && innerL4Available >= 8)
            {
                final int checksum = u16(innerL4 + UDP_CHECKSUM);
                final int oldPorts = u16(innerL4) + u16(innerL4 + 2);
                rewritePorts(innerL4, mapper.innerSourcePort(u16(innerL4)), mapper.innerDestinationPort(u16(innerL4 + 2)));
                if (checksum != 0)
                {
                    final int newChecksum = InternetChecksum.update(checksum,
                        InternetChecksum.add(InternetChecksum.ipv4PseudoHeaderSum(innerSrc4, innerDst4, 0, 0), oldPorts),
                        InternetChecksum.add(InternetChecksum.ipv6PseudoHeaderSum(
                            innerSrcHigh, innerSrcLow, innerDstHigh, innerDstLow, 0, 0), u16(innerL4) + u16(innerL4 + 2)));
                    buffer.putShort(innerL4 + UDP_CHECKSUM,
                        (short)InternetChecksum.udpWireChecksum(newChecksum), BIG_ENDIAN);
                }
            }
            else if (innerProtocol == PROTO_TCP && innerL4Available >= 18)
            {
                final int oldPorts = u16(innerL4) + u16(innerL4 + 2);
                rewritePorts(innerL4, mapper.innerSourcePort(u16(innerL4)), mapper.innerDestinationPort(u16(innerL4 + 2)));
                final int newChecksum = InternetChecksum.update(u16(innerL4 + TCP_CHECKSUM),
                    InternetChecksum.add(InternetChecksum.ipv4PseudoHeaderSum(innerSrc4, innerDst4, 0, 0), oldPorts),
                    InternetChecksum.add(InternetChecksum.ipv6PseudoHeaderSum(
                        innerSrcHigh, innerSrcLow, innerDstHigh, innerDstLow, 0, 0), u16(innerL4) + u16(innerL4 + 2)));
                buffer.putShort(innerL4 + TCP_CHECKSUM, (short)newChecksum, BIG_ENDIAN);
            }
        }
        else if (innerProtocol == PROTO_ICMP)
        {
            innerNextHeader = PROTO_ICMPV6;
        }

        if (type6 == IcmpTranslation.ICMPV6_PACKET_TOO_BIG)
        {
            // RFC 7915 §4.2: MTU + 20, bounded by both next hops, never below 1280.
            rest6 = IcmpTranslation.packetTooBigMtu(
                u16(l4 + Icmpv4Flyweight.NEXT_HOP_MTU_OFFSET), innerTotal, egressMtu.ipv6Mtu(), egressMtu.ipv4Mtu());
        }

        // Sizes (RFC 4884 §4.1 and §5, RFC 4443 §2.4 (c)).
        final int innerHeader6 = innerIsFragment ? 48 : 40;
        int original6 = innerHeader6 + innerL4Available;
        int lengthAttribute = 0;
        if (extensionLength > 0)
        {
            // The original datagram field is a multiple of 8 bytes in ICMPv6 and at least 128.
            int padded = Math.max(original6 & ~7, RFC4884_MIN_ORIGINAL);
            if (RFC4884_MIN_ORIGINAL + extensionLength > ICMPV6_ERROR_PAYLOAD_MAX)
            {
                // The extension does not fit next to the mandatory 128 bytes: remove it whole.
                extensionLength = 0;
                original6 = Math.min(original6, ICMPV6_ERROR_PAYLOAD_MAX);
            }
            else
            {
                original6 = Math.min(padded, (ICMPV6_ERROR_PAYLOAD_MAX - extensionLength) & ~7);
                lengthAttribute = original6 >>> 3;
            }
        }
        else
        {
            original6 = Math.min(original6, ICMPV6_ERROR_PAYLOAD_MAX);
        }
        final int keptL4 = Math.min(innerL4Available, original6 - innerHeader6);
        final int padding = original6 - innerHeader6 - keptL4;
        final int icmpLength = 8 + original6 + extensionLength;

        final int innerOut = innerL4 - innerHeader6;
        final int icmpOut = innerOut - 8;
        final int out = icmpOut - 40;
        if (!pool.setData(frame, out, 48 + original6 + extensionLength))
        {
            return Siit46DropReason.NO_ROOM;
        }
        if (extensionLength > 0)
        {
            buffer.putBytes(innerL4 + keptL4 + padding, buffer, inner + originalLength, extensionLength);
        }
        if (padding > 0)
        {
            buffer.setMemory(innerL4 + keptL4, padding, (byte)0);
        }

        // Inner header: translated like the outer one, but the hop limit is not decremented
        // (RFC 7915 §4.3), and the lengths are those of the original, untruncated packet.
        writeIpv6Header(innerOut, config.zeroizeTrafficClass() ? 0 : innerTos,
            innerL4Length + innerHeader6 - 40, innerIsFragment ? PROTO_FRAGMENT : innerNextHeader, innerTtl,
            innerSrcHigh, innerSrcLow, innerDstHigh, innerDstLow);
        if (innerIsFragment)
        {
            writeFragmentHeader(innerOut + 40, innerNextHeader, innerFragmentOffset, innerMf, innerId);
        }

        buffer.putByte(icmpOut, (byte)type6);
        buffer.putByte(icmpOut + 1, (byte)code6);
        buffer.putShort(icmpOut + 2, (short)0, BIG_ENDIAN);
        // RFC 4884 §4.1: the length attribute is the first byte of the ICMPv6 rest-of-header.
        buffer.putInt(icmpOut + 4, lengthAttribute != 0 ? lengthAttribute << 24 : rest6, BIG_ENDIAN);

        writeIpv6Header(out, trafficClass, icmpLength, PROTO_ICMPV6, hopLimit, srcHigh, srcLow, dstHigh, dstLow);
        final int sum = InternetChecksum.add(
            InternetChecksum.ipv6PseudoHeaderSum(srcHigh, srcLow, dstHigh, dstLow, PROTO_ICMPV6, icmpLength),
            InternetChecksum.sum(buffer, icmpOut, icmpLength));
        buffer.putShort(icmpOut + 2, (short)InternetChecksum.complement(sum), BIG_ENDIAN);
        pool.l3Offset(frame, out);
        pool.l4Offset(frame, icmpOut);
        pool.l4Protocol(frame, PROTO_ICMPV6);
        return null;
    }

    private void updateTransportChecksum(
        final int l4, final int checksumOffset, final int checksum, final int src4, final int dst4, final boolean udp)
    {
        // RFC 7915 §4.5, RFC 1624 eqn. 3: the addresses of the pseudo-header change (the protocol
        // and the length contribute the same to both pseudo-headers), and with stateful NAT64 the
        // ports (RFC 6146 §3.7).
        final int oldPorts = u16(l4) + u16(l4 + 2);
        rewritePorts(l4, mapper.sourcePort(u16(l4)), mapper.destinationPort(u16(l4 + 2)));
        final int updated = InternetChecksum.update(checksum,
            InternetChecksum.add(InternetChecksum.ipv4PseudoHeaderSum(src4, dst4, 0, 0), oldPorts),
            InternetChecksum.add(InternetChecksum.ipv6PseudoHeaderSum(srcHigh, srcLow, dstHigh, dstLow, 0, 0),
                u16(l4) + u16(l4 + 2)));
        buffer.putShort(checksumOffset, (short)(udp ? InternetChecksum.udpWireChecksum(updated) : updated), BIG_ENDIAN);
    }

    private void updatePartialChecksum(final int l4, final int src4, final int dst4)
    {
        // A partial checksum holds the pseudo-header sum only (the one who completes it sums the
        // TCP header, new ports included): the IPv4 pseudo-header's addresses leave it and the
        // IPv6 one's come in (RFC 7915 §4.5); length and protocol weigh the same in both.
        rewritePorts(l4, mapper.sourcePort(u16(l4)), mapper.destinationPort(u16(l4 + 2)));
        buffer.putShort(l4 + TCP_CHECKSUM, (short)Offload.updatePartial(u16(l4 + TCP_CHECKSUM),
            InternetChecksum.ipv4PseudoHeaderSum(src4, dst4, 0, 0),
            InternetChecksum.ipv6PseudoHeaderSum(srcHigh, srcLow, dstHigh, dstLow, 0, 0)), BIG_ENDIAN);
    }

    private void rewritePorts(final int l4, final int srcPort, final int dstPort)
    {
        buffer.putShort(l4, (short)srcPort, BIG_ENDIAN);
        buffer.putShort(l4 + 2, (short)dstPort, BIG_ENDIAN);
    }

    private void writeIpv6Header(
        final int out, final int trafficClass, final int payloadLength, final int nextHeader, final int hopLimit,
        final long sHigh, final long sLow, final long dHigh, final long dLow)
    {
        // RFC 7915 §4.1: version 6, traffic class, flow label 0.
        buffer.putInt(out + Ipv6Flyweight.VERSION_OFFSET, 6 << 28 | (trafficClass & 0xFF) << 20, BIG_ENDIAN);
        buffer.putShort(out + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET, (short)payloadLength, BIG_ENDIAN);
        buffer.putByte(out + Ipv6Flyweight.NEXT_HEADER_OFFSET, (byte)nextHeader);
        buffer.putByte(out + Ipv6Flyweight.HOP_LIMIT_OFFSET, (byte)hopLimit);
        buffer.putLong(out + Ipv6Flyweight.SRC_ADDRESS_OFFSET, sHigh, BIG_ENDIAN);
        buffer.putLong(out + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, sLow, BIG_ENDIAN);
        buffer.putLong(out + Ipv6Flyweight.DST_ADDRESS_OFFSET, dHigh, BIG_ENDIAN);
        buffer.putLong(out + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, dLow, BIG_ENDIAN);
    }

    private void writeFragmentHeader(
        final int out, final int nextHeader, final int fragmentOffset, final boolean more, final int id)
    {
        buffer.putByte(out + Ipv6FragmentHeaderFlyweight.NEXT_HEADER_OFFSET, (byte)nextHeader);
        buffer.putByte(out + Ipv6FragmentHeaderFlyweight.RESERVED_OFFSET, (byte)0);
        buffer.putShort(out + Ipv6FragmentHeaderFlyweight.FRAGMENT_OFFSET_FIELD_OFFSET,
            (short)(fragmentOffset << 3 | (more ? Ipv6FragmentHeaderFlyweight.M_FLAG : 0)), BIG_ENDIAN);
        buffer.putInt(out + Ipv6FragmentHeaderFlyweight.IDENTIFICATION_OFFSET, id & 0xFFFF, BIG_ENDIAN);
    }

    /**
     * RFC 7915 §4.4: the ICMPv4 error for a packet we drop, unless the packet is itself an
     * ICMP error, a non-first fragment, or from a source no error may go to (RFC 1812 §4.3.2.7).
     */
    private void sendIcmpv4Error(
        final int off, final int length, final int src4, final int dst4, final int protocol, final boolean isIcmpError,
        final boolean nonFirst, final int type, final int code, final int rest)
    {
        if (!config.icmpErrors() || isIcmpError || nonFirst || isIllegalSource(src4) || src4 == -1
            || isMulticastOrBroadcast(dst4))
        {
            return;
        }
        final int error = errors.icmpv4Error(off, length, config.localIpv4(), src4, type, code, rest, identification.next());
        if (error != FramePool.NO_FRAME)
        {
            pipeline.emit(error, Verdict.next(ipv4OutputId));
        }
    }

    /**
     * RFC 7915 §4.1: an unexpired Loose or Strict Source and Record Route option (RFC 791:
     * the pointer is not past the end of the route data).
     */
    private boolean hasUnexpiredSourceRoute(final int start, final int end)
    {
        int i = start;
        while (i < end)
        {
            final int option = buffer.getByte(i) & 0xFF;
            if (option == 0)
            {
                return false;   // End of Option List
            }
            if (option == 1)
            {
                i++;            // No Operation
                continue;
            }
            if (i + 1 >= end)
            {
                return false;
            }
            final int length = buffer.getByte(i + 1) & 0xFF;
            if (length < 2 || i + length > end)
            {
                return false;   // malformed options: nothing we can act on
            }
            if ((option == 131 || option == 137) && length >= 3)
            {
                final int pointer = buffer.getByte(i + 2) & 0xFF;
                if (pointer <= length)
                {
                    return true;
                }
            }
            i += length;
        }
        return false;
    }

    /** RFC 1812 §5.3.7: 0.0.0.0/8, 127.0.0.0/8, 224.0.0.0/4 and 240.0.0.0/4 are not valid sources. */
    static boolean isIllegalSource(final int ipv4)
    {
        final int first = ipv4 >>> 24;
        return first == 0 || first == 127 || first >= 224;
    }

    private static boolean isMulticastOrBroadcast(final int ipv4)
    {
        return (ipv4 >>> 24) >= 224;
    }

    private int u16(final int index)
    {
        return buffer.getShort(index, BIG_ENDIAN) & 0xFFFF;
    }
}
