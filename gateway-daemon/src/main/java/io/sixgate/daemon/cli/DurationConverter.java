package io.sixgate.daemon.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code 500ms}, {@code 1s}, {@code 2m} or plain seconds ({@code 5}) for options such as
 * {@code --interval}.
 */
final class DurationConverter implements ITypeConverter<Duration>
{
    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})(ms|s|m)?");

    @Override
    public Duration convert(final String value)
    {
        final Matcher m = DURATION.matcher(value.trim());
        if (!m.matches())
        {
            throw new TypeConversionException("expected a duration like 500ms, 1s or 2m, got '" + value + "'");
        }
        final long amount = Long.parseLong(m.group(1));
        final String unit = m.group(2) == null ? "s" : m.group(2);
        final Duration duration = "ms".equals(unit) ? Duration.ofMillis(amount)
            : "m".equals(unit) ? Duration.ofMinutes(amount) : Duration.ofSeconds(amount);
        if (duration.toMillis() < 100)
        {
            throw new TypeConversionException("expected at least 100ms, got '" + value + "'");
        }
        return duration;
    }
}
