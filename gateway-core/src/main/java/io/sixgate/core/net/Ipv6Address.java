package io.sixgate.core.net;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * IPv6 addresses as two {@code long}s: {@code high} holds bits 0-63 (the first 8 octets on the
 * wire, first octet in the most significant byte) and {@code low} holds bits 64-127. The hot
 * path passes the pair around and never allocates an address object.
 *
 * <p>Parsing and formatting are config-time operations (they allocate). The parser is strict
 * (RFC 4291 §2.2 text forms only) and never resolves names: hex groups of 1 to 4 digits, at
 * most one {@code ::}, an optional dotted quad as the last 32 bits, no zone index
 * ({@code %eth0}), no brackets, no whitespace. Formatting follows RFC 5952.
 */
public final class Ipv6Address
{
    /**
     * Length of an IPv6 address on the wire, in bytes.
     */
    public static final int LENGTH = 16;

    /**
     * Length of an IPv6 address, in bits.
     */
    public static final int BITS = 128;

    /**
     * Index of the high half in the {@code long[2]} filled by {@link #parse(CharSequence, long[])}.
     */
    public static final int HIGH = 0;

    /**
     * Index of the low half in the {@code long[2]} filled by {@link #parse(CharSequence, long[])}.
     */
    public static final int LOW = 1;

    /**
     * Longest valid text: six groups of four digits, six colons, then a 15-character dotted quad.
     */
    private static final int MAX_TEXT_LENGTH = 45;

    private static final int GROUPS = 8;

    private Ipv6Address()
    {
    }

    /**
     * Parse IPv6 text into a new {@code long[2]} ({@code [HIGH, LOW]}). Config time only.
     *
     * @param text such as {@code "2001:db8::1"} or {@code "64:ff9b::192.0.2.33"}.
     * @return {@code {high, low}}.
     * @throws IllegalArgumentException if the text is not an IPv6 address.
     */
    public static long[] parse(final CharSequence text)
    {
        final long[] address = new long[2];
        parse(text, address);
        return address;
    }

    /**
     * Parse IPv6 text into {@code dst[HIGH]} and {@code dst[LOW]}. Config time only.
     *
     * @param text such as {@code "2001:db8::1"} or {@code "::ffff:192.0.2.1"}.
     * @param dst  array of at least two elements to receive {@code high} and {@code low}.
     * @throws IllegalArgumentException if the text is not an IPv6 address.
     */
    public static void parse(final CharSequence text, final long[] dst)
    {
        if (null == text)
        {
            throw new IllegalArgumentException("invalid IPv6 address: null");
        }

        final int end = text.length();
        if (0 == end)
        {
            throw invalid(text, "empty");
        }
        if (end > MAX_TEXT_LENGTH)
        {
            throw invalid(text, "longer than " + MAX_TEXT_LENGTH + " characters");
        }

        final int[] groups = new int[GROUPS];
        int count = 0;
        int compressedAt = -1;  // group index where "::" stands, -1 if none
        int i = 0;

        if (text.charAt(0) == ':')
        {
            if (end < 2 || text.charAt(1) != ':')
            {
                throw invalid(text, "starts with a single ':'");
            }
            compressedAt = 0;
            i = 2;
        }

        while (i < end)
        {
            final int groupStart = i;
            int value = 0;
            while (i < end)
            {
                final int digit = hexDigit(text.charAt(i));
                if (digit < 0)
                {
                    break;
                }
                value = (value << 4) | digit;
                i++;
                if (i - groupStart > 4)
                {
                    throw invalid(text, "group " + (count + 1) + " has more than 4 hex digits");
                }
            }

            if (i < end && text.charAt(i) == '.')
            {
                // RFC 4291 §2.2 form 3: the last 32 bits as a dotted quad.
                if (count > GROUPS - 2)
                {
                    throw invalid(text, "too many groups before the dotted quad");
                }
                final int ipv4 = Ipv4Address.parse(text, groupStart, end, "IPv6 address (embedded IPv4)");
                groups[count++] = ipv4 >>> 16;
                groups[count++] = ipv4 & 0xFFFF;
                i = end;
                break;
            }

            if (i == groupStart)
            {
                if (i < end && text.charAt(i) != ':')
                {
                    throw invalid(text, "unexpected character " + AddressText.describe(text.charAt(i)) + " at index " + i);
                }
                throw invalid(text, "empty group at index " + i + (compressedAt >= 0 ? " (':::'?)" : ""));
            }
            if (count == GROUPS)
            {
                throw invalid(text, "more than 8 groups");
            }
            groups[count++] = value;

            if (i == end)
            {
                break;
            }

            final char c = text.charAt(i);
            if (c != ':')
            {
                throw invalid(text, "unexpected character " + AddressText.describe(c) + " at index " + i);
            }
            i++;

            if (i == end)
            {
                throw invalid(text, "ends with a single ':'");
            }
            if (text.charAt(i) == ':')
            {
                if (compressedAt >= 0)
                {
                    throw invalid(text, "more than one '::'");
                }
                compressedAt = count;
                i++;
            }
        }

        if (compressedAt < 0)
        {
            if (count != GROUPS)
            {
                throw invalid(text, "expected 8 groups, found " + count);
            }
        }
        else
        {
            if (count == GROUPS)
            {
                // RFC 4291 §2.2: "::" stands for one or more groups of zeros.
                throw invalid(text, "'::' with 8 explicit groups");
            }
            final int tail = count - compressedAt;
            final int gap = GROUPS - count;
            for (int k = tail - 1; k >= 0; k--)
            {
                groups[compressedAt + gap + k] = groups[compressedAt + k];
            }
            for (int k = 0; k < gap; k++)
            {
                groups[compressedAt + k] = 0;
            }
        }

        long high = 0;
        long low = 0;
        for (int k = 0; k < 4; k++)
        {
            high = (high << 16) | groups[k];
            low = (low << 16) | groups[k + 4];
        }
        dst[HIGH] = high;
        dst[LOW] = low;
    }

