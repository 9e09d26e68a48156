package io.sixgate.daemon.cli;

import java.util.concurrent.Callable;
import java.util.function.Supplier;

import io.sixgate.daemon.pipeline.PipelineFactory;
import io.sixgate.daemon.pipeline.PipelineFactoryLoader;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code sixgate} program: the main class of the shaded jar. Every subcommand exits 0 on
 * success, 1 on a runtime failure and 2 on bad usage or bad input, with one line on stderr.
 */
@Command(
    name = "sixgate",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = VersionInfo.class,
    subcommands = {CheckCommand.class, CtlCommand.class, DemoCommand.class, ReplayCommand.class, RunCommand.class,
        StatCommand.class, VersionCommand.class},
    description = "A userspace IPv6 gateway and NAT64 data plane.%n"
        + "This build routes IPv4 and IPv6 between its ports, applies per-address IPv6 gateway policy (VPC-only, "
        + "Internet bandwidth, egress-only), filters with network ACLs and security groups, and translates "
        + "between IPv6 and IPv4 (SIIT and stateful NAT64): it "
        + "runs the gateway on TAP devices and on existing interfaces through libpcap, with an "
        + "admin API (sixgate ctl) and live counters (sixgate stat), checks configurations, replays packet "
        + "captures through the gateway pipeline and runs a bundled demo.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        " 0:success",
        " 1:runtime failure: a port that cannot be opened, counters that do not add up after a replay, "
            + "a daemon that refuses or cannot be reached (ctl), no counters file (stat)",
        " 2:bad usage or bad input: arguments, configuration, capture files"})
public final class SixgateCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(commandLine(PipelineFactoryLoader::load).execute(args));
    }

    /**
     * Builds the command line with its error handling; tests call {@code execute} on it.
     *
     * @param pipelineFactory gives the factory {@code replay}, {@code demo} and {@code run} build their
     *                        pipeline with; called only when one starts, so a build without one still
     *                        runs the other commands.
     */
    public static CommandLine commandLine(final Supplier<PipelineFactory> pipelineFactory)
    {
        final CommandLine commandLine = new CommandLine(new SixgateCommand());
        final ErrorHandler errorHandler = new ErrorHandler();
        commandLine.setParameterExceptionHandler(errorHandler);
        commandLine.setExecutionExceptionHandler(errorHandler);
        ((ReplayCommand)commandLine.getSubcommands().get("replay").getCommand()).pipelineFactory(pipelineFactory);
        ((DemoCommand)commandLine.getSubcommands().get("demo").getCommand()).pipelineFactory(pipelineFactory);
        ((RunCommand)commandLine.getSubcommands().get("run").getCommand()).pipelineFactory(pipelineFactory);
        return commandLine;
    }

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "no command given");
    }
}
