package io.sixgate.daemon.control;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.sixgate.core.net.Ipv4Address;

import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.config.Ipv6GatewayConfig;
import io.sixgate.daemon.stat.CounterSample;
import io.sixgate.daemon.stat.CounterSnapshot;
import io.sixgate.daemon.steer.FlowSteering;
import io.sixgate.egress.Ipv6GatewayPolicy;
import io.sixgate.egress.TokenBucket;
import io.sixgate.nat64.stateful.StaticBibEntry;

import org.agrona.concurrent.status.CountersReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the admin API and SIGHUP may do to a running gateway, from any thread. Reads of the
 * workers' state are {@link WorkerCommand}s on their queues, sent to every worker and merged
 * (sessions sorted, counts summed), each waited for at most {@link #WORKER_TIMEOUT_MS}; counters
 * come straight from the counters file. Changes (static BIB entries, EIP bindings, reloads) are
 * one at a time and made on paused workers ({@link PausedWorkers}), so a change that spans
 * workers is checked against all of them before any changes. Refusals are
 * {@link ControlException}s with a one-line message.
 *
 * <p>With several workers a static BIB entry lives on the worker its IPv6 side steers to, its
 * pool4 port reserved on the port's owner, and the steering sends the port's IPv4 packets to it
 * ({@link StaticBibBook}); every worker keeps the EIP bindings.
 *
 * <p>Changes made here (static BIB entries, EIP bindings, IPv6 gateway bandwidth and egress-only
 * rules) last until the next reload or restart, which put the configuration file's in force:
 * write them into the file to keep them.
 */
public final class ControlPlane
{
    /** How long a request waits for the workers. */
    public static final long WORKER_TIMEOUT_MS = 5_000;

    /** Largest {@code limit} of a sessions listing. */
    public static final int MAX_SESSION_LIMIT = 100_000;

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    private final Path configFile;
    private final List<WorkerCommandQueue> workers;
    private final CountersReader counters;
    private final long startTimeMs;
    private final AdminToken token;
    private final StaticBibBook staticBib;
    /** One change at a time: static BIB, EIP, reload. */
    private final Object changeLock = new Object();
    private volatile GatewayConfig config;

    /**
     * One worker.
     *
     * @throws IOException when {@code admin.token-file} cannot be read (one line, naming it).
     */
    public ControlPlane(final Path configFile, final GatewayConfig config, final WorkerCommandQueue worker,
        final CountersReader counters, final long startTimeMs) throws IOException
    {
        this(configFile, config, List.of(worker), FlowSteering.SINGLE, counters, startTimeMs);
    }

    /**
     * @param configFile  the file {@link #reload} reads again.
     * @param config      the configuration the gateway runs.
     * @param workers     every worker's command queue, by worker.
     * @param steering    the daemon's steering, whose static BIB exceptions this keeps.
     * @param counters    a reader of the daemon's counters file.
     * @param startTimeMs when the daemon started, epoch ms.
     * @throws IOException when {@code admin.token-file} cannot be read (one line, naming it).
     */
    public ControlPlane(final Path configFile, final GatewayConfig config, final List<WorkerCommandQueue> workers,
        final FlowSteering steering, final CountersReader counters, final long startTimeMs) throws IOException
    {
        if (workers.isEmpty() || steering.workers() != workers.size())
        {
            throw new IllegalArgumentException(workers.size() + " worker queues for a steering of "
                + steering.workers() + " workers");
        }
        this.configFile = configFile;
        this.config = config;
        this.workers = List.copyOf(workers);
        this.counters = counters;
        this.startTimeMs = startTimeMs;
        this.token = new AdminToken(AdminToken.read(config.admin().tokenFile()));
        this.staticBib = new StaticBibBook(steering, config.nat64() != null && config.nat64().isStateful()
            ? config.nat64().stateful().staticBib() : List.of());
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
     * @return the workers' answer, every worker still running the gateway ({@code status ok}), or
     * {@code worker not responding} (with several, {@code worker N not responding}) after a second.
     */
    public Health health()
    {
        final GatewayConfig running = config;
        String status = "ok";
        for (int w = 0; w < workers.size() && status.equals("ok"); w++)
        {
            try
            {
                call(w, WorkerCommand.of(worker -> Boolean.TRUE), 1_000);
            }
            catch (final ControlException ex)
            {
                status = (workers.size() == 1 ? "worker" : "worker " + w) + " not responding: " + ex.getMessage();
            }
        }
        final String nat64 = running.nat64() == null ? "none" : running.nat64().isStateful() ? "stateful" : "siit";
        return new Health(status, (System.currentTimeMillis() - startTimeMs) / 1000,
            configFile == null ? "" : configFile.toString(), running.workers(), running.ports().size(), nat64);
    }

    /**
     * @return the static BIB entries of every worker, by protocol, pool4 address and port.
     */
    public List<StaticBibView> staticBib() throws ControlException
    {
        requireStatefulNat64();
        sweepDraining();
        final List<StaticBibView> all = new ArrayList<>();
        for (final List<StaticBibView> mine : callAll(Nat64Commands::listStaticBib, WORKER_TIMEOUT_MS))
        {
            all.addAll(mine);
        }
        all.sort(Comparator.comparing(StaticBibView::protocol)
            .thenComparing(view -> Ipv4Address.parse(view.ipv4Address()) & 0xFFFF_FFFFL)
            .thenComparingInt(StaticBibView::ipv4Port));
        return all;
    }

    public StaticBibView addStaticBib(final StaticBibEntry entry) throws ControlException
    {
        requireStatefulNat64();
        final StaticBibView added;
        synchronized (changeLock)
        {
            try (PausedWorkers paused = PausedWorkers.pause(workers, WORKER_TIMEOUT_MS))
            {
                Nat64Commands.sweepDraining(paused, staticBib);
                added = Nat64Commands.addStaticBib(paused, staticBib, entry);
            }
            catch (final WorkerRefusal refusal)
            {
                throw refusal.toControlException();
            }
        }
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
        final StaticBibView removed;
        synchronized (changeLock)
        {
            try (PausedWorkers paused = PausedWorkers.pause(workers, WORKER_TIMEOUT_MS))
            {
                Nat64Commands.sweepDraining(paused, staticBib);
                removed = Nat64Commands.removeStaticBib(paused, staticBib, protocol, pool4Address, pool4Port);
            }
            catch (final WorkerRefusal refusal)
            {
                throw refusal.toControlException();
            }
        }
        LOG.info("admin: static BIB entry removed: {}", describe(removed));
        return removed;
    }

    /**
     * @return the EIP bindings (every worker keeps the same).
     */
    public List<EipView> eip() throws ControlException
    {
        requireStatefulNat64();
        return call(0, Nat64Commands.listEip(), WORKER_TIMEOUT_MS);
    }

    public EipView addEip(final int publicAddress, final int privateAddress) throws ControlException
    {
        requireStatefulNat64();
        final EipView added;
        synchronized (changeLock)
        {
            try (PausedWorkers paused = PausedWorkers.pause(workers, WORKER_TIMEOUT_MS))
            {
                added = Nat64Commands.addEip(paused, publicAddress, privateAddress);
            }
            catch (final WorkerRefusal refusal)
            {
                throw refusal.toControlException();
            }
        }
        LOG.info("admin: EIP bound: {} -> {}", added.publicAddress(), added.privateAddress());
        return added;
    }

    public EipView removeEip(final int publicAddress) throws ControlException
    {
        requireStatefulNat64();
        final EipView removed;
        synchronized (changeLock)
        {
            try (PausedWorkers paused = PausedWorkers.pause(workers, WORKER_TIMEOUT_MS))
            {
                removed = Nat64Commands.removeEip(paused, publicAddress);
            }
            catch (final WorkerRefusal refusal)
            {
                throw refusal.toControlException();
            }
        }
        LOG.info("admin: EIP unbound: {} -> {}", removed.publicAddress(), removed.privateAddress());
        return removed;
    }

    /**
     * @return the IPv6 gateway's policy in force: the configuration's, with the admin API's changes.
     */
    public Ipv6GatewayView ipv6Gateway() throws ControlException
    {
        final Ipv6GatewayConfig running = requireIpv6Gateway();
        return Ipv6GatewayCommands.merge(callAll(() -> Ipv6GatewayCommands.list(running.internetPort()),
            WORKER_TIMEOUT_MS));
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
        return logged("Internet bandwidth allocated",
            changeEveryWorker(() -> Ipv6GatewayCommands.allocateBandwidth(prefix, bandwidthMbps, burstBytes)));
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
        return logged("Internet bandwidth modified",
            changeEveryWorker(() -> Ipv6GatewayCommands.modifyBandwidth(prefix, bandwidthMbps, burstBytes)));
    }

    /**
     * DeleteIpv6InternetBandwidth: VPC-only again; an egress-only rule on it goes too.
     *
     * @return the rule as it was.
     */
    public Ipv6GatewayRuleView deleteIpv6Bandwidth(final Ipv6Prefix prefix) throws ControlException
    {
        requireIpv6Gateway();
        return logged("Internet bandwidth deleted",
            changeEveryWorker(() -> Ipv6GatewayCommands.deleteBandwidth(prefix)));
    }

    /**
     * CreateIpv6EgressOnlyRule: outbound opens flows, unsolicited inbound is dropped.
     */
    public Ipv6GatewayRuleView createIpv6EgressOnly(final Ipv6Prefix prefix) throws ControlException
    {
        requireIpv6Gateway();
        return logged("egress-only rule created",
            changeEveryWorker(() -> Ipv6GatewayCommands.createEgressOnly(prefix)));
    }

    /**
     * DeleteIpv6EgressOnlyRule.
     */
    public Ipv6GatewayRuleView deleteIpv6EgressOnly(final Ipv6Prefix prefix) throws ControlException
    {
        requireIpv6Gateway();
        return logged("egress-only rule deleted",
            changeEveryWorker(() -> Ipv6GatewayCommands.deleteEgressOnly(prefix)));
    }

    /**
     * Every worker's sessions matching the filter, merged, the first {@code limit} in
     * {@link Nat64Commands#SESSION_ORDER} (IPv6 source and port, protocol, IPv4 remote);
     * {@code total} counts the sessions of all workers.
     *
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
        long total = 0;
        boolean truncated = false;
        final List<SessionView> merged = new ArrayList<>();
        for (final SessionListing listing : callAll(() -> Nat64Commands.sessions(filter, limit), WORKER_TIMEOUT_MS))
        {
            total += listing.total();
            truncated |= listing.truncated();
            merged.addAll(listing.sessions());
        }
        merged.sort(Nat64Commands.SESSION_ORDER);
        if (merged.size() > limit)
        {
            truncated = true;
            merged.subList(limit, merged.size()).clear();
        }
        return new SessionListing(total, truncated, merged);
    }

    /**
     * Puts a validated configuration's run-time parts in force on every worker, all or nothing
     * ({@link ReloadPlan}); for {@link ConfigReload}, under {@link #reload}'s lock.
     */
    ReloadPlan.Applied apply(final GatewayConfig next, final long timeoutMs) throws ControlException
    {
        synchronized (changeLock)
        {
            try (PausedWorkers paused = PausedWorkers.pause(workers, timeoutMs))
            {
                if (next.nat64() != null && next.nat64().isStateful())
                {
                    Nat64Commands.sweepDraining(paused, staticBib);
                }
                final ReloadPlan plan = new ReloadPlan(next, staticBib);
                plan.check(paused);
                return plan.apply(paused);
            }
            catch (final WorkerRefusal refusal)
            {
                throw refusal.toControlException();
            }
        }
    }

    /**
     * Makes a change of the IPv6 gateway's policy on every paused worker, worker 0 first: each keeps
     * the same policy, so worker 0's checks decide and a refusal there changes no worker.
     *
     * @return the changed rule, its counts (flows, rate-limited frames) summed over the workers.
     */
    private Ipv6GatewayRuleView changeEveryWorker(final Supplier<WorkerCommand<Ipv6GatewayRuleView>> change)
        throws ControlException
    {
        synchronized (changeLock)
        {
            try (PausedWorkers paused = PausedWorkers.pause(workers, WORKER_TIMEOUT_MS))
            {
                final List<Ipv6GatewayRuleView> views = new ArrayList<>(paused.count());
                for (int w = 0; w < paused.count(); w++)
                {
                    views.add(paused.run(w, change.get()));
                }
                return Ipv6GatewayCommands.merge(views.get(0), views);
            }
            catch (final WorkerRefusal refusal)
            {
                throw refusal.toControlException();
            }
        }
    }

    /**
     * Lets go of removed static entries whose sessions have all ended (their reservation and steering).
     */
    private void sweepDraining() throws ControlException
    {
        synchronized (changeLock)
        {
            if (staticBib.draining().isEmpty())
            {
                return;
            }
            try (PausedWorkers paused = PausedWorkers.pause(workers, WORKER_TIMEOUT_MS))
            {
                Nat64Commands.sweepDraining(paused, staticBib);
            }
        }
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
        synchronized (changeLock)
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
     * Runs a command on worker 0 and waits for its reply.
     *
     * @throws ControlException the command's refusal, or 503 when the worker does not answer in time.
     */
    <T> T call(final WorkerCommand<T> command, final long timeoutMs) throws ControlException
    {
        return call(0, command, timeoutMs);
    }

    /**
     * Runs a command on one worker and waits for its reply.
     *
     * @throws ControlException the command's refusal, or 503 when the worker does not answer in time.
     */
    <T> T call(final int worker, final WorkerCommand<T> command, final long timeoutMs) throws ControlException
    {
        return await(workers.get(worker).submit(command), timeoutMs);
    }

    /**
     * Runs a fresh command on every worker at once and waits for all the replies, by worker.
     */
    private <T> List<T> callAll(final Supplier<WorkerCommand<T>> command, final long timeoutMs) throws ControlException
    {
        final List<CompletableFuture<T>> replies = new ArrayList<>(workers.size());
        for (final WorkerCommandQueue worker : workers)
        {
            replies.add(worker.submit(command.get()));
        }
        final List<T> answers = new ArrayList<>(workers.size());
        for (final CompletableFuture<T> reply : replies)
        {
            answers.add(await(reply, timeoutMs));
        }
        return answers;
    }

    private static <T> T await(final CompletableFuture<T> reply, final long timeoutMs) throws ControlException
    {
        try
        {
            return reply.get(timeoutMs, TimeUnit.MILLISECONDS);
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
