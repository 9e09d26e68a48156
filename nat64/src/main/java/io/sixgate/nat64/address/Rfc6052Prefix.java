package io.sixgate.nat64.address;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.core.net.Ipv6Prefix;

/**
 * An RFC 6052 prefix ("pool6"): the algorithm that embeds an IPv4 address in an IPv6 address
 * and extracts it again, for every prefix length RFC 6052 §2.2 allows.
 *
 * <pre>
 * RFC 6052 §2.2, bits of the IPv6 address:
 * +--+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
 * |PL| 0-------------32--40--48--56--64--72--80--88--96--104---------|
 * +--+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
 * |32|     prefix    |v4(32)         | u | suffix                    |
 * |40|     prefix        |v4(24)     | u |(8)| suffix                |
 * |48|     prefix            |v4(16) | u | (16)  | suffix            |
 * |56|     prefix                |(8)| u |  v4(24)   | suffix        |
 * |64|     prefix                    | u |   v4(32)      | suffix    |
 * |96|     prefix                                    |    v4(32)     |
 * +--+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
 * </pre>
 *
 * Every length is one formula over the two {@code long} halves, with shifts and masks
 * precomputed here, so {@link #high(int)}, {@link #low(int)}, {@link #extract(long, long)} and
 * {@link #matches(long, long)} have no branches and allocate nothing.
 *
 * <p>Decisions, each flagged where the code makes it:
 * <ul>
 *   <li>Bits 64-71 (the "u" octet) MUST be zero (RFC 6052 §2.2). A prefix shorter than /96 cannot
 *   have them set (they are host bits); an incoming address with a non-zero u octet does not
 *   {@link #matches(long, long) match}. A /96 prefix covers the u octet; we accept a /96 whose u
 *   octet is non-zero (deliberate deviation: RFC 7136 says the u bit has no meaning in
 *   interface identifiers that are not MAC-derived, and Jool accepts such /96 prefixes too,
 *   NICMx/Jool#174).</li>
 *   <li>The suffix bits "are reserved for future extensions and SHOULD be set to zero"
 *   (RFC 6052 §2.2). We always write zero, and on input we ignore them, as Jool does: a
 *   non-zero suffix still {@link #matches(long, long) matches}. {@link #hasZeroSuffix(long, long)}
 *   lets a stricter policy drop such packets.</li>
 *   <li>With the Well-Known Prefix 64:ff9b::/96, non-global IPv4 addresses must not be translated
 *   (RFC 6052 §3.1): see {@link #isTranslatable(int)} and the {@value #WKP_GLOBAL_ONLY_KEY}
 *   switch. The local-use prefix 64:ff9b:1::/48 (RFC 8215) is a network-specific prefix and is
 *   not restricted.</li>
 * </ul>
 */
public final class Rfc6052Prefix
{
    /**
     * Config key of the RFC 6052 §3.1 switch: when {@code true} (the default) a packet whose
     * address is the Well-Known Prefix plus a non-global IPv4 address is not translated. The
     * conformance corpus sets it to {@code false} because it embeds 192.0.2.0/24 under the WKP.
     */
    public static final String WKP_GLOBAL_ONLY_KEY = "nat64.wkp-global-only";

    /**
     * Default of {@link #WKP_GLOBAL_ONLY_KEY}: follow RFC 6052 §3.1.
     */
    public static final boolean WKP_GLOBAL_ONLY_DEFAULT = true;

    /**
     * The Well-Known Prefix 64:ff9b::/96 (RFC 6052 §2.1).
     */
    public static final Ipv6Prefix WELL_KNOWN_PREFIX = new Ipv6Prefix(0x0064_ff9b_0000_0000L, 0L, 96);

    private static final long U_OCTET_MASK = 0xFF00_0000_0000_0000L;
    private static final long IPV4_MASK = 0xFFFF_FFFFL;

    private final Ipv6Prefix prefix;
    private final int length;
    private final boolean wellKnown;
    private final boolean wkpGlobalOnly;
    private final boolean checkGlobal;

    private final long prefixHigh;
    private final long prefixLow;

    // matches(): (high & matchMaskHigh) == prefixHigh && (low & matchMaskLow) == matchValueLow
    private final long matchMaskHigh;
    private final long matchMaskLow;
    private final long matchValueLow;

    // embed: high = prefixHigh | (v >>> highShift); low = prefixLow | ((v & lowPartMask) << lowShift)
    // extract: v = ((high & highPartMask) << highShift) | ((low >>> lowShift) & lowPartMask)
    private final int highShift;
    private final long highPartMask;
    private final int lowShift;
    private final long lowPartMask;
    private final long suffixMask;

    /**
     * An RFC 6052 prefix with the RFC 6052 §3.1 rule on ({@link #WKP_GLOBAL_ONLY_DEFAULT}).
     *
     * @param prefix length 32, 40, 48, 56, 64 or 96.
     * @throws IllegalArgumentException if the length is not one of RFC 6052 §2.2.
     */
    public Rfc6052Prefix(final Ipv6Prefix prefix)
    {
        this(prefix, WKP_GLOBAL_ONLY_DEFAULT);
    }

