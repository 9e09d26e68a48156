package io.sixgate.daemon.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.sixgate.daemon.BadInputException;
import io.sixgate.daemon.admin.AdminServer;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.control.ControlException;
import io.sixgate.daemon.control.ControlPlane;
import io.sixgate.daemon.pipeline.PipelineFactory;
import io.sixgate.daemon.port.HostPortOpener;
import io.sixgate.daemon.port.PortDeviceOpener;
import io.sixgate.daemon.run.GatewayDaemon;
import io.sixgate.daemon.run.ReloadSignal;
import io.sixgate.daemon.run.RunChecks;
import io.sixgate.daemon.run.ShutdownSignal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sixgate run}: the gateway on its TAP devices and pcap ports until SIGTERM or SIGINT.
 */
@Command(
    name = "run",
    description = {
        "Run the gateway: create or attach each tap port's TAP device (ports[].device; MTU and queue length set, link up), "
            + "capture and inject on each pcap port's existing interface with libpcap (promiscuous, inbound only; "
            + "brought up if down; the port's MAC is the interface's unless ports[].mac is set), route and "
            + "translate between them with the configured workers (one per core; with several, TAP devices are "
            + "multi-queue and each flow is steered to one worker), keep the counters in counters-file, until SIGTERM or "
            + "SIGINT; then stop ingest, finish the frames already read, write the NAT64 sessions to "
            + "nat64.snapshot-file if set (restored at the next start), close the devices and exit 0.",
        "SIGHUP reloads the configuration file (routes, neighbours, static BIB, EIP bindings, NAT64 timeouts; "
            + "a bad file is refused and the running one stays). The admin HTTP API listens on admin.listen "
            + "(127.0.0.1:8464 by default; see 'sixgate ctl' and docs/admin-api.md).",
        "Needs root, or CAP_NET_ADMIN and read-write access to /dev/net/tun (tap), CAP_NET_RAW (pcap). A TAP "
            + "device sixgate created goes away when it stops; one that existed before (ip tuntap add) stays, as "
            + "does a pcap port's interface. Keep the host's stack and GRO/LRO off a pcap port's interface "
            + "(docs/config.md). A persistent TAP device (ip tuntap add) must be multi_queue when workers is "
            + "above 1. Logs go to stderr."})
final class RunCommand implements Callable<Integer>
{
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(
        names = "--config",
        paramLabel = "FILE",
        required = true,
        description = "Gateway configuration, YAML (see docs/config.md). Required: the daemon creates devices "
            + "and captures on interfaces, so it never runs on the built-in example.")
    private Path configFile;

    private Supplier<PipelineFactory> pipelineFactory;
    private final PortDeviceOpener opener = new HostPortOpener();

    void pipelineFactory(final Supplier<PipelineFactory> pipelineFactory)
    {
        this.pipelineFactory = pipelineFactory;
    }

    private static void reload(final ControlPlane control)
    {
        if (control == null)
        {
            LOG.warn("SIGHUP while starting: nothing to reload yet");
            return;
        }
        try
        {
            control.reload("SIGHUP");
        }
        catch (final ControlException ex)
        {
            // Logged by the control plane, with the key and line; the running configuration stays.
        }
    }

    // "try": the SIGHUP handler is a resource for its lifetime only; the body never names it.
    @SuppressWarnings("try")
    @Override
    public Integer call() throws BadInputException, IOException
    {
        final GatewayConfig loaded = ConfigLoader.load(configFile);
        RunChecks.check(loaded);
        final PipelineFactory factory = pipelineFactory.get();
        final AtomicReference<ControlPlane> control = new AtomicReference<>();
        // The signals are handled before anything opens, so that one during start-up also stops in order (or
        // is a reload that waits for the gateway); resources close in reverse order: the admin API before the
        // daemon it reaches into.
        try (ShutdownSignal signal = ShutdownSignal.install();
            ReloadSignal hup = ReloadSignal.install(() -> reload(control.get()));
            GatewayDaemon daemon = GatewayDaemon.start(loaded, factory, opener))
        {
            control.set(new ControlPlane(configFile, loaded, daemon.workerCommands(), daemon.steering(),
                daemon.countersReader(), daemon.startTimeMs()));
            try (AdminServer admin = loaded.admin().enabled()
                ? AdminServer.start(loaded.admin().listen(), control.get()) : null)
            {
                LOG.info("config {}, {} ports; reload with SIGHUP{}, stop with SIGTERM or Ctrl-C", configFile,
                    daemon.pipeline().portCount(), admin == null ? "" : " or POST " + admin.url() + "/v1/reload");
                LOG.info("stopping on {}", signal.await());
            }
        }
        return 0;
    }
}
