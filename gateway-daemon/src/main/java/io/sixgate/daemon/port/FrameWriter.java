package io.sixgate.daemon.port;

/**
 * Sends one whole Ethernet frame from off-heap memory out of a port's device, without blocking
 * and without throwing: the worker turns the result into a counted drop. A TAP device writes
 * with {@code write(2)} ({@link DescriptorFrameWriter}), a pcap port with {@code pcap_inject}
 * ({@link PcapFrameWriter}).
 *
 * <p>Worker thread only.
 */
public interface FrameWriter
{
    /** {@link #write} result: the device would block (its queue is full); nothing was sent. */
    int WOULD_BLOCK = 0;

    /** {@link #write} result: the device refused the frame; {@link #lastError()} says why. */
    int ERROR = -1;

    /**
     * @param address memory address of the frame's first byte.
     * @param length  the frame's length in bytes.
     * @return bytes sent (less than {@code length} for a short write), {@link #WOULD_BLOCK} or {@link #ERROR}.
     */
    int write(long address, int length);

    /**
     * Writes a frame with its offload state ({@link io.sixgate.core.frame.Offload}); a writer
     * that does not {@link #takesOffloads()} is handed plain frames only ({@link DeviceTxSink}).
     */
    default int write(final long address, final int length, final long offload)
    {
        return write(address, length);
    }

    /**
     * @return whether frames may carry offloads (a partial checksum, a TCP super-packet): a TAP
     * opened with the virtio-net header.
     */
    default boolean takesOffloads()
    {
        return false;
    }

    /**
     * @return what the last {@link #ERROR} was, for the log; may allocate, so call it only to log.
     */
    String lastError();
}
