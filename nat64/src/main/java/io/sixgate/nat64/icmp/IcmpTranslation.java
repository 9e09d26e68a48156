package io.sixgate.nat64.icmp;

/**
 * The ICMP type, code, pointer and MTU rules of RFC 7915 §4.2 (ICMPv4 to ICMPv6) and §5.2
 * (ICMPv6 to ICMPv4), as pure functions over primitives.
 *
 * <p>A translated type and code travel packed as {@code type << 8 | code}; {@link #DROP} means
 * "silently drop" (the RFC's wording for every message it does not translate).
 */
public final class IcmpTranslation
{
    /** The message is not translated (RFC 7915 §4.2, §5.2: "silently drop"). */
    public static final int DROP = -1;

    public static final int ICMPV4_ECHO_REPLY = 0;
    public static final int ICMPV4_DEST_UNREACHABLE = 3;
    public static final int ICMPV4_ECHO_REQUEST = 8;
    public static final int ICMPV4_TIME_EXCEEDED = 11;
    public static final int ICMPV4_PARAMETER_PROBLEM = 12;

    public static final int ICMPV4_CODE_PROTOCOL_UNREACHABLE = 2;
    public static final int ICMPV4_CODE_PORT_UNREACHABLE = 3;
    public static final int ICMPV4_CODE_FRAGMENTATION_NEEDED = 4;
    public static final int ICMPV4_CODE_SOURCE_ROUTE_FAILED = 5;
    public static final int ICMPV4_CODE_ADMIN_PROHIBITED = 13;

    public static final int ICMPV6_DEST_UNREACHABLE = 1;
    public static final int ICMPV6_PACKET_TOO_BIG = 2;
    public static final int ICMPV6_TIME_EXCEEDED = 3;
    public static final int ICMPV6_PARAMETER_PROBLEM = 4;
    public static final int ICMPV6_ECHO_REQUEST = 128;
    public static final int ICMPV6_ECHO_REPLY = 129;

    public static final int ICMPV6_CODE_ADMIN_PROHIBITED = 1;
    public static final int ICMPV6_CODE_ERRONEOUS_HEADER_FIELD = 0;
    public static final int ICMPV6_CODE_UNRECOGNIZED_NEXT_HEADER = 1;

    /** Offset of the Next Header field in the IPv6 header: the pointer of ICMPv4 "protocol unreachable" (RFC 7915 §4.2). */
    public static final int IPV6_NEXT_HEADER_POINTER = 6;

    /** RFC 8200 §5. */
    public static final int IPV6_MIN_MTU = 1280;

    /** RFC 1191 §7 table of plateaus, largest first. */
    private static final int[] PLATEAUS = {65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68};

    private IcmpTranslation()
    {
    }

    public static int pack(final int type, final int code)
    {
        return type << 8 | code;
    }

    public static int typeOf(final int packed)
    {
        return packed >>> 8;
    }

    public static int codeOf(final int packed)
    {
        return packed & 0xFF;
    }

    /**
     * @return whether an ICMPv4 type is an error message (carries a packet in error, RFC 792).
     */
    public static boolean isIcmpv4Error(final int type)
    {
        return type == ICMPV4_DEST_UNREACHABLE || type == 4 || type == 5 || type == ICMPV4_TIME_EXCEEDED
            || type == ICMPV4_PARAMETER_PROBLEM;
    }

    /**
     * @return whether an ICMPv6 type is an error message (RFC 4443 §2.1: types 0..127).
     */
    public static boolean isIcmpv6Error(final int type)
    {
        return type < 128;
    }

    /**
     * RFC 4884 §4: the ICMPv4 messages whose "original datagram" may be followed by extensions
     * and whose length attribute sits in the second word.
     */
    public static boolean icmpv4HasLengthAttribute(final int type)
    {
        return type == ICMPV4_DEST_UNREACHABLE || type == ICMPV4_TIME_EXCEEDED || type == ICMPV4_PARAMETER_PROBLEM;
    }

    /**
     * RFC 4884 §4: the ICMPv6 messages with a length attribute (Destination Unreachable and
     * Time Exceeded).
     */
    public static boolean icmpv6HasLengthAttribute(final int type)
    {
        return type == ICMPV6_DEST_UNREACHABLE || type == ICMPV6_TIME_EXCEEDED;
    }