    /**
     * @param prefix        length 32, 40, 48, 56, 64 or 96.
     * @param wkpGlobalOnly value of {@value #WKP_GLOBAL_ONLY_KEY}; only matters for 64:ff9b::/96.
     * @throws IllegalArgumentException if the length is not one of RFC 6052 §2.2.
     */
    public Rfc6052Prefix(final Ipv6Prefix prefix, final boolean wkpGlobalOnly)
    {
        if (null == prefix)
        {
            throw new IllegalArgumentException("RFC 6052 prefix: null");
        }

        final int length = prefix.length();
        if (!isValidLength(length))
        {
            // RFC 6052 §2.2: "PL" is one of 32, 40, 48, 56, 64 or 96.
            throw new IllegalArgumentException("invalid RFC 6052 prefix " + prefix +
                ": the length must be 32, 40, 48, 56, 64 or 96 (RFC 6052 §2.2)");
        }
        if (length < 96 && (prefix.low() & U_OCTET_MASK) != 0)
        {
            // RFC 6052 §2.2: bits 64-71 MUST be zero. Unreachable while Ipv6Prefix forbids host
            // bits, kept so the rule stays visible if that ever changes.
            throw new IllegalArgumentException("invalid RFC 6052 prefix " + prefix +
                ": bits 64-71 (the u octet) must be zero (RFC 6052 §2.2)");
        }

        this.prefix = prefix;
        this.length = length;
        this.wellKnown = WELL_KNOWN_PREFIX.equals(prefix);
        this.wkpGlobalOnly = wkpGlobalOnly;
        this.checkGlobal = wellKnown && wkpGlobalOnly;
        this.prefixHigh = prefix.high();
        this.prefixLow = prefix.low();

        if (96 == length)
        {
            matchMaskHigh = -1L;
            matchMaskLow = 0xFFFF_FFFF_0000_0000L;
            matchValueLow = prefixLow;
            highShift = 32;             // v >>> 32 == 0: nothing of the IPv4 address in the high half
            highPartMask = 0L;
            lowShift = 0;               // bits 96-127
            lowPartMask = IPV4_MASK;
            suffixMask = 0L;            // no suffix
        }
        else
        {
            final int bitsInHigh = 64 - length;                 // 32, 24, 16, 8, 0
            matchMaskHigh = Ipv6Prefix.maskHigh(length);
            matchMaskLow = U_OCTET_MASK;                        // u octet must be zero (RFC 6052 §2.2)
            matchValueLow = 0L;
            highShift = 32 - bitsInHigh;                        // == length - 32
            highPartMask = (1L << bitsInHigh) - 1;
            lowPartMask = (1L << (32 - bitsInHigh)) - 1;        // the rest of the IPv4 address goes after the u octet
            lowShift = 56 - (32 - bitsInHigh);                  // starting at bit 72
            suffixMask = (1L << lowShift) - 1;                  // everything after the IPv4 address
        }
    }

    /**
     * Parse an RFC 6052 prefix with the RFC 6052 §3.1 rule on. Config time only.
     *
     * @param text such as {@code "64:ff9b::/96"} or {@code "2001:db8:100::/40"}.
     * @return the prefix.
     * @throws IllegalArgumentException if the text is not a valid RFC 6052 prefix.
     */
    public static Rfc6052Prefix parse(final CharSequence text)
    {
        return new Rfc6052Prefix(Ipv6Prefix.parse(text), WKP_GLOBAL_ONLY_DEFAULT);
    }

    /**
     * Parse an RFC 6052 prefix. Config time only.
     *
     * @param text          such as {@code "64:ff9b::/96"}.
     * @param wkpGlobalOnly value of {@value #WKP_GLOBAL_ONLY_KEY}.
     * @return the prefix.
     * @throws IllegalArgumentException if the text is not a valid RFC 6052 prefix.
     */
    public static Rfc6052Prefix parse(final CharSequence text, final boolean wkpGlobalOnly)
    {
        return new Rfc6052Prefix(Ipv6Prefix.parse(text), wkpGlobalOnly);
    }

    /**
     * @param length candidate prefix length.
     * @return {@code true} for 32, 40, 48, 56, 64 and 96 (RFC 6052 §2.2).
     */
    public static boolean isValidLength(final int length)
    {
        return (length >= 32 && length <= 64 && (length & 7) == 0) || length == 96;
    }

    /**
     * @return the IPv6 prefix.
     */
    public Ipv6Prefix prefix()
    {
        return prefix;
    }

    /**
     * @return the prefix length: 32, 40, 48, 56, 64 or 96.
     */
    public int length()
    {
        return length;
    }

    /**
     * @return {@code true} if this is the Well-Known Prefix 64:ff9b::/96.
     */
    public boolean isWellKnown()
    {
        return wellKnown;
    }

    /**
     * @return the value of {@value #WKP_GLOBAL_ONLY_KEY} this prefix was built with.
     */
    public boolean wkpGlobalOnly()
    {
        return wkpGlobalOnly;
    }

