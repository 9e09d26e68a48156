package io.sixgate.daemon;

/**
 * The user gave sixgate something it cannot use: a bad configuration, an unreadable capture,
 * an unknown port name. The CLI prints the message as one line and exits with status 2, so
 * the message must say what is wrong and where, without a stack trace to help it.
 */
public class BadInputException extends Exception
{
    private static final long serialVersionUID = 1L;

    public BadInputException(final String message)
    {
        super(message);
    }

    public BadInputException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