    /**
     * RFC 7915 §4.2: ICMPv4 type and code to ICMPv6.
     *
     * @return the packed ICMPv6 type and code, or {@link #DROP}.
     */
    public static int icmpv4ToIcmpv6(final int type, final int code)
    {
        switch (type)
        {
            case ICMPV4_ECHO_REQUEST:
                return code == 0 ? pack(ICMPV6_ECHO_REQUEST, 0) : DROP;
            case ICMPV4_ECHO_REPLY:
                return code == 0 ? pack(ICMPV6_ECHO_REPLY, 0) : DROP;
            case ICMPV4_DEST_UNREACHABLE:
                switch (code)
                {
                    case 0, 1, 5, 6, 7, 8, 11, 12:
                        // Net/host unreachable, source route failed, unknown/isolated, ToS: no route.
                        return pack(ICMPV6_DEST_UNREACHABLE, 0);
                    case ICMPV4_CODE_PROTOCOL_UNREACHABLE:
                        // Parameter problem, unrecognized Next Header, pointer to it.
                        return pack(ICMPV6_PARAMETER_PROBLEM, ICMPV6_CODE_UNRECOGNIZED_NEXT_HEADER);
                    case ICMPV4_CODE_PORT_UNREACHABLE:
                        return pack(ICMPV6_DEST_UNREACHABLE, 4);
                    case ICMPV4_CODE_FRAGMENTATION_NEEDED:
                        return pack(ICMPV6_PACKET_TOO_BIG, 0);
                    case 9, 10, ICMPV4_CODE_ADMIN_PROHIBITED, 15:
                        // Administratively prohibited (9, 10, 13), precedence cutoff (15).
                        return pack(ICMPV6_DEST_UNREACHABLE, ICMPV6_CODE_ADMIN_PROHIBITED);
                    default:
                        // 14 (host precedence violation) and unknown codes.
                        return DROP;
                }
            case ICMPV4_TIME_EXCEEDED:
                return code <= 1 ? pack(ICMPV6_TIME_EXCEEDED, code) : DROP;
            case ICMPV4_PARAMETER_PROBLEM:
                // Code 0 (pointer) and 2 (bad length) keep a pointer; 1 (missing option) is dropped.
                return code == 0 || code == 2 ? pack(ICMPV6_PARAMETER_PROBLEM, ICMPV6_CODE_ERRONEOUS_HEADER_FIELD) : DROP;
            default:
                // Information request/reply, timestamp, address mask, router discovery, redirect,
                // source quench, alternate host address and unknown types: single-hop or obsolete.
                return DROP;
        }
    }

    /**
     * RFC 7915 §5.2: ICMPv6 type and code to ICMPv4.
     *
     * @return the packed ICMPv4 type and code, or {@link #DROP}.
     */
    public static int icmpv6ToIcmpv4(final int type, final int code)
    {
        switch (type)
        {
            case ICMPV6_ECHO_REQUEST:
                return code == 0 ? pack(ICMPV4_ECHO_REQUEST, 0) : DROP;
            case ICMPV6_ECHO_REPLY:
                return code == 0 ? pack(ICMPV4_ECHO_REPLY, 0) : DROP;
            case ICMPV6_DEST_UNREACHABLE:
                switch (code)
                {
                    case 0, 2, 3:
                        // No route, beyond scope, address unreachable: host unreachable.
                        return pack(ICMPV4_DEST_UNREACHABLE, 1);
                    case 1:
                        // Administratively prohibited: host administratively prohibited.
                        return pack(ICMPV4_DEST_UNREACHABLE, 10);
                    case 4:
                        return pack(ICMPV4_DEST_UNREACHABLE, ICMPV4_CODE_PORT_UNREACHABLE);
                    default:
                        return DROP;
                }
            case ICMPV6_PACKET_TOO_BIG:
                return code == 0 ? pack(ICMPV4_DEST_UNREACHABLE, ICMPV4_CODE_FRAGMENTATION_NEEDED) : DROP;
            case ICMPV6_TIME_EXCEEDED:
                return code <= 1 ? pack(ICMPV4_TIME_EXCEEDED, code) : DROP;
            case ICMPV6_PARAMETER_PROBLEM:
                switch (code)
                {
                    case 0:
                        return pack(ICMPV4_PARAMETER_PROBLEM, 0);
                    case 1:
                        // Unrecognized Next Header: protocol unreachable.
                        return pack(ICMPV4_DEST_UNREACHABLE, ICMPV4_CODE_PROTOCOL_UNREACHABLE);
                    default:
                        // Code 2 (unrecognized IPv6 option) and unknown codes.
                        return DROP;
                }
            default:
                // MLD (130-132), Neighbor Discovery (133-137), unknown informational and error types.
                return DROP;
        }
    }