    /**
     * RFC 6052 §3.1: the Well-Known Prefix must not be used with non-global IPv4 addresses, and
     * translators must not translate (must drop) packets with such an address. Call this for each
     * IPv4 address embedded in or extracted from this prefix; with a network-specific prefix, or
     * with {@value #WKP_GLOBAL_ONLY_KEY} off, every address is translatable.
     *
     * @param ipv4 address embedded in, or about to be embedded in, this prefix.
     * @return {@code false} if the packet carrying it must not be translated.
     */
    public boolean isTranslatable(final int ipv4)
    {
        return !checkGlobal || Ipv4Address.isGlobalIpv4(ipv4);
    }

    /**
     * Bits 0-63 of the IPv6 address that embeds {@code ipv4} (RFC 6052 §2.2).
     *
     * @param ipv4 address to embed.
     * @return the high half.
     */
    public long high(final int ipv4)
    {
        return prefixHigh | ((ipv4 & IPV4_MASK) >>> highShift);
    }

    /**
     * Bits 64-127 of the IPv6 address that embeds {@code ipv4} (RFC 6052 §2.2): the u octet and
     * the suffix are zero.
     *
     * @param ipv4 address to embed.
     * @return the low half.
     */
    public long low(final int ipv4)
    {
        return prefixLow | ((ipv4 & lowPartMask) << lowShift);
    }

    /**
     * Write the IPv6 address that embeds {@code ipv4} into a buffer in network byte order.
     *
     * @param ipv4   address to embed.
     * @param buffer to write to.
     * @param offset of the first octet of the IPv6 address.
     */
    public void embed(final int ipv4, final MutableDirectBuffer buffer, final int offset)
    {
        Ipv6Address.write(buffer, offset, high(ipv4), low(ipv4));
    }

    /**
     * Does this IPv6 address carry an IPv4 address under this prefix? The prefix bits must match
     * and, for lengths below 96, the u octet (bits 64-71) must be zero (RFC 6052 §2.2). The
     * suffix is not checked (see the class comment).
     *
     * @param high bits 0-63.
     * @param low  bits 64-127.
     * @return {@code true} if {@link #extract(long, long)} gives a meaningful IPv4 address.
     */
    public boolean matches(final long high, final long low)
    {
        return ((high & matchMaskHigh) == prefixHigh) & ((low & matchMaskLow) == matchValueLow);
    }

    /**
     * {@link #matches(long, long)} for an address stored in network byte order.
     *
     * @param buffer holding the address.
     * @param offset of its first octet.
     * @return {@code true} if the address is under this prefix.
     */
    public boolean matches(final DirectBuffer buffer, final int offset)
    {
        return matches(Ipv6Address.readHigh(buffer, offset), Ipv6Address.readLow(buffer, offset));
    }

    /**
     * The IPv4 address embedded in an IPv6 address (RFC 6052 §2.3). Meaningful only if
     * {@link #matches(long, long)} is {@code true}; the caller checks that first.
     *
     * @param high bits 0-63.
     * @param low  bits 64-127.
     * @return the embedded IPv4 address.
     */
    public int extract(final long high, final long low)
    {
        return (int)(((high & highPartMask) << highShift) | ((low >>> lowShift) & lowPartMask));
    }

    /**
     * {@link #extract(long, long)} for an address stored in network byte order.
     *
     * @param buffer holding the address.
     * @param offset of its first octet.
     * @return the embedded IPv4 address.
     */
    public int extract(final DirectBuffer buffer, final int offset)
    {
        return extract(Ipv6Address.readHigh(buffer, offset), Ipv6Address.readLow(buffer, offset));
    }

    /**
     * Are the suffix bits after the embedded IPv4 address zero, as RFC 6052 §2.2 says they
     * SHOULD be? Always {@code true} for /96, which has no suffix.
     *
     * @param high bits 0-63 (unused: the suffix is always in the low half).
     * @param low  bits 64-127.
     * @return {@code true} if the suffix is zero.
     */
    public boolean hasZeroSuffix(final long high, final long low)
    {
        return (low & suffixMask) == 0;
    }

    /**
     * @param o other object.
     * @return {@code true} for the same prefix and the same {@value #WKP_GLOBAL_ONLY_KEY} setting.
     */
    public boolean equals(final Object o)
    {
        if (this == o)
        {
            return true;
        }
        if (!(o instanceof Rfc6052Prefix))
        {
            return false;
        }
        final Rfc6052Prefix that = (Rfc6052Prefix)o;
        return prefix.equals(that.prefix) && wkpGlobalOnly == that.wkpGlobalOnly;
    }

    /**
     * @return hash of the prefix and the setting.
     */
    public int hashCode()
    {
        return prefix.hashCode() * 31 + (wkpGlobalOnly ? 1 : 0);
    }

    /**
     * @return the prefix in text form, e.g. {@code "64:ff9b::/96"}.
     */
    public String toString()
    {
        return prefix.toString();
    }
}
