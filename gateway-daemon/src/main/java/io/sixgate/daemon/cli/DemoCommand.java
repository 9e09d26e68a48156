package io.sixgate.daemon.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.sixgate.core.packet.PacketDescriber;
import io.sixgate.core.port.LinkType;
import io.sixgate.daemon.BadInputException;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.pipeline.PipelineFactory;
import io.sixgate.daemon.replay.CaptureBinding;
import io.sixgate.daemon.replay.CaptureContents;
import io.sixgate.daemon.replay.ReplayEngine;
import io.sixgate.daemon.replay.ReplayReport;
import io.sixgate.daemon.replay.ReplayRequest;
import io.sixgate.daemon.replay.ReplayResult;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code sixgate demo}: replays the captures bundled with the program through the gateway
 * pipeline with the bundled demo configuration, then shows every frame that came out and the
 * counters. Needs no root, no devices and no files.
 */
@Command(
    name = "demo",
    description = "Replay the bundled demo captures (a VPC host talking to the Internet over IPv6 and IPv4, "
        + "asking for the gateway by ARP and Neighbor Discovery and pinging it, plus malformed and expiring "
        + "packets and a VPC address no host answers for) through the gateway pipeline, print each frame that "
        + "comes out and the counters.")
final class DemoCommand implements Callable<Integer>
{
    static final String RESOURCE_DIR = "io/sixgate/daemon/demo/";
    static final String CONFIG = "demo-config.yaml";
    /** Ports that receive a bundled capture, each from {@code <port>-in.pcap}. */
    static final List<String> INPUT_PORTS = List.of("vpc", "internet");

    @Spec
    private CommandSpec spec;

    @Option(
        names = "--keep",
        paramLabel = "DIR",
        description = "Write the input and output captures into DIR (created if missing) and keep them, "
            + "for tcpdump -r or Wireshark. Default: a temporary directory, deleted at exit.")
    private Path keepDir;

    private Supplier<PipelineFactory> pipelineFactory;

    void pipelineFactory(final Supplier<PipelineFactory> pipelineFactory)
    {
        this.pipelineFactory = pipelineFactory;
    }

    @Override
    public Integer call() throws BadInputException, IOException
    {
        final GatewayConfig config;
        try (InputStream in = resource(CONFIG))
        {
            config = ConfigLoader.load("demo:" + CONFIG, in);
        }
        final Path dir = keepDir != null ? Files.createDirectories(keepDir) : Files.createTempDirectory("sixgate-demo");
        try
        {
            final List<CaptureBinding> inputs = new ArrayList<>();
            final List<CaptureBinding> outputs = new ArrayList<>();
            for (final String port : INPUT_PORTS)
            {
                final Path input = dir.resolve(port + "-in.pcap");
                try (InputStream in = resource(port + "-in.pcap"))
                {
                    Files.copy(in, input, StandardCopyOption.REPLACE_EXISTING);
                }
                inputs.add(new CaptureBinding(port, input));
                outputs.add(new CaptureBinding(port, dir.resolve(port + "-out.pcap")));
            }
            final ReplayResult result = new ReplayEngine(pipelineFactory.get())
                .run(config, new ReplayRequest(inputs, outputs, null));

            final PrintWriter out = spec.commandLine().getOut();
            out.println("sixgate demo: " + config.ports().size() + " ports (" + config.portNames() + "), "
                + "captures replayed through the gateway pipeline" + (keepDir != null ? " in " + dir : ""));
            out.println();
            for (final CaptureBinding output : outputs)
            {
                printFrames(out, output);
            }
            out.println();
            ReplayReport.print(result, out);
            out.flush();
            return result.balanced() ? 0 : ErrorHandler.EXIT_FAILURE;
        }
        finally
        {
            if (keepDir == null)
            {
                deleteTree(dir);
            }
        }
    }

    private static void printFrames(final PrintWriter out, final CaptureBinding output) throws BadInputException
    {
        final CaptureContents capture = CaptureContents.read(output.file());
        final List<byte[]> frames = capture.frames();
        final boolean ethernet = capture.linkType() == LinkType.ETHERNET;
        out.println("out " + output.port() + ": " + frames.size() + " frame" + (frames.size() == 1 ? "" : "s"));
        for (final byte[] frame : frames)
        {
            out.println("  " + PacketDescriber.describe(frame, ethernet));
        }
    }

    private static InputStream resource(final String name)
    {
        final InputStream in = DemoCommand.class.getClassLoader().getResourceAsStream(RESOURCE_DIR + name);
        if (in == null)
        {
            throw new IllegalStateException("this build of sixgate lacks the demo resource " + RESOURCE_DIR + name);
        }
        return in;
    }

    private static void deleteTree(final Path dir)
    {
        try (Stream<Path> paths = Files.walk(dir))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
