package io.sixgate.daemon.replay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sixgate.core.counters.CountersFile;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.pipeline.PipelineAgent;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.daemon.BadInputException;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.config.PortConfig;
import io.sixgate.daemon.pipeline.PipelineFactory;
import io.sixgate.nat64.stateful.Nat64Stateful46Stage;

import org.agrona.concurrent.status.CountersManager;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs captures through a real pipeline on the calling thread, one worker, packet timestamps
 * as the clock, and checks that every frame is accounted for.
 *
 * <p>Ports are the configuration's, numbered in file order; a port's framing is its input
 * capture's link type, raw IP when it has none.
 */
public final class ReplayEngine
{
    /** Room in the counters file: per-port rx/tx, every drop reason, consumed, generated. */
    public static final int MAX_COUNTERS = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(ReplayEngine.class);

    private final PipelineFactory pipelineFactory;
    private final Path temporaryDirectory;

    public ReplayEngine(final PipelineFactory pipelineFactory)
    {
        this(pipelineFactory, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * @param temporaryDirectory where a replay without {@code --counters} keeps its counters file
     *                           until it ends.
     */
    ReplayEngine(final PipelineFactory pipelineFactory, final Path temporaryDirectory)
    {
        this.pipelineFactory = pipelineFactory;
        this.temporaryDirectory = temporaryDirectory;
    }

    /**
     * @throws BadInputException when the request does not fit the configuration, a capture cannot
     *                           be read or written, or an input breaks part way.
     */
    public ReplayResult run(final GatewayConfig config, final ReplayRequest request) throws BadInputException
    {
        if (config.workers() != 1)
        {
            throw new BadInputException("replay runs one worker, but the configuration sets workers: "
                + config.workers());
        }
        if (request.inputs().isEmpty())
        {
            throw new BadInputException("nothing to replay: give at least one --in PORT=FILE");
        }
        final int[] inputPorts = portIds(config, "--in", request.inputs());
        final int[] outputPorts = portIds(config, "--out", request.outputs());
        checkOutputsAreNotInputs(request);

        final List<CaptureReader> readers = new ArrayList<>();
        CaptureSink sink = null;
        CountersFile countersFile = null;
        Path temporaryCounters = null;
        try
        {
            for (int i = 0; i < request.inputs().size(); i++)
            {
                readers.add(CaptureReader.open(request.inputs().get(i), inputPorts[i]));
            }
            final Port[] ports = ports(config, readers);
            final FramePool pool = new FramePool(
                config.framePool().frames(), config.framePool().slotSize(), FramePool.DEFAULT_HEADROOM);

            sink = new CaptureSink(pool, ports.length);
            final PcapHandle.TimestampPrecision precision = outputPrecision(request);
            for (int i = 0; i < request.outputs().size(); i++)
            {
                sink.open(outputPorts[i], ports[outputPorts[i]].linkType(), request.outputs().get(i), precision);
            }

            if (request.countersFile() == null)
            {
                temporaryCounters = createTemporaryFile();
                countersFile = CountersFile.create(temporaryCounters.toFile(), MAX_COUNTERS);
            }
            else
            {
                countersFile = createCounters(request.countersFile());
            }

            // One manager for the pipeline and the replay's own counters: CountersFile.manager()
            // returns a fresh manager each call, and two would hand out the same counter ids.
            final CountersManager countersManager = countersFile.manager();
            final Pipeline pipeline = pipelineFactory.create(config, ports.clone(), pool, sink, countersManager);
            if (pipeline.portCount() != ports.length || pipeline.pool() != pool)
            {
                throw new IllegalStateException(pipelineFactory.getClass().getName()
                    + " built a pipeline with other ports or another frame pool than it was given");
            }
            final ReplayCounters replayCounters = new ReplayCounters(
                countersManager, 0, pipeline.dropLabels().length);
            final MergedCaptureSource source = new MergedCaptureSource(
                readers.toArray(new CaptureReader[0]), pool, pipeline.counters(), replayCounters);
            final PipelineAgent agent = new PipelineAgent("replay-worker-0", source, pipeline, source::nanoTime);
            try
            {
                while (!source.isExhausted())
                {
                    agent.doWork();
                }
                // The last record's timers at the last record's time; nothing later is invented.
                pipeline.tick(source.nanoTime());
            }
            catch (final CaptureReadException ex)
            {
                throw new BadInputException(ex.getMessage(), ex);
            }
            final String sessions = request.dumpSessions() ? dumpSessions(pipeline) : "";
            sink.flush();
            final ReplayResult result = ReplayAccounting.result(request, readers, sink, ports, pipeline.counters(),
                countersFile.reader(), pool);
            return new ReplayResult(result.inputs(), result.outputs(), result.counters(), result.totals(),
                result.mismatches(), result.framesHeld(), sessions);
        }
        catch (final PcapNativeException ex)
        {
            throw new IllegalStateException("writing the output captures failed: " + ex.getMessage(), ex);
        }
        finally
        {
            for (final CaptureReader reader : readers)
            {
                reader.close();
            }
            if (sink != null)
            {
                sink.close();
            }
            if (countersFile != null)
            {
                countersFile.close();
            }
            deleteQuietly(temporaryCounters);
        }
    }

    /**
     * The stateful NAT64 session table as the packet clock leaves it ({@code --dump-sessions}).
     */
    private static String dumpSessions(final Pipeline pipeline) throws BadInputException
    {
        if (!pipeline.hasStage(Nat64Stateful46Stage.NAME))
        {
            throw new BadInputException("--dump-sessions: the configuration has no stateful NAT64 (nat64.mode: stateful)");
        }
        final Nat64Stateful46Stage stage = (Nat64Stateful46Stage)pipeline.stage(Nat64Stateful46Stage.NAME);
        final StringBuilder out = new StringBuilder();
        stage.shard().dumpSessions(out, stage.clockNs());
        return out.toString();
    }

    private static int[] portIds(final GatewayConfig config, final String option, final List<CaptureBinding> bindings)
        throws BadInputException
    {
        final int[] ids = new int[bindings.size()];
        for (int i = 0; i < bindings.size(); i++)
        {
            final CaptureBinding binding = bindings.get(i);
            ids[i] = config.portId(binding.port());
            if (ids[i] < 0)
            {
                throw new BadInputException(option + " " + binding + ": no port named \"" + binding.port()
                    + "\" in the configuration (ports: " + config.portNames() + ")");
            }
            for (int j = 0; j < i; j++)
            {
                if (ids[j] == ids[i])
                {
                    throw new BadInputException(option + " " + binding + ": port " + binding.port()
                        + " already has " + option + " " + bindings.get(j));
                }
            }
        }
        return ids;
    }

    private static void checkOutputsAreNotInputs(final ReplayRequest request) throws BadInputException
    {
        for (final CaptureBinding output : request.outputs())
        {
            final Path out = output.file().toAbsolutePath().normalize();
            for (final CaptureBinding input : request.inputs())
            {
                if (out.equals(input.file().toAbsolutePath().normalize()))
                {
                    throw new BadInputException("--out " + output + ": would overwrite --in " + input);
                }
            }
            for (final CaptureBinding other : request.outputs())
            {
                if (other != output && out.equals(other.file().toAbsolutePath().normalize()))
                {
                    throw new BadInputException("--out " + output + ": the same file as --out " + other);
                }
            }
        }
    }

    private static Port[] ports(final GatewayConfig config, final List<CaptureReader> readers)
    {
        final Port[] ports = new Port[config.ports().size()];
        for (int id = 0; id < ports.length; id++)
        {
            LinkType linkType = LinkType.RAW;
            for (final CaptureReader reader : readers)
            {
                if (reader.portId() == id)
                {
                    linkType = reader.linkType();
                }
            }
            final PortConfig port = config.ports().get(id);
            final long mac = linkType == LinkType.ETHERNET ? port.mac().value() : 0;
            ports[id] = new Port(id, port.name(), linkType, mac, port.mtu());
        }
        return ports;
    }

    /**
     * Microsecond outputs when every input is a microsecond pcap, so that captures keep their
     * format; nanosecond outputs otherwise, so that no timestamp is cut.
     */
    private static PcapHandle.TimestampPrecision outputPrecision(final ReplayRequest request)
        throws BadInputException
    {
        for (final CaptureBinding input : request.inputs())
        {
            try
            {
                if (!CaptureFiles.isMicrosecondPcap(input.file()))
                {
                    return PcapHandle.TimestampPrecision.NANO;
                }
            }
            catch (final IOException ex)
            {
                throw new BadInputException("--in " + input + ": cannot read: " + ex.getMessage(), ex);
            }
        }
        return PcapHandle.TimestampPrecision.MICRO;
    }

    private Path createTemporaryFile()
    {
        try
        {
            return Files.createTempFile(temporaryDirectory, "sixgate-replay-", ".counters");
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot create a temporary counters file: " + ex.getMessage(), ex);
        }
    }

    private static CountersFile createCounters(final Path file) throws BadInputException
    {
        try
        {
            return CountersFile.create(file.toFile(), MAX_COUNTERS);
        }
        catch (final RuntimeException ex)
        {
            throw new BadInputException("--counters " + file + ": cannot create: "
                + (ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName()), ex);
        }
    }

    private static void deleteQuietly(final Path file)
    {
        if (file != null)
        {
            try
            {
                Files.deleteIfExists(file);
            }
            catch (final IOException ex)
            {
                LOG.warn("cannot delete temporary counters file {}: {}", file, ex.getMessage());
            }
        }
    }
}
