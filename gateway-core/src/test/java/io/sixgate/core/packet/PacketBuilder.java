package io.sixgate.core.packet;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds valid IPv4 and IPv6 packets (optionally in an Ethernet frame) carrying UDP, TCP,
 * ICMPv4/ICMPv6 or raw payloads, with every length and checksum right, for tests in any module
 * (it ships in gateway-core's test-jar).
 *
 * <pre>
 * final int length = PacketBuilder.ipv6("2001:db8::1", "64:ff9b::c000:201")
 *     .udp(40000, 53)
 *     .payload(32)
 *     .writeTo(buffer, offset);
 * </pre>
 *
 * <p>Checksums are computed with a plain 16-bit loop written here, independent of
 * {@link InternetChecksum}, so tests can use one to check the other. The upper-layer checksum
 * covers what the builder emits, so it is only meaningful for an unfragmented packet. Mutate
 * the built bytes to make a packet invalid. This is test code: it allocates freely.
 */
public final class PacketBuilder
{
    /** Documentation addresses (RFC 5737, RFC 3849, RFC 6052) used as defaults in tests. */
    public static final String IPV4_SRC = "192.0.2.1";
    public static final String IPV4_DST = "198.51.100.7";
    public static final String IPV6_SRC = "2001:db8::1";
    public static final String IPV6_DST = "2001:db8:1::2";

    private static final int NONE = -1;

    private final int ipVersion;
    private final byte[] src;
    private final byte[] dst;
    private int ttl = 64;
    private int tos;
    private int flowLabel;
    private int identification = 0x1234;
    private boolean dontFragment;
    private int ipv4FragmentOffsetBytes;
    private boolean ipv4MoreFragments;
    private byte[] ipv4Options = new byte[0];
    private final List<Integer> extensionHeaderTypes = new ArrayList<>();
    private final List<byte[]> extensionHeaders = new ArrayList<>();

    private int l4Protocol = IpProtocol.NO_NEXT_HEADER;
    private byte[] l4Header = new byte[0];
    private int l4ChecksumOffset = NONE;
    private boolean udpChecksum = true;
    private byte[] payload = new byte[0];

    private boolean ethernet;
    private long dstMac;
    private long srcMac;

    private PacketBuilder(final int ipVersion, final byte[] src, final byte[] dst)
    {
        this.ipVersion = ipVersion;
        this.src = src;
        this.dst = dst;
    }

    /**
     * @param src dotted-quad source.
     * @param dst dotted-quad destination.
     * @return a builder for an IPv4 packet with no payload (protocol 59 until one is chosen).
     */
    public static PacketBuilder ipv4(final String src, final String dst)
    {
        return new PacketBuilder(4, addressBytes(src, 4), addressBytes(dst, 4));
    }

    /**
     * @param src textual IPv6 source.
     * @param dst textual IPv6 destination.
     * @return a builder for an IPv6 packet with no payload (next header 59 until one is chosen).
     */
    public static PacketBuilder ipv6(final String src, final String dst)
    {
        return new PacketBuilder(6, addressBytes(src, 16), addressBytes(dst, 16));
    }

    /**
     * @return an IPv4 builder from {@link #IPV4_SRC} to {@link #IPV4_DST}.
     */
    public static PacketBuilder ipv4()
    {
        return ipv4(IPV4_SRC, IPV4_DST);
    }

    /**
     * @return an IPv6 builder from {@link #IPV6_SRC} to {@link #IPV6_DST}.
     */
    public static PacketBuilder ipv6()
    {
        return ipv6(IPV6_SRC, IPV6_DST);
    }

    /** TTL for IPv4, hop limit for IPv6. */
    public PacketBuilder ttl(final int ttl)
    {
        this.ttl = ttl;
        return this;
    }

    /** TOS for IPv4, traffic class for IPv6. */
    public PacketBuilder tos(final int tos)
    {
        this.tos = tos;
        return this;
    }

    public PacketBuilder flowLabel(final int flowLabel)
    {
        this.flowLabel = flowLabel;
        return this;
    }

    /** IPv4 identification. */
    public PacketBuilder identification(final int identification)
    {
        this.identification = identification;
        return this;
    }

    public PacketBuilder dontFragment(final boolean dontFragment)
    {
        this.dontFragment = dontFragment;
        return this;
    }

    /**
     * Make the IPv4 packet a fragment. The upper-layer header is still emitted unless the
     * offset is non-zero, in which case only the payload is.
     */
    public PacketBuilder ipv4Fragment(final int offsetBytes, final boolean moreFragments)
    {
        this.ipv4FragmentOffsetBytes = offsetBytes;
        this.ipv4MoreFragments = moreFragments;
        return this;
    }

    /** IPv4 options, padded with End of Options List to a multiple of 4. */
    public PacketBuilder ipv4Options(final byte[] options)
    {
        this.ipv4Options = Arrays.copyOf(options, (options.length + 3) & ~3);
        return this;
    }

    /**
     * Append a raw IPv6 extension header; its first octet (Next Header) is filled in.
     *
     * @param type   the Next Header value that names it.
     * @param header its bytes, a multiple of 8 long for uniform-format headers.
     * @return this.
     */
    public PacketBuilder extensionHeader(final int type, final byte[] header)
    {
        extensionHeaderTypes.add(type);
        extensionHeaders.add(header.clone());
        return this;
    }

    /** Append an 8-byte Hop-by-Hop Options header holding one PadN option. */
    public PacketBuilder hopByHop()
    {
        return extensionHeader(IpProtocol.HOP_BY_HOP, paddedOptionsHeader(0));
    }

    /** Append an 8-byte Destination Options header holding one PadN option. */
    public PacketBuilder destinationOptions()
    {
        return extensionHeader(IpProtocol.DESTINATION_OPTIONS, paddedOptionsHeader(0));
    }

    /**
     * Append a Routing header with no addresses (24 bytes, room for one address, all zero).
     */
    public PacketBuilder routingHeader(final int routingType, final int segmentsLeft)
    {
        final byte[] header = new byte[24];
        header[1] = 2;
        header[2] = (byte)routingType;
        header[3] = (byte)segmentsLeft;
        return extensionHeader(IpProtocol.ROUTING, header);
    }

    /** Append a Fragment header. With a non-zero offset no upper-layer header is emitted. */
    public PacketBuilder fragmentHeader(final int offsetBytes, final boolean moreFragments, final int fragmentId)
    {
        final byte[] header = new byte[8];
        final int word = (offsetBytes & 0xFFF8) | (moreFragments ? 1 : 0);
        header[2] = (byte)(word >>> 8);
        header[3] = (byte)word;
        header[4] = (byte)(fragmentId >>> 24);
        header[5] = (byte)(fragmentId >>> 16);
        header[6] = (byte)(fragmentId >>> 8);
        header[7] = (byte)fragmentId;
        return extensionHeader(IpProtocol.FRAGMENT, header);
    }

    /** Append an Authentication Header (RFC 4302) with a 4-byte ICV: 16 bytes. */
    public PacketBuilder authenticationHeader(final int spi)
    {
        final byte[] header = new byte[16];
        header[1] = 2; // (16 / 4) - 2
        header[4] = (byte)(spi >>> 24);
        header[5] = (byte)(spi >>> 16);
        header[6] = (byte)(spi >>> 8);
        header[7] = (byte)spi;
        return extensionHeader(IpProtocol.AH, header);
    }

    public PacketBuilder udp(final int srcPort, final int dstPort)
    {
        final byte[] header = new byte[UdpFlyweight.HEADER_LENGTH];
        putShort(header, 0, srcPort);
        putShort(header, 2, dstPort);
        return upperLayer(IpProtocol.UDP, header, UdpFlyweight.CHECKSUM_OFFSET);
    }

    /** Over IPv4, send UDP with checksum 0: "none" (RFC 768). */
    public PacketBuilder noUdpChecksum()
    {
        this.udpChecksum = false;
        return this;
    }

    /** A TCP header without options: seq 1000, ack 0 (or 2000 with ACK), window 65535. */
    public PacketBuilder tcp(final int srcPort, final int dstPort, final int flags)
    {
        return tcp(srcPort, dstPort, flags, 1000, (flags & TcpFlyweight.ACK) != 0 ? 2000 : 0, new byte[0]);
    }

    /**
     * @param options TCP options, padded with zeros (End of Option List) to a multiple of 4.
     */
    public PacketBuilder tcp(
        final int srcPort, final int dstPort, final int flags, final int seq, final int ack, final byte[] options)
    {
        final byte[] header = new byte[TcpFlyweight.MIN_HEADER_LENGTH + ((options.length + 3) & ~3)];
        putShort(header, 0, srcPort);
        putShort(header, 2, dstPort);
        putInt(header, 4, seq);
        putInt(header, 8, ack);
        header[12] = (byte)((header.length / 4) << 4);
        header[13] = (byte)flags;
        putShort(header, 14, 0xFFFF);
        System.arraycopy(options, 0, header, TcpFlyweight.MIN_HEADER_LENGTH, options.length);
        return upperLayer(IpProtocol.TCP, header, TcpFlyweight.CHECKSUM_OFFSET);
    }

    /** ICMP echo request: type 8 over IPv4, 128 over IPv6. */
    public PacketBuilder icmpEchoRequest(final int identifier, final int sequence)
    {
        return icmp(4 == ipVersion ? Icmpv4Flyweight.TYPE_ECHO_REQUEST : Icmpv6Flyweight.TYPE_ECHO_REQUEST, 0,
            (identifier << 16) | (sequence & 0xFFFF));
    }

    /** ICMP echo reply: type 0 over IPv4, 129 over IPv6. */
    public PacketBuilder icmpEchoReply(final int identifier, final int sequence)
    {
        return icmp(4 == ipVersion ? Icmpv4Flyweight.TYPE_ECHO_REPLY : Icmpv6Flyweight.TYPE_ECHO_REPLY, 0,
            (identifier << 16) | (sequence & 0xFFFF));
    }

    /**
     * Any ICMP message (ICMPv4 over IPv4, ICMPv6 over IPv6): the 8-byte header, then the payload
     * (for an error, the quoted packet: build it with another builder and pass it to
     * {@link #payload(byte[])}).
     */
    public PacketBuilder icmp(final int type, final int code, final int restOfHeader)
    {
        final byte[] header = new byte[8];
        header[0] = (byte)type;
        header[1] = (byte)code;
        putInt(header, 4, restOfHeader);
        return upperLayer(4 == ipVersion ? IpProtocol.ICMP : IpProtocol.ICMPV6, header, 2);
    }

    /**
     * A Neighbor Solicitation for a target (RFC 4861 §4.3) with a Source Link-Layer Address
     * option; set hop limit 255 and the solicited-node destination yourself.
     */
    public PacketBuilder neighborSolicitation(final String target, final long sourceMac)
    {
        final byte[] header = new byte[NdpFlyweight.NEIGHBOR_OPTIONS_OFFSET + 8];
        header[0] = (byte)Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION;
        System.arraycopy(addressBytes(target, 16), 0, header, NdpFlyweight.TARGET_ADDRESS_OFFSET, 16);
        header[24] = (byte)NdpFlyweight.OPTION_SOURCE_LINK_LAYER_ADDRESS;
        header[25] = 1;
        putMac(header, 26, sourceMac);
        return upperLayer(IpProtocol.ICMPV6, header, Icmpv6Flyweight.CHECKSUM_OFFSET);
    }

    /**
     * A Neighbor Advertisement for a target (RFC 4861 §4.4) with R/S/O flags and, unless
     * {@code targetMac} is negative, a Target Link-Layer Address option; set hop limit 255 yourself.
     *
     * @param flags {@link NdpFlyweight#FLAG_ROUTER}, {@link NdpFlyweight#FLAG_SOLICITED},
     *              {@link NdpFlyweight#FLAG_OVERRIDE} or'ed together.
     */
    public PacketBuilder neighborAdvertisement(final String target, final int flags, final long targetMac)
    {
        final boolean option = targetMac >= 0;
        final byte[] header = new byte[NdpFlyweight.NEIGHBOR_OPTIONS_OFFSET + (option ? 8 : 0)];
        header[0] = (byte)Icmpv6Flyweight.TYPE_NEIGHBOR_ADVERTISEMENT;
        header[4] = (byte)flags;
        System.arraycopy(addressBytes(target, 16), 0, header, NdpFlyweight.TARGET_ADDRESS_OFFSET, 16);
        if (option)
        {
            header[24] = (byte)NdpFlyweight.OPTION_TARGET_LINK_LAYER_ADDRESS;
            header[25] = 1;
            putMac(header, 26, targetMac);
        }
        return upperLayer(IpProtocol.ICMPV6, header, Icmpv6Flyweight.CHECKSUM_OFFSET);
    }

    /**
     * An Ethernet/IPv4 ARP frame (RFC 826), unpadded.
     *
     * @param oper {@link ArpFlyweight#OPER_REQUEST} or {@link ArpFlyweight#OPER_REPLY}.
     */
    public static byte[] arp(
        final long ethernetDst, final int oper, final long senderMac, final String senderIp, final long targetMac,
        final String targetIp)
    {
        final byte[] frame = new byte[EthernetFlyweight.HEADER_LENGTH + ArpFlyweight.LENGTH];
        putMac(frame, 0, ethernetDst);
        putMac(frame, 6, senderMac);
        putShort(frame, 12, EthernetFlyweight.ETHERTYPE_ARP);
        putShort(frame, 14, ArpFlyweight.HTYPE_ETHERNET);
        putShort(frame, 16, ArpFlyweight.PTYPE_IPV4);
        frame[18] = 6;
        frame[19] = 4;
        putShort(frame, 20, oper);
        putMac(frame, 22, senderMac);
        System.arraycopy(addressBytes(senderIp, 4), 0, frame, 28, 4);
        putMac(frame, 32, targetMac);
        System.arraycopy(addressBytes(targetIp, 4), 0, frame, 38, 4);
        return frame;
    }

    /** A raw upper layer: the payload alone follows the IP headers, no checksum is computed. */
    public PacketBuilder protocol(final int protocol)
    {
        return upperLayer(protocol, new byte[0], NONE);
    }

    public PacketBuilder payload(final byte[] payload)
    {
        this.payload = payload.clone();
        return this;
    }

    /** A payload of {@code length} bytes counting up from 0. */
    public PacketBuilder payload(final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)i;
        }
        this.payload = bytes;
        return this;
    }

    /** Put the packet in an Ethernet II frame with the right EtherType. */
    public PacketBuilder ethernet(final long dstMac, final long srcMac)
    {
        this.ethernet = true;
        this.dstMac = dstMac;
        this.srcMac = srcMac;
        return this;
    }

    /**
     * @return the packet (or frame) as bytes.
     */
    public byte[] build()
    {
        final byte[] l4 = upperLayerBytes();
        final byte[] ip = 4 == ipVersion ? ipv4Packet(l4) : ipv6Packet(l4);
        if (!ethernet)
        {
            return ip;
        }

        final byte[] frame = new byte[EthernetFlyweight.HEADER_LENGTH + ip.length];
        putMac(frame, 0, dstMac);
        putMac(frame, 6, srcMac);
        putShort(frame, 12, 4 == ipVersion ? EthernetFlyweight.ETHERTYPE_IPV4 : EthernetFlyweight.ETHERTYPE_IPV6);
        System.arraycopy(ip, 0, frame, EthernetFlyweight.HEADER_LENGTH, ip.length);
        return frame;
    }

    /**
     * Write the packet (or frame) into a buffer.
     *
     * @return its length in bytes.
     */
    public int writeTo(final MutableDirectBuffer buffer, final int offset)
    {
        final byte[] bytes = build();
        buffer.putBytes(offset, bytes);
        return bytes.length;
    }

    /**
     * @return a direct buffer holding the packet at {@code offset}, followed by {@code spare}
     * zero bytes.
     */
    public UnsafeBuffer toDirectBuffer(final int offset, final int spare)
    {
        return TestBuffers.directBufferWith(build(), offset, spare);
    }

    /**
     * @param dottedQuad e.g. "192.0.2.1".
     * @return the address as an int, first octet most significant.
     */
    public static int ipv4Address(final String dottedQuad)
    {
        return ByteBuffer.wrap(addressBytes(dottedQuad, 4)).getInt();
    }

    /**
     * @param address textual IPv6 address.
     * @return its first 64 bits.
     */
    public static long ipv6High(final String address)
    {
        return ByteBuffer.wrap(addressBytes(address, 16)).getLong(0);
    }

    /**
     * @param address textual IPv6 address.
     * @return its last 64 bits.
     */
    public static long ipv6Low(final String address)
    {
        return ByteBuffer.wrap(addressBytes(address, 16)).getLong(8);
    }

    /**
     * The reference Internet checksum: 16-bit words summed in an int with end-around carry,
     * the textbook way (RFC 1071 §4.1), for comparison with {@link InternetChecksum}.
     *
     * @param initial partial sum to start from (e.g. a pseudo-header), 0 for none.
     * @param bytes   the data; an odd length is padded with a zero byte.
     * @return the one's complement of the sum.
     */
    public static int referenceChecksum(final int initial, final byte[] bytes)
    {
        int sum = initial;
        for (int i = 0; i < bytes.length; i += 2)
        {
            final int high = bytes[i] & 0xFF;
            final int low = i + 1 < bytes.length ? bytes[i + 1] & 0xFF : 0;
            sum += (high << 8) | low;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    private PacketBuilder upperLayer(final int protocol, final byte[] header, final int checksumOffset)
    {
        this.l4Protocol = protocol;
        this.l4Header = header;
        this.l4ChecksumOffset = checksumOffset;
        return this;
    }

    private boolean emitsUpperLayerHeader()
    {
        if (4 == ipVersion)
        {
            return 0 == ipv4FragmentOffsetBytes;
        }
        for (int i = 0; i < extensionHeaders.size(); i++)
        {
            if (IpProtocol.FRAGMENT == extensionHeaderTypes.get(i))
            {
                final byte[] fragment = extensionHeaders.get(i);
                if ((((fragment[2] & 0xFF) << 8 | (fragment[3] & 0xFF)) & 0xFFF8) != 0)
                {
                    return false;
                }
            }
        }
        return true;
    }

    private byte[] upperLayerBytes()
    {
        final byte[] header = emitsUpperLayerHeader() ? l4Header : new byte[0];
        final byte[] l4 = new byte[header.length + payload.length];
        System.arraycopy(header, 0, l4, 0, header.length);
        System.arraycopy(payload, 0, l4, header.length, payload.length);

        if (IpProtocol.UDP == l4Protocol && header.length > 0)
        {
            putShort(l4, UdpFlyweight.LENGTH_OFFSET, l4.length);
        }

        if (NONE == l4ChecksumOffset || 0 == header.length)
        {
            return l4;
        }

        final int checksum;
        if (IpProtocol.ICMP == l4Protocol)
        {
            checksum = referenceChecksum(0, l4);
        }
        else if (4 == ipVersion)
        {
            if (IpProtocol.UDP == l4Protocol && !udpChecksum)
            {
                return l4;
            }
            final byte[] pseudo = new byte[12];
            System.arraycopy(src, 0, pseudo, 0, 4);
            System.arraycopy(dst, 0, pseudo, 4, 4);
            pseudo[9] = (byte)l4Protocol;
            putShort(pseudo, 10, l4.length);
            checksum = referenceChecksum(~referenceChecksum(0, pseudo) & 0xFFFF, l4);
        }
        else
        {
            // RFC 8200 §8.1: the final destination is the last address of a Routing header;
            // the builder's Routing headers carry no addresses, so it is the header's.
            final byte[] pseudo = new byte[40];
            System.arraycopy(src, 0, pseudo, 0, 16);
            System.arraycopy(dst, 0, pseudo, 16, 16);
            putInt(pseudo, 32, l4.length);
            pseudo[39] = (byte)l4Protocol;
            checksum = referenceChecksum(~referenceChecksum(0, pseudo) & 0xFFFF, l4);
        }

        // RFC 768, RFC 8200 §8.1: a computed zero UDP checksum is sent as all ones.
        putShort(l4, l4ChecksumOffset, IpProtocol.UDP == l4Protocol && 0 == checksum ? 0xFFFF : checksum);
        return l4;
    }

    private byte[] ipv4Packet(final byte[] l4)
    {
        final int headerLength = Ipv4Flyweight.MIN_HEADER_LENGTH + ipv4Options.length;
        final byte[] packet = new byte[headerLength + l4.length];
        packet[0] = (byte)(0x40 | (headerLength / 4));
        packet[1] = (byte)tos;
        putShort(packet, 2, packet.length);
        putShort(packet, 4, identification);
        final int flags = (dontFragment ? Ipv4Flyweight.FLAG_DF : 0) | (ipv4MoreFragments ? Ipv4Flyweight.FLAG_MF : 0);
        putShort(packet, 6, flags | (ipv4FragmentOffsetBytes >>> 3));
        packet[8] = (byte)ttl;
        packet[9] = (byte)l4Protocol;
        System.arraycopy(src, 0, packet, 12, 4);
        System.arraycopy(dst, 0, packet, 16, 4);
        System.arraycopy(ipv4Options, 0, packet, 20, ipv4Options.length);
        putShort(packet, 10, referenceChecksum(0, Arrays.copyOf(packet, headerLength)));
        System.arraycopy(l4, 0, packet, headerLength, l4.length);
        return packet;
    }

    private byte[] ipv6Packet(final byte[] l4)
    {
        int extensionLength = 0;
        for (final byte[] header : extensionHeaders)
        {
            extensionLength += header.length;
        }

        final byte[] packet = new byte[Ipv6Flyweight.HEADER_LENGTH + extensionLength + l4.length];
        putInt(packet, 0, (6 << 28) | ((tos & 0xFF) << 20) | (flowLabel & 0xF_FFFF));
        putShort(packet, 4, packet.length - Ipv6Flyweight.HEADER_LENGTH);
        packet[6] = (byte)(extensionHeaders.isEmpty() ? l4Protocol : extensionHeaderTypes.get(0));
        packet[7] = (byte)ttl;
        System.arraycopy(src, 0, packet, 8, 16);
        System.arraycopy(dst, 0, packet, 24, 16);

        int position = Ipv6Flyweight.HEADER_LENGTH;
        for (int i = 0; i < extensionHeaders.size(); i++)
        {
            final byte[] header = extensionHeaders.get(i);
            System.arraycopy(header, 0, packet, position, header.length);
            packet[position] = (byte)(i + 1 < extensionHeaders.size() ? extensionHeaderTypes.get(i + 1) : l4Protocol);
            position += header.length;
        }
        System.arraycopy(l4, 0, packet, position, l4.length);
        return packet;
    }

    private static byte[] paddedOptionsHeader(final int hdrExtLen)
    {
        final byte[] header = new byte[(hdrExtLen + 1) * 8];
        header[1] = (byte)hdrExtLen;
        header[2] = 1; // PadN (RFC 8200 §4.2) filling the rest of the header
        header[3] = (byte)(header.length - 4);
        return header;
    }

    private static byte[] addressBytes(final String literal, final int expectedLength)
    {
        if (!literal.matches("[0-9a-fA-F:.]+"))
        {
            throw new IllegalArgumentException("not an address literal: " + literal);
        }
        try
        {
            final byte[] bytes = InetAddress.getByName(literal).getAddress();
            if (bytes.length != expectedLength)
            {
                throw new IllegalArgumentException("expected a " + (8 * expectedLength) + "-bit address: " + literal);
            }
            return bytes;
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(literal, ex);
        }
    }

    private static void putShort(final byte[] bytes, final int index, final int value)
    {
        bytes[index] = (byte)(value >>> 8);
        bytes[index + 1] = (byte)value;
    }

    private static void putInt(final byte[] bytes, final int index, final int value)
    {
        putShort(bytes, index, value >>> 16);
        putShort(bytes, index + 2, value);
    }

    private static void putMac(final byte[] bytes, final int index, final long mac)
    {
        putShort(bytes, index, (int)(mac >>> 32));
        putInt(bytes, index + 2, (int)mac);
    }
}
