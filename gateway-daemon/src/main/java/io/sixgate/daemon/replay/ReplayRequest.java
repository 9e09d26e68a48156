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
 */
public record ReplayRequest(List<CaptureBinding> inputs, List<CaptureBinding> outputs, Path countersFile)
{
    public ReplayRequest
    {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
