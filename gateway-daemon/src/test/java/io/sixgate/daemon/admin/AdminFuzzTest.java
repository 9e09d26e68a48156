package io.sixgate.daemon.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;

import io.sixgate.core.fuzz.FuzzSeeds;
import io.sixgate.daemon.control.TestGateway;

import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the admin API's request handling (issue 8): method, path, query,
 * headers and body from the fuzzer, against the real {@link AdminHandler} over the control plane
 * of a whole running daemon ({@link TestGateway}, on socket pairs, a bearer token configured).
 *
 * <p>An input is the text of a request, as on the wire but lenient: {@code METHOD TARGET} on
 * the first line, then {@code Name: value} header lines, an empty line, and the body;
 * {@code $TOKEN} in a header stands for the configured token. Targets that the JDK's HTTP server
 * would not hand to a handler (not {@code /...}, not a URI) are skipped.
 *
 * <p>Whatever the request: the handler answers once, never 500 (no exception escapes to the
 * catch-all), asks for the token on every path but health, answers a failure as one JSON
 * {@code error} without a stack trace, and a HEAD without a body.
 */
class AdminFuzzTest
{
    static final String TOKEN = "fuzz-T0ken-4c9e";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One daemon for all inputs: starting one per input would take seconds. */
    private static final class Daemon
    {
        static final AdminHandler HANDLER = start();

        private static AdminHandler start()
        {
            try
            {
                final Path dir = Files.createTempDirectory("sixgate-admin-fuzz");
                Files.writeString(dir.resolve("token"), TOKEN + "\n");
                Files.setPosixFilePermissions(dir.resolve("token"), PosixFilePermissions.fromString("rw-------"));
                final TestGateway gateway = TestGateway.start(dir, "admin: {token-file: %DIR%/token}\n");
                Runtime.getRuntime().addShutdownHook(new Thread(() ->
                {
                    try
                    {
                        gateway.close();
                    }
                    catch (final IOException ex)
                    {
                        throw new UncheckedIOException(ex);
                    }
                }));
                return new AdminHandler(gateway.control());
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException("cannot start the daemon for the admin fuzz test", ex);
            }
        }
    }

    @FuzzTest(maxDuration = "60s")
    // libFuzzer's dictionary syntax: a line break is written \x0a.
    @DictionaryEntries({"GET ", "POST ", "DELETE ", "HEAD ", "PUT ", "/v1/health", "/v1/counters", "/metrics",
        "/v1/sessions", "/v1/nat64/static-bib", "/v1/eip", "/v1/reload", "/v1/ipv6-gateway", "?address=", "&limit=",
        "Authorization: Bearer $TOKEN\\x0a", "Content-Length: ", "\\x0a\\x0a", "{\"protocol\": \"udp\"", "\"ipv6-address\": ",
        "\"ipv4-port\": ", "{\"public\": \"203.0.113.9\", \"private\": \"10.0.1.9\"}", "%", "%00", "\"2001:db8::5\""})
    void adminApiAnswersEveryRequestInOneWellFormedLine(final byte[] input)
    {
        final String text = new String(input, StandardCharsets.ISO_8859_1);
        final int endOfLine = text.indexOf('\n');
        final String requestLine = endOfLine < 0 ? text : text.substring(0, endOfLine);
        final int space = requestLine.indexOf(' ');
        if (space <= 0)
        {
            return;
        }
        final String method = requestLine.substring(0, space);
        final URI uri;
        try
        {
            uri = new URI(requestLine.substring(space + 1).strip());
        }
        catch (final URISyntaxException ex)
        {
            return;     // the JDK's server answers 400 before any handler
        }
        if (uri.getRawPath() == null || !uri.getRawPath().startsWith("/") || uri.getScheme() != null
            || !method.chars().allMatch(c -> c > ' ' && c < 127))
        {
            return;
        }
        final Headers headers = new Headers();
        int position = endOfLine < 0 ? text.length() : endOfLine + 1;
        while (position < text.length())
        {
            final int end = text.indexOf('\n', position) < 0 ? text.length() : text.indexOf('\n', position);
            final String line = text.substring(position, end);
            position = Math.min(text.length(), end + 1);
            if (line.isEmpty())
            {
                break;
            }
            final int colon = line.indexOf(':');
            if (colon > 0)
            {
                try
                {
                    headers.add(line.substring(0, colon).strip(), line.substring(colon + 1).strip().replace("$TOKEN", TOKEN));
                }
                catch (final IllegalArgumentException ex)
                {
                    return;     // a header the JDK's server would not parse (a CR in it): never reaches a handler
                }
            }
        }
        final byte[] body = Arrays.copyOfRange(input, position, input.length);
        final RecordedExchange exchange = new RecordedExchange(method, uri, headers, body);

        Daemon.HANDLER.handle(exchange);

        final int status = exchange.status();
        assertTrue(status >= 200 && status <= 599, "one answer, with a status: " + status);
        assertNotEquals(500, status, "no exception reached the catch-all: " + answer(exchange));
        assertTrue(exchange.closed(), "the exchange is closed");
        // As AdminToken reads the header: "Bearer" in any case, white space around the token ignored.
        final String authorization = headers.getFirst("Authorization");
        final boolean tokenRight = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
            && authorization.substring(7).strip().equals(TOKEN);
        if (!AdminHandler.HEALTH.equals(uri.getRawPath()) && !tokenRight)
        {
            assertEquals(401, status, "no token, no answer: " + answer(exchange));
        }
        if ("HEAD".equals(method))
        {
            assertEquals(0, exchange.responseBytes().length, "a HEAD answer has no body");
            return;
        }
        assertEquals(exchange.declaredLength(), exchange.responseBytes().length, "the body has the length sent");
        final String contentType = String.valueOf(exchange.getResponseHeaders().getFirst("Content-Type"));
        assertFalse(answer(exchange).contains("\tat "), "no stack trace: " + answer(exchange));
        if (contentType.startsWith("application/json"))
        {
            final JsonNode json = parse(exchange.responseBytes());
            if (status >= 400)
            {
                assertTrue(json.hasNonNull("error"), "a refusal says why: " + json);
                assertFalse(json.get("error").asText().contains("\n"), "in one line: " + json);
            }
        }
        else
        {
            assertEquals(AdminHandler.METRICS, uri.getRawPath(), "only /metrics answers other than JSON");
        }
    }

