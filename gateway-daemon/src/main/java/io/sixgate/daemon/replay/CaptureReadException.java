package io.sixgate.daemon.replay;

/**
 * An input capture broke part way (truncated file, corrupt record). Unchecked because it is
 * raised inside {@link io.sixgate.core.pipeline.FrameSource#poll(int[], int)}; the engine
 * turns it into a {@link io.sixgate.daemon.BadInputException}.
 */
final class CaptureReadException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    CaptureReadException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
