package io.sixgate.core.net;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * IPv4 addresses as {@code int}: the hot path never boxes an address or wraps it in an object.
 * The first octet on the wire is the most significant byte, so {@code 192.0.2.1} is
 * {@code 0xC0000201}.
 *
 * <p>Parsing and formatting are config-time operations (they allocate). The parser is strict
 * and never resolves names (unlike {@code InetAddress.getByName}, which may query DNS): exactly
 * four decimal octets 0-255, no leading zeros (which {@code inet_aton} would read as octal),
 * no whitespace, no shorthand such as {@code 127.1}.
 */
public final class Ipv4Address
{
    /**
     * Length of an IPv4 address on the wire, in bytes.
     */
    public static final int LENGTH = 4;

    /**
     * Length of an IPv4 address, in bits.
     */
    public static final int BITS = 32;

    private Ipv4Address()
    {
    }

    /**
     * Parse dotted-quad text.
     *
     * @param text such as {@code "192.0.2.1"}.
     * @return the address.
     * @throws IllegalArgumentException if the text is not a dotted-quad IPv4 address.
     */
    public static int parse(final CharSequence text)
    {
        if (null == text)
        {
            throw new IllegalArgumentException("invalid IPv4 address: null");
        }

        return parse(text, 0, text.length(), "IPv4 address");
    }

    /**
     * Parse a dotted quad that fills {@code text[start, end)}, reporting errors against the whole text.
     * Used by the IPv6 parser for the embedded dotted-quad form.
     */
    static int parse(final CharSequence text, final int start, final int end, final String what)
    {
        if (start == end)
        {
            throw invalid(text, what, "empty");
        }

        int address = 0;
        int octets = 0;
        int i = start;
        while (true)
        {
            final int octetStart = i;
            int value = 0;
            while (i < end)
            {
                final char c = text.charAt(i);
                if (c < '0' || c > '9')
                {
                    break;
                }
                value = value * 10 + (c - '0');
                if (value > 255)
                {
                    throw invalid(text, what, "octet " + (octets + 1) + " is greater than 255");
                }
                i++;
            }

            final int digits = i - octetStart;
            if (0 == digits)
            {
                if (i < end && text.charAt(i) != '.')
                {
                    throw invalid(
                        text, what, "unexpected character " + AddressText.describe(text.charAt(i)) + " at index " + i);
                }
                throw invalid(text, what, "octet " + (octets + 1) + " is empty");
            }
            if (digits > 1 && text.charAt(octetStart) == '0')
            {
                // Leading zeros are rejected: inet_aton() reads them as octal, so the text is ambiguous.
                throw invalid(text, what, "octet " + (octets + 1) + " has a leading zero");
            }

            address = (address << 8) | value;
            octets++;

            if (i == end)
            {
                break;
            }

            final char c = text.charAt(i);
            if (c != '.')
            {
                throw invalid(text, what, "unexpected character " + AddressText.describe(c) + " at index " + i);
            }
            if (octets == 4)
            {
                throw invalid(text, what, "unexpected text after the 4th octet at index " + i);
            }
            i++;
        }

        if (octets != 4)
        {
            throw invalid(text, what, "expected 4 octets, found " + octets);
        }

        return address;
    }

    /**
     * Format as dotted quad.
     *
     * @param address to format.
     * @return text such as {@code "192.0.2.1"}.
     */
    public static String format(final int address)
    {
        return appendTo(new StringBuilder(15), address).toString();
    }

    /**
     * Append the dotted-quad form of an address.
     *
     * @param sb      to append to.
     * @param address to format.
     * @return {@code sb}.
     */
    public static StringBuilder appendTo(final StringBuilder sb, final int address)
    {
        return sb.append(address >>> 24).append('.')
            .append((address >>> 16) & 0xFF).append('.')
            .append((address >>> 8) & 0xFF).append('.')
            .append(address & 0xFF);
    }

    /**
     * Read an address stored in network byte order.
     *
     * @param buffer to read from.
     * @param offset of the first octet.
     * @return the address.
     */
    public static int read(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Write an address in network byte order.
     *
     * @param buffer  to write to.
     * @param offset  of the first octet.
     * @param address to write.
     */
    public static void write(final MutableDirectBuffer buffer, final int offset, final int address)
    {
        buffer.putInt(offset, address, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Is this address globally reachable? Used for the RFC 6052 §3.1 rule: the Well-Known Prefix
     * 64:ff9b::/96 must not carry non-global IPv4 addresses, and translators must drop packets
     * that do.
     *
     * <p>Non-global here means inside one of these blocks from the IANA IPv4 Special-Purpose
     * Address Registry (RFC 6890, the successor of the RFC 5735 list RFC 6052 §3.1 refers to):
     * 0.0.0.0/8, 10.0.0.0/8, 100.64.0.0/10, 127.0.0.0/8, 169.254.0.0/16, 172.16.0.0/12,
     * 192.0.0.0/24, 192.0.2.0/24, 192.88.99.0/24, 192.168.0.0/16, 198.18.0.0/15,
     * 198.51.100.0/24, 203.0.113.0/24, 224.0.0.0/4 (multicast), 240.0.0.0/4 (reserved) and
     * 255.255.255.255/32 (limited broadcast, inside 240.0.0.0/4). Deliberate simplification: the
     * registry marks 192.0.0.9/32 and 192.0.0.10/32 globally reachable; we treat all of
     * 192.0.0.0/24 as non-global.
     *
     * @param address to classify.
     * @return {@code true} if the address is not in any block above.
     */
    public static boolean isGlobalIpv4(final int address)
    {
        final int a = address >>> 24;
        final int b = (address >>> 16) & 0xFF;
        final int c = (address >>> 8) & 0xFF;

        switch (a)
        {
            case 0:     // 0.0.0.0/8 "this network"
            case 10:    // 10.0.0.0/8 private (RFC 1918)
            case 127:   // 127.0.0.0/8 loopback
                return false;

            case 100:   // 100.64.0.0/10 shared address space (RFC 6598)
                return (b & 0xC0) != 64;

            case 169:   // 169.254.0.0/16 link local (RFC 3927)
                return b != 254;

            case 172:   // 172.16.0.0/12 private (RFC 1918)
                return (b & 0xF0) != 16;

            case 192:
                if (b == 168)                       // 192.168.0.0/16 private (RFC 1918)
                {
                    return false;
                }
                if (b == 0 && (c == 0 || c == 2))   // 192.0.0.0/24 IETF protocol assignments, 192.0.2.0/24 TEST-NET-1
                {
                    return false;
                }
                return !(b == 88 && c == 99);       // 192.88.99.0/24 6to4 relay anycast (RFC 7526)

            case 198:
                if ((b & 0xFE) == 18)               // 198.18.0.0/15 benchmarking (RFC 2544)
                {
                    return false;
                }
                return !(b == 51 && c == 100);      // 198.51.100.0/24 TEST-NET-2

            case 203:
                return !(b == 0 && c == 113);       // 203.0.113.0/24 TEST-NET-3

            default:
                return a < 224;                     // 224.0.0.0/4 multicast, 240.0.0.0/4 reserved, 255.255.255.255
        }
    }

    private static IllegalArgumentException invalid(final CharSequence text, final String what, final String reason)
    {
        return new IllegalArgumentException("invalid " + what + " " + AddressText.quote(text) + ": " + reason);
    }
}
