package io.sixgate.daemon.cli;

import java.util.concurrent.Callable;

import io.sixgate.daemon.config.ConfigException;
import io.sixgate.daemon.config.GatewayConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code sixgate check}: loads a configuration the way the gateway would and says whether it
 * is usable, so a bad file is caught before anything starts.
 */
@Command(
    name = "check",
    description = "Check a configuration file: print 'config OK: N ports, M routes', "
        + "or the key and line of the first problem and exit with status 2.")
final class CheckCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Override
    public Integer call() throws ConfigException
    {
        final GatewayConfig loaded = config.load();
        spec.commandLine().getOut().println("config OK: " + count(loaded.ports().size(), "port") + ", "
            + count(loaded.routes().size(), "route"));
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static String count(final int n, final String noun)
    {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
