package io.sixgate.bench.e2e;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Command line of the connection-setup load tool, run by {@code scripts/bench-e2e.sh} in the
 * server's and the client's namespace:
 *
 * <pre>
 *   ConnectRate server ADDRESS:PORT                            serve until SIGTERM
 *   ConnectRate client ADDRESS:PORT SECONDS CONCURRENCY        one line of results, exit 0
 * </pre>
 *
 * IPv6 addresses in brackets ({@code [64:ff9b::c633:640a]:5300}). The client prints
 * {@code connect-rate: per-second=R completed=N failed=F stalled=S seconds=T}; the server prints
 * {@code connect-server: listening on ...} once it listens. Exit status 2 for bad arguments.
 */
public final class ConnectRate
{
    private ConnectRate()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final int status = run(args, System.out, System.err);
        if (status != 0)
        {
            System.exit(status);
        }
    }

    static int run(final String[] args, final PrintStream out, final PrintStream err) throws IOException
    {
        try
        {
            if (args.length == 2 && "server".equals(args[0]))
            {
                serve(socketAddress(args[1]), out);
                return 0;
            }
            if (args.length == 4 && "client".equals(args[0]))
            {
                final double seconds = Double.parseDouble(args[2]);
                final int concurrency = Integer.parseInt(args[3]);
                if (!(seconds > 0) || concurrency < 1)
                {
                    throw new IllegalArgumentException("SECONDS must be > 0 and CONCURRENCY >= 1");
                }
                final ConnectLoad.Result result = new ConnectLoad(socketAddress(args[1]), concurrency)
                    .run((long)(seconds * TimeUnit.SECONDS.toNanos(1)));
                out.println(line(result));
                return 0;
            }
            throw new IllegalArgumentException("usage: ConnectRate server ADDRESS:PORT"
                + " | ConnectRate client ADDRESS:PORT SECONDS CONCURRENCY");
        }
        catch (final IllegalArgumentException | UnknownHostException ex)
        {
            err.println("connect-rate: " + ex.getMessage());
            return 2;
        }
    }

    static String line(final ConnectLoad.Result result)
    {
        return String.format(Locale.ROOT, "connect-rate: per-second=%.0f completed=%d failed=%d stalled=%d seconds=%.3f",
            result.perSecond(), result.completed(), result.failed(), result.stalled(), result.elapsedNs() / 1e9);
    }

    /**
     * {@code 192.0.2.1:80} or {@code [2001:db8::1]:80}; numeric addresses only (no name look-up).
     */
    static InetSocketAddress socketAddress(final String text) throws UnknownHostException
    {
        final int colon = text.lastIndexOf(':');
        if (colon <= 0)
        {
            throw new IllegalArgumentException("not ADDRESS:PORT: " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        else if (host.indexOf(':') >= 0)
        {
            throw new IllegalArgumentException("an IPv6 address goes in brackets: " + text);
        }
        if (!host.matches("[0-9a-fA-F:.]+"))
        {
            throw new IllegalArgumentException("not a numeric address: " + text);
        }
        final int port = Integer.parseInt(text.substring(colon + 1));
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port out of range: " + text);
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    private static void serve(final InetSocketAddress listen, final PrintStream out) throws IOException
    {
        final ConnectServer server = new ConnectServer(listen);
        final Thread serving = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
        {
            server.close();
            try
            {
                serving.join(5_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }, "connect-server-stop"));
        out.println("connect-server: listening on " + server.localAddress());
        out.flush();
        server.run();
        out.println("connect-server: accepted " + server.accepted());
    }
}
