package io.sixgate.core.net;

/**
 * An IPv4 prefix (network address + length), immutable. Built at config time; {@link #contains(int)}
 * is allocation-free and safe on the hot path.
 *
 * <p>The address must have no bits set beyond the length: {@code 192.0.2.1/24} is rejected rather
 * than silently truncated, because such a typo usually means the operator meant another prefix.
 *
 * @param address network address, host bits zero.
 * @param length  prefix length, 0 to 32.
 */
public record Ipv4Prefix(int address, int length)
{
    /**
     * Validate the components.
     *
     * @throws IllegalArgumentException if the length is out of range or host bits are set.
     */
    public Ipv4Prefix
    {
        if (length < 0 || length > Ipv4Address.BITS)
        {
            throw new IllegalArgumentException("invalid IPv4 prefix length " + length + ": must be 0 to 32");
        }
        if ((address & ~mask(length)) != 0)
        {
            throw new IllegalArgumentException(
                "invalid IPv4 prefix " + Ipv4Address.format(address) + "/" + length + ": host bits are set (did you mean " +
                Ipv4Address.format(address & mask(length)) + "/" + length + "?)");
        }
    }

    /**
     * Parse {@code "a.b.c.d/len"}. A bare address means a host prefix ({@code /32}), as in Jool's
     * configuration.
     *
     * @param text such as {@code "192.0.2.0/24"}.
     * @return the prefix.
     * @throws IllegalArgumentException if the text is malformed or host bits are set.
     */
    public static Ipv4Prefix parse(final CharSequence text)
    {
        if (null == text)
        {
            throw new IllegalArgumentException("invalid IPv4 prefix: null");
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
                        "invalid IPv4 prefix " + AddressText.quote(text) + ": more than one '/'");
                }
                slash = i;
            }
        }

        if (slash < 0)
        {
            return new Ipv4Prefix(Ipv4Address.parse(text, 0, end, "IPv4 prefix"), Ipv4Address.BITS);
        }

        final int address = Ipv4Address.parse(text, 0, slash, "IPv4 prefix");
        final int length = AddressText.parsePrefixLength(text, slash + 1, end, Ipv4Address.BITS);
        if (length < 0)
        {
            throw new IllegalArgumentException("invalid IPv4 prefix " + AddressText.quote(text) +
                ": length must be a decimal number 0 to 32 without leading zeros");
        }
        if ((address & ~mask(length)) != 0)
        {
            throw new IllegalArgumentException("invalid IPv4 prefix " + AddressText.quote(text) +
                ": host bits are set (did you mean " + Ipv4Address.format(address & mask(length)) + "/" + length + "?)");
        }

        return new Ipv4Prefix(address, length);
    }

    /**
     * Netmask for a prefix length: {@code mask(24) == 0xFFFFFF00}, {@code mask(0) == 0}.
     *
     * @param length 0 to 32.
     * @return the netmask.
     */
    public static int mask(final int length)
    {
        return (int)(0xFFFF_FFFF_0000_0000L >>> length);
    }

    /**
     * @return the netmask of this prefix.
     */
    public int netmask()
    {
        return mask(length);
    }

    /**
     * @param ipv4 address to test.
     * @return {@code true} if the address is inside this prefix.
     */
    public boolean contains(final int ipv4)
    {
        return (ipv4 & mask(length)) == address;
    }

    /**
     * @param other prefix to test.
     * @return {@code true} if every address of {@code other} is inside this prefix.
     */
    public boolean contains(final Ipv4Prefix other)
    {
        return other.length >= length && contains(other.address);
    }

    /**
     * @param other prefix to test.
     * @return {@code true} if the two prefixes share at least one address (one contains the other).
     */
    public boolean overlaps(final Ipv4Prefix other)
    {
        return contains(other) || other.contains(this);
    }

    /**
     * @return number of addresses in the prefix, 1 to 2^32.
     */
    public long size()
    {
        return 1L << (Ipv4Address.BITS - length);
    }

    /**
     * @return {@code "a.b.c.d/len"}.
     */
    public String toString()
    {
        return Ipv4Address.appendTo(new StringBuilder(18), address).append('/').append(length).toString();
    }
}
