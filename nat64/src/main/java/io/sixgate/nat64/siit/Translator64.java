package io.sixgate.nat64.siit;

import static java.nio.ByteOrder.BIG_ENDIAN;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.frame.Offload;
import io.sixgate.core.icmp.IcmpErrorFactory;
import io.sixgate.core.icmp.IdentificationGenerator;
import io.sixgate.core.packet.Icmpv6Flyweight;
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
 * RFC 7915 §5: translates one IPv6 packet into IPv4 in place, in its frame of the pool.
 *
 * <pre>
 *  before: | IPv6 (40) | extension headers ... | L4 header and data ........ |
 *  after:                          | IPv4 (20) | L4 header and data ........ |
 *                                  ^ the frame's start moves forward
 * </pre>
 *
 * The L4 bytes never move; the IPv4 header is written in front of them after every field of
 * the IPv6 header has been read. ICMPv6 errors are rewritten the same way around the packet in
 * error (RFC 7915 §5.3). The ICMPv6 errors the translator originates (§5.4) and IPv4 fragments
 * are new frames handed to {@link Pipeline#emit(int, int)}. Packets whose IPv4 destination an
 * EAM gives back to the IPv6 side are hairpinned (RFC 7757 §4.2) through {@link Translator46}.
 *
 * <p>Single-threaded; nothing is allocated after construction.
 */
public final class Translator64
{
    private static final int IPV4_MF = 0x2000;
    private static final int IPV4_DF = 0x4000;

    private static final int UDP_CHECKSUM = UdpFlyweight.CHECKSUM_OFFSET;
    private static final int TCP_CHECKSUM = TcpFlyweight.CHECKSUM_OFFSET;
    private static final int ICMP_CHECKSUM = Icmpv6Flyweight.CHECKSUM_OFFSET;
    private static final int ICMP_IDENTIFIER = 4;

    private static final int PROTO_HOP_BY_HOP = IpProtocol.HOP_BY_HOP;
    private static final int PROTO_ICMP = IpProtocol.ICMP;
    private static final int PROTO_IGMP = 2;      // RFC 1112
    private static final int PROTO_TCP = IpProtocol.TCP;
    private static final int PROTO_UDP = IpProtocol.UDP;
    private static final int PROTO_ROUTING = IpProtocol.ROUTING;
    private static final int PROTO_FRAGMENT = IpProtocol.FRAGMENT;
    private static final int PROTO_AH = IpProtocol.AH;
    private static final int PROTO_ICMPV6 = IpProtocol.ICMPV6;
    private static final int PROTO_DESTINATION_OPTIONS = IpProtocol.DESTINATION_OPTIONS;

    /** RFC 7915 §5.1: the largest IPv4 packet sent with DF clear (1280 - 20). */
    private static final int DF_THRESHOLD = 1260;

    /** RFC 1812 §4.3.2.3: room for the packet in error (and extensions) in an ICMPv4 error. */
    private static final int ICMPV4_ERROR_PAYLOAD_MAX = IcmpErrorFactory.ICMPV4_ERROR_MAX - 28;

    /** RFC 4884 §4.1: with extensions, the original datagram is zero-padded to 128 bytes. */
    private static final int RFC4884_MIN_ORIGINAL = 128;

    /** Our cap on extension headers walked (RFC 8200 §4.1 allows each about once). */
    private static final int MAX_EXTENSION_HEADERS = 16;

    private static final int CHAIN_OK = 0;
    private static final int CHAIN_TRUNCATED = 1;
    private static final int CHAIN_TOO_MANY = 2;
    private static final int CHAIN_EXTENSION_AFTER_FRAGMENT = 3;
    private static final int CHAIN_SEGMENTS_LEFT = 4;

    private final FramePool pool;
    private final UnsafeBuffer buffer;
    private final TranslatorConfig config;
    private final Mapping64 mapper;
    private final EgressMtu egressMtu;
    private final IcmpErrorFactory errors;
    private final IdentificationGenerator identification;
    private final Translator46 hairpin46;
    private final int[] extraFrames = new int[64];

    private Pipeline pipeline;
    private int ipv4OutputId = -1;
    private int ipv6OutputId = -1;

    private boolean hairpinned;

    // Results of walk().
    private int chainStatus;
    private int upperProtocol;
    private int upperOffset;
    private int fragmentHeader;
    private int errorOffset;

    /**
     * SIIT: addresses from EAM, pool6 and RFC 6791; hairpinning (RFC 7757 §4.2) through a
     * {@link Translator46} over the same mapping.
     */
    Translator64(
        final FramePool pool, final TranslatorConfig config, final IcmpErrorFactory errors,
        final IdentificationGenerator identification)
    {
        final AddressMapper addressMapper = new AddressMapper(config);
        this.pool = pool;
        this.buffer = pool.buffer();
        this.config = config;
        this.mapper = addressMapper;
        this.egressMtu = config.egressMtu();
        this.errors = errors;
        this.identification = identification;
        this.hairpin46 = new Translator46(pool, config, errors, identification, addressMapper);
    }

    /**
     * A translator whose addresses and ports come from {@code mapping}, e.g. the session of
     * stateful NAT64 (RFC 6146 §3.7 reuses RFC 7915). {@link Mapping64#isHairpin} must answer
     * {@code false}: the caller hairpins (RFC 6146 §3.8) with its own state.
     */
    public Translator64(
        final FramePool pool, final TranslatorConfig config, final IcmpErrorFactory errors,
        final IdentificationGenerator identification, final Mapping64 mapping)
    {
        this.pool = pool;
        this.buffer = pool.buffer();
        this.config = config;
        this.mapper = mapping;
        this.egressMtu = config.egressMtu();
        this.errors = errors;
        this.identification = identification;
        this.hairpin46 = null;
    }

    /**
     * @param pipeline     for emitting fragments and ICMPv6 errors.
     * @param ipv4OutputId stage that sends translated packets to the IPv4 side.
     * @param ipv6OutputId stage that sends ICMPv6 errors and hairpinned packets to the IPv6 side.
     */
    public void link(final Pipeline pipeline, final int ipv4OutputId, final int ipv6OutputId)
    {
        this.pipeline = pipeline;
        this.ipv4OutputId = ipv4OutputId;
        this.ipv6OutputId = ipv6OutputId;
        if (hairpin46 != null)
        {
            hairpin46.link(pipeline, ipv4OutputId, ipv6OutputId);
        }
    }

    /**
     * @return whether the last successful {@link #translate(int)} hairpinned the packet: the
     * frame then holds an IPv6 packet for the IPv6 side.
     */
    public boolean hairpinned()
    {
        return hairpinned;
    }

    /**
     * Translates the IPv6 packet in {@code frame} to IPv4 in place.
     *
     * @param frame the frame, starting at the IPv6 header.
     * @return {@code null} when the frame now holds the translated packet (IPv4, or IPv6 if
     * {@link #hairpinned()}), otherwise why it must be dropped.
     */
    public Siit64DropReason translate(final int frame)
    {
        hairpinned = false;
        final int off = pool.offset(frame);
        final int frameLength = pool.length(frame);
        if (frameLength >= Ipv6Flyweight.HEADER_LENGTH)
        {
            // Version, Traffic Class, Flow Label | Payload Length, Next Header, Hop Limit.
            final int versionClassFlow = buffer.getInt(off, BIG_ENDIAN);
            final int lengthNextHop = buffer.getInt(off + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET, BIG_ENDIAN);
            final int l4Length = lengthNextHop >>> 16;
            final int protocol = (lengthNextHop >>> 8) & 0xFF;
            final int hopLimit = lengthNextHop & 0xFF;
            final int l4 = off + Ipv6Flyweight.HEADER_LENGTH;
            if (versionClassFlow >>> 28 == 6 && Ipv6Flyweight.HEADER_LENGTH + l4Length <= frameLength && hopLimit > 1
                && isPlain(pool.offload(frame))
                && 20 + l4Length <= egressMtu.ipv4Mtu()
                && (protocol == PROTO_TCP && l4Length >= 20
                    || protocol == PROTO_UDP && l4Length >= 8 && u16(l4 + UDP_CHECKSUM) != 0))
            {
                return translatePlain(frame, l4, (versionClassFlow >>> 20) & 0xFF, protocol, hopLimit, l4Length);
            }
        }
        return translateAny(frame, off, frameLength);
    }

    /** Neither a partial checksum nor a super-packet: those take {@link #translateAny}'s checks. */
    private static boolean isPlain(final long offload)
    {
        return !Offload.needsChecksum(offload) && !Offload.isGso(offload);
    }

    /**
     * The common packet, kept small so that C2 inlines it into the stage: TCP, or UDP with a
     * checksum, right after the fixed header (no extension header, so no fragment), hop limit
     * above 1, fitting the IPv4 MTU. Every check {@link #translateAny} makes before it changes a
     * byte is then decided the same way, and what it does after is done here in the same order.
     */
    private Siit64DropReason translatePlain(
        final int frame, final int l4, final int trafficClass, final int protocol, final int hopLimit,
        final int l4Length)
    {
        final int off = l4 - Ipv6Flyweight.HEADER_LENGTH;
        final long srcHigh = buffer.getLong(off + Ipv6Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final long srcLow = buffer.getLong(off + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        final long dstHigh = buffer.getLong(off + Ipv6Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        final long dstLow = buffer.getLong(off + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, BIG_ENDIAN);

        // RFC 7757 §3.3: EAM first, then pool6; an unmapped destination is not ours (RFC 7915 §5.6).
        final long dst4 = mapper.destination(dstHigh, dstLow);
        if (dst4 == Mapping64.NO_MAPPING)
        {
            return Siit64DropReason.UNTRANSLATABLE_DESTINATION;
        }
        final long src4 = mapper.source(srcHigh, srcLow, false);
        if (src4 == Mapping64.NO_MAPPING)
        {
            return Siit64DropReason.UNTRANSLATABLE_SOURCE;
        }
        final boolean hairpin = hairpin46 != null && mapper.isHairpin(dstHigh, dstLow, (int)dst4);

        // RFC 7915 §5.5: TCP and UDP checksums updated for the new pseudo-header (and ports).
        final boolean udp = protocol == PROTO_UDP;
        final int checksumOffset = l4 + (udp ? UDP_CHECKSUM : TCP_CHECKSUM);
        updateTransportChecksum(l4, checksumOffset, u16(checksumOffset), srcHigh, srcLow, dstHigh, dstLow,
            (int)src4, (int)dst4, udp, mapper.sourcePort(u16(l4)), mapper.destinationPort(u16(l4 + 2)));
        return writePlain(frame, l4, trafficClass, protocol, hopLimit, l4Length, (int)src4, (int)dst4, hairpin);
    }

    /** The IPv4 header and metadata of {@link #translatePlain}, apart to keep both inlinable. */
    private Siit64DropReason writePlain(
        final int frame, final int l4, final int trafficClass, final int protocol, final int hopLimit,
        final int l4Length, final int src4, final int dst4, final boolean hairpin)
    {
        // RFC 7915 §5.1: no Fragment header: a new identification, DF set above 1260 bytes.
        final int ipv4Length = 20 + l4Length;
        final int id = identification.next();
        final int flags = ipv4Length > DF_THRESHOLD ? IPV4_DF : 0;
        final int out = l4 - 20;
        if (!pool.setData(frame, out, ipv4Length))
        {
            return Siit64DropReason.NO_ROOM;
        }
        writeIpv4Header(out, trafficClass, ipv4Length, id, flags, hopLimit - 1, protocol, src4, dst4);
        pool.l3Offset(frame, out);
        pool.l4Offset(frame, l4);
        pool.l4Protocol(frame, protocol);
        return hairpin ? hairpin(frame) : null;
    }

    /**
     * Any packet: extension headers, fragments, ICMPv6, errors to send; see {@link #translate}.
     */
    private Siit64DropReason translateAny(final int frame, final int off, final int frameLength)
    {
        if (frameLength < 40)
        {
            return Siit64DropReason.TRUNCATED_IPV6_HEADER;
        }
        if ((buffer.getByte(off) & 0xF0) != 0x60)
        {
            return Siit64DropReason.NOT_IPV6;
        }
        // Bytes past Payload Length are link-layer padding: ignored (RFC 8200 §3).
        final int packetLength = 40 + u16(off + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET);
        if (packetLength > frameLength)
        {
            return Siit64DropReason.TRUNCATED_PACKET;
        }
        walk(off, off + packetLength, true);
        if (chainStatus == CHAIN_TRUNCATED)
        {
            return Siit64DropReason.TRUNCATED_EXTENSION_HEADER;
        }
        if (chainStatus == CHAIN_TOO_MANY)
        {
            return Siit64DropReason.TOO_MANY_EXTENSION_HEADERS;
        }

        final int trafficClass = (u16(off) >>> 4) & 0xFF;
        final int hopLimit = buffer.getByte(off + Ipv6Flyweight.HOP_LIMIT_OFFSET) & 0xFF;
        final long srcHigh = buffer.getLong(off + Ipv6Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final long srcLow = buffer.getLong(off + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        final long dstHigh = buffer.getLong(off + Ipv6Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        final long dstLow = buffer.getLong(off + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, BIG_ENDIAN);

        final int protocol = upperProtocol;
        final int l4 = upperOffset;
        final int l4Length = off + packetLength - l4;
        final boolean hasFragmentHeader = fragmentHeader >= 0;
        final int fragmentOffset = hasFragmentHeader ? u16(fragmentHeader + 2) >>> 3 : 0;
        final boolean more = hasFragmentHeader && (buffer.getByte(fragmentHeader + 3) & 1) != 0;
        final int fragmentId = hasFragmentHeader ? buffer.getInt(fragmentHeader + 4, BIG_ENDIAN) : 0;
        final boolean isFragmented = more || fragmentOffset != 0;
        final boolean nonFirst = fragmentOffset != 0;
        final boolean isIcmpError = chainStatus == CHAIN_OK && protocol == PROTO_ICMPV6 && !nonFirst && l4Length >= 1
            && IcmpTranslation.isIcmpv6Error(buffer.getByte(l4) & 0xFF);

        // RFC 7757 §3.3: EAM first, then pool6; an unmapped destination is not ours (RFC 7915 §5.6).
        final long dst4 = mapper.destination(dstHigh, dstLow);
        if (dst4 == Mapping64.NO_MAPPING)
        {
            return Siit64DropReason.UNTRANSLATABLE_DESTINATION;
        }
        // An ICMPv6 error without a mapped source gets an RFC 6791 one (RFC 7915 §5.1).
        final long src4 = mapper.source(srcHigh, srcLow, isIcmpError);
        if (src4 == Mapping64.NO_MAPPING)
        {
            return Siit64DropReason.UNTRANSLATABLE_SOURCE;
        }
        final boolean hairpin = hairpin46 != null && mapper.isHairpin(dstHigh, dstLow, (int)dst4);

        // RFC 7915 §5.1 (TTL), RFC 4443 §3.3: as any router, check the hop limit.
        if (hopLimit <= 1)
        {
            sendIcmpv6Error(off, packetLength, srcHigh, srcLow, dstHigh, dstLow, protocol, isIcmpError,
                IcmpTranslation.ICMPV6_TIME_EXCEEDED, 0, 0);
            return Siit64DropReason.HOP_LIMIT_EXCEEDED;
        }
        if (chainStatus == CHAIN_EXTENSION_AFTER_FRAGMENT)
        {
            // RFC 7915 §5.1.1 "SHOULD be dropped", with the default error of §5.4.
            sendIcmpv6Error(off, packetLength, srcHigh, srcLow, dstHigh, dstLow, protocol, false,
                IcmpTranslation.ICMPV6_DEST_UNREACHABLE, IcmpTranslation.ICMPV6_CODE_ADMIN_PROHIBITED, 0);
            return Siit64DropReason.EXTENSION_HEADER_AFTER_FRAGMENT;
        }
        if (chainStatus == CHAIN_SEGMENTS_LEFT)
        {
            // RFC 7915 §5.1: Parameter Problem, pointer to the Segments Left field.
            sendIcmpv6Error(off, packetLength, srcHigh, srcLow, dstHigh, dstLow, protocol, false,
                IcmpTranslation.ICMPV6_PARAMETER_PROBLEM, IcmpTranslation.ICMPV6_CODE_ERRONEOUS_HEADER_FIELD,
                errorOffset - off);
            return Siit64DropReason.ROUTING_HEADER_SEGMENTS_LEFT;
        }

        // A partial checksum (a TCP super-packet from a TAP with offload) is carried whole, only
        // as plain TCP whose transport header is where the virtio-net header said; anything else
        // offloaded is refused rather than sent with a checksum nobody completes.
        final long offload = pool.offload(frame);
        final boolean partial = Offload.needsChecksum(offload);
        if (partial && (protocol != PROTO_TCP || isFragmented || hairpin || l4Length < 20
            || off + Offload.csumStartFromIp(offload) != l4 || Offload.csumOffset(offload) != TCP_CHECKSUM))
        {
            return Siit64DropReason.OFFLOAD_NOT_TRANSLATABLE;
        }

        // Size checks come before any byte changes: an error quotes the packet as received.
        final int ipv4Length = 20 + l4Length;
        final int mtu4 = egressMtu.ipv4Mtu();
        // A super-packet leaves as segments: each must fit, as a full-size packet would
        // (RFC 7915 §5.1); the IPv6 size a Packet Too Big weighs is a segment's too.
        final boolean gso = partial && Offload.isGso(offload);
        final int tcpHeaderLength = gso ? (buffer.getByte(l4 + 12) >>> 4 & 0xF) * 4 : 0;
        final int sizeOnLink = gso ? Offload.segmentLength(offload, 20 + tcpHeaderLength) : ipv4Length;
        final int sizeReceived = gso ? sizeOnLink + (l4 - off) - 20 : packetLength;
        boolean splitIpv4 = false;
        if (!hairpin && !isIcmpError && sizeOnLink > mtu4)
        {
            if (sizeReceived > IcmpTranslation.IPV6_MIN_MTU || mtu4 + 20 >= IcmpTranslation.IPV6_MIN_MTU)
            {
                // RFC 7915 §1.4 and §5.1: the translator is a router; IPv6 sources fragment, so
                // tell them the IPv6 equivalent of the IPv4 MTU (never below 1280, RFC 8200 §5).
                sendIcmpv6Error(off, packetLength, srcHigh, srcLow, dstHigh, dstLow, protocol, isIcmpError,
                    IcmpTranslation.ICMPV6_PACKET_TOO_BIG, 0, Math.max(IcmpTranslation.IPV6_MIN_MTU, mtu4 + 20));
                return Siit64DropReason.PACKET_TOO_BIG;
            }
            // A packet of at most 1280 bytes cannot be made smaller by its IPv6 source, and its
            // IPv4 version has DF clear (RFC 7915 §5): fragment it as an IPv4 router would
            // (RFC 791 §3.2), for IPv4 links with an MTU below 1260.
            if (gso)
            {
                // Segments of at most 1280 bytes on an IPv4 link below 1260: not segmented and
                // fragmented in software here.
                return Siit64DropReason.OFFLOAD_NOT_TRANSLATABLE;
            }
            splitIpv4 = true;
        }

        int protocol4 = protocol;
        boolean computeUdpChecksum = false;
        switch (protocol)
        {
            case PROTO_ICMP:
            case PROTO_IGMP:
                // Deviation from RFC 7915 §5.1 ("otherwise copied"): ICMPv4 or IGMP written by an
                // IPv6 host would reach IPv4 hosts untranslated, past every ICMP rule (a forged
                // error, a redirect). Found by fuzzing: Next Header 1 left as an ICMPv4 message.
                return Siit64DropReason.IPV4_ONLY_PROTOCOL;
            case PROTO_ICMPV6:
            {
                if (isFragmented)
                {
                    return Siit64DropReason.FRAGMENTED_ICMP;
                }
                if (l4Length < 8)
                {
                    return Siit64DropReason.TRUNCATED_L4_HEADER;
                }
                if (isIcmpError)
                {
                    return translateIcmpError(frame, off, l4, l4Length, (int)src4, (int)dst4, trafficClass, hopLimit,
                        hasFragmentHeader, fragmentId, srcHigh, srcLow, dstHigh, dstLow, hairpin);
                }
                final int type = buffer.getByte(l4) & 0xFF;
                final int code = buffer.getByte(l4 + Icmpv6Flyweight.CODE_OFFSET) & 0xFF;
                final int translated = IcmpTranslation.icmpv6ToIcmpv4(type, code);
                if (translated == IcmpTranslation.DROP)
                {
                    return Siit64DropReason.ICMP_NOT_TRANSLATED;
                }
                // RFC 7915 §5.2: type change, and the ICMPv6 pseudo-header leaves the checksum;
                // RFC 6146 §3.7: the identifier of an ICMP query becomes the pool4 one.
                final int oldId = u16(l4 + ICMP_IDENTIFIER);
                final int newId = mapper.sourcePort(oldId);
                final int oldSum = InternetChecksum.add(type << 8 | code, InternetChecksum.add(oldId,
                    InternetChecksum.ipv6PseudoHeaderSum(srcHigh, srcLow, dstHigh, dstLow, PROTO_ICMPV6, l4Length)));
                final int checksum = InternetChecksum.update(u16(l4 + ICMP_CHECKSUM), oldSum,
                    InternetChecksum.add(translated, newId));
                buffer.putByte(l4, (byte)IcmpTranslation.typeOf(translated));
                buffer.putShort(l4 + ICMP_IDENTIFIER, (short)newId, BIG_ENDIAN);
                buffer.putShort(l4 + ICMP_CHECKSUM, (short)checksum, BIG_ENDIAN);
                if (checksum == 0)
                {
                    // RFC 1624 eqn. 3 cannot tell +0 from -0: an all-zero ICMPv4 message (echo reply,
                    // identifier, sequence and data 0; no pseudo-header) needs 0xFFFF, not 0. Rare:
                    // recompute such a message (found by fuzzing).
                    buffer.putShort(l4 + ICMP_CHECKSUM, (short)0, BIG_ENDIAN);
                    buffer.putShort(l4 + ICMP_CHECKSUM, (short)InternetChecksum.icmpv4Checksum(buffer, l4, l4Length),
                        BIG_ENDIAN);
                }
                protocol4 = PROTO_ICMP;
                break;
            }
            case PROTO_UDP:
                if (!nonFirst)
                {
                    if (l4Length < 8)
                    {
                        return Siit64DropReason.TRUNCATED_L4_HEADER;
                    }
                    final int checksum = u16(l4 + UDP_CHECKSUM);
                    if (checksum == 0)
                    {
                        // Not valid in IPv6 (RFC 8200 §8.1) but used by some tunnels (RFC 6935):
                        // compute one when the whole datagram is here, else drop.
                        if (isFragmented)
                        {
                            return Siit64DropReason.UDP_ZERO_CHECKSUM_FRAGMENT;
                        }
                        computeUdpChecksum = true;
                        rewritePorts(l4, mapper.sourcePort(u16(l4)), mapper.destinationPort(u16(l4 + 2)));
                    }
                    else
                    {
                        updateTransportChecksum(l4, l4 + UDP_CHECKSUM, checksum, srcHigh, srcLow, dstHigh, dstLow,
                            (int)src4, (int)dst4, true, mapper.sourcePort(u16(l4)), mapper.destinationPort(u16(l4 + 2)));
                    }
                }
                break;
            case PROTO_TCP:
                if (!nonFirst)
                {
                    if (l4Length < 20)
                    {
                        return Siit64DropReason.TRUNCATED_L4_HEADER;
                    }
                    if (partial)
                    {
                        updatePartialChecksum(l4, srcHigh, srcLow, dstHigh, dstLow, (int)src4, (int)dst4,
                            mapper.sourcePort(u16(l4)), mapper.destinationPort(u16(l4 + 2)));
                    }
                    else
                    {
                        updateTransportChecksum(l4, l4 + TCP_CHECKSUM, u16(l4 + TCP_CHECKSUM), srcHigh, srcLow,
                            dstHigh, dstLow, (int)src4, (int)dst4, false, mapper.sourcePort(u16(l4)),
                            mapper.destinationPort(u16(l4 + 2)));
                    }
                }
                break;
            default:
                // RFC 7915 §5.5: other protocols are forwarded with the header translated.
                break;
        }

        // RFC 7915 §5.1 and §5.1.1: identification and flags.
        final int id;
        final int flags;
        if (hasFragmentHeader)
        {
            id = fragmentId & 0xFFFF;
            flags = (more ? IPV4_MF : 0) | fragmentOffset;
        }
        else
        {
            id = identification.next();
            flags = ipv4Length > DF_THRESHOLD ? IPV4_DF : 0;
        }

        final int out = l4 - 20;
        if (!pool.setData(frame, out, ipv4Length))
        {
            return Siit64DropReason.NO_ROOM;
        }
        writeIpv4Header(out, trafficClass, ipv4Length, id, flags, hopLimit - 1, protocol4, (int)src4, (int)dst4);
        if (computeUdpChecksum)
        {
            final int sum = InternetChecksum.add(
                InternetChecksum.ipv4PseudoHeaderSum((int)src4, (int)dst4, PROTO_UDP, l4Length),
                InternetChecksum.sum(buffer, l4, l4Length));
            buffer.putShort(l4 + UDP_CHECKSUM,
                (short)InternetChecksum.udpWireChecksum(InternetChecksum.complement(sum)), BIG_ENDIAN);
        }
        pool.l3Offset(frame, out);
        pool.l4Offset(frame, l4);
        pool.l4Protocol(frame, protocol4);
        if (partial)
        {
            // GSO_TCPV6 becomes GSO_TCPV4 with the same gso_size; TCP now starts 20 bytes in.
            pool.offload(frame, Offload.translated(offload, true, 20));
        }

        if (hairpin)
        {
            return hairpin(frame);
        }
        if (splitIpv4)
        {
            return fragmentIpv4(frame, out, l4, l4Length, mtu4, fragmentOffset, more);
        }
        return null;
    }

    private Siit64DropReason hairpin(final int frame)
    {
        // RFC 7757 §4.2: send the IPv4 packet through the 4 to 6 translation, back to the IPv6 side.
        if (hairpin46.translate(frame, true) != null)
        {
            return Siit64DropReason.HAIRPIN_FAILED;
        }
        hairpinned = true;
        return null;
    }

    /**
     * RFC 7915 §5.3: translates an ICMPv6 error and the packet in error inside it.
     *
     * <pre>
     *  before: | IPv6 [+ext] | ICMPv6 (8) | inner IPv6 [+ext] | inner L4 ...[pad]| extension |
     *  after:         | IPv4 | ICMPv4 (8) |    inner IPv4 (20) | inner L4 ...[pad]| extension |
     * </pre>
     *
     * The inner L4 bytes stay where they are; the RFC 4884 extension moves behind the new
     * original-datagram field, and the whole is truncated to 576 bytes (RFC 1812 §4.3.2.3).
     */
    private Siit64DropReason translateIcmpError(
        final int frame, final int off, final int l4, final int l4Length, final int src4, final int dst4,
        final int trafficClass, final int hopLimit, final boolean outerFragmentHeader, final int outerFragmentId,
        final long srcHigh, final long srcLow, final long dstHigh, final long dstLow, final boolean hairpin)
    {
        // Recomputing the checksum of a corrupt error would hide the corruption (RFC 4443 §2.3:
        // the checksum covers the pseudo-header and the whole message).
        final int verify = InternetChecksum.add(
            InternetChecksum.ipv6PseudoHeaderSum(srcHigh, srcLow, dstHigh, dstLow, PROTO_ICMPV6, l4Length),
            InternetChecksum.sum(buffer, l4, l4Length));
        if (verify != 0xFFFF)
        {
            return Siit64DropReason.ICMP_ERROR_BAD_CHECKSUM;
        }
        final int type = buffer.getByte(l4) & 0xFF;
        final int code = buffer.getByte(l4 + Icmpv6Flyweight.CODE_OFFSET) & 0xFF;
        final int translated = IcmpTranslation.icmpv6ToIcmpv4(type, code);
        if (translated == IcmpTranslation.DROP)
        {
            return Siit64DropReason.ICMP_NOT_TRANSLATED;
        }
        final int type4 = IcmpTranslation.typeOf(translated);
        final int code4 = IcmpTranslation.codeOf(translated);
        int rest4 = 0;
        if (type4 == IcmpTranslation.ICMPV4_PARAMETER_PROBLEM)
        {
            // RFC 7915 §5.2 Figure 6: the pointer is re-aimed at the IPv4 header, or dropped.
            final int pointer = IcmpTranslation.pointerIpv6ToIpv4(
                buffer.getInt(l4 + Icmpv6Flyweight.POINTER_OFFSET, BIG_ENDIAN) & 0xFFFF_FFFFL);
            if (pointer == IcmpTranslation.DROP)
            {
                return Siit64DropReason.ICMP_NOT_TRANSLATED;
            }
            rest4 = pointer << 24;
        }
        final long ptbMtu = buffer.getInt(l4 + Icmpv6Flyweight.MTU_OFFSET, BIG_ENDIAN) & 0xFFFF_FFFFL;

        // RFC 4884 §4.1: a non-zero length attribute (64-bit words) separates the original
        // datagram from the extension structure. A length past the end is ignored.
        final int inner = l4 + Icmpv6Flyweight.HEADER_LENGTH;
        final int available = l4Length - 8;
        int originalLength = available;
        int extensionLength = 0;
        if (IcmpTranslation.icmpv6HasLengthAttribute(type))
        {
            final int attribute = (buffer.getByte(l4 + Icmpv6Flyweight.LENGTH_OFFSET) & 0xFF) << 3;
            if (attribute > 0 && attribute <= available)
            {
                originalLength = attribute;
                extensionLength = available - attribute;
            }
        }

        // The packet in error.
        if (originalLength < 40 || (buffer.getByte(inner) & 0xF0) != 0x60)
        {
            return Siit64DropReason.INNER_PACKET_TRUNCATED;
        }
        walk(inner, inner + originalLength, false);
        if (chainStatus != CHAIN_OK)
        {
            return Siit64DropReason.INNER_PACKET_TRUNCATED;
        }
        final int innerTrafficClass = (u16(inner) >>> 4) & 0xFF;
        final int innerPayloadLength = u16(inner + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET);
        final int innerHopLimit = buffer.getByte(inner + Ipv6Flyweight.HOP_LIMIT_OFFSET) & 0xFF;
        final long innerSrcHigh = buffer.getLong(inner + Ipv6Flyweight.SRC_ADDRESS_OFFSET, BIG_ENDIAN);
        final long innerSrcLow = buffer.getLong(inner + Ipv6Flyweight.SRC_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        final long innerDstHigh = buffer.getLong(inner + Ipv6Flyweight.DST_ADDRESS_OFFSET, BIG_ENDIAN);
        final long innerDstLow = buffer.getLong(inner + Ipv6Flyweight.DST_ADDRESS_OFFSET + 8, BIG_ENDIAN);
        final int innerProtocol = upperProtocol;
        final int innerL4 = upperOffset;
        final int innerFragmentHeader = fragmentHeader;
        final int innerL4Available = inner + originalLength - innerL4;
        final int innerL4Length = Math.max(innerPayloadLength + 40 - (innerL4 - inner), 0);
        final int innerFragmentOffset = innerFragmentHeader >= 0 ? u16(innerFragmentHeader + 2) >>> 3 : 0;
        final boolean innerMore = innerFragmentHeader >= 0 && (buffer.getByte(innerFragmentHeader + 3) & 1) != 0;
        final int innerFragmentId = innerFragmentHeader >= 0 ? buffer.getInt(innerFragmentHeader + 4, BIG_ENDIAN) : 0;

        final long innerSrc4 = mapper.innerSource(innerSrcHigh, innerSrcLow);
        final long innerDst4 = mapper.innerDestination(innerDstHigh, innerDstLow);
        if (innerSrc4 == Mapping64.NO_MAPPING || innerDst4 == Mapping64.NO_MAPPING)
        {
            return Siit64DropReason.INNER_UNTRANSLATABLE_ADDRESS;
        }

        // Inner transport checksums: incremental, since the inner packet is usually truncated.
        int innerProtocol4 = innerProtocol;
        if (innerProtocol == PROTO_ICMPV6)
        {
            innerProtocol4 = PROTO_ICMP;
            if (innerFragmentOffset == 0 && innerL4Available >= 1)
            {
                final int innerType = buffer.getByte(innerL4) & 0xFF;
                if (IcmpTranslation.isIcmpv6Error(innerType))
                {
                    // RFC 7915 §5.3: stop at the first embedded header.
                    return Siit64DropReason.NESTED_ICMP_ERROR;
                }
                if (innerL4Available >= 4)
                {
                    final int innerCode = buffer.getByte(innerL4 + Icmpv6Flyweight.CODE_OFFSET) & 0xFF;
                    final int innerTranslated = IcmpTranslation.icmpv6ToIcmpv4(innerType, innerCode);
                    if (innerTranslated == IcmpTranslation.DROP)
                    {
                        return Siit64DropReason.ICMP_NOT_TRANSLATED;
                    }
                    int oldSum = InternetChecksum.add(innerType << 8 | innerCode, InternetChecksum.ipv6PseudoHeaderSum(
                        innerSrcHigh, innerSrcLow, innerDstHigh, innerDstLow, PROTO_ICMPV6, innerL4Length));
                    int newSum = innerTranslated;
                    if (innerL4Available >= 6)
                    {
                        // RFC 6146 §3.7: the inner query identifier is the IPv6 host's.
                        final int oldId = u16(innerL4 + ICMP_IDENTIFIER);
                        final int newId = mapper.innerDestinationPort(oldId);
                        oldSum = InternetChecksum.add(oldSum, oldId);
                        newSum = InternetChecksum.add(newSum, newId);
                        buffer.putShort(innerL4 + ICMP_IDENTIFIER, (short)newId, BIG_ENDIAN);
                    }
                    buffer.putShort(innerL4 + ICMP_CHECKSUM,
                        (short)InternetChecksum.update(u16(innerL4 + ICMP_CHECKSUM), oldSum, newSum), BIG_ENDIAN);
                    buffer.putByte(innerL4, (byte)IcmpTranslation.typeOf(innerTranslated));
                }
            }
        }
        else if (innerFragmentOffset == 0 && innerProtocol == PROTO_UDP && innerL4Available >= 8)
        {
            final int checksum = u16(innerL4 + UDP_CHECKSUM);
            final int newSrcPort = mapper.innerSourcePort(u16(innerL4));
            final int newDstPort = mapper.innerDestinationPort(u16(innerL4 + 2));
            if (checksum != 0)
            {
                updateTransportChecksum(innerL4, innerL4 + UDP_CHECKSUM, checksum,
                    innerSrcHigh, innerSrcLow, innerDstHigh, innerDstLow,
                    (int)innerSrc4, (int)innerDst4, true, newSrcPort, newDstPort);
            }
            else
            {
                rewritePorts(innerL4, newSrcPort, newDstPort);
            }
        }
        else if (innerFragmentOffset == 0 && innerProtocol == PROTO_TCP && innerL4Available >= 18)
        {
            updateTransportChecksum(innerL4, innerL4 + TCP_CHECKSUM, u16(innerL4 + TCP_CHECKSUM),
                innerSrcHigh, innerSrcLow, innerDstHigh, innerDstLow,
                (int)innerSrc4, (int)innerDst4, false, mapper.innerSourcePort(u16(innerL4)),
                mapper.innerDestinationPort(u16(innerL4 + 2)));
        }

        if (type4 == IcmpTranslation.ICMPV4_DEST_UNREACHABLE && code4 == IcmpTranslation.ICMPV4_CODE_FRAGMENTATION_NEEDED)
        {
            // RFC 7915 §5.2: Packet Too Big to Fragmentation Needed, MTU adjusted.
            rest4 = IcmpTranslation.fragmentationNeededMtu(
                ptbMtu, innerFragmentHeader >= 0, egressMtu.ipv4Mtu(), egressMtu.ipv6Mtu());
        }

        // Sizes (RFC 4884 §4.1 and §5, RFC 1812 §4.3.2.3).
        int original4 = 20 + innerL4Available;
        int lengthAttribute = 0;
        if (extensionLength > 0)
        {
            // The original datagram field is a multiple of 4 bytes in ICMPv4 and at least 128.
            final int padded = Math.max(original4 & ~3, RFC4884_MIN_ORIGINAL);
            if (RFC4884_MIN_ORIGINAL + extensionLength > ICMPV4_ERROR_PAYLOAD_MAX)
            {
                // The extension does not fit next to the mandatory 128 bytes: remove it whole.
                extensionLength = 0;
                original4 = Math.min(original4, ICMPV4_ERROR_PAYLOAD_MAX);
            }
            else
            {
                original4 = Math.min(padded, (ICMPV4_ERROR_PAYLOAD_MAX - extensionLength) & ~3);
                lengthAttribute = original4 >>> 2;
            }
        }
        else
        {
            original4 = Math.min(original4, ICMPV4_ERROR_PAYLOAD_MAX);
        }
        final int keptL4 = Math.min(innerL4Available, original4 - 20);
        final int padding = original4 - 20 - keptL4;
        final int icmpLength = 8 + original4 + extensionLength;

        final int innerOut = innerL4 - 20;
        final int icmpOut = innerOut - 8;
        final int out = icmpOut - 20;
        if (!pool.setData(frame, out, 20 + icmpLength))
        {
            return Siit64DropReason.NO_ROOM;
        }
        if (extensionLength > 0)
        {
            buffer.putBytes(innerL4 + keptL4 + padding, buffer, inner + originalLength, extensionLength);
        }
        if (padding > 0)
        {
            buffer.setMemory(innerL4 + keptL4, padding, (byte)0);
        }

        // Inner header: translated like the outer one, but the TTL is the Hop Limit as it was
        // (RFC 7915 §5.3), and the lengths are those of the original, untruncated packet.
        final int innerTotal = Math.min(20 + innerL4Length, 0xFFFF);
        final int innerId;
        final int innerFlags;
        if (innerFragmentHeader >= 0)
        {
            innerId = innerFragmentId & 0xFFFF;
            innerFlags = (innerMore ? IPV4_MF : 0) | innerFragmentOffset;
        }
        else
        {
            // The receiver cannot match the identification of a packet it never saw translated.
            innerId = 0;
            innerFlags = innerTotal > DF_THRESHOLD ? IPV4_DF : 0;
        }
        writeIpv4Header(innerOut, innerTrafficClass, innerTotal, innerId, innerFlags, innerHopLimit, innerProtocol4,
            (int)innerSrc4, (int)innerDst4);

        buffer.putByte(icmpOut, (byte)type4);
        buffer.putByte(icmpOut + 1, (byte)code4);
        buffer.putShort(icmpOut + 2, (short)0, BIG_ENDIAN);
        // RFC 4884 §4.1: the length attribute is the second byte of the ICMPv4 rest-of-header.
        buffer.putInt(icmpOut + 4, rest4 | lengthAttribute << 16, BIG_ENDIAN);
        buffer.putShort(icmpOut + 2, (short)InternetChecksum.checksum(buffer, icmpOut, icmpLength), BIG_ENDIAN);

        // The outer header: at most 576 bytes, so DF is clear (RFC 7915 §5.1).
        writeIpv4Header(out, trafficClass, 20 + icmpLength,
            outerFragmentHeader ? outerFragmentId & 0xFFFF : identification.next(), 0, hopLimit - 1, PROTO_ICMP, src4, dst4);
        pool.l3Offset(frame, out);
        pool.l4Offset(frame, icmpOut);
        pool.l4Protocol(frame, PROTO_ICMP);
        return hairpin ? hairpin(frame) : null;
    }

    /**
     * RFC 791 §3.2 fragmentation of the translated packet, for IPv4 links whose MTU is below
     * 1260 (see {@link #translate(int)}); the first fragment stays in {@code frame}.
     */
    private Siit64DropReason fragmentIpv4(
        final int frame, final int out, final int l4, final int l4Length, final int mtu4, final int fragmentOffset,
        final boolean more)
    {
        final int chunk = (mtu4 - 20) & ~7;
        if (chunk <= 0)
        {
            return Siit64DropReason.PACKET_TOO_BIG;
        }
        final int count = (l4Length + chunk - 1) / chunk;
        if (count > extraFrames.length + 1 || 20 + chunk > pool.slotSize() - pool.headroom())
        {
            return Siit64DropReason.NO_ROOM;
        }
        // All or nothing: a datagram missing a fragment cannot be reassembled.
        if (!pool.allocateAll(extraFrames, count - 1))
        {
            return Siit64DropReason.NO_FRAME;
        }
        for (int k = 1; k < count; k++)
        {
            final int extra = extraFrames[k - 1];
            final int piece = Math.min(chunk, l4Length - k * chunk);
            final int target = pool.offset(extra);
            pool.l3Offset(extra, target);
            pool.setLength(extra, 20 + piece);
            buffer.putBytes(target, buffer, out, 20);
            buffer.putBytes(target + 20, buffer, l4 + k * chunk, piece);
            final boolean last = k == count - 1;
            finishFragmentHeader(target, 20 + piece, fragmentOffset + k * chunk / 8, !last || more);
            pool.port(extra, pool.port(frame));
            pipeline.emit(extra, Verdict.next(ipv4OutputId));
        }
        finishFragmentHeader(out, 20 + chunk, fragmentOffset, true);
        pool.setLength(frame, 20 + chunk);
        return null;
    }

    private void finishFragmentHeader(final int header, final int totalLength, final int offsetUnits, final boolean more)
    {
        buffer.putShort(header + 2, (short)totalLength, BIG_ENDIAN);
        buffer.putShort(header + 6, (short)((more ? IPV4_MF : 0) | offsetUnits), BIG_ENDIAN);
        buffer.putShort(header + 10, (short)0, BIG_ENDIAN);
        buffer.putShort(header + 10, (short)InternetChecksum.checksum(buffer, header, 20), BIG_ENDIAN);
    }

    /**
     * Walks the extension headers (RFC 7915 §5.1: Hop-by-Hop, Destination Options, Routing and
     * Fragment are skipped; anything else, AH and ESP included, is the upper layer).
     *
     * @param outer {@code true} for the packet itself, {@code false} for the packet inside an
     *              ICMPv6 error, where only the layout matters.
     */
    private void walk(final int off, final int end, final boolean outer)
    {
        chainStatus = CHAIN_OK;
        fragmentHeader = -1;
        errorOffset = -1;
        int nextHeader = buffer.getByte(off + Ipv6Flyweight.NEXT_HEADER_OFFSET) & 0xFF;
        int position = off + Ipv6Flyweight.HEADER_LENGTH;
        int count = 0;
        while (nextHeader == PROTO_HOP_BY_HOP || nextHeader == PROTO_ROUTING || nextHeader == PROTO_FRAGMENT
            || nextHeader == PROTO_DESTINATION_OPTIONS)
        {
            if (++count > MAX_EXTENSION_HEADERS)
            {
                chainStatus = CHAIN_TOO_MANY;
                return;
            }
            if (nextHeader == PROTO_FRAGMENT)
            {
                if (position + 8 > end)
                {
                    chainStatus = CHAIN_TRUNCATED;
                    return;
                }
                fragmentHeader = position;
                nextHeader = buffer.getByte(position) & 0xFF;
                final boolean firstFragment = (u16(position + 2) >>> 3) == 0;
                position += 8;
                if (outer && isExtensionHeader(nextHeader))
                {
                    // RFC 7915 §5.1.1: the Fragment Header's Next Header is an extension header
                    // (AH included, ESP excluded).
                    chainStatus = CHAIN_EXTENSION_AFTER_FRAGMENT;
                    errorOffset = fragmentHeader;
                    break;
                }
                if (!firstFragment)
                {
                    break;      // RFC 8200 §4.5: the rest is opaque fragment data.
                }
                continue;
            }
            if (position + 8 > end)
            {
                chainStatus = CHAIN_TRUNCATED;
                return;
            }
            final int headerLength = ((buffer.getByte(position + 1) & 0xFF) + 1) << 3;
            if (position + headerLength > end)
            {
                chainStatus = CHAIN_TRUNCATED;
                return;
            }
            if (outer && nextHeader == PROTO_ROUTING && (buffer.getByte(position + 3) & 0xFF) != 0)
            {
                // RFC 7915 §5.1: a Routing header with Segments Left != 0 is not translated.
                chainStatus = CHAIN_SEGMENTS_LEFT;
                errorOffset = position + 3;
                upperProtocol = nextHeader;
                upperOffset = position;
                return;
            }
            nextHeader = buffer.getByte(position) & 0xFF;
            position += headerLength;
        }
        upperProtocol = nextHeader;
        upperOffset = position;
    }

    /** RFC 7915 §5.1.1: IPv6 extension headers (RFC 7045 §3 list), ESP excluded, AH included. */
    private static boolean isExtensionHeader(final int nextHeader)
    {
        switch (nextHeader)
        {
            case PROTO_HOP_BY_HOP, PROTO_ROUTING, PROTO_FRAGMENT, PROTO_AH, PROTO_DESTINATION_OPTIONS,
                IpProtocol.MOBILITY, IpProtocol.HIP, IpProtocol.SHIM6, IpProtocol.EXPERIMENTAL_253,
                IpProtocol.EXPERIMENTAL_254:
                return true;
            default:
                return false;
        }
    }

    private void updateTransportChecksum(
        final int l4, final int checksumOffset, final int checksum, final long sHigh, final long sLow, final long dHigh,
        final long dLow, final int src4, final int dst4, final boolean udp, final int newSrcPort, final int newDstPort)
    {
        // RFC 7915 §5.5, RFC 1624 eqn. 3: the addresses of the pseudo-header change, and with
        // stateful NAT64 the ports (RFC 6146 §3.7).
        final int oldSrcPort = u16(l4);
        final int oldDstPort = u16(l4 + 2);
        final int updated = InternetChecksum.update(checksum,
            InternetChecksum.add(InternetChecksum.ipv6PseudoHeaderSum(sHigh, sLow, dHigh, dLow, 0, 0),
                oldSrcPort + oldDstPort),
            InternetChecksum.add(InternetChecksum.ipv4PseudoHeaderSum(src4, dst4, 0, 0), newSrcPort + newDstPort));
        rewritePorts(l4, newSrcPort, newDstPort);
        buffer.putShort(checksumOffset, (short)(udp ? InternetChecksum.udpWireChecksum(updated) : updated), BIG_ENDIAN);
    }

    private void updatePartialChecksum(
        final int l4, final long sHigh, final long sLow, final long dHigh, final long dLow, final int src4,
        final int dst4, final int newSrcPort, final int newDstPort)
    {
        // A partial checksum holds the pseudo-header sum only (the one who completes it sums the
        // TCP header, new ports included): the IPv6 pseudo-header's addresses leave it and the
        // IPv4 one's come in (RFC 7915 §5.5); length and protocol weigh the same in both.
        final int field = u16(l4 + TCP_CHECKSUM);
        final int updated = Offload.updatePartial(field,
            InternetChecksum.ipv6PseudoHeaderSum(sHigh, sLow, dHigh, dLow, 0, 0),
            InternetChecksum.ipv4PseudoHeaderSum(src4, dst4, 0, 0));
        rewritePorts(l4, newSrcPort, newDstPort);
        buffer.putShort(l4 + TCP_CHECKSUM, (short)updated, BIG_ENDIAN);
    }

    private void rewritePorts(final int l4, final int srcPort, final int dstPort)
    {
        buffer.putShort(l4, (short)srcPort, BIG_ENDIAN);
        buffer.putShort(l4 + 2, (short)dstPort, BIG_ENDIAN);
    }

    private void writeIpv4Header(
        final int out, final int tos, final int totalLength, final int id, final int flagsOffset, final int ttl,
        final int protocol, final int src4, final int dst4)
    {
        // RFC 7915 §5.1: version 4, IHL 5 (no options), TOS from the traffic class. Three stores
        // instead of ten; the checksum from the values, not the bytes just stored (see
        // InternetChecksum.ipv4HeaderChecksum).
        //   bytes 0-7:  version+IHL, TOS, Total Length, Identification, Flags+Fragment Offset
        //   bytes 8-15: TTL, Protocol, Header Checksum, Source Address
        //   bytes 16-19: Destination Address
        final int checksum = InternetChecksum.ipv4HeaderChecksum(tos, totalLength, id, flagsOffset, ttl, protocol,
            src4, dst4);
        buffer.putLong(out + Ipv4Flyweight.VERSION_OFFSET, 0x45L << 56 | (tos & 0xFFL) << 48 |
            (totalLength & 0xFFFFL) << 32 | (id & 0xFFFFL) << 16 | (flagsOffset & 0xFFFFL), BIG_ENDIAN);
        buffer.putLong(out + Ipv4Flyweight.TTL_OFFSET, (ttl & 0xFFL) << 56 | (protocol & 0xFFL) << 48 |
            (long)checksum << 32 | (src4 & 0xFFFF_FFFFL), BIG_ENDIAN);
        buffer.putInt(out + Ipv4Flyweight.DST_ADDRESS_OFFSET, dst4, BIG_ENDIAN);
    }

    /**
     * RFC 7915 §5.4: the ICMPv6 error for a packet we drop, unless the packet is an ICMPv6 error
     * itself, or its source or destination rules an error out (RFC 4443 §2.4 (e)).
     */
    private void sendIcmpv6Error(
        final int off, final int length, final long srcHigh, final long srcLow, final long dstHigh, final long dstLow,
        final int protocol, final boolean isIcmpError, final int type, final int code, final int rest)
    {
        final boolean multicastDestination = (dstHigh >>> 56) == 0xFF;
        final boolean badSource = (srcHigh >>> 56) == 0xFF || (srcHigh == 0 && (srcLow == 0 || srcLow == 1));
        if (!config.icmpErrors() || isIcmpError || badSource
            || (multicastDestination && type != IcmpTranslation.ICMPV6_PACKET_TOO_BIG))
        {
            return;
        }
        final int error = errors.icmpv6Error(off, length, config.localIpv6High(), config.localIpv6Low(), srcHigh, srcLow,
            type, code, rest);
        if (error != FramePool.NO_FRAME)
        {
            pipeline.emit(error, Verdict.next(ipv6OutputId));
        }
    }

    private int u16(final int index)
    {
        return buffer.getShort(index, BIG_ENDIAN) & 0xFFFF;
    }
}
