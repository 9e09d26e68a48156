package io.sixgate.daemon.config;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * Keeps docs/config.md true to the code: every key the loader binds has a row, and the
 * built-in configuration shown there is the one in the program.
 */
class ConfigDocsTest
{
    private static final Path DOC = Path.of("..", "docs", "config.md");

    @Test
    void documentsEveryKey() throws Exception
    {
        final String doc = Files.readString(DOC);
        for (final Class<?> type : new Class<?>[]{RawConfig.Gateway.class, RawConfig.FramePool.class,
            RawConfig.Port.class, RawConfig.Route.class, RawConfig.Neighbour.class, RawConfig.Nat64.class,
            RawConfig.Eam.class, RawConfig.Pool4.class, RawConfig.StaticBib.class, RawConfig.Timeouts.class,
            RawConfig.Eip.class, RawConfig.Admin.class, RawConfig.Ipv6Gateway.class,
            RawConfig.Ipv6GatewayAddress.class, RawConfig.Ipv6GatewayTimeouts.class, RawConfig.NetworkAcl.class,
            RawConfig.AclRule.class, RawConfig.SecurityGroup.class, RawConfig.GroupRule.class,
            RawConfig.ConnectionTracking.class})
        {
            for (final RecordComponent component : type.getRecordComponents())
            {
                final com.fasterxml.jackson.annotation.JsonProperty named =
                    component.getAccessor().getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
                final String key = named != null ? named.value()
                    : component.getName().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
                assertTrue(doc.contains("| `" + key + "` |"), "docs/config.md has no row for " + key);
            }
        }
    }

    @Test
    void showsTheBuiltInConfigurationVerbatim() throws Exception
    {
        final String doc = Files.readString(DOC);
        try (InputStream input = ConfigLoader.class.getClassLoader().getResourceAsStream(ConfigLoader.DEFAULT_RESOURCE))
        {
            assertNotNull(input);
            final String builtIn = new String(input.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(doc.contains("```yaml\n" + builtIn + "```"), "docs/config.md shows another default config");
        }
    }
}
