package io.sixgate.daemon.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import io.sixgate.daemon.BadInputException;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.pipeline.PipelineFactory;
import io.sixgate.daemon.replay.CaptureBinding;
import io.sixgate.daemon.replay.ReplayEngine;
import io.sixgate.daemon.replay.ReplayReport;
import io.sixgate.daemon.replay.ReplayRequest;
import io.sixgate.daemon.replay.ReplayResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sixgate replay}: captures in, the gateway pipeline, captures out, counters checked.
 */
@Command(
    name = "replay",
    description = {
        "Run packet captures through the gateway pipeline, one worker, with the packet timestamps as the clock, "
            + "write what the gateway transmits to captures, then print the counters and check that every frame "
            + "is accounted for (received + generated = transmitted + consumed + dropped).",
        "A port's framing is the link type of its --in capture: Ethernet (1) or raw IP (101, 228, 229); "
            + "ports without --in are raw IP. Outputs use their port's framing, with nanosecond timestamps "
            + "unless every input is a microsecond pcap."})
final class ReplayCommand implements Callable<Integer>
{
    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOption config;

    @Option(
        names = "--in",
        paramLabel = "PORT=FILE",
        required = true,
        converter = CaptureBindingConverter.class,
        description = "Capture (pcap or pcapng) whose frames arrive on port PORT. Repeat for more ports, one "
            + "capture per port. Inputs are merged by timestamp; equal timestamps keep the order of the --in options.")
    private List<CaptureBinding> inputs = new ArrayList<>();

    @Option(
        names = "--out",
        paramLabel = "PORT=FILE",
        converter = CaptureBindingConverter.class,
        description = "pcap file (created or replaced) for the frames the gateway transmits on port PORT. "
            + "Frames sent on ports without --out are counted and discarded.")
    private List<CaptureBinding> outputs = new ArrayList<>();

    @Option(
        names = "--counters",
        paramLabel = "FILE",
        description = "Keep the counters in this file after the replay. Default: a temporary file, deleted at exit.")
    private Path countersFile;

    @Option(
        names = "--dump-sessions",
        description = "After the last frame, print the stateful NAT64 session table (nat64.mode: stateful): "
            + "one line per session, protocol, IPv6 side, IPv4 side, TCP state, lifetime left on the packet clock.")
    private boolean dumpSessions;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing unless the counters do not add up.")
    private boolean quiet;

    private Supplier<PipelineFactory> pipelineFactory;

    void pipelineFactory(final Supplier<PipelineFactory> pipelineFactory)
    {
        this.pipelineFactory = pipelineFactory;
    }

    @Override
    public Integer call() throws BadInputException
    {
        final GatewayConfig loaded = config.load();
        // Resolved when the pipeline is built, after every input has been checked.
        final PipelineFactory lazyFactory = (gatewayConfig, ports, pool, txSink, countersManager, worker) ->
            pipelineFactory.get().create(gatewayConfig, ports, pool, txSink, countersManager, worker);
        final ReplayResult result = new ReplayEngine(lazyFactory)
            .run(loaded, new ReplayRequest(inputs, outputs, countersFile, dumpSessions));

        final PrintWriter out = spec.commandLine().getOut();
        if (!quiet || !result.balanced())
        {
            ReplayReport.print(result, out);
        }
        if (dumpSessions)
        {
            out.println("sessions at the end (" + result.sessions().lines().count() + "):");
            out.print(result.sessions());
            out.flush();
        }
        if (!result.balanced())
        {
            spec.commandLine().getErr().println("sixgate: the counters do not add up after the replay: "
                + result.mismatches().get(0));
            spec.commandLine().getErr().flush();
            return ErrorHandler.EXIT_FAILURE;
        }
        return 0;
    }
}
