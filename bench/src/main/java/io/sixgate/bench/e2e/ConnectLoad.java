package io.sixgate.bench.e2e;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Opens TCP connections to one target as fast as they complete, {@code concurrency} at a time,
 * for a fixed time. Each connection is a full handshake and close, as a NAT64 sees a new flow in
 * RFC 9693's connection-setup tests, but with real TCP stacks on both sides: connect, send FIN
 * (shutdown output), wait for the server's FIN, close. One counts when the server's FIN arrived.
 * A connection that fails (refused, reset) or has not finished after {@link #STALL_NS} counts as
 * failed and is replaced by a new one.
 *
 * <p>The client ends are the active closers, so their TIME_WAIT states pile up in the client's
 * namespace: give it a wide {@code net.ipv4.ip_local_port_range} and {@code net.ipv4.tcp_tw_reuse=1}.
 */
public final class ConnectLoad
{
    /** A connection that takes longer than this (a lost SYN waits 1 s, then 3 s) is given up. */
    static final long STALL_NS = TimeUnit.SECONDS.toNanos(3);

    /** What one readiness event did to a connection. */
    private static final int STEP_PENDING = 0;
    private static final int STEP_DONE = 1;
    private static final int STEP_FAILED = 2;

    private final SocketAddress target;
    private final int concurrency;

    /**
     * What a run did: connections completed, failed (refused, reset, or no local port), given up
     * after {@link #STALL_NS}, and the time it took.
     */
    public record Result(long completed, long failed, long stalled, long elapsedNs)
    {
        public double perSecond()
        {
            return elapsedNs == 0 ? 0 : completed * 1e9 / elapsedNs;
        }
    }

    public ConnectLoad(final SocketAddress target, final int concurrency)
    {
        if (concurrency < 1)
        {
            throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
        }
        this.target = target;
        this.concurrency = concurrency;
    }

    /**
     * Runs for {@code durationNs}: keeps {@code concurrency} connections going, a new one each time
     * one ends; connections still open at the end are closed and not counted.
     */
    public Result run(final long durationNs) throws IOException
    {
        final ByteBuffer sink = ByteBuffer.allocateDirect(4096);
        long completed = 0;
        long failed = 0;
        long stalled = 0;
        int open = 0;
        try (Selector selector = Selector.open())
        {
            final long start = System.nanoTime();
            final long end = start + durationNs;
            long now = start;
            long nextStallCheck = start + STALL_NS / 4;
            while (now < end)
            {
                // Refill; a local failure (no free port, say) is retried after the next select.
                while (open < concurrency)
                {
                    if (!open(selector))
                    {
                        failed++;
                        break;
                    }
                    open++;
                }
                selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(end - now, STALL_NS / 4))));
                now = System.nanoTime();
                final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext())
                {
                    final SelectionKey key = keys.next();
                    keys.remove();
                    final int step = advance(key, sink);
                    if (step == STEP_DONE)
                    {
                        completed++;
                        open--;
                    }
                    else if (step == STEP_FAILED)
                    {
                        failed++;
                        open--;
                    }
                }
                if (now >= nextStallCheck)
                {
                    nextStallCheck = now + STALL_NS / 4;
                    for (final SelectionKey key : selector.keys())
                    {
                        if (key.isValid() && now - (long)key.attachment() > STALL_NS)
                        {
                            stalled++;
                            open--;
                            closeQuietly(key);
                        }
                    }
                }
            }
            final long elapsed = System.nanoTime() - start;
            for (final SelectionKey key : selector.keys())
            {
                closeQuietly(key);
            }
            return new Result(completed, failed, stalled, elapsed);
        }
    }

    /**
     * @return whether a connection attempt started (a local failure, such as no free port, is not).
     */
    private boolean open(final Selector selector)
    {
        SocketChannel channel = null;
        try
        {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            final long started = System.nanoTime();
            if (channel.connect(target))
            {
                channel.shutdownOutput();
                channel.register(selector, SelectionKey.OP_READ, started);
            }
            else
            {
                channel.register(selector, SelectionKey.OP_CONNECT, started);
            }
            return true;
        }
        catch (final IOException ex)
        {
            if (channel != null)
            {
                try
                {
                    channel.close();
                }
                catch (final IOException ignore)
                {
                    // Failed either way.
                }
            }
            return false;
        }
    }

    private static int advance(final SelectionKey key, final ByteBuffer sink)
    {
        final SocketChannel channel = (SocketChannel)key.channel();
        try
        {
            if (key.isConnectable())
            {
                channel.finishConnect();
                // Handshake done: our FIN goes now, the server answers with its own.
                channel.shutdownOutput();
                key.interestOps(SelectionKey.OP_READ);
                return STEP_PENDING;
            }
            if (key.isReadable())
            {
                sink.clear();
                if (channel.read(sink) < 0)
                {
                    closeQuietly(key);
                    return STEP_DONE;
                }
            }
            return STEP_PENDING;
        }
        catch (final IOException ex)
        {
            closeQuietly(key);
            return STEP_FAILED;
        }
    }

    private static void closeQuietly(final SelectionKey key)
    {
        key.cancel();
        try
        {
            key.channel().close();
        }
        catch (final IOException ignore)
        {
            // Gone either way.
        }
    }
}
