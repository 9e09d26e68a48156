package io.sixgate.daemon.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * A 48-bit Ethernet MAC address, kept in the low 48 bits of a {@code long} as
 * {@link io.sixgate.core.port.Port#mac()} wants it.
 *
 * @param value the address, most significant octet first, in bits 47..0.
 */
public record MacAddress(long value)
{
    private static final Pattern TEXT = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}");

    public MacAddress
    {
        if ((value >>> 48) != 0)
        {
            throw new IllegalArgumentException("a MAC address has 48 bits: " + Long.toHexString(value));
        }
    }

    /**
     * @param text six colon-separated pairs of hex digits, {@code 02:00:00:00:00:01}.
     * @throws IllegalArgumentException when the text is not in that form.
     */
    public static MacAddress parse(final String text)
    {
        if (!TEXT.matcher(text).matches())
        {
            throw new IllegalArgumentException("not a MAC address (want 6 hex pairs like 02:00:00:00:00:01): " + text);
        }
        return new MacAddress(Long.parseLong(text.replace(":", ""), 16));
    }

    /**
     * The default MAC of a port: locally administered, unicast (first octet 02), then the
     * first five bytes of the SHA-256 of the port name, so it is stable across restarts.
     */
    public static MacAddress derivedFrom(final String portName)
    {
        final byte[] digest;
        try
        {
            digest = MessageDigest.getInstance("SHA-256").digest(portName.getBytes(StandardCharsets.UTF_8));
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("every Java platform has SHA-256", ex);
        }
        long value = 0x02;
        for (int i = 0; i < 5; i++)
        {
            value = (value << 8) | (digest[i] & 0xFF);
        }
        return new MacAddress(value);
    }

    /**
     * @return whether the group bit (I/G, the lowest bit of the first octet) is set: multicast or broadcast.
     */
    public boolean isMulticast()
    {
        return ((value >>> 40) & 1) != 0;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            if (shift != 40)
            {
                text.append(':');
            }
            final int octet = (int)(value >>> shift) & 0xFF;
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xF, 16));
        }
        return text.toString();
    }
}
