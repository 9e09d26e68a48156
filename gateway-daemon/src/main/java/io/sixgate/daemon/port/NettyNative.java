package io.sixgate.daemon.port;

import io.netty.channel.epoll.Epoll;

/**
 * Loads Netty's epoll native library, which also carries the native side of
 * {@link io.netty.channel.unix.FileDescriptor}; it must be loaded before a descriptor is read,
 * written or closed.
 */
public final class NettyNative
{
    private NettyNative()
    {
    }

    /**
     * @throws IllegalStateException with the reason when epoll is not available here.
     */
    public static void ensureLoaded()
    {
        if (!Epoll.isAvailable())
        {
            final Throwable cause = Epoll.unavailabilityCause();
            throw new IllegalStateException("Netty's epoll transport is not available on this machine: "
                + (cause == null ? "unknown reason" : cause.getMessage()), cause);
        }
    }
}
