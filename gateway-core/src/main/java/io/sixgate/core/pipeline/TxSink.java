package io.sixgate.core.pipeline;

/**
 * Where transmitted frames go: a pcap writer in replay, a TAP queue in the daemon.
 * The sink takes ownership of the frame and must release it to its pool once written.
 */
@FunctionalInterface
public interface TxSink
{
    /**
     * @param portId the port the frame leaves on.
     * @param frame  the frame handle; owned by the sink from now on.
     */
    void transmit(int portId, int frame);
}
