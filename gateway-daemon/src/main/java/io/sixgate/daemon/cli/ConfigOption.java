package io.sixgate.daemon.cli;

import java.nio.file.Path;

import io.sixgate.daemon.config.ConfigException;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;

import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} option shared by the commands that read a configuration.
 */
final class ConfigOption
{
    @Option(
        names = "--config",
        paramLabel = "FILE",
        description = "Gateway configuration, YAML (see docs/config.md). "
            + "Default: the built-in example configuration (two ports, v6 and v4).")
    private Path file;

    GatewayConfig load() throws ConfigException
    {
        return file == null ? ConfigLoader.loadDefault() : ConfigLoader.load(file);
    }

    /**
     * @return the configuration's name in messages.
     */
    String name()
    {
        return file == null ? ConfigLoader.DEFAULT_NAME : file.toString();
    }
}
