package io.sixgate.daemon.control;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.config.Ipv6GatewayConfig;
import io.sixgate.daemon.stat.CounterSample;
import io.sixgate.daemon.stat.CounterSnapshot;
import io.sixgate.egress.Ipv6GatewayPolicy;
import io.sixgate.egress.TokenBucket;
import io.sixgate.nat64.stateful.StaticBibEntry;

import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the admin API and SIGHUP may do to a running gateway, from any thread: each change or
 * read of the worker's state is a {@link WorkerCommand} on its queue, waited for at most
 * {@link #WORKER_TIMEOUT_MS}; counters come straight from the counters file. Reloads are one at
 * a time. Refusals are {@link ControlException}s with a one-line message.
 *
 * <p>Changes made here (static BIB entries, EIP bindings, IPv6 gateway bandwidth and egress-only
 * rules) last until the next reload or restart, which put the configuration file's in force:
 * write them into the file to keep them.
 */
public final class ControlPlane
{
    /** How long a request waits for the worker. */
    public static final long WORKER_TIMEOUT_MS = 5_000;

    /** Largest {@code limit} of a sessions listing. */
    public static final int MAX_SESSION_LIMIT = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    private final Path configFile;
    private final WorkerCommandQueue worker;
    private final CountersReader counters;
    private final long startTimeMs;
    private final AdminToken token;
    private final Object reloadLock = new Object();
    private volatile GatewayConfig config;

    /**
     * @param configFile  the file {@link #reload} reads again.
     * @param config      the configuration the gateway runs.
     * @param worker      the worker's command queue.
     * @param counters    a reader of the daemon's counters file.
     * @param startTimeMs when the daemon started, epoch ms.
     * @throws IOException when {@code admin.token-file} cannot be read (one line, naming it).
     */
    public ControlPlane(final Path configFile, final GatewayConfig config, final WorkerCommandQueue worker,
        final CountersReader counters, final long startTimeMs) throws IOException
    {
        this.configFile = configFile;
        this.config = config;
        this.worker = worker;
        this.counters = counters;
        this.startTimeMs = startTimeMs;
        this.token = new AdminToken(AdminToken.read(config.admin().tokenFile()));
    }

    public GatewayConfig config()
    {
        return config;
    }

    public Path configFile()
    {
        return configFile;
    }

    public AdminToken token()
    {
        return token;
    }

    /**
     * @return when the daemon started, epoch ms.
     */
    public long startTimeMs()
    {
        return startTimeMs;
    }

    /**
     * @return every counter, read now from the counters file.
     */
    public List<CounterSample> counters()
    {
        return CounterSnapshot.read(counters);
    }

    /**
     * @return the worker's answer, the worker still running the gateway ({@code status ok}), or
     * {@code worker not responding} after a second.
     */
    public Health health()
    {
        final GatewayConfig running = config;
        String status = "ok";
        try
        {
            call(WorkerCommand.of(worker -> Boolean.TRUE), 1_000);
        }
        catch (final ControlException ex)
        {
            status = "worker not responding: " + ex.getMessage();
        }
        final String nat64 = running.nat64() == null ? "none" : running.nat64().isStateful() ? "stateful" : "siit";
        return new Health(status, (System.currentTimeMillis() - startTimeMs) / 1000,
            configFile == null ? "" : configFile.toString(), running.workers(), running.ports().size(), nat64);
    }

    public List<StaticBibView> staticBib() throws ControlException
    {
        requireStatefulNat64();
        return call(Nat64Commands.listStaticBib(), WORKER_TIMEOUT_MS);
    }

    public StaticBibView addStaticBib(final StaticBibEntry entry) throws ControlException
    {
        requireStatefulNat64();
        final StaticBibView added = call(Nat64Commands.addStaticBib(entry), WORKER_TIMEOUT_MS);
        LOG.info("admin: static BIB entry added: {}", describe(added));
        return added;
    }

    /**
     * Removes the static entry at (T, t); it stays as a dynamic one while sessions use it.
     */
    public StaticBibView removeStaticBib(final int protocol, final int pool4Address, final int pool4Port)
        throws ControlException
    {
        requireStatefulNat64();
        final StaticBibView removed = call(Nat64Commands.removeStaticBib(protocol, pool4Address, pool4Port),
            WORKER_TIMEOUT_MS);
        LOG.info("admin: static BIB entry removed: {}", describe(removed));
        return removed;
    }

    public List<EipView> eip() throws ControlException
    {
        requireStatefulNat64();
        return call(Nat64Commands.listEip(), WORKER_TIMEOUT_MS);
    }

    public EipView addEip(final int publicAddress, final int privateAddress) throws ControlException
    {
        requireStatefulNat64();
        final EipView added = call(Nat64Commands.addEip(publicAddress, privateAddress), WORKER_TIMEOUT_MS);
        LOG.info("admin: EIP bound: {} -> {}", added.publicAddress(), added.privateAddress());
        return added;
    }

    public EipView removeEip(final int publicAddress) throws ControlException
    {
        requireStatefulNat64();
        final EipView removed = call(Nat64Commands.removeEip(publicAddress), WORKER_TIMEOUT_MS);
        LOG.info("admin: EIP unbound: {} -> {}", removed.publicAddress(), removed.privateAddress());
        return removed;
    }

    /**
     * @return the IPv6 gateway's policy in force: the configuration's, with the admin API's changes.
     */
    public Ipv6GatewayView ipv6Gateway() throws ControlException
    {
        final Ipv6GatewayConfig running = requireIpv6Gateway();
        return call(Ipv6GatewayCommands.list(running.internetPort()), WORKER_TIMEOUT_MS);
    }

    /**
     * AllocateIpv6InternetBandwidth: makes a VPC address (or prefix) reachable both ways.
     *
     * @param bandwidthMbps 1 to 5000.
     * @param burstBytes    bucket depth, or 0 for 100 ms at the rate (at least 16 KiB).
     */
    public Ipv6GatewayRuleView allocateIpv6Bandwidth(final Ipv6Prefix prefix, final int bandwidthMbps,
        final long burstBytes) throws ControlException
    {
        requireIpv6Gateway();
        checkBandwidth(bandwidthMbps, Ipv6GatewayPolicy.MIN_BANDWIDTH_MBPS, burstBytes);
        return logged("Internet bandwidth allocated", call(Ipv6GatewayCommands.allocateBandwidth(prefix, bandwidthMbps,
            burstBytes), WORKER_TIMEOUT_MS));
    }

    /**
     * ModifyIpv6InternetBandwidth: 0 makes it VPC-only again.
     *
     * @param bandwidthMbps 0 to 5000.
     * @param burstBytes    bucket depth, or 0 for the default of the new bandwidth.
     */
    public Ipv6GatewayRuleView modifyIpv6Bandwidth(final Ipv6Prefix prefix, final int bandwidthMbps,
        final long burstBytes) throws ControlException
    {
        requireIpv6Gateway();
        checkBandwidth(bandwidthMbps, 0, burstBytes);
        return logged("Internet bandwidth modified", call(Ipv6GatewayCommands.modifyBandwidth(prefix, bandwidthMbps,
            burstBytes), WORKER_TIMEOUT_MS));
    }

    /**
     * DeleteIpv6InternetBandwidth: VPC-only again; an egress-only rule on it goes too.
     *
     * @return the rule as it was.
     */
    public Ipv6GatewayRuleView deleteIpv6Bandwidth(final Ipv6Prefix prefix) throws ControlException
    {
        requireIpv6Gateway();
        return logged("Internet bandwidth deleted", call(Ipv6GatewayCommands.deleteBandwidth(prefix),
            WORKER_TIMEOUT_MS));
    }

    /**
     * CreateIpv6EgressOnlyRule: outbound opens flows, unsolicited inbound is dropped.
     */
    public Ipv6GatewayRuleView createIpv6EgressOnly(final Ipv6Prefix prefix) throws ControlException
    {
        requireIpv6Gateway();
        return logged("egress-only rule created", call(Ipv6GatewayCommands.createEgressOnly(prefix),
            WORKER_TIMEOUT_MS));
    }

    /**
     * DeleteIpv6EgressOnlyRule.
     */
    public Ipv6GatewayRuleView deleteIpv6EgressOnly(final Ipv6Prefix prefix) throws ControlException
    {
        requireIpv6Gateway();
        return logged("egress-only rule deleted", call(Ipv6GatewayCommands.deleteEgressOnly(prefix),
            WORKER_TIMEOUT_MS));
    }

    /**
     * @param limit 1 to {@link #MAX_SESSION_LIMIT}.
     */
    public SessionListing sessions(final AddressFilter filter, final int limit) throws ControlException
    {
        requireStatefulNat64();
        if (limit < 1 || limit > MAX_SESSION_LIMIT)
        {
            throw new ControlException(ControlException.BAD_REQUEST, "limit must be 1.." + MAX_SESSION_LIMIT
                + ", got " + limit);
        }
        return call(Nat64Commands.sessions(filter, limit), WORKER_TIMEOUT_MS);
    }

    /**
     * Reads the configuration file again and puts its run-time parts in force (see
     * {@link ConfigReload}); one reload at a time. Logs the outcome either way.
     *
     * @param trigger what asked for it, for the log: {@code SIGHUP}, {@code admin API}.
     */
    public ReloadReport reload(final String trigger) throws ControlException
    {
        if (configFile == null)
        {
            throw new ControlException(ControlException.CONFLICT, "reload refused: the gateway runs without a"
                + " configuration file to read again");
        }
        synchronized (reloadLock)
        {
            try
            {
                final ConfigReload.Result result = ConfigReload.reload(configFile, config, this);
                config = result.config();
                token.replace(result.token());
                LOG.info("reload ({}): {}", trigger, result.report().changes().isEmpty()
                    ? "no changes" : String.join("; ", result.report().changes()));
                return result.report();
            }
            catch (final ControlException ex)
            {
                LOG.warn("{} ({})", ex.getMessage(), trigger);
                throw ex;
            }
        }
    }

    /**
     * Runs a command on the worker and waits for its reply.
     *
     * @throws ControlException the command's refusal, or 503 when the worker does not answer in time.
     */
    <T> T call(final WorkerCommand<T> command, final long timeoutMs) throws ControlException
    {
        try
        {
            return worker.submit(command).get(timeoutMs, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            final Throwable cause = ex.getCause();
            if (cause instanceof WorkerRefusal)
            {
                throw ((WorkerRefusal)cause).toControlException();
            }
            if (cause instanceof IllegalStateException)
            {
                throw new ControlException(ControlException.UNAVAILABLE, cause.getMessage());
            }
            LOG.error("a worker command failed", cause);
            throw new ControlException(ControlException.INTERNAL, "internal error on the worker: " + cause
                + " (see the daemon's log)");
        }
        catch (final TimeoutException ex)
        {
            throw new ControlException(ControlException.UNAVAILABLE, "the worker did not answer within "
                + timeoutMs + " ms (a change may still be applied: look again before retrying)");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new ControlException(ControlException.UNAVAILABLE, "interrupted while waiting for the worker");
        }
    }

    private void requireStatefulNat64() throws ControlException
    {
        final GatewayConfig running = config;
        if (running.nat64() == null || !running.nat64().isStateful())
        {
            throw new ControlException(ControlException.CONFLICT, Nat64Commands.NO_STATEFUL_NAT64);
        }
    }

    private Ipv6GatewayConfig requireIpv6Gateway() throws ControlException
    {
        final Ipv6GatewayConfig running = config.ipv6Gateway();
        if (running == null)
        {
            throw new ControlException(ControlException.CONFLICT, Ipv6GatewayCommands.NO_IPV6_GATEWAY);
        }
        return running;
    }

    private static void checkBandwidth(final int bandwidthMbps, final int min, final long burstBytes)
        throws ControlException
    {
        if (bandwidthMbps < min || bandwidthMbps > Ipv6GatewayPolicy.MAX_BANDWIDTH_MBPS)
        {
            throw new ControlException(ControlException.BAD_REQUEST, "bandwidth-mbps: must be " + min + ".."
                + Ipv6GatewayPolicy.MAX_BANDWIDTH_MBPS + ", got " + bandwidthMbps
                + (min > 0 && bandwidthMbps == 0 ? " (to make it VPC-only, modify it to 0 or delete it)" : ""));
        }
        if (burstBytes < 0 || burstBytes > TokenBucket.MAX_BURST_BYTES)
        {
            throw new ControlException(ControlException.BAD_REQUEST, "burst-bytes: must be 1.."
                + TokenBucket.MAX_BURST_BYTES + ", got " + burstBytes);
        }
    }

    private static Ipv6GatewayRuleView logged(final String what, final Ipv6GatewayRuleView rule)
    {
        LOG.info("admin: ipv6-gateway: {}: {} {} Mbit/s{}, {}", what, rule.target(), rule.bandwidthMbps(),
            rule.egressOnly() ? " egress-only" : "", rule.mode());
        return rule;
    }

    private static String describe(final StaticBibView view)
    {
        return view.protocol() + " " + view.ipv6Address() + "#" + view.ipv6Port() + " <-> " + view.ipv4Address() + "#"
            + view.ipv4Port();
    }
}
