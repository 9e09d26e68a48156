package io.sixgate.daemon.admin;

import static io.sixgate.daemon.control.TestGateway.CLIENT;
import static io.sixgate.daemon.control.TestGateway.clientToEip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.sixgate.daemon.config.AdminConfig;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.control.TestGateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API under hostile or careless clients (issue 8): where it listens by default, bodies
 * too large however they are framed, and clients that are slow or many, which must neither hold
 * the API for others nor slow the data plane. (Tokens, bad paths, methods and JSON: {@link
 * AdminServerTest}; every request shape: {@link AdminFuzzTest}.)
 */
class AdminHardeningTest
{
    @TempDir
    Path dir;

    private TestGateway gateway;
    private AdminServer server;
    private final List<Socket> sockets = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void stop() throws Exception
    {
        for (final Socket socket : sockets)
        {
            socket.close();
        }
        if (server != null)
        {
            server.close();
        }
        if (gateway != null)
        {
            gateway.close();
        }
    }

    private void start() throws Exception
    {
        gateway = TestGateway.start(dir);
        // The configuration's address (TestGateway.BASE has no admin section: the default), on a
        // free port rather than 8464, which a daemon on this machine may hold.
        server = AdminServer.start(new InetSocketAddress(gateway.control().config().admin().listen().getAddress(), 0),
            gateway.control());
    }

    private HttpResponse<String> get(final String path) throws Exception
    {
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(30)).build(),
            HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void listensOnLoopbackOnlyByDefault() throws Exception
    {
        final GatewayConfig config = ConfigLoader.load("minimal.yaml",
            new ByteArrayInputStream("ports: [{name: wan, type: tap}]\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(AdminConfig.DEFAULT, config.admin());
        assertTrue(config.admin().listen().getAddress().isLoopbackAddress(), config.admin().listenText());
        assertEquals(null, config.admin().tokenFile(), "on loopback no token is asked for by default");

        start();
        assertTrue(server.address().getAddress().isLoopbackAddress(), server.url());
        assertEquals(200, get("/v1/health").statusCode());
        // Every other address of this host is refused.
        for (final NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces()))
        {
            for (final InetAddress address : Collections.list(nic.getInetAddresses()))
            {
                if (!address.isLoopbackAddress() && !(address instanceof Inet6Address && address.isLinkLocalAddress()))
                {
                    assertThrows(IOException.class, () ->
                    {
                        try (Socket socket = new Socket())
                        {
                            socket.connect(new InetSocketAddress(address, server.address().getPort()), 2000);
                        }
                    }, "the API answered on " + address);
                }
            }
        }
    }

    @Test
    void refusesBodiesTooLargeWhateverTheirFraming() throws Exception
    {
        start();
        final String eip = "/v1/eip";
        // A declared length past the limit: refused before anything is read.
        try (Socket socket = connect())
        {
            final OutputStream out = socket.getOutputStream();
            out.write(("POST " + eip + " HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n{")
                .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final String answer = readAnswer(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 413 "), answer);
            assertTrue(answer.contains("Connection: close") || answer.contains("connection: close"), answer);
        }
        // Chunked, no length: refused once the limit is passed.
        final HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(server.url() + eip))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[200_000])))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertEquals(200, get("/v1/health").statusCode(), "the server still serves");
    }

    @Test
    void slowAndManyClientsHoldNeitherTheApiNorTheDataPlane() throws Exception
    {
        start();
        // Slow clients: connections that never finish their request (one byte, half a header).
        for (int i = 0; i < 20; i++)
        {
            final Socket socket = connect();
            socket.getOutputStream().write((i % 2 == 0 ? "G" : "GET /v1/health HTTP/1.1\r\nHost: x\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }
        // Many clients at once, scraping what costs the most.
        final ExecutorService clients = Executors.newFixedThreadPool(16);
        final List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 64; i++)
        {
            final String path = i % 2 == 0 ? "/metrics" : "/v1/sessions?limit=100000";
            answers.add(clients.submit(() -> get(path).statusCode()));
        }
        // Meanwhile the data plane translates every packet, each within the usual time.
        for (int i = 0; i < 200; i++)
        {
            final long start = System.nanoTime();
            gateway.fromInternet(clientToEip(CLIENT, 50000 + i % 50, 53));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "packet " + i + " was held");
        }
        for (final Future<Integer> answer : answers)
        {
            assertEquals(200, answer.get(AdminServer.MAX_REQUEST_SECONDS + 30, TimeUnit.SECONDS));
        }
        clients.shutdown();
        // And a well-behaved client is answered although the slow ones are still connected.
        final long start = System.nanoTime();
        assertEquals(200, get("/v1/health").statusCode());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(AdminServer.MAX_REQUEST_SECONDS + 5),
            "answered while slow clients hold connections");
    }

    private Socket connect() throws IOException
    {
        final Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(server.address(), 5000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static String readAnswer(final InputStream in) throws IOException
    {
        final StringBuilder answer = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0)
        {
            answer.append((char)c);
            if (answer.indexOf("\r\n\r\n") >= 0 && answer.indexOf("}") >= 0)
            {
                break;
            }
        }
        return answer.toString();
    }
}
