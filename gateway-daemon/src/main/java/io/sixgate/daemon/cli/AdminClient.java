package io.sixgate.daemon.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sixgate.daemon.BadInputException;

/**
 * {@code sixgate ctl}'s side of the admin API: one request, its JSON answer, and every failure
 * turned into the CLI's one line: the daemon's own refusal (exit 1, or 2 for a request it found
 * malformed), or the API out of reach (exit 1).
 */
final class AdminClient
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /**
     * @param baseUrl {@code http://127.0.0.1:8464}.
     * @param token   the bearer token, or {@code null}.
     */
    AdminClient(final String baseUrl, final String token)
    {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    String baseUrl()
    {
        return baseUrl;
    }

    /**
     * @param pathAndQuery {@code /v1/sessions?limit=10}, already encoded.
     * @param body         a JSON body, or {@code null}.
     * @return the answer's body, parsed (the text as a JSON string for /metrics).
     * @throws BadInputException     the daemon found the request malformed (400).
     * @throws IllegalStateException the daemon refused it, or could not be reached.
     */
    JsonNode send(final String method, final String pathAndQuery, final String body)
        throws BadInputException, InterruptedException
    {
        final HttpRequest.Builder request;
        try
        {
            request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        catch (final IllegalArgumentException ex)
        {
            throw new BadInputException("--admin " + baseUrl + ": not an http URL (" + ex.getMessage() + ")");
        }
        if (body != null)
        {
            request.header("Content-Type", "application/json");
        }
        if (token != null)
        {
            request.header("Authorization", "Bearer " + token);
        }
        final HttpResponse<String> response;
        try
        {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot reach the admin API at " + baseUrl + ": " + reason(ex)
                + " (is sixgate run going?)", ex);
        }
        final JsonNode answer = parse(response);
        if (response.statusCode() >= 400)
        {
            final String message = answer.hasNonNull("error") ? answer.get("error").asText()
                : "HTTP " + response.statusCode();
            if (response.statusCode() == 400)
            {
                throw new BadInputException(message);
            }
            if (response.statusCode() == 401)
            {
                throw new IllegalStateException(message + " (give --token-file, or admin.token-file in --config)");
            }
            throw new IllegalStateException(message);
        }
        return answer;
    }

    private JsonNode parse(final HttpResponse<String> response)
    {
        final String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (!contentType.startsWith("application/json"))
        {
            return JSON.getNodeFactory().textNode(response.body());
        }
        try
        {
            return JSON.readTree(response.body());
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("the admin API at " + baseUrl + " answered HTTP " + response.statusCode()
                + " with JSON it cannot read: " + ex.getMessage(), ex);
        }
    }

    private static String reason(final IOException ex)
    {
        if (ex instanceof HttpConnectTimeoutException)
        {
            return "connection timed out";
        }
        if (ex instanceof HttpTimeoutException)
        {
            return "no answer within 30 s";
        }
        for (Throwable cause = ex; cause != null; cause = cause.getCause())
        {
            if (cause instanceof ConnectException)
            {
                return cause.getMessage() == null || cause.getMessage().isBlank()
                    ? "Connection refused" : cause.getMessage();
            }
        }
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    }
}
