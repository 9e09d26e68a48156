package io.sixgate.daemon.control;

/**
 * A control request the gateway refuses or cannot answer, with the HTTP status the admin API
 * answers it with and a one-line message for the operator. The control plane is served over
 * HTTP only, so the status is part of the refusal rather than a translation of it.
 */
public final class ControlException extends Exception
{
    public static final int BAD_REQUEST = 400;
    public static final int NOT_FOUND = 404;
    public static final int CONFLICT = 409;
    public static final int UNPROCESSABLE = 422;
    public static final int INTERNAL = 500;
    public static final int NOT_IMPLEMENTED = 501;
    public static final int UNAVAILABLE = 503;

    private static final long serialVersionUID = 1L;

    private final int status;

    public ControlException(final int status, final String message)
    {
        super(message, null, false, false);
        this.status = status;
    }

    public int status()
    {
        return status;
    }
}
