package io.sixgate.daemon.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.fuzz.FuzzSeeds;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.daemon.control.TestGateway;
import io.sixgate.daemon.pipeline.GatewayPipelineFactory;

import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the configuration loader and validators with YAML text (issue 8):
 * whatever the bytes, {@link ConfigLoader#load(String, InputStream)} either refuses them with a
 * {@link ConfigException} whose one-line message names the file (and, where there is one, the
 * key and the line), or accepts them, and then the daemon can build its pipeline from the result
 * (a configuration the validators let through must not make the pipeline factory throw).
 */
class ConfigFuzzTest
{
    private static final String NAME = "fuzz.yaml";
    /** Accepted configurations larger than this are not built (the fuzzer would exhaust memory). */
    private static final long MAX_BUILD_BYTES = 64L << 20;

    @FuzzTest(maxDuration = "60s")
    @DictionaryEntries({"ports:", "name:", "type: tap", "type: pcap", "mac:", "mtu:", "addresses:", "routes:",
        "prefix:", "via:", "port:", "neighbours:", "address:", "nat64:", "mode: stateful", "mode: siit",
        "pool4:", "ports: 1-65535", "static-bib:", "eamt:", "timeouts:", "max-sessions:", "eip:", "public:",
        "private:", "ipv6-gateway:", "vpc:", "internet-port:", "bandwidth-mbps:", "egress-only:", "workers:",
        "admin:", "listen:", "token-file:", "frame-pool:", "frames:", "slot-size:", "counters-file:",
        "\"2001:db8::1/64\"", "64:ff9b::/96", "192.0.2.1/24", "0.0.0.0/0", "\"::/0\"", "- {", "}", "[", "]"})
    void configIsRefusedWithItsPlaceOrBuilds(final byte[] input)
    {
        final GatewayConfig config;
        try
        {
            config = ConfigLoader.load(NAME, new ByteArrayInputStream(input));
        }
        catch (final ConfigException ex)
        {
            final String message = ex.getMessage();
            assertNotNull(message);
            assertTrue(message.startsWith(NAME + " line ") || message.startsWith(NAME + ": "), message);
            assertFalse(message.contains("\n"), "one line: " + message);
            final String text = new String(input, StandardCharsets.UTF_8);
            for (final String javaName : new String[]{"io.sixgate", "com.fasterxml", "java.lang", "Exception"})
            {
                // A key or value the user wrote is quoted back, whatever it says.
                assertFalse(message.contains(javaName) && !text.contains(javaName), "no Java names: " + message);
            }
            return;
        }
        build(config);
    }

    /** What the daemon does with an accepted configuration at start: build worker 0's pipeline. */
    private static void build(final GatewayConfig config)
    {
        final long frameBytes = (long)config.framePool().frames() * config.framePool().slotSize();
        final long sessions = config.nat64() != null && config.nat64().isStateful()
            ? config.nat64().stateful().maxSessions() : 0;
        final long flows = config.ipv6Gateway() != null ? config.ipv6Gateway().maxFlows() : 0;
        if (frameBytes + 200 * sessions + 200 * flows > MAX_BUILD_BYTES)
        {
            return;
        }
        final Port[] ports = new Port[config.ports().size()];
        for (int id = 0; id < ports.length; id++)
        {
            final PortConfig port = config.ports().get(id);
            ports[id] = new Port(id, port.name(), LinkType.ETHERNET, port.mac().value(), port.mtu());
        }
        final FramePool pool = new FramePool(config.framePool().frames(), config.framePool().slotSize(),
            FramePool.DEFAULT_HEADROOM);
        final Pipeline pipeline = new GatewayPipelineFactory().create(config, ports, pool, (port, frame) -> pool.release(frame),
            InMemoryCounters.create(4096));
        assertTrue(pipeline.portCount() == ports.length);
    }

    /**
     * The seed files: the example configurations, the built-in one, the tests' own. (The broken
     * ones of {@link BrokenConfigTest} run through the target in a test of their own, so that a
     * new row there needs no new file here.)
     */
    static Map<String, byte[]> seeds() throws IOException
    {
        final Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("example-vpc-router", Files.readAllBytes(Path.of("../src/examples/vpc-router.yaml")));
        try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(ConfigLoader.DEFAULT_RESOURCE))
        {
            seeds.put("default-config", in.readAllBytes());
        }
        seeds.put("test-gateway", TestGateway.BASE.replace("%DIR%", "/tmp").getBytes(StandardCharsets.UTF_8));
        seeds.put("ipv6-gateway", (TestGateway.BASE.replace("%DIR%", "/tmp") + String.join("\n",
            "ipv6-gateway:",
            "  vpc: [\"2001:db8:0:1::/64\"]",
            "  internet-port: internet",
            "  addresses:",
            "    - {address: \"2001:db8:0:1::10\", bandwidth-mbps: 10, egress-only: true}",
            "")).getBytes(StandardCharsets.UTF_8));
        return seeds;
    }

    @Test
    void holdsOverEveryBrokenConfigurationOfTheTable()
    {
        BrokenConfigTest.brokenConfigs().forEach(arguments ->
            configIsRefusedWithItsPlaceOrBuilds(((String)arguments.get()[1]).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void seedFilesAreTheConfigurationsOfTheCode() throws IOException
    {
        FuzzSeeds.assertUpToDate(ConfigFuzzTest.class, "configIsRefusedWithItsPlaceOrBuilds", seeds());
    }
}
