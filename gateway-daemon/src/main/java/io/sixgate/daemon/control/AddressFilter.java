package io.sixgate.daemon.control;

import io.sixgate.daemon.config.IpAddress;
import io.sixgate.daemon.config.IpCidr;

/**
 * "Sessions of this address": an IPv4 or IPv6 address or prefix, matched against every
 * address a session has on the worker, with masks over primitives so that a scan of a million
 * sessions allocates nothing per session.
 */
public final class AddressFilter
{
    /** Matches every session. */
    public static final AddressFilter ANY = new AddressFilter(null);

    private final IpCidr cidr;
    private final boolean ipv6;
    private final long high;
    private final long low;
    private final long maskHigh;
    private final long maskLow;
    private final int ipv4;
    private final int mask4;

    private AddressFilter(final IpCidr cidr)
    {
        this.cidr = cidr;
        if (cidr == null)
        {
            ipv6 = false;
            high = low = maskHigh = maskLow = 0;
            ipv4 = mask4 = 0;
            return;
        }
        final int length = cidr.length();
        final IpAddress address = cidr.address();
        ipv6 = cidr.isIpv6();
        if (ipv6)
        {
            maskHigh = length >= 64 ? -1L : length == 0 ? 0 : -1L << (64 - length);
            maskLow = length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
            high = address.ipv6High() & maskHigh;
            low = address.ipv6Low() & maskLow;
            ipv4 = mask4 = 0;
        }
        else
        {
            mask4 = length == 0 ? 0 : -1 << (32 - length);
            ipv4 = address.ipv4() & mask4;
            high = low = maskHigh = maskLow = 0;
        }
    }

    /**
     * @param text an address ({@code 2001:db8::7}, {@code 10.0.1.5}) or a prefix ({@code 2001:db8::/64}).
     * @throws IllegalArgumentException saying what is wrong with the text.
     */
    public static AddressFilter parse(final String text)
    {
        final String trimmed = text.trim();
        if (trimmed.indexOf('/') >= 0)
        {
            return new AddressFilter(IpCidr.parse(trimmed).network());
        }
        final IpAddress address = IpAddress.parse(trimmed);
        return new AddressFilter(new IpCidr(address, address.bitLength()));
    }

    public boolean isAny()
    {
        return cidr == null;
    }

    public boolean matches6(final long addressHigh, final long addressLow)
    {
        return cidr == null || (ipv6 && (addressHigh & maskHigh) == high && (addressLow & maskLow) == low);
    }

    public boolean matches4(final int address)
    {
        return cidr == null || (!ipv6 && (address & mask4) == ipv4);
    }

    @Override
    public String toString()
    {
        return cidr == null ? "any" : cidr.toString();
    }
}
