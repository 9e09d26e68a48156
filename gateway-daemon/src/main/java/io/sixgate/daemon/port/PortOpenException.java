package io.sixgate.daemon.port;

import java.io.IOException;

/**
 * A port could not be attached to its device. The message is one line that says which device,
 * what the system answered and, where there is one, what to do about it; the CLI prints it and
 * exits with status 1.
 */
public final class PortOpenException extends IOException
{
    private static final long serialVersionUID = 1L;

    public PortOpenException(final String message)
    {
        super(message);
    }

    public PortOpenException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