    /**
     * Format in the RFC 5952 canonical form: lower-case hex, no leading zeros (§4.1, §4.3), the
     * longest run of two or more zero groups shortened to {@code ::}, the first such run on a tie
     * (§4.2). Mixed notation with a dotted quad is used only where §5 recommends it: for
     * IPv4-mapped addresses {@code ::ffff:0:0/96} (RFC 4291) and IPv4-translated addresses
     * {@code ::ffff:0:0:0/96} (RFC 2765). Use {@link #formatMixed(long, long)} for others, such
     * as addresses under a NAT64 /96 prefix.
     *
     * @param high bits 0-63.
     * @param low  bits 64-127.
     * @return canonical text, e.g. {@code "2001:db8::1"}.
     */
    public static String format(final long high, final long low)
    {
        final boolean mixed = 0 == high && ((low >>> 32) == 0xFFFFL || (low >>> 32) == 0xFFFF_0000L);
        return format(high, low, mixed);
    }

    /**
     * Format with the last 32 bits as a dotted quad (RFC 5952 §5), the first 96 bits as in
     * {@link #format(long, long)}, e.g. {@code "64:ff9b::192.0.2.33"}.
     *
     * @param high bits 0-63.
     * @param low  bits 64-127.
     * @return mixed-notation text.
     */
    public static String formatMixed(final long high, final long low)
    {
        return format(high, low, true);
    }

    private static String format(final long high, final long low, final boolean mixed)
    {
        final int hexGroups = mixed ? 6 : GROUPS;

        // RFC 5952 §4.2.1-§4.2.3: compress the longest run of >= 2 zero groups, the first on a tie.
        int bestStart = -1;
        int bestLength = 1;
        int runStart = -1;
        for (int k = 0; k < hexGroups; k++)
        {
            if (0 == group(high, low, k))
            {
                if (runStart < 0)
                {
                    runStart = k;
                }
                final int runLength = k - runStart + 1;
                if (runLength > bestLength)
                {
                    bestStart = runStart;
                    bestLength = runLength;
                }
            }
            else
            {
                runStart = -1;
            }
        }

        final StringBuilder sb = new StringBuilder(mixed ? 45 : 39);
        for (int k = 0; k < hexGroups; k++)
        {
            if (k == bestStart)
            {
                sb.append("::");
                k += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':')
            {
                sb.append(':');
            }
            sb.append(Integer.toHexString(group(high, low, k)));    // lower case, no leading zeros (§4.1, §4.3)
        }

        if (mixed)
        {
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':')
            {
                sb.append(':');
            }
            Ipv4Address.appendTo(sb, (int)low);
        }

        return sb.toString();
    }

    /**
     * The 16-bit group {@code index} (0-7) of an address.
     *
     * @param high  bits 0-63.
     * @param low   bits 64-127.
     * @param index of the group, 0 is the first on the wire.
     * @return the group value, 0-0xffff.
     */
    public static int group(final long high, final long low, final int index)
    {
        final long half = index < 4 ? high : low;
        return (int)(half >>> (48 - ((index & 3) << 4))) & 0xFFFF;
    }

    /**
     * Read bits 0-63 of an address stored in network byte order.
     *
     * @param buffer to read from.
     * @param offset of the first octet of the address.
     * @return the high half.
     */
    public static long readHigh(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Read bits 64-127 of an address stored in network byte order.
     *
     * @param buffer to read from.
     * @param offset of the first octet of the address (not of the low half).
     * @return the low half.
     */
    public static long readLow(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + 8, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Write an address in network byte order.
     *
     * @param buffer to write to.
     * @param offset of the first octet.
     * @param high   bits 0-63.
     * @param low    bits 64-127.
     */
    public static void write(final MutableDirectBuffer buffer, final int offset, final long high, final long low)
    {
        buffer.putLong(offset, high, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + 8, low, ByteOrder.BIG_ENDIAN);
    }

    /**
     * ASCII hex digits only: {@code Character.digit} would also accept non-ASCII digits.
     */
    private static int hexDigit(final char c)
    {
        if (c >= '0' && c <= '9')
        {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f')
        {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F')
        {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static IllegalArgumentException invalid(final CharSequence text, final String reason)
    {
        return new IllegalArgumentException("invalid IPv6 address " + AddressText.quote(text) + ": " + reason);
    }
}
