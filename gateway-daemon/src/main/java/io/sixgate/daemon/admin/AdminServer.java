package io.sixgate.daemon.admin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

import io.sixgate.daemon.config.IpAddress;
import io.sixgate.daemon.control.ControlPlane;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API's server: one listening socket, one thread.
 *
 * <p>Why the JDK's {@code com.sun.net.httpserver} rather than Netty's HTTP codec: it adds no
 * dependency, and it keeps control traffic on its own thread, away from the epoll event loop
 * that reads the data-plane ports. The API serves a few requests a second from an operator, a
 * script or a Prometheus scrape, so one thread is plenty, and it serialises the requests, so an
 * operator's changes apply in the order they were sent.
 */
public final class AdminServer implements AutoCloseable
{
    /**
     * Longest a client may take to send a request, headers and body. The JDK server reads a request
     * on the API's one thread; without a limit one client that never finishes its headers (and
     * before the token is checked) holds the API for everybody.
     */
    public static final int MAX_REQUEST_SECONDS = 5;

    /** Longest an answer may take to leave: a client that stops reading must not hold the thread. */
    public static final int MAX_RESPONSE_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);

    static
    {
        // The JDK server's own limits (seconds; off by default), read once when its first
        // server is made: this class makes the daemon's only one. A -D on the command line wins.
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null)
        {
            System.setProperty("sun.net.httpserver.maxReqTime", Integer.toString(MAX_REQUEST_SECONDS));
        }
        if (System.getProperty("sun.net.httpserver.maxRspTime") == null)
        {
            System.setProperty("sun.net.httpserver.maxRspTime", Integer.toString(MAX_RESPONSE_SECONDS));
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;

    private AdminServer(final HttpServer server, final ExecutorService executor)
    {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds and starts serving.
     *
     * @param address where to listen (port 0: any free port, for tests).
     * @throws IOException when the address cannot be bound, saying which.
     */
    public static AdminServer start(final InetSocketAddress address, final ControlPlane control) throws IOException
    {
        final HttpServer server;
        try
        {
            server = HttpServer.create(address, 16);
        }
        catch (final IOException ex)
        {
            throw new IOException("admin API: cannot listen on " + describe(address) + ": "
                + (ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage())
                + " (another sixgate? change admin.listen, or listen: off)", ex);
        }
        final ExecutorService executor = Executors.newSingleThreadExecutor(task ->
        {
            final Thread thread = new Thread(task, "sixgate-admin");
            thread.setDaemon(true);
            return thread;
        });
        server.createContext("/", new AdminHandler(control));
        server.setExecutor(executor);
        server.start();
        final AdminServer admin = new AdminServer(server, executor);
        LOG.info("admin API on {}{}", admin.url(), control.token().required() ? " (bearer token required)" : "");
        return admin;
    }

    /**
     * @return the address it listens on, with the port it got.
     */
    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    /**
     * @return {@code http://127.0.0.1:8464}.
     */
    public String url()
    {
        return "http://" + describe(address());
    }

    private static String describe(final InetSocketAddress address)
    {
        final IpAddress ip = IpAddress.ofBytes(address.getAddress().getAddress());
        return (ip.isIpv6() ? "[" + ip + "]" : ip.toString()) + ":" + address.getPort();
    }

    /**
     * Stops listening and ends the thread once the request in progress is answered: a request
     * waits at most {@link ControlPlane#WORKER_TIMEOUT_MS} for the worker, and it must be done
     * before the daemon unmaps the counters file it may read.
     */
    @Override
    public void close()
    {
        server.stop(1);
        executor.shutdown();
        try
        {
            executor.awaitTermination(ControlPlane.WORKER_TIMEOUT_MS + 5_000, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
