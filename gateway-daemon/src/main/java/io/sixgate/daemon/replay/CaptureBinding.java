package io.sixgate.daemon.replay;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A capture file bound to a port: the value of {@code --in PORT=FILE} and {@code --out PORT=FILE}.
 *
 * @param port the port name from the configuration.
 * @param file the capture file.
 */
public record CaptureBinding(String port, Path file)
{
    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9-]{1,15}");

    public CaptureBinding
    {
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(file, "file");
    }

    /**
     * @param text {@code PORT=FILE}.
     * @throws IllegalArgumentException when the text is not in that form; the message says why.
     */
    public static CaptureBinding parse(final String text)
    {
        final int equals = text.indexOf('=');
        if (equals < 0)
        {
            throw new IllegalArgumentException("expected PORT=FILE, got '" + text + "'");
        }
        final String port = text.substring(0, equals);
        final String file = text.substring(equals + 1);
        if (!PORT_NAME.matcher(port).matches())
        {
            throw new IllegalArgumentException("expected PORT=FILE with a port name of a-z, 0-9 and '-', got '"
                + text + "'");
        }
        if (file.isEmpty())
        {
            throw new IllegalArgumentException("expected PORT=FILE, the file is missing in '" + text + "'");
        }
        try
        {
            return new CaptureBinding(port, Path.of(file));
        }
        catch (final InvalidPathException ex)
        {
            throw new IllegalArgumentException("not a file path in '" + text + "': " + ex.getReason(), ex);
        }
    }

    @Override
    public String toString()
    {
        return port + "=" + file;
    }
}
