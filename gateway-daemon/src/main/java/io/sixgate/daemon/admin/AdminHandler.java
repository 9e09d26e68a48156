package io.sixgate.daemon.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.daemon.control.AddressFilter;
import io.sixgate.daemon.control.ControlException;
import io.sixgate.daemon.control.ControlPlane;
import io.sixgate.daemon.control.Health;
import io.sixgate.daemon.control.SessionListing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every request of the admin API: the token first (all but {@code GET /v1/health}), then
 * the path and the method, then the control plane. Every answer is JSON (or Prometheus text)
 * and every failure one line in {@code {"error": ...}}; a stack trace goes to the log only.
 */
final class AdminHandler implements HttpHandler
{
    static final String HEALTH = "/v1/health";
    static final String COUNTERS = "/v1/counters";
    static final String METRICS = "/metrics";
    static final String SESSIONS = "/v1/sessions";
    static final String STATIC_BIB = "/v1/nat64/static-bib";
    static final String EIP = "/v1/eip";
    static final String RELOAD = "/v1/reload";
    static final String IPV6_GATEWAY = "/v1/ipv6-gateway";
    static final String IPV6_BANDWIDTH = "/v1/ipv6-gateway/bandwidth";
    static final String IPV6_EGRESS_ONLY = "/v1/ipv6-gateway/egress-only";

    /** Sessions listed when the request gives no {@code limit}. */
    static final int DEFAULT_SESSION_LIMIT = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
    private static final String JSON = "application/json; charset=utf-8";
    private static final long MAX_DRAIN_BYTES = 1 << 20;
    private static final int WRITE_SLICE_BYTES = 16 * 1024;

    /**
     * An answer: status, content type, body.
     */
    private record Reply(int status, String contentType, byte[] body)
    {
        static Reply json(final int status, final Object value)
        {
            return new Reply(status, JSON, AdminJson.write(value));
        }
    }

    private final ControlPlane control;

    AdminHandler(final ControlPlane control)
    {
        this.control = control;
    }

    @Override
    public void handle(final HttpExchange exchange)
    {
        final String method = exchange.getRequestMethod();
        final String path = exchange.getRequestURI().getRawPath();
        Reply reply;
        String allow = null;
        try
        {
            reply = route(exchange, method, path);
        }
        catch (final HttpError ex)
        {
            reply = error(ex.status(), ex.getMessage());
            allow = ex.allow();
        }
        catch (final ControlException ex)
        {
            reply = error(ex.status(), ex.getMessage());
        }
        catch (final RuntimeException ex)
        {
            LOG.error("admin API: {} {} failed", method, path, ex);
            reply = error(500, "internal error: " + ex.getClass().getSimpleName() + " (see the daemon's log)");
        }
        LOG.debug("admin API: {} {} -> {}", method, path, reply.status());
        send(exchange, reply, allow);
    }

