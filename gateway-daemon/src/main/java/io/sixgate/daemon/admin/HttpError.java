package io.sixgate.daemon.admin;

/**
 * A request the API refuses before it reaches the control plane: no or a wrong token, an
 * unknown path, a method the path does not take, a body too large or not JSON, a bad parameter.
 */
final class HttpError extends Exception
{
    static final int BAD_REQUEST = 400;
    static final int UNAUTHORIZED = 401;
    static final int NOT_FOUND = 404;
    static final int METHOD_NOT_ALLOWED = 405;
    static final int PAYLOAD_TOO_LARGE = 413;

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String allow;

    HttpError(final int status, final String message)
    {
        this(status, message, null);
    }

    /**
     * @param allow the methods the path takes, for a 405's {@code Allow} header.
     */
    HttpError(final int status, final String message, final String allow)
    {
        super(message, null, false, false);
        this.status = status;
        this.allow = allow;
    }

    int status()
    {
        return status;
    }

    String allow()
    {
        return allow;
    }
}
