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
        return source + (line > 0 ? " line " + line : "") + ": " + (path.isEmpty() ? "" : path + ": ") + problem;
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
