package io.sixgate.bench.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;

/**
 * The far end of {@link ConnectLoad}: accepts every connection, reads until the client's FIN
 * and closes, which sends its own FIN. One thread, one selector, until {@link #close()}.
 */
public final class ConnectServer implements AutoCloseable
{
    /** Accept queue: a burst of SYNs from the load must not overflow it. */
    static final int BACKLOG = 4096;

    private final Selector selector;
    private final ServerSocketChannel listener;
    private final ByteBuffer sink = ByteBuffer.allocateDirect(4096);
    private volatile boolean running = true;
    private long accepted;

    public ConnectServer(final SocketAddress listen) throws IOException
    {
        selector = Selector.open();
        listener = ServerSocketChannel.open();
        try
        {
            listener.bind(listen, BACKLOG);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        }
        catch (final IOException ex)
        {
            listener.close();
            selector.close();
            throw ex;
        }
    }

    /**
     * @return the address it listens on (the port the system chose when it was 0).
     */
    public InetSocketAddress localAddress() throws IOException
    {
        return (InetSocketAddress)listener.getLocalAddress();
    }

    /**
     * Serves until {@link #close()}, then closes every connection, the listener and the selector.
     */
    public void run() throws IOException
    {
        try
        {
            serve();
        }
        finally
        {
            for (final SelectionKey key : selector.keys())
            {
                key.channel().close();
            }
            selector.close();
        }
    }

    private void serve() throws IOException
    {
        while (running)
        {
            selector.select(100);
            final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext())
            {
                final SelectionKey key = keys.next();
                keys.remove();
                if (!key.isValid())
                {
                    continue;
                }
                if (key.isAcceptable())
                {
                    acceptAll();
                }
                else if (key.isReadable())
                {
                    readOrClose(key);
                }
            }
        }
    }

    private void acceptAll() throws IOException
    {
        SocketChannel channel;
        while ((channel = listener.accept()) != null)
        {
            accepted++;
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
        }
    }

    private void readOrClose(final SelectionKey key)
    {
        final SocketChannel channel = (SocketChannel)key.channel();
        try
        {
            sink.clear();
            if (channel.read(sink) >= 0)
            {
                return;
            }
        }
        catch (final IOException ex)
        {
            // A reset connection: close it like a finished one.
        }
        key.cancel();
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // Gone either way.
        }
    }

    /**
     * @return connections accepted so far; read on the serving thread or after it ended.
     */
    public long accepted()
    {
        return accepted;
    }

    /**
     * Makes {@link #run()} stop and clean up; from any thread.
     */
    @Override
    public void close()
    {
        running = false;
        selector.wakeup();
    }
}
