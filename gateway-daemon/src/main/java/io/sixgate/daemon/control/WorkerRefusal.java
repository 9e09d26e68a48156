package io.sixgate.daemon.control;

/**
 * A command's refusal, thrown on the worker thread and handed back through the reply; the
 * waiting thread turns it into a {@link ControlException}.
 */
final class WorkerRefusal extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final int status;

    WorkerRefusal(final int status, final String message)
    {
        super(message, null, false, false);
        this.status = status;
    }

    ControlException toControlException()
    {
        return new ControlException(status, getMessage());
    }
}