    private Reply route(final HttpExchange exchange, final String method, final String path)
        throws HttpError, ControlException
    {
        if (!HEALTH.equals(path) && !control.token().accepts(exchange.getRequestHeaders().getFirst("Authorization")))
        {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"sixgate\"");
            throw new HttpError(HttpError.UNAUTHORIZED, exchange.getRequestHeaders().containsKey("Authorization")
                ? "wrong bearer token" : "this API needs a bearer token (Authorization: Bearer TOKEN, admin.token-file)");
        }
        switch (path)
        {
            case HEALTH:
                allow(method, "GET");
                final Health health = control.health();
                return Reply.json(health.ok() ? 200 : ControlException.UNAVAILABLE, health);

            case COUNTERS:
                allow(method, "GET");
                return Reply.json(200, CountersJson.format(AdminJson.MAPPER, control.counters()));

            case METRICS:
                allow(method, "GET");
                return new Reply(200, PrometheusText.CONTENT_TYPE,
                    PrometheusText.format(control.counters(), control.startTimeMs()).getBytes(StandardCharsets.UTF_8));

            case SESSIONS:
                allow(method, "GET");
                return sessions(exchange);

            case STATIC_BIB:
                return staticBib(exchange, method);

            case EIP:
                return eip(exchange, method);

            case RELOAD:
                allow(method, "POST");
                return Reply.json(200, control.reload("admin API"));

            case IPV6_GATEWAY:
                allow(method, "GET");
                AdminRequests.query(exchange.getRequestURI().getRawQuery(), Set.of());
                return Reply.json(200, control.ipv6Gateway());

            case IPV6_BANDWIDTH:
                return ipv6Bandwidth(exchange, method);

            case IPV6_EGRESS_ONLY:
                return ipv6EgressOnly(exchange, method);

            default:
                throw new HttpError(HttpError.NOT_FOUND, "no such endpoint: " + path + " (see docs/admin-api.md)");
        }
    }

    private Reply sessions(final HttpExchange exchange) throws HttpError, ControlException
    {
        final Map<String, String> query = AdminRequests.query(exchange.getRequestURI().getRawQuery(),
            Set.of("address", "limit"));
        AddressFilter filter = AddressFilter.ANY;
        if (query.containsKey("address"))
        {
            try
            {
                filter = AddressFilter.parse(query.get("address"));
            }
            catch (final IllegalArgumentException ex)
            {
                throw new HttpError(HttpError.BAD_REQUEST, "address: " + ex.getMessage());
            }
        }
        int limit = DEFAULT_SESSION_LIMIT;
        if (query.containsKey("limit"))
        {
            try
            {
                limit = Integer.parseInt(query.get("limit").trim());
            }
            catch (final NumberFormatException ex)
            {
                throw new HttpError(HttpError.BAD_REQUEST, "limit: must be 1.." + ControlPlane.MAX_SESSION_LIMIT
                    + ", got \"" + query.get("limit") + "\"");
            }
        }
        final SessionListing listing = control.sessions(filter, limit);
        return Reply.json(200, listing);
    }

    private Reply staticBib(final HttpExchange exchange, final String method) throws HttpError, ControlException
    {
        switch (method)
        {
            case "GET":
                AdminRequests.query(exchange.getRequestURI().getRawQuery(), Set.of());
                final ObjectNode list = AdminJson.MAPPER.createObjectNode();
                list.set("static-bib", AdminJson.MAPPER.valueToTree(control.staticBib()));
                return Reply.json(200, list);
            case "POST":
                final AdminRequests.StaticBibBody body = AdminJson.read(exchange.getRequestBody(),
                    contentLength(exchange), AdminRequests.StaticBibBody.class);
                return Reply.json(201, control.addStaticBib(AdminRequests.staticBib(body)));
            case "DELETE":
                final Map<String, String> query = AdminRequests.query(exchange.getRequestURI().getRawQuery(),
                    Set.of("protocol", "ipv4-address", "ipv4-port"));
                final int protocol = AdminRequests.protocol(AdminRequests.required(query.get("protocol"), "protocol"));
                final int address = AdminRequests.address(AdminRequests.required(query.get("ipv4-address"),
                    "ipv4-address"), "ipv4-address", false).ipv4();
                final int port = AdminRequests.port(AdminRequests.required(query.get("ipv4-port"), "ipv4-port"),
                    "ipv4-port");
                return Reply.json(200, control.removeStaticBib(protocol, address, port));
            default:
                throw notAllowed(method, "GET, POST, DELETE");
        }
    }

    private Reply eip(final HttpExchange exchange, final String method) throws HttpError, ControlException
    {
        switch (method)
        {
            case "GET":
                AdminRequests.query(exchange.getRequestURI().getRawQuery(), Set.of());
                final ObjectNode list = AdminJson.MAPPER.createObjectNode();
                list.set("eip", AdminJson.MAPPER.valueToTree(control.eip()));
                return Reply.json(200, list);
            case "POST":
                final AdminRequests.EipBody body = AdminJson.read(exchange.getRequestBody(), contentLength(exchange),
                    AdminRequests.EipBody.class);
                final int publicAddress = AdminRequests.address(AdminRequests.required(body.publicAddress(), "public"),
                    "public", false).ipv4();
                final int privateAddress = AdminRequests.address(AdminRequests.required(body.privateAddress(),
                    "private"), "private", false).ipv4();
                return Reply.json(201, control.addEip(publicAddress, privateAddress));
            case "DELETE":
                final Map<String, String> query = AdminRequests.query(exchange.getRequestURI().getRawQuery(),
                    Set.of("public"));
                return Reply.json(200, control.removeEip(AdminRequests.address(
                    AdminRequests.required(query.get("public"), "public"), "public", false).ipv4()));
            default:
                throw notAllowed(method, "GET, POST, DELETE");
        }
    }

    /**
     * Allocate (POST), Modify (PUT), Delete (DELETE) Ipv6InternetBandwidth.
     */
    private Reply ipv6Bandwidth(final HttpExchange exchange, final String method) throws HttpError, ControlException
    {
        switch (method)
        {
            case "POST":
            case "PUT":
                final AdminRequests.Ipv6BandwidthBody body = AdminJson.read(exchange.getRequestBody(),
                    contentLength(exchange), AdminRequests.Ipv6BandwidthBody.class);
                final Ipv6Prefix target = AdminRequests.ipv6Target(body.address(), body.prefix());
                final int bandwidth = AdminRequests.bandwidthMbps(body.bandwidthMbps());
                final long burst = AdminRequests.burstBytes(body.burstBytes());
                return "POST".equals(method)
                    ? Reply.json(201, control.allocateIpv6Bandwidth(target, bandwidth, burst))
                    : Reply.json(200, control.modifyIpv6Bandwidth(target, bandwidth, burst));
            case "DELETE":
                return Reply.json(200, control.deleteIpv6Bandwidth(ipv6TargetOf(exchange)));
            default:
                throw notAllowed(method, "POST, PUT, DELETE");
        }
    }

    /**
     * Create (POST), Delete (DELETE) Ipv6EgressOnlyRule.
     */
    private Reply ipv6EgressOnly(final HttpExchange exchange, final String method) throws HttpError, ControlException
    {
        switch (method)
        {
            case "POST":
                final AdminRequests.Ipv6TargetBody body = AdminJson.read(exchange.getRequestBody(),
                    contentLength(exchange), AdminRequests.Ipv6TargetBody.class);
                return Reply.json(201, control.createIpv6EgressOnly(AdminRequests.ipv6Target(body.address(),
                    body.prefix())));
            case "DELETE":
                return Reply.json(200, control.deleteIpv6EgressOnly(ipv6TargetOf(exchange)));
            default:
                throw notAllowed(method, "POST, DELETE");
        }
    }

    /**
     * @return the {@code address} or {@code prefix} query parameter of a DELETE.
     */
    private static Ipv6Prefix ipv6TargetOf(final HttpExchange exchange) throws HttpError
    {
        final Map<String, String> query = AdminRequests.query(exchange.getRequestURI().getRawQuery(),
            Set.of("address", "prefix"));
        return AdminRequests.ipv6Target(query.get("address"), query.get("prefix"));
    }

    private static void allow(final String method, final String allowed) throws HttpError
    {
        if (!allowed.equals(method))
        {
            throw notAllowed(method, allowed);
        }
    }

    private static HttpError notAllowed(final String method, final String allowed)
    {
        return new HttpError(HttpError.METHOD_NOT_ALLOWED, "method " + method + " not allowed here (allowed: "
            + allowed + ")", allowed);
    }

    private static long contentLength(final HttpExchange exchange) throws HttpError
    {
        final String header = exchange.getRequestHeaders().getFirst("Content-Length");
        if (header == null)
        {
            return -1;
        }
        try
        {
            return Long.parseLong(header.trim());
        }
        catch (final NumberFormatException ex)
        {
            throw new HttpError(HttpError.BAD_REQUEST, "Content-Length is not a number");
        }
    }

    /**
     * Reads what is left of the request body (a refused one, up to {@link #MAX_DRAIN_BYTES}):
     * closing a socket with unread data resets it, and the client would lose the answer.
     */
    private static void drain(final HttpExchange exchange) throws IOException
    {
        final String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        if (declared != null && declaredLength(declared) > MAX_DRAIN_BYTES)
        {
            // More than there is any point reading (or not a length): waiting for a body that may
            // never come would hold the API's one thread. Answer, and close the connection.
            exchange.getResponseHeaders().set("Connection", "close");
            return;
        }
        final InputStream body = exchange.getRequestBody();
        final byte[] scratch = new byte[8192];
        long left = MAX_DRAIN_BYTES;
        int read;
        while (left > 0 && (read = body.read(scratch, 0, (int)Math.min(scratch.length, left))) > 0)
        {
            left -= read;
        }
        if (left <= 0)
        {
            exchange.getResponseHeaders().set("Connection", "close");
        }
    }

    private static long declaredLength(final String header)
    {
        try
        {
            return Long.parseLong(header.strip());
        }
        catch (final NumberFormatException ex)
        {
            return Long.MAX_VALUE;
        }
    }

    private static Reply error(final int status, final String message)
    {
        final ObjectNode body = AdminJson.MAPPER.createObjectNode();
        body.put("error", message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " "));
        body.put("status", status);
        return Reply.json(status, body);
    }

    private static void send(final HttpExchange exchange, final Reply reply, final String allow)
    {
        try (exchange)
        {
            drain(exchange);
            exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (allow != null)
            {
                exchange.getResponseHeaders().set("Allow", allow);
            }
            if ("HEAD".equals(exchange.getRequestMethod()))
            {
                // A HEAD answer has headers only.
                exchange.sendResponseHeaders(reply.status(), -1);
                return;
            }
            exchange.sendResponseHeaders(reply.status(), reply.body().length);
            try (OutputStream out = exchange.getResponseBody())
            {
                // In slices: the JDK writes a heap array to a socket through a temporary direct
                // buffer as large as the write, and keeps it for the thread; a listing of 100 000
                // sessions in one write would pin tens of MiB off heap for good (seen in the soak).
                final byte[] body = reply.body();
                for (int offset = 0; offset < body.length; offset += WRITE_SLICE_BYTES)
                {
                    out.write(body, offset, Math.min(WRITE_SLICE_BYTES, body.length - offset));
                }
            }
        }
        catch (final IOException ex)
        {
            LOG.debug("admin API: the client went away before the answer: {}", ex.getMessage());
        }
    }
}