    private static JsonNode parse(final byte[] body)
    {
        try
        {
            return JSON.readTree(body);
        }
        catch (final IOException ex)
        {
            throw new AssertionError("the answer is JSON: " + new String(body, StandardCharsets.UTF_8), ex);
        }
    }

    private static String answer(final RecordedExchange exchange)
    {
        return exchange.status() + " " + new String(exchange.responseBytes(), StandardCharsets.UTF_8);
    }

    /** The seeds: the requests of the admin API tests and docs/admin-api.md. */
    static Map<String, byte[]> seeds()
    {
        final String auth = "Authorization: Bearer $TOKEN\n";
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("health", request("GET /v1/health\n\n"));
        seeds.put("counters", request("GET /v1/counters\n" + auth + "\n"));
        seeds.put("metrics", request("GET /metrics\n" + auth + "\n"));
        seeds.put("sessions-filtered", request("GET /v1/sessions?address=2001:db8:ffff::7&limit=10\n" + auth + "\n"));
        seeds.put("sessions-prefix", request("GET /v1/sessions?address=198.51.100.0%2F24\n" + auth + "\n"));
        seeds.put("static-bib-list", request("GET /v1/nat64/static-bib\n" + auth + "\n"));
        seeds.put("static-bib-add", request("POST /v1/nat64/static-bib\n" + auth + "Content-Type: application/json\n\n"
            + "{\"protocol\": \"udp\", \"ipv6-address\": \"2001:db8:ffff::80\", \"ipv6-port\": 5000,"
            + " \"ipv4-address\": \"198.51.100.10\", \"ipv4-port\": 40050}"));
        seeds.put("static-bib-remove", request("DELETE /v1/nat64/static-bib?protocol=udp&ipv4-address=198.51.100.10"
            + "&ipv4-port=40050\n" + auth + "\n"));
        seeds.put("eip-add", request("POST /v1/eip\n" + auth + "Content-Length: 48\n\n"
            + "{\"public\": \"203.0.113.9\", \"private\": \"10.0.1.9\"}"));
        seeds.put("eip-remove", request("DELETE /v1/eip?public=203.0.113.9\n" + auth + "\n"));
        seeds.put("reload", request("POST /v1/reload\n" + auth + "\n"));
        seeds.put("wrong-token", request("GET /v1/counters\nAuthorization: Bearer nope\n\n"));
        seeds.put("head", request("HEAD /v1/counters\n" + auth + "\n"));
        seeds.put("wrong-method", request("PUT /v1/nat64/static-bib\n" + auth + "\n{}"));
        seeds.put("malformed-json", request("POST /v1/nat64/static-bib\n" + auth + "\n{\"protocol\": tcp}"));
        seeds.put("ipv6-gateway", request("POST /v1/ipv6-gateway/bandwidth\n" + auth + "\n{}"));
        return seeds;
    }

    private static byte[] request(final String text)
    {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void seedFilesAreTheRequestsOfTheTests()
    {
        FuzzSeeds.assertUpToDate(AdminFuzzTest.class, "adminApiAnswersEveryRequestInOneWellFormedLine", seeds());
    }
}
