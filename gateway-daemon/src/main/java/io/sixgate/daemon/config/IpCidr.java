package io.sixgate.daemon.config;

import java.util.Objects;

/**
 * An address with a prefix length, {@code 2001:db8::1/64}: a gateway address on a link (host
 * bits set, the link's subnet is {@link #network()}) or a route prefix (host bits zero).
 *
 * @param address the address as written.
 * @param length  the prefix length, 0..32 for IPv4, 0..128 for IPv6.
 */
public record IpCidr(IpAddress address, int length)
{
    public IpCidr
    {
        Objects.requireNonNull(address, "address");
        if (length < 0 || length > address.bitLength())
        {
            throw new IllegalArgumentException(
                "prefix length must be 0.." + address.bitLength() + ", got " + length);
        }
    }

    /**
     * @param text {@code ADDRESS/LENGTH}.
     * @throws IllegalArgumentException when it is not; the message says why.
     */
    public static IpCidr parse(final String text)
    {
        final int slash = text.indexOf('/');
        if (slash < 0)
        {
            throw new IllegalArgumentException("needs a prefix length (ADDRESS/LENGTH), got " + text);
        }
        final IpAddress address = IpAddress.parse(text.substring(0, slash));
        final String lengthText = text.substring(slash + 1);
        if (!lengthText.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(lengthText) > address.bitLength())
        {
            throw new IllegalArgumentException(
                "prefix length must be 0.." + address.bitLength() + ", got " + text);
        }
        return new IpCidr(address, Integer.parseInt(lengthText));
    }

    public boolean isIpv6()
    {
        return address.isIpv6();
    }

    /**
     * @return the prefix with the host bits cleared.
     */
    public IpCidr network()
    {
        return new IpCidr(address.mask(length), length);
    }

    /**
     * @return whether any bit after the prefix length is set.
     */
    public boolean hasHostBits()
    {
        return !address.equals(address.mask(length));
    }

    /**
     * @return whether {@code other} is of the same family and inside this prefix.
     */
    public boolean contains(final IpAddress other)
    {
        return other.isIpv6() == isIpv6() && other.mask(length).equals(address.mask(length));
    }

    /**
     * @return whether the two prefixes share any address.
     */
    public boolean overlaps(final IpCidr other)
    {
        return other.isIpv6() == isIpv6()
            && (length <= other.length ? contains(other.address) : other.contains(address));
    }

    @Override
    public String toString()
    {
        return address + "/" + length;
    }
}
