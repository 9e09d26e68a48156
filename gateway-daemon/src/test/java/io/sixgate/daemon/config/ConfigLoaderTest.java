package io.sixgate.daemon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest
{
    static GatewayConfig load(final String yaml) throws ConfigException
    {
        return ConfigLoader.load("config.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void refusesBytesThatAreNotUtf8SayingWhere()
    {
        // Found by ConfigFuzzTest: the message was "cannot parse: java.io.CharConversionException: ...".
        final byte[] text = "ports:\n  - {name: w\u00e9n, type: tap}\n".getBytes(StandardCharsets.ISO_8859_1);
        final ConfigException refused = assertThrows(ConfigException.class,
            () -> ConfigLoader.load("latin1.yaml", new ByteArrayInputStream(text)));
        assertEquals("latin1.yaml line 2: not UTF-8 text: byte 0xe9 cannot start or continue a character here"
            + " (save the file as UTF-8)", refused.getMessage());
    }

    @Test
    void aKeyWithALineBreakIsShownEscapedInOneLine()
    {
        // Found by ConfigFuzzTest: the key path of the message held the user's line break.
        final ConfigException refused = assertThrows(ConfigException.class, () -> ConfigLoader.load("broken.yaml",
            new ByteArrayInputStream("ports: [{name: wan, type: tap}]\n\"mt\\nu\": 5\n".getBytes(StandardCharsets.UTF_8))));
        assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
        assertTrue(refused.getMessage().startsWith("broken.yaml line 2: mt\\nu: unknown key"), refused.getMessage());
    }

    @Test
    void loadsTheBuiltInDefaultConfig() throws ConfigException
    {
        final GatewayConfig config = ConfigLoader.loadDefault();

        assertEquals(1, config.workers());
        assertEquals(Path.of("/dev/shm/sixgate/counters.dat"), config.countersFile());
        assertEquals(new FramePoolConfig(8192, 2048), config.framePool());
        assertEquals(2, config.ports().size());

        final PortConfig v6 = config.ports().get(0);
        assertEquals("v6", v6.name());
        assertEquals(PortType.TAP, v6.type());
        assertEquals("sixgate-v6", v6.device());
        assertEquals("02:00:00:00:00:01", v6.mac().toString());
        assertEquals(1500, v6.mtu());
        assertEquals(List.of(IpCidr.parse("2001:db8::1/64")), v6.addresses());
        assertEquals(List.of(IpCidr.parse("192.0.2.1/24")), config.ports().get(1).addresses());

        assertEquals(new RouteConfig(IpCidr.parse("2001:db8:1::/64"), IpAddress.parse("2001:db8::5"), "v6"),
            config.routes().get(0));
        assertEquals(new RouteConfig(IpCidr.parse("198.51.100.0/24"), IpAddress.parse("192.0.2.5"), "v4"),
            config.routes().get(1));
        assertEquals(new NeighbourConfig(IpAddress.parse("2001:db8::5"), MacAddress.parse("02:00:00:00:00:05"), "v6"),
            config.neighbours().get(0));
        assertEquals(1, config.portId("v4"));
        assertEquals(-1, config.portId("v5"));
    }

    @Test
    void ipv6GatewayTimeoutsDefaultToRfc6092sAndTakeDurations() throws ConfigException
    {
        final String section = """
            ports: [{name: wan, type: tap}]
            ipv6-gateway:
              vpc: ["2001:db8:100::/48"]
              internet-port: wan
            """;

        assertEquals(io.sixgate.egress.EgressOnlyTimeouts.DEFAULTS, load(section).ipv6Gateway().timeouts());
        final io.sixgate.egress.EgressOnlyTimeouts given = load(section
            + "  timeouts: {tcp-established: 3h, tcp-transitory: 300, udp: 2m, icmp: 10s, other: 10m}\n")
            .ipv6Gateway().timeouts();
        assertEquals(new io.sixgate.egress.EgressOnlyTimeouts(3 * 3_600_000_000_000L, 300_000_000_000L,
            120_000_000_000L, 10_000_000_000L, 600_000_000_000L), given);
    }

    @Test
    void fillsInDefaultsForOptionalKeys() throws ConfigException
    {
        final GatewayConfig config = load("""
            ports:
              - name: lan
                type: pcap
            routes:
              - {prefix: 198.51.100.0/24, port: lan}
            """);

        assertEquals(GatewayConfig.DEFAULT_WORKERS, config.workers());
        assertEquals(GatewayConfig.DEFAULT_COUNTERS_FILE, config.countersFile());
        assertEquals(FramePoolConfig.DEFAULT, config.framePool());
        final PortConfig lan = config.ports().get(0);
        assertEquals(PortType.PCAP, lan.type());
        assertEquals("lan", lan.device(), "device defaults to the port name");
        assertEquals(MacAddress.derivedFrom("lan"), lan.mac());
        assertEquals(PortConfig.DEFAULT_MTU, lan.mtu());
        assertTrue(lan.addresses().isEmpty());
        assertTrue(config.routes().get(0).isConnected(), "a route without via is connected");
        assertNull(config.routes().get(0).via());
        assertTrue(config.neighbours().isEmpty());
        assertEquals(AdminConfig.DEFAULT, config.admin());
        assertEquals("http://127.0.0.1:8464", config.admin().url(), "the admin API on loopback by default");
    }

    @Test
    void maxSourcesDefaultsToMaxSessionsAndIsKeptWhenGiven() throws ConfigException
    {
        final String section = """
            ports:
              - {name: v6, type: tap, addresses: ["2001:db8::1/64"]}
              - {name: v4, type: tap, addresses: [10.0.1.1/24]}
            nat64:
              mode: stateful
              prefix: "64:ff9b::/96"
              pool4: [{address: 198.51.100.10}]
              max-sessions: 10000
              max-sessions-per-source: 64
            """;
        assertEquals(10000, load(section).nat64().stateful().maxSources());
        assertEquals(1000, load(section + "  max-sources: 1000\n").nat64().stateful().maxSources());
    }

    @Test
    void readsTheAdminSection() throws ConfigException
    {
        final AdminConfig ipv6 = load("""
            ports: [{name: lan, type: tap}]
            admin:
              listen: "[::1]:9000"
              token-file: /etc/sixgate/admin-token
            """).admin();
        assertEquals("[::1]:9000", ipv6.listenText());
        assertEquals("http://[::1]:9000", ipv6.url());
        assertEquals(Path.of("/etc/sixgate/admin-token"), ipv6.tokenFile());

        final AdminConfig off = load("ports: [{name: lan, type: tap}]\nadmin: {listen: off}\n").admin();
        assertFalse(off.enabled());
        assertNull(off.url());

        final AdminConfig network = load("""
            ports: [{name: lan, type: tap}]
            admin: {listen: 0.0.0.0:8464, token-file: token}
            """).admin();
        assertEquals("0.0.0.0:8464", network.listenText(), "any address, with a token");
    }

    @Test
    void framePoolKeysAreOptionalEachOnTheirOwn() throws ConfigException
    {
        final GatewayConfig config = load("""
            frame-pool: {slot-size: 4096}
            ports: [{name: a, type: tap, offload: false}]
            """);

        assertEquals(new FramePoolConfig(FramePoolConfig.DEFAULT_FRAMES, 4096), config.framePool());
    }

    @Test
    void acceptsQuotedAndBlockStyleIpv6Literals() throws ConfigException
    {
        final GatewayConfig config = load("""
            ports:
              - name: v6
                type: tap
                addresses: ["2001:db8::1/64", 2001:db8:0:1::1/64]
            routes:
              - prefix: ::/0
                via: 2001:db8::ffff
                port: v6
              - {prefix: "64:ff9b::/96", via: "2001:db8:0:1::9", port: v6}
            """);

        assertEquals(IpCidr.parse("::/0"), config.routes().get(0).prefix());
        assertEquals(IpAddress.parse("2001:db8:0:1::9"), config.routes().get(1).via());
    }

    @Test
    void namesTheFileAsGivenInErrors(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("gw.yaml");
        Files.writeString(file, "workers: 0\nports: [{name: a, type: tap}]\n");

        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));

        assertEquals(file + " line 1: workers: must be 1..64, got 0", ex.getMessage());
        assertEquals(1, ex.line());
        assertEquals("workers", ex.path());
        assertEquals("must be 1..64, got 0", ex.problem());
    }

    @Test
    void refusesAMissingFile(@TempDir final Path dir)
    {
        final Path file = dir.resolve("missing.yaml");

        final ConfigException ex = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));

        assertEquals(file + ": no such file", ex.getMessage());
    }

    @Test
    void loadsTheSameConfigFromAFile(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("gw.yaml");
        Files.writeString(file, "ports: [{name: a, type: tap, mtu: 9000}]\n");

        assertEquals(9000, ConfigLoader.load(file).ports().get(0).mtu());
        assertFalse(ConfigLoader.load(file).ports().get(0).mac().isMulticast());
    }
}
