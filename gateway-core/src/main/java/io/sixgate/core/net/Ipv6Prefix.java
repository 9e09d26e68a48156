package io.sixgate.core.net;

/**
 * An IPv6 prefix (network address as two {@code long}s + length), immutable. Built at config time;
 * {@link #contains(long, long)} is allocation-free and safe on the hot path.
 *
 * <p>The address must have no bits set beyond the length: {@code 2001:db8::1/32} is rejected
 * rather than silently truncated.
 *
 * @param high   bits 0-63 of the network address.
 * @param low    bits 64-127 of the network address.
 * @param length prefix length, 0 to 128.
 */
public record Ipv6Prefix(long high, long low, int length)
{
    /**
     * Validate the components.
     *
     * @throws IllegalArgumentException if the length is out of range or host bits are set.
     */
    public Ipv6Prefix
    {
        if (length < 0 || length > Ipv6Address.BITS)
        {
            throw new IllegalArgumentException("invalid IPv6 prefix length " + length + ": must be 0 to 128");
        }
        if ((high & ~maskHigh(length)) != 0 || (low & ~maskLow(length)) != 0)
        {
            throw new IllegalArgumentException(
                "invalid IPv6 prefix " + Ipv6Address.format(high, low) + "/" + length + ": host bits are set (did you mean " +
                Ipv6Address.format(high & maskHigh(length), low & maskLow(length)) + "/" + length + "?)");
        }
    }

    /**
     * Parse {@code "address/len"}. A bare address means a host prefix ({@code /128}), as in Jool's
     * configuration.
     *
     * @param text such as {@code "2001:db8::/32"}.
     * @return the prefix.
     * @throws IllegalArgumentException if the text is malformed or host bits are set.
     */
    public static Ipv6Prefix parse(final CharSequence text)
    {
        if (null == text)
        {
            throw new IllegalArgumentException("invalid IPv6 prefix: null");
        }

        final int end = text.length();
        int slash = -1;
        for (int i = 0; i < end; i++)
        {
            if (text.charAt(i) == '/')
            {
                if (slash >= 0)
                {
                    throw new IllegalArgumentException(
                        "invalid IPv6 prefix " + AddressText.quote(text) + ": more than one '/'");
                }
                slash = i;
            }
        }

        final long[] address = new long[2];
        final int length;
        if (slash < 0)
        {
            Ipv6Address.parse(text, address);
            length = Ipv6Address.BITS;
        }
        else
        {
            try
            {
                Ipv6Address.parse(text.subSequence(0, slash), address);
            }
            catch (final IllegalArgumentException ex)
            {
                throw new IllegalArgumentException("invalid IPv6 prefix " + AddressText.quote(text) + ": " +
                    ex.getMessage(), ex);
            }
            length = AddressText.parsePrefixLength(text, slash + 1, end, Ipv6Address.BITS);
            if (length < 0)
            {
                throw new IllegalArgumentException("invalid IPv6 prefix " + AddressText.quote(text) +
                    ": length must be a decimal number 0 to 128 without leading zeros");
            }
        }

        final long high = address[Ipv6Address.HIGH];
        final long low = address[Ipv6Address.LOW];
        if ((high & ~maskHigh(length)) != 0 || (low & ~maskLow(length)) != 0)
        {
            throw new IllegalArgumentException("invalid IPv6 prefix " + AddressText.quote(text) +
                ": host bits are set (did you mean " +
                Ipv6Address.format(high & maskHigh(length), low & maskLow(length)) + "/" + length + "?)");
        }

        return new Ipv6Prefix(high, low, length);
    }

    /**
     * Netmask over bits 0-63 for a prefix length.
     *
     * @param length 0 to 128.
     * @return the mask for the high half.
     */
    public static long maskHigh(final int length)
    {
        if (length >= 64)
        {
            return -1L;
        }
        return ~(-1L >>> length);   // length 0 gives 0
    }

    /**
     * Netmask over bits 64-127 for a prefix length.
     *
     * @param length 0 to 128.
     * @return the mask for the low half.
     */
    public static long maskLow(final int length)
    {
        if (length <= 64)
        {
            return 0L;
        }
        if (length >= 128)
        {
            return -1L;     // a shift by 64 would be a shift by 0 in Java
        }
        return ~(-1L >>> (length - 64));
    }

    /**
     * @param addressHigh bits 0-63 of the address to test.
     * @param addressLow  bits 64-127 of the address to test.
     * @return {@code true} if the address is inside this prefix.
     */
    public boolean contains(final long addressHigh, final long addressLow)
    {
        return (addressHigh & maskHigh(length)) == high && (addressLow & maskLow(length)) == low;
    }

    /**
     * @param other prefix to test.
     * @return {@code true} if every address of {@code other} is inside this prefix.
     */
    public boolean contains(final Ipv6Prefix other)
    {
        return other.length >= length && contains(other.high, other.low);
    }

    /**
     * @param other prefix to test.
     * @return {@code true} if the two prefixes share at least one address (one contains the other).
     */
    public boolean overlaps(final Ipv6Prefix other)
    {
        return contains(other) || other.contains(this);
    }

    /**
     * @return {@code "address/len"} with the address in RFC 5952 form.
     */
    public String toString()
    {
        return Ipv6Address.format(high, low) + "/" + length;
    }
}
