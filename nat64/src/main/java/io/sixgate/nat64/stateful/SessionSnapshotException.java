package io.sixgate.nat64.stateful;

import java.io.IOException;

/**
 * A snapshot file that cannot be used: wrong magic or version, truncated, or its checksum does
 * not match. The message names the file and what is wrong with it, on one line.
 */
public final class SessionSnapshotException extends IOException
{
    private static final long serialVersionUID = 1L;

    public SessionSnapshotException(final String message)
    {
        super(message);
    }
}
