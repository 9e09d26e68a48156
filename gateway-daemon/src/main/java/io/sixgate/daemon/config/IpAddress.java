package io.sixgate.daemon.config;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address as written in the configuration.
 *
 * <p>A stand-in until {@code io.sixgate.core.net} lands: only {@link #parse(String)} and the
 * accessors are meant to be used, so the swap touches this package alone. IPv4 is parsed
 * strictly here (four decimal octets, no leading zeros, no BSD short forms); IPv6 text is
 * syntax-checked first and only then handed to {@link InetAddress}, so a host name never
 * reaches a resolver.
 */
public final class IpAddress
{
    private static final Pattern IPV4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

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
        if (text.indexOf(':') < 0)
        {
            return new IpAddress(parseIpv4(text));
        }
        if (!IPV6_CHARS.matcher(text).matches())
        {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        final InetAddress parsed;
        try
        {
            // Safe: a string with ':' is parsed as an IPv6 literal and never resolved.
            parsed = InetAddress.getByName(text);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException("not an IPv6 address: " + text, ex);
        }
        if (parsed instanceof Inet4Address)
        {
            // Java turns ::ffff:a.b.c.d into an IPv4 address; the text was IPv6, keep it IPv6.
            final byte[] mapped = new byte[16];
            mapped[10] = (byte)0xFF;
            mapped[11] = (byte)0xFF;
            System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
            return new IpAddress(mapped);
        }
        return new IpAddress(parsed.getAddress());
    }

    private static byte[] parseIpv4(final String text)
    {
        if (!IPV4.matcher(text).matches())
        {
            throw new IllegalArgumentException("not an IP address: " + text);
        }
        final String[] octets = text.split("\\.");
        final byte[] result = new byte[4];
        for (int i = 0; i < 4; i++)
        {
            final int value = Integer.parseInt(octets[i]);
            if (value > 255)
            {
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            }
            result[i] = (byte)value;
        }
        return result;
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
     * @return dotted quad, or the RFC 5952 text form for IPv6 (lower case, longest zero run compressed).
     */
    @Override
    public String toString()
    {
        if (!isIpv6())
        {
            return (bytes[0] & 0xFF) + "." + (bytes[1] & 0xFF) + "." + (bytes[2] & 0xFF) + "." + (bytes[3] & 0xFF);
        }
        final int[] groups = new int[8];
        for (int i = 0; i < 8; i++)
        {
            groups[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++)
        {
            int end = i;
            while (end < 8 && groups[end] == 0)
            {
                end++;
            }
            if (end - i > bestLength)
            {
                bestStart = i;
                bestLength = end - i;
            }
            i = Math.max(i, end);
        }
        final StringBuilder text = new StringBuilder(39);
        for (int i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (text.length() > 0 && text.charAt(text.length() - 1) != ':')
            {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
