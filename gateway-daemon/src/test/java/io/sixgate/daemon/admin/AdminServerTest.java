package io.sixgate.daemon.admin;

import static io.sixgate.daemon.control.TestGateway.CLIENT;
import static io.sixgate.daemon.control.TestGateway.clientToEip;
import static io.sixgate.daemon.control.TestGateway.instanceToPool4;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sixgate.daemon.control.TestGateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API over a real loopback HTTP connection to the whole daemon on socket pairs.
 */
class AdminServerTest
{
    private static final String TOKEN = "s3cret-T0ken";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private TestGateway gateway;
    private AdminServer server;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;

    @AfterEach
    void stop() throws Exception
    {
        if (server != null)
        {
            server.close();
        }
        if (gateway != null)
        {
            gateway.close();
        }
    }

    private void start(final String moreYaml) throws Exception
    {
        gateway = TestGateway.start(dir, moreYaml);
        server = AdminServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), gateway.control());
    }

    private void startWithToken() throws Exception
    {
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        start("admin: {token-file: %DIR%/token}\n");
        token = TOKEN;
    }

    private HttpResponse<String> send(final String method, final String path, final String body) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null)
        {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(final String path) throws Exception
    {
        return send("GET", path, null);
    }

    private static JsonNode json(final HttpResponse<String> response) throws Exception
    {
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
            response.headers().toString());
        return JSON.readTree(response.body());
    }

    private static void assertError(final int status, final String message, final HttpResponse<String> response)
        throws Exception
    {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals(message, json(response).get("error").asText());
        assertFalse(response.body().contains("\tat "), "no stack trace: " + response.body());
    }

    @Test
    void everyEndpointButHealthAsksForTheBearerToken() throws Exception
    {
        startWithToken();
        token = null;

        final HttpResponse<String> missing = get("/v1/counters");
        assertError(401, "this API needs a bearer token (Authorization: Bearer TOKEN, admin.token-file)", missing);
        assertEquals("Bearer realm=\"sixgate\"", missing.headers().firstValue("WWW-Authenticate").orElse(""));
        token = "s3cret-T0kem";
        assertError(401, "wrong bearer token", get("/metrics"));
        assertError(401, "wrong bearer token", send("POST", "/v1/reload", null));
        token = TOKEN.substring(0, 6);
        assertError(401, "wrong bearer token", get("/v1/eip"));

        token = null;
        assertEquals(200, get("/v1/health").statusCode(), "health needs no token");
        token = TOKEN;
        assertEquals(200, get("/v1/counters").statusCode());
        assertEquals(200, get("/v1/eip").statusCode());
    }

    @Test
    void withoutATokenFileNoTokenIsAsked() throws Exception
    {
        start("");

        final HttpResponse<String> health = get("/v1/health");

        assertEquals(200, health.statusCode());
        final JsonNode body = json(health);
        assertEquals("ok", body.get("status").asText());
        assertEquals("stateful", body.get("nat64").asText());
        assertEquals(gateway.configFile().toString(), body.get("config").asText());
        assertEquals(200, get("/v1/counters").statusCode());
    }

    @Test
    void refusesUnknownPathsWrongMethodsBadBodiesAndOversizedOnesInOneLine() throws Exception
    {
        startWithToken();

        assertError(404, "no such endpoint: /v1/routes (see docs/admin-api.md)", get("/v1/routes"));
        assertError(404, "no such endpoint: /v1/eip/ (see docs/admin-api.md)", get("/v1/eip/"));
        final HttpResponse<String> wrongMethod = send("DELETE", "/v1/counters", null);
        assertError(405, "method DELETE not allowed here (allowed: GET)", wrongMethod);
        assertEquals("GET", wrongMethod.headers().firstValue("Allow").orElse(""));
        assertError(405, "method PUT not allowed here (allowed: GET, POST, DELETE)",
            send("PUT", "/v1/nat64/static-bib", "{}"));
        assertError(405, "method GET not allowed here (allowed: POST)", get("/v1/reload"));
        final HttpResponse<String> head = send("HEAD", "/v1/counters", null);
        assertEquals(405, head.statusCode());
        assertEquals("", head.body(), "a HEAD answer has no body");

        assertError(400, "malformed JSON at line 1 column 14: Unrecognized token 'tcp': was expecting"
            + " (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
            send("POST", "/v1/nat64/static-bib", "{\"protocol\": tcp}"));
        assertError(400, "unknown key \"port\" (known keys: ipv4-address, ipv4-port, ipv6-address, ipv6-port,"
            + " protocol)", send("POST", "/v1/nat64/static-bib", "{\"port\": 80}"));
        assertError(400, "ipv6-port: expected an integer",
            send("POST", "/v1/nat64/static-bib", "{\"ipv6-port\": \"eighty\"}"));
        assertError(400, "protocol: required", send("POST", "/v1/nat64/static-bib", "{}"));
        assertError(400, "the request needs a JSON body", send("POST", "/v1/eip", null));
        assertError(400, "public: must be an IPv4 address, got 2001:db8::5",
            send("POST", "/v1/eip", "{\"public\": \"2001:db8::5\", \"private\": \"10.0.1.5\"}"));
        assertError(413, "the request body is larger than 65536 bytes",
            send("POST", "/v1/eip", "{\"public\": \"" + "x".repeat(70_000) + "\"}"));
        assertError(400, "unknown parameter \"prefix\" (known: address, limit)", get("/v1/sessions?prefix=x"));
        assertError(400, "address: invalid IPv4 address 'nowhere': unexpected character 'n' at index 0",
            get("/v1/sessions?address=nowhere"));
        assertError(400, "limit: must be 1..100000, got \"many\"", get("/v1/sessions?limit=many"));
        assertEquals(200, get("/v1/health").statusCode(), "the server still serves");
    }

    private static final String IPV6_GATEWAY = String.join("\n",
        "ipv6-gateway:",
        "  vpc: [\"2001:db8:0:1::/64\"]",
        "  internet-port: internet",
        "  addresses:",
        "    - {address: \"2001:db8:0:1::10\", bandwidth-mbps: 100, egress-only: true}",
        "");

    private void startWithIpv6Gateway() throws Exception
    {
        Files.writeString(dir.resolve("token"), TOKEN + "\n");
        start("admin: {token-file: %DIR%/token}\n" + IPV6_GATEWAY);
        token = TOKEN;
    }

    @Test
    void ipv6GatewayBandwidthAndEgressOnlyRulesOverHttp() throws Exception
    {
        startWithIpv6Gateway();

        final JsonNode policy = json(get("/v1/ipv6-gateway"));
        assertEquals("[\"2001:db8:0:1::/64\"]", policy.get("vpc").toString());
        assertEquals("internet", policy.get("internet-port").asText());
        assertEquals("{\"address\":\"2001:db8:0:1::10\",\"bandwidth-mbps\":100,\"burst-bytes\":1250000,"
            + "\"egress-only\":true,\"mode\":\"egress-only\",\"rate-limited-outbound\":0,\"rate-limited-inbound\":0,"
            + "\"egress-only-flows\":0}", policy.get("addresses").get(0).toString());

        final HttpResponse<String> allocated = send("POST", "/v1/ipv6-gateway/bandwidth",
            "{\"address\": \"2001:db8:0:1::20\", \"bandwidth-mbps\": 10}");
        assertEquals(201, allocated.statusCode(), allocated.body());
        assertEquals("internet", json(allocated).get("mode").asText());
        assertEquals(125_000, json(allocated).get("burst-bytes").asLong());

        final HttpResponse<String> prefix = send("POST", "/v1/ipv6-gateway/bandwidth",
            "{\"prefix\": \"2001:db8:0:1:8000::/65\", \"bandwidth-mbps\": 5, \"burst-bytes\": 30000}");
        assertEquals(201, prefix.statusCode(), prefix.body());
        assertEquals("2001:db8:0:1:8000::/65", json(prefix).get("prefix").asText());
        assertFalse(json(prefix).has("address"));

        final HttpResponse<String> vpcOnly = send("PUT", "/v1/ipv6-gateway/bandwidth",
            "{\"address\": \"2001:db8:0:1::20\", \"bandwidth-mbps\": 0}");
        assertEquals(200, vpcOnly.statusCode(), vpcOnly.body());
        assertEquals("vpc-only", json(vpcOnly).get("mode").asText());
        assertError(409, "2001:db8:0:1::20 has no Internet bandwidth; an egress-only rule applies to an address with"
            + " some: allocate it first", send("POST", "/v1/ipv6-gateway/egress-only", "{\"address\": \"2001:db8:0:1::20\"}"));

        assertEquals(200, send("PUT", "/v1/ipv6-gateway/bandwidth",
            "{\"address\": \"2001:db8:0:1::20\", \"bandwidth-mbps\": 20}").statusCode());
        final HttpResponse<String> egressOnly = send("POST", "/v1/ipv6-gateway/egress-only",
            "{\"address\": \"2001:db8:0:1::20\"}");
        assertEquals(201, egressOnly.statusCode(), egressOnly.body());
        assertEquals("egress-only", json(egressOnly).get("mode").asText());
        assertEquals(3, json(get("/v1/ipv6-gateway")).get("addresses").size());

        final HttpResponse<String> noEgressOnly = send("DELETE", "/v1/ipv6-gateway/egress-only?address=2001:db8:0:1::20",
            null);
        assertEquals(200, noEgressOnly.statusCode(), noEgressOnly.body());
        assertEquals("internet", json(noEgressOnly).get("mode").asText());
        final HttpResponse<String> deleted = send("DELETE", "/v1/ipv6-gateway/bandwidth?address=2001:db8:0:1::20", null);
        assertEquals(200, deleted.statusCode(), deleted.body());
        assertEquals(20, json(deleted).get("bandwidth-mbps").asInt());
        assertEquals(200, send("DELETE", "/v1/ipv6-gateway/bandwidth?prefix=2001:db8:0:1:8000::/65", null).statusCode());
        assertEquals(1, json(get("/v1/ipv6-gateway")).get("addresses").size());
    }

    @Test
    void ipv6GatewayRequestsWithBadInputAreRefusedInOneLine() throws Exception
    {
        startWithIpv6Gateway();
        final String bandwidth = "/v1/ipv6-gateway/bandwidth";

        assertError(400, "malformed JSON at line 1 column 13: Unrecognized token 'ten': was expecting"
            + " (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
            send("POST", bandwidth, "{\"address\": ten}"));
        assertError(400, "unknown key \"bandwidth\" (known keys: address, bandwidth-mbps, burst-bytes, prefix)",
            send("POST", bandwidth, "{\"address\": \"2001:db8:0:1::20\", \"bandwidth\": 10}"));
        assertError(400, "needs exactly one of address and prefix", send("POST", bandwidth, "{\"bandwidth-mbps\": 10}"));
        assertError(400, "needs exactly one of address and prefix", send("POST", bandwidth,
            "{\"address\": \"2001:db8:0:1::20\", \"prefix\": \"2001:db8:0:1::/64\", \"bandwidth-mbps\": 10}"));
        assertError(400, "address: must be an IPv6 address, got 192.0.2.7",
            send("POST", bandwidth, "{\"address\": \"192.0.2.7\", \"bandwidth-mbps\": 10}"));
        assertError(400, "prefix: has bits set beyond its length: 2001:db8:0:1::1/64 (did you mean 2001:db8:0:1::/64?)",
            send("POST", bandwidth, "{\"prefix\": \"2001:db8:0:1::1/64\", \"bandwidth-mbps\": 10}"));
        assertError(400, "bandwidth-mbps: required", send("POST", bandwidth, "{\"address\": \"2001:db8:0:1::20\"}"));
        assertError(400, "bandwidth-mbps: expected an integer",
            send("POST", bandwidth, "{\"address\": \"2001:db8:0:1::20\", \"bandwidth-mbps\": \"fast\"}"));
        assertError(400, "bandwidth-mbps: must be 1..5000, got 5001",
            send("POST", bandwidth, "{\"address\": \"2001:db8:0:1::20\", \"bandwidth-mbps\": 5001}"));
        assertError(400, "burst-bytes: must be 1..4294967296, got 0",
            send("POST", bandwidth, "{\"address\": \"2001:db8:0:1::20\", \"bandwidth-mbps\": 10, \"burst-bytes\": 0}"));
        assertError(422, "2001:db8:9::20 is not inside a vpc prefix (2001:db8:0:1::/64)",
            send("POST", bandwidth, "{\"address\": \"2001:db8:9::20\", \"bandwidth-mbps\": 10}"));
        assertError(404, "no Internet bandwidth allocated to 2001:db8:0:1::20",
            send("DELETE", bandwidth + "?address=2001:db8:0:1::20", null));
        assertError(404, "no egress-only rule for 2001:db8:0:1::20",
            send("DELETE", "/v1/ipv6-gateway/egress-only?address=2001:db8:0:1::20", null));
        assertError(400, "unknown parameter \"host\" (known: address, prefix)",
            send("DELETE", bandwidth + "?host=2001:db8:0:1::20", null));
        assertError(413, "the request body is larger than 65536 bytes",
            send("POST", bandwidth, "{\"address\": \"" + "2".repeat(70_000) + "\"}"));
        assertError(405, "method GET not allowed here (allowed: POST, PUT, DELETE)", get(bandwidth));
        assertError(405, "method PUT not allowed here (allowed: POST, DELETE)",
            send("PUT", "/v1/ipv6-gateway/egress-only", "{}"));
        assertError(405, "method POST not allowed here (allowed: GET)", send("POST", "/v1/ipv6-gateway", "{}"));
        assertError(404, "no such endpoint: /v1/ipv6-gateway/rules (see docs/admin-api.md)",
            get("/v1/ipv6-gateway/rules"));
        assertEquals(1, json(get("/v1/ipv6-gateway")).get("addresses").size(), "nothing changed");
    }

    @Test
    void withoutAnIpv6GatewaySectionItsEndpointsAnswerConflict() throws Exception
    {
        startWithToken();

        assertError(409, "the running configuration has no ipv6-gateway section; Internet bandwidth and egress-only"
            + " rules need one", get("/v1/ipv6-gateway"));
        assertError(409, "the running configuration has no ipv6-gateway section; Internet bandwidth and egress-only"
            + " rules need one", send("POST", "/v1/ipv6-gateway/egress-only", "{\"address\": \"2001:db8:0:1::20\"}"));
    }

    @Test
    void countersAndMetricsShowTheTraffic() throws Exception
    {
        startWithToken();
        gateway.fromInternet(clientToEip(CLIENT, 50000, 53));
        gateway.fromVpc(TestGateway.vpcHostTo("2001:db8:aaaa::1"), 200);

        final JsonNode counters = json(get("/v1/counters"));
        assertEquals(1, counters.get("counters").get("rx port=internet worker=0").asLong(), counters.toString());
        assertEquals(1, counters.get("counters").get("drop ipv6-forward/no-route worker=0").asLong());
        final JsonNode worker = counters.get("workers").get(0);
        assertEquals(0, worker.get("worker").asInt());
        assertEquals(1, worker.get("rx").get("internet").asLong());
        assertEquals(2, worker.get("tx").get("vpc").asLong(),
            "the translated UDP, and Destination Unreachable for the unroutable packet (RFC 4443 §3.1)");
        assertEquals(1, worker.get("drops").get("ipv6-forward/no-route").asLong());
        assertEquals(0, worker.get("port-drops").get("vpc").get("ingest/queue-full-new-flow").asLong());
        assertEquals(2, counters.get("totals").get("rx").asLong());
        assertEquals(1, counters.get("totals").get("drops").asLong());

        final HttpResponse<String> metrics = get("/metrics");
        assertEquals(200, metrics.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", metrics.headers().firstValue("Content-Type").get());
        final String text = metrics.body();
        assertTrue(text.contains("# TYPE sixgate_rx_frames_total counter\n"), text);
        assertTrue(text.contains("\nsixgate_rx_frames_total{port=\"internet\",worker=\"0\"} 1\n"), text);
        assertTrue(text.contains("\nsixgate_tx_frames_total{port=\"vpc\",worker=\"0\"} 2\n"), text);
        assertTrue(text.contains("\nsixgate_drops_total{reason=\"ipv6-forward/no-route\",worker=\"0\"} 1\n"), text);
        assertTrue(text.contains("\nsixgate_port_drops_total{port=\"vpc\",reason=\"ingest/queue-full-new-flow\",worker=\"0\"} 0\n"),
            text);
        assertTrue(text.contains("\nsixgate_generated_frames_total{worker=\"0\"} "), text);
        assertTrue(text.contains("\n# TYPE sixgate_start_time_seconds gauge\nsixgate_start_time_seconds "), text);
        for (final String line : text.split("\n"))
        {
            assertTrue(line.startsWith("#") || line.matches("sixgate_[a-z_]+(\\{[^}]*\\})? [0-9.]+"), line);
        }
    }

    @Test
    void staticBibAddedListedAndRemovedOverHttpIsWhatTheSessionTableHolds() throws Exception
    {
        startWithToken();
        final String entry = "{\"protocol\": \"udp\", \"ipv6-address\": \"2001:db8:ffff::80\", \"ipv6-port\": 5353,"
            + " \"ipv4-address\": \"198.51.100.10\", \"ipv4-port\": 53}";

        final HttpResponse<String> added = send("POST", "/v1/nat64/static-bib", entry);

        assertEquals(201, added.statusCode(), added.body());
        assertEquals(JSON.readTree("{\"protocol\": \"udp\", \"ipv6-address\": \"2001:db8:ffff::80\", \"ipv6-port\": 5353,"
            + " \"ipv4-address\": \"198.51.100.10\", \"ipv4-port\": 53, \"sessions\": 0}"), json(added));
        assertNotNull(gateway.fromVpc(instanceToPool4(5000, 53), 5000), "IPv4 hosts reach the server through it");
        final JsonNode list = json(get("/v1/nat64/static-bib"));
        assertEquals(1, list.get("static-bib").size());
        assertEquals(1, list.get("static-bib").get(0).get("sessions").asInt());
        final JsonNode session = json(get("/v1/sessions?address=2001:db8:ffff::80")).get("sessions").get(0);
        assertTrue(session.get("static-bib").asBoolean(), session.toString());
        assertEquals(5353, session.get("ipv6-source-port").asInt());
        assertError(409, "static BIB entry udp 2001:db8:ffff::80#5353 <-> 198.51.100.10#53 refused: one of its sides"
            + " is mapped already: static entry udp 2001:db8:ffff::80#5353 <-> 198.51.100.10#53 with 1 sessions",
            send("POST", "/v1/nat64/static-bib", entry));

        final HttpResponse<String> removed = send("DELETE",
            "/v1/nat64/static-bib?protocol=udp&ipv4-address=198.51.100.10&ipv4-port=53", null);

        assertEquals(200, removed.statusCode(), removed.body());
        assertEquals(0, json(get("/v1/nat64/static-bib")).get("static-bib").size());
        assertFalse(json(get("/v1/sessions")).get("sessions").get(0).get("static-bib").asBoolean());
        assertError(404, "no static BIB entry at udp 198.51.100.10#53 (a dynamic one is there)", send("DELETE",
            "/v1/nat64/static-bib?protocol=udp&ipv4-address=198.51.100.10&ipv4-port=53", null));
        assertError(400, "ipv4-port: required",
            send("DELETE", "/v1/nat64/static-bib?protocol=udp&ipv4-address=198.51.100.10", null));
    }

    @Test
    void eipBindingsAddedAndRemovedOverHttp() throws Exception
    {
        startWithToken();

        final HttpResponse<String> added = send("POST", "/v1/eip",
            "{\"public\": \"203.0.113.9\", \"private\": \"10.0.1.9\"}");

        assertEquals(201, added.statusCode(), added.body());
        assertEquals(JSON.readTree("{\"public\": \"203.0.113.9\", \"private\": \"10.0.1.9\","
            + " \"ipv6\": \"64:ff9b::cb00:7109\"}"), json(added));
        assertEquals(JSON.readTree("{\"eip\": [{\"public\": \"203.0.113.5\", \"private\": \"10.0.1.5\","
            + " \"ipv6\": \"64:ff9b::cb00:7105\"}, {\"public\": \"203.0.113.9\", \"private\": \"10.0.1.9\","
            + " \"ipv6\": \"64:ff9b::cb00:7109\"}]}"), json(get("/v1/eip")));
        assertError(409, "EIP 203.0.113.9 is bound already, to 10.0.1.9 (remove it first)",
            send("POST", "/v1/eip", "{\"public\": \"203.0.113.9\", \"private\": \"10.0.1.10\"}"));

        assertEquals(200, send("DELETE", "/v1/eip?public=203.0.113.9", null).statusCode());

        assertEquals(1, json(get("/v1/eip")).get("eip").size());
        assertError(404, "no EIP binding of 203.0.113.9", send("DELETE", "/v1/eip?public=203.0.113.9", null));
    }

    @Test
    void sessionsAreFilteredByAddressAndLimited() throws Exception
    {
        startWithToken();
        gateway.fromInternet(clientToEip(CLIENT, 50000, 53));
        gateway.fromInternet(clientToEip(TestGateway.OTHER_CLIENT, 50001, 53));

        final JsonNode mine = json(get("/v1/sessions?address=" + CLIENT));
        assertEquals(2, mine.get("total").asInt());
        assertFalse(mine.get("truncated").asBoolean());
        assertEquals(1, mine.get("sessions").size());
        final JsonNode session = mine.get("sessions").get(0);
        assertEquals("udp", session.get("protocol").asText());
        assertEquals(CLIENT, session.get("ipv6-source").asText());
        assertEquals("64:ff9b::cb00:7105", session.get("ipv6-destination").asText());
        assertEquals("10.0.1.5", session.get("ipv4-remote").asText());
        assertTrue(session.get("tcp-state").isNull());

        assertEquals(2, json(get("/v1/sessions?address=10.0.1.5")).get("sessions").size());
        final JsonNode limited = json(get("/v1/sessions?limit=1"));
        assertEquals(1, limited.get("sessions").size());
        assertTrue(limited.get("truncated").asBoolean());
    }

    @Test
    void reloadOverHttpAppliesAGoodFileAndRefusesABadOne() throws Exception
    {
        startWithToken();
        gateway.writeConfig(TestGateway.BASE + "admin: {token-file: %DIR%/token}\n"
            + "routes:\n  - {prefix: \"2001:db8:aaaa::/48\", via: \"2001:db8:ffff::10\", port: internet}\n");

        final HttpResponse<String> reloaded = send("POST", "/v1/reload", null);

        assertEquals(200, reloaded.statusCode(), reloaded.body());
        assertEquals(JSON.readTree("{\"config\": \"" + gateway.configFile() + "\", \"changes\": [\"routes: 0 -> 1\"]}"),
            json(reloaded));
        assertNotNull(gateway.fromVpc(TestGateway.vpcHostTo("2001:db8:aaaa::1"), 5000));

        gateway.writeConfig(TestGateway.BASE + "admin: {token-file: %DIR%/token}\nroutes: [{prefix: nowhere}]\n");
        final HttpResponse<String> refused = send("POST", "/v1/reload", null);
        assertEquals(422, refused.statusCode());
        assertTrue(json(refused).get("error").asText().startsWith("reload refused: " + gateway.configFile()
            + " line 22: routes[0].prefix: needs a prefix length"), refused.body());
        assertNotNull(gateway.fromVpc(TestGateway.vpcHostTo("2001:db8:aaaa::1"), 5000), "the good route stays");
    }

    @Test
    void aReloadReadsTheTokenFileAgain() throws Exception
    {
        startWithToken();
        Files.writeString(dir.resolve("token"), "n3w-token\n");

        assertEquals(200, send("POST", "/v1/reload", null).statusCode());

        assertEquals(401, get("/v1/counters").statusCode(), "the old token is no longer good");
        token = "n3w-token";
        assertEquals(200, get("/v1/counters").statusCode());
    }
}
