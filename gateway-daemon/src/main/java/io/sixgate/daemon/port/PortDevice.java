package io.sixgate.daemon.port;

import java.io.IOException;

import io.netty.channel.unix.FileDescriptor;

/**
 * What the daemon needs of the thing a port is attached to: a non-blocking descriptor that
 * reads and writes whole Ethernet frames, and a line for the log. A {@link TapDevice} in the
 * daemon; a socket pair in tests.
 */
public interface PortDevice extends AutoCloseable
{
    /**
     * @return the non-blocking descriptor; one frame per read and per write.
     */
    FileDescriptor fd();

    /**
     * @return what was opened, for the log: {@code created TAP device sg-vpc0, mtu 1500, up}.
     */
    String describe();

    @Override
    void close() throws IOException;
}
