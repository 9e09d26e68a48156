package io.sixgate.daemon.config;

import io.sixgate.daemon.BadInputException;

/**
 * A configuration sixgate refuses, with the place to fix it:
 * {@code config.yaml line 7: ports[1].mtu: must be 68..65535, got 40}.
 */
public final class ConfigException extends BadInputException
{
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final String path;
    private final String problem;

    /**
     * @param source  the file name as the user gave it.
     * @param line    1-based line, or 0 when the problem is the file itself.
     * @param path    the key path ({@code ports[1].mtu}), empty for the whole document.
     * @param problem what is wrong, starting lower case.
     */
    public ConfigException(final String source, final int line, final String path, final String problem)
    {
        this(source, line, path, problem, null);
    }

    public ConfigException(
        final String source, final int line, final String path, final String problem, final Throwable cause)
    {
        super(format(source, line, path, problem), cause);
        this.source = source;
        this.line = line;
        this.path = path;
        this.problem = problem;
    }

    private static String format(final String source, final int line, final String path, final String problem)
    {
        return source + (line > 0 ? " line " + line : "") + ": " + (path.isEmpty() ? "" : visible(path) + ": ")
            + visible(problem);
    }

    /**
     * A key or value the user wrote can hold a line break or another control character (found by
     * fuzzing: a key broken over two lines); the message stays one line, with them escaped.
     */
    private static String visible(final String text)
    {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            if (c < ' ' || c == 0x7F)
            {
                if (out == null)
                {
                    out = new StringBuilder(text.substring(0, i));
                }
                out.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : String.format("\\x%02x", (int)c));
            }
            else if (out != null)
            {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    public String source()
    {
        return source;
    }

    public int line()
    {
        return line;
    }

    public String path()
    {
        return path;
    }

    public String problem()
    {
        return problem;
    }
}
