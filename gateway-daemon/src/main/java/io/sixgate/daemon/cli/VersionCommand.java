package io.sixgate.daemon.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code sixgate version}: the same lines as {@code --version}, as a command for scripts.
 */
@Command(name = "version", description = "Print the versions of sixgate, Java and libpcap.")
final class VersionCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call()
    {
        for (final String line : new VersionInfo().getVersion())
        {
            spec.commandLine().getOut().println(line);
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
