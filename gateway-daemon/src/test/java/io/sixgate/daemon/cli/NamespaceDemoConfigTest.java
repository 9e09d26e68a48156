package io.sixgate.daemon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.nat64.stateful.EipTable;

import org.junit.jupiter.api.Test;

/**
 * {@code scripts/demo.sh} runs the bundled {@code namespace-demo.yaml} between the namespaces of
 * {@code scripts/e2e-topology.sh}, whose {@code config FILE nat64} the end-to-end test runs: the two
 * must not drift apart (one topology, one vocabulary). Needs no root: {@code config} only prints.
 */
class NamespaceDemoConfigTest
{
    private static final String RESOURCE = DemoCommand.RESOURCE_DIR + "namespace-demo.yaml";

    @Test
    void theDemoConfigurationIsTheTopologysNat64ConfigurationButForComments() throws Exception
    {
        final String bundled;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE))
        {
            assertNotNull(in, RESOURCE);
            bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        final Process script = new ProcessBuilder("bash", "../scripts/e2e-topology.sh", "config",
            "/tmp/sixgate-demo/counters.dat", "nat64").redirectErrorStream(true).start();
        final String printed = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(script.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, script.exitValue(), printed);

        assertEquals(withoutComments(printed), withoutComments(bundled),
            "namespace-demo.yaml differs from `scripts/e2e-topology.sh config /tmp/sixgate-demo/counters.dat nat64`");
    }

    @Test
    void theDemoConfigurationLoadsWithStatefulNat64AndTheEip() throws Exception
    {
        final GatewayConfig config;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE))
        {
            config = ConfigLoader.load(RESOURCE, in);
        }

        assertTrue(config.nat64().isStateful());
        assertEquals("vpc, internet", config.portNames());
        final EipTable eip = config.nat64().stateful().eip();
        assertEquals(1, eip.size());
        assertEquals(Ipv4Address.parse("192.0.2.5"), eip.toPrivate(Ipv4Address.parse("203.0.113.5")),
            "the IPv6 EIP 64:ff9b::cb00:7105 leads to the instance");
        assertTrue(Files.isRegularFile(Path.of("../scripts/demo.sh")), "the script that runs it");
    }

    private static List<String> withoutComments(final String yaml)
    {
        return yaml.lines().filter(line -> !line.isBlank() && !line.stripLeading().startsWith("#"))
            .collect(Collectors.toList());
    }
}
