package io.sixgate.daemon.config;

import java.util.Arrays;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * An IPv4 or IPv6 address as written in the configuration.
 *
 * <p>Parsing is {@code io.sixgate.core.net}'s strict parsers (no resolver is ever asked);
 * this class adds what the configuration needs: family, masking and containment.
 */
public final class IpAddress
{
    private final byte[] bytes;

    private IpAddress(final byte[] bytes)
    {
        this.bytes = bytes;
    }

    /**
     * @param text an IPv4 dotted quad or an IPv6 literal (RFC 4291 section 2.2), no zone, no brackets.
     * @throws IllegalArgumentException when the text is not such an address; the message says why.
     */
    public static IpAddress parse(final String text)
    {
        final byte[] bytes;
        if (text.indexOf(':') < 0)
        {
            bytes = new byte[Ipv4Address.LENGTH];
            Ipv4Address.write(new UnsafeBuffer(bytes), 0, Ipv4Address.parse(text));
        }
        else
        {
            final long[] address = Ipv6Address.parse(text);
            bytes = new byte[Ipv6Address.LENGTH];
            Ipv6Address.write(new UnsafeBuffer(bytes), 0, address[Ipv6Address.HIGH], address[Ipv6Address.LOW]);
        }
        return new IpAddress(bytes);
    }

    /**
     * @return the IPv4 address as an int, network order in the usual sense (first octet highest).
     * @throws IllegalStateException for an IPv6 address.
     */
    public int ipv4()
    {
        if (isIpv6())
        {
            throw new IllegalStateException(this + " is not an IPv4 address");
        }
        return Ipv4Address.read(new UnsafeBuffer(bytes), 0);
    }

    /**
     * @return bits 0..63 of the IPv6 address.
     * @throws IllegalStateException for an IPv4 address.
     */
    public long ipv6High()
    {
        requireIpv6();
        return Ipv6Address.readHigh(new UnsafeBuffer(bytes), 0);
    }

    /**
     * @return bits 64..127 of the IPv6 address.
     * @throws IllegalStateException for an IPv4 address.
     */
    public long ipv6Low()
    {
        requireIpv6();
        return Ipv6Address.readLow(new UnsafeBuffer(bytes), 0);
    }

    private void requireIpv6()
    {
        if (!isIpv6())
        {
            throw new IllegalStateException(this + " is not an IPv6 address");
        }
    }

    /**
     * @param bytes 4 bytes for IPv4, 16 for IPv6, network order; copied.
     */
    public static IpAddress ofBytes(final byte[] bytes)
    {
        if (bytes.length != 4 && bytes.length != 16)
        {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, got " + bytes.length);
        }
        return new IpAddress(bytes.clone());
    }

    public boolean isIpv6()
    {
        return bytes.length == 16;
    }

    /**
     * @return 32 or 128.
     */
    public int bitLength()
    {
        return bytes.length * 8;
    }

    /**
     * @return the address in network byte order, a copy.
     */
    public byte[] toBytes()
    {
        return bytes.clone();
    }

    /**
     * @return bit {@code index} counted from the most significant bit of the first byte.
     */
    public int bit(final int index)
    {
        return (bytes[index >>> 3] >>> (7 - (index & 7))) & 1;
    }

    /**
     * @return the address with every bit from {@code prefixLength} on cleared.
     */
    public IpAddress mask(final int prefixLength)
    {
        final byte[] masked = bytes.clone();
        for (int i = 0; i < masked.length; i++)
        {
            final int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
            masked[i] &= (byte)(0xFF00 >>> keep);
        }
        return new IpAddress(masked);
    }

    public boolean isUnspecified()
    {
        for (final byte b : bytes)
        {
            if (b != 0)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return for IPv4 224.0.0.0/4 (RFC 5771) or the limited broadcast, for IPv6 ff00::/8 (RFC 4291).
     */
    public boolean isMulticastOrBroadcast()
    {
        if (isIpv6())
        {
            return (bytes[0] & 0xFF) == 0xFF;
        }
        return (bytes[0] & 0xF0) == 0xE0 || Arrays.equals(bytes, new byte[]{-1, -1, -1, -1});
    }

    /**
     * @return for IPv4 127.0.0.0/8, for IPv6 ::1.
     */
    public boolean isLoopback()
    {
        if (!isIpv6())
        {
            return bytes[0] == 127;
        }
        for (int i = 0; i < 15; i++)
        {
            if (bytes[i] != 0)
            {
                return false;
            }
        }
        return bytes[15] == 1;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof IpAddress && Arrays.equals(bytes, ((IpAddress)other).bytes);
    }

    @Override
    public int hashCode()
    {
        return Arrays.hashCode(bytes);
    }

    /**
     * @return dotted quad, or the RFC 5952 text form for IPv6.
     */
    @Override
    public String toString()
    {
        return isIpv6() ? Ipv6Address.format(ipv6High(), ipv6Low()) : Ipv4Address.format(ipv4());
    }
}