    /**
     * RFC 7915 §4.2 Figure 3: the pointer of an ICMPv4 Parameter Problem (into the IPv4 header)
     * to the pointer into the IPv6 header.
     *
     * @return the IPv6 pointer, or {@link #DROP} when the figure says "n/a" or lists nothing.
     */
    public static int pointerIpv4ToIpv6(final int pointer)
    {
        switch (pointer)
        {
            case 0:
                return 0;   // Version/IHL -> Version/Traffic Class
            case 1:
                return 1;   // Type Of Service -> Traffic Class/Flow Label
            case 2, 3:
                return 4;   // Total Length -> Payload Length
            case 8:
                return 7;   // Time to Live -> Hop Limit
            case 9:
                return 6;   // Protocol -> Next Header
            case 12, 13, 14, 15:
                return 8;   // Source Address
            case 16, 17, 18, 19:
                return 24;  // Destination Address
            default:
                return DROP; // Identification, Flags/Fragment Offset, Header Checksum, options
        }
    }

    /**
     * RFC 7915 §5.2 Figure 6: the pointer of an ICMPv6 Parameter Problem (into the IPv6 header)
     * to the pointer into the IPv4 header.
     *
     * @return the IPv4 pointer, or {@link #DROP} when the figure says "n/a" or lists nothing.
     */
    public static int pointerIpv6ToIpv4(final long pointer)
    {
        if (pointer < 0 || pointer > 39)
        {
            return DROP;
        }
        final int p = (int)pointer;
        if (p == 0 || p == 1)
        {
            return p;       // Version/Traffic Class, Traffic Class/Flow Label
        }
        if (p == 4 || p == 5)
        {
            return 2;       // Payload Length -> Total Length
        }
        if (p == 6)
        {
            return 9;       // Next Header -> Protocol
        }
        if (p == 7)
        {
            return 8;       // Hop Limit -> Time to Live
        }
        if (p >= 8 && p <= 23)
        {
            return 12;      // Source Address
        }
        if (p >= 24)
        {
            return 16;      // Destination Address
        }
        return DROP;        // Flow Label (2, 3)
    }

    /**
     * RFC 7915 §4.2, Fragmentation Needed to Packet Too Big:
     * {@code max(1280, min(MTU + 20, MTU of IPv6 next hop, MTU of IPv4 next hop + 20))}; an MTU
     * of zero (a router without RFC 1191) is replaced by the largest RFC 1191 plateau below the
     * total length of the packet in error.
     *
     * @param icmpv4Mtu         next-hop MTU field of the ICMPv4 message.
     * @param innerTotalLength  Total Length field of the IPv4 packet in error.
     * @param ipv6NextHopMtu    MTU of the IPv6 link the translated error leaves on.
     * @param ipv4NextHopMtu    MTU of the IPv4 link.
     * @return the MTU for the ICMPv6 Packet Too Big.
     */
    public static int packetTooBigMtu(
        final int icmpv4Mtu, final int innerTotalLength, final int ipv6NextHopMtu, final int ipv4NextHopMtu)
    {
        final int reported = icmpv4Mtu != 0 ? icmpv4Mtu : plateauBelow(innerTotalLength);
        final int mtu = Math.min(reported + 20, Math.min(ipv6NextHopMtu, ipv4NextHopMtu + 20));
        return Math.max(IPV6_MIN_MTU, mtu);
    }

    /**
     * RFC 7915 §5.2, Packet Too Big to Fragmentation Needed: "minimum(advertised MTU - 20,
     * MTU_of_IPv4_nexthop, (MTU_of_IPv6_nexthop) - 20)", where the 20 becomes 28 when the packet
     * in error carries a Fragment Header (its IPv4 version is 28 bytes shorter, not 20).
     *
     * @param icmpv6Mtu         MTU field of the Packet Too Big (32 bits, unsigned).
     * @param innerHasFragment  whether the IPv6 packet in error has a Fragment Header.
     * @param ipv4NextHopMtu    MTU of the IPv4 link the translated error leaves on.
     * @param ipv6NextHopMtu    MTU of the IPv6 link.
     * @return the MTU for the ICMPv4 Fragmentation Needed (16 bits).
     */
    public static int fragmentationNeededMtu(
        final long icmpv6Mtu, final boolean innerHasFragment, final int ipv4NextHopMtu, final int ipv6NextHopMtu)
    {
        final long delta = innerHasFragment ? 28 : 20;
        long mtu = Math.min(icmpv6Mtu - delta, Math.min(ipv4NextHopMtu, ipv6NextHopMtu - 20));
        if (mtu > 0xFFFF)
        {
            mtu = 0xFFFF;
        }
        // RFC 791: every IPv4 link carries 68 bytes; a smaller value is not a usable MTU.
        return (int)Math.max(68, mtu);
    }

    /**
     * RFC 1191 §5: the greatest plateau value that is less than the total length.
     */
    public static int plateauBelow(final int totalLength)
    {
        for (final int plateau : PLATEAUS)
        {
            if (plateau < totalLength)
            {
                return plateau;
            }
        }
        return PLATEAUS[PLATEAUS.length - 1];
    }
}
