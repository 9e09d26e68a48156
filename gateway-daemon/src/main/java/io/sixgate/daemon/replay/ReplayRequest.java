package io.sixgate.daemon.replay;

import java.nio.file.Path;
import java.util.List;

/**
 * What to replay.
 *
 * @param inputs       captures whose frames arrive on their port, merged by timestamp; ties go
 *                     to the capture listed first. At most one per port.
 * @param outputs      captures that receive what the gateway transmits on their port. At most
 *                     one per port; ports without one discard (and count) their frames.
 * @param countersFile where to keep the counters, or {@code null} for a temporary file deleted
 *                     when the replay ends.
 * @param dumpSessions whether to list the stateful NAT64 session table at the end.
 */
public record ReplayRequest(List<CaptureBinding> inputs, List<CaptureBinding> outputs, Path countersFile,
    boolean dumpSessions)
{
    /**
     * A replay without a session dump.
     */
    public ReplayRequest(final List<CaptureBinding> inputs, final List<CaptureBinding> outputs, final Path countersFile)
    {
        this(inputs, outputs, countersFile, false);
    }

    public ReplayRequest
    {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
