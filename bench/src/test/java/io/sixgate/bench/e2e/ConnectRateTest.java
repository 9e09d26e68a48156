package io.sixgate.bench.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ConnectRateTest
{
    @Test
    void everyConnectionIsAFullHandshakeAndCloseThatTheServerAccepted() throws Exception
    {
        final ConnectServer server = new ConnectServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        final Thread serving = new Thread(() ->
        {
            try
            {
                server.run();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(ex);
            }
        }, "connect-server-test");
        serving.start();
        final ConnectLoad.Result result;
        try
        {
            result = new ConnectLoad(server.localAddress(), 4).run(TimeUnit.MILLISECONDS.toNanos(500));
        }
        finally
        {
            server.close();
            serving.join(5_000);
        }

        assertTrue(result.completed() > 10, result.toString());
        assertEquals(0, result.failed(), result.toString());
        assertEquals(0, result.stalled(), result.toString());
        assertTrue(server.accepted() >= result.completed(), server.accepted() + " accepted, " + result);
        assertTrue(result.perSecond() > 0, result.toString());
    }

    @Test
    void aRefusedConnectionCountsAsFailedNotCompleted() throws Exception
    {
        final int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closedPort = probe.getLocalPort();
        }

        final ConnectLoad.Result result = new ConnectLoad(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort), 2).run(TimeUnit.MILLISECONDS.toNanos(200));

        assertEquals(0, result.completed(), result.toString());
        assertTrue(result.failed() > 0, result.toString());
    }

    @Test
    void theClientPrintsOneLineOfResults() throws Exception
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            closedPort = probe.getLocalPort();
        }

        final int status = ConnectRate.run(new String[]{"client", "127.0.0.1:" + closedPort, "0.1", "1"},
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).matches(
            "connect-rate: per-second=0 completed=0 failed=[1-9]\\d* stalled=0 seconds=0\\.\\d{3}\\R"),
            out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void addressesAreNumericWithIpv6InBrackets() throws Exception
    {
        assertEquals(new InetSocketAddress(InetAddress.getByName("64:ff9b::c633:640a"), 5300),
            ConnectRate.socketAddress("[64:ff9b::c633:640a]:5300"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("198.51.100.10"), 80),
            ConnectRate.socketAddress("198.51.100.10:80"));
        assertThrows(IllegalArgumentException.class, () -> ConnectRate.socketAddress("64:ff9b::1:80"));
        assertThrows(IllegalArgumentException.class, () -> ConnectRate.socketAddress("example.org:80"));
        assertThrows(IllegalArgumentException.class, () -> ConnectRate.socketAddress("198.51.100.10:70000"));
    }

    @Test
    void badArgumentsExitWithStatusTwoAndOneLine()
    {
        final ByteArrayOutputStream err = new ByteArrayOutputStream();

        final int status = runQuietly(new String[]{"client", "198.51.100.10:80", "0", "1"}, err);

        assertEquals(2, status);
        assertEquals("connect-rate: SECONDS must be > 0 and CONCURRENCY >= 1\n", err.toString(StandardCharsets.UTF_8));
    }

    private static int runQuietly(final String[] args, final ByteArrayOutputStream err)
    {
        try
        {
            return ConnectRate.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        }
        catch (final Exception ex)
        {
            throw new AssertionError(ex);
        }
    }
}
