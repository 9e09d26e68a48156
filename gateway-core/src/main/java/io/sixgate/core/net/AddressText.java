package io.sixgate.core.net;

/**
 * Text helpers shared by the strict address parsers. Config time only.
 */
final class AddressText
{
    /**
     * Error messages quote untrusted input: keep them to one short printable line.
     */
    private static final int MAX_QUOTED_CHARS = 64;

    private AddressText()
    {
    }

    /**
     * Quote untrusted text for an error message: printable ASCII kept, anything else escaped as
     * {@code \\uXXXX}, long input clipped.
     *
     * @param text text as given, may be {@code null}.
     * @return the quoted text, e.g. {@code '2001:db8::x'}.
     */
    static String quote(final CharSequence text)
    {
        if (null == text)
        {
            return "null";
        }

        final int length = text.length();
        final int shown = Math.min(length, MAX_QUOTED_CHARS);
        final StringBuilder sb = new StringBuilder(shown + 8).append('\'');
        for (int i = 0; i < shown; i++)
        {
            final char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7F)
            {
                sb.append(c);
            }
            else
            {
                sb.append(String.format("\\u%04x", (int)c));
            }
        }
        if (length > shown)
        {
            sb.append("...(").append(length).append(" chars)");
        }

        return sb.append('\'').toString();
    }

    /**
     * Describe one character for an error message.
     */
    static String describe(final char c)
    {
        return (c >= 0x20 && c < 0x7F) ? "'" + c + "'" : String.format("\\u%04x", (int)c);
    }

    /**
     * Parse a prefix length: decimal, no sign, no leading zero, 0..max.
     *
     * @return the length, or -1 if the text is not a valid length.
     */
    static int parsePrefixLength(final CharSequence text, final int start, final int end, final int max)
    {
        final int digits = end - start;
        if (digits < 1 || digits > 3)
        {
            return -1;
        }
        if (digits > 1 && text.charAt(start) == '0')
        {
            return -1;
        }

        int value = 0;
        for (int i = start; i < end; i++)
        {
            final char c = text.charAt(i);
            if (c < '0' || c > '9')
            {
                return -1;
            }
            value = value * 10 + (c - '0');
        }

        return value <= max ? value : -1;
    }
}
