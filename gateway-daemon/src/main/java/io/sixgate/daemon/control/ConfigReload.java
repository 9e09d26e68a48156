package io.sixgate.daemon.control;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import io.sixgate.daemon.config.ConfigException;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.config.Nat64StatefulSettings;

/**
 * Reloads the configuration file into a running gateway (SIGHUP, {@code POST /v1/reload}):
 * reads and validates the whole file, refuses it when it is bad or changes something only a
 * restart can change, reads the admin token, then puts the run-time parts in force on every
 * worker at once ({@link ReloadPlan}, on paused workers). Any refusal leaves the running configuration in force and says
 * why, with the key (and the line, for a file that does not validate).
 */
final class ConfigReload
{
    /** How long the workers may take to pause (one may be in the middle of a long listing). */
    static final long TIMEOUT_MS = 10_000;

    /**
     * The new configuration and token, once the worker took it.
     */
    record Result(GatewayConfig config, byte[] token, ReloadReport report)
    {
    }

    private ConfigReload()
    {
    }

    static Result reload(final Path file, final GatewayConfig running, final ControlPlane plane) throws ControlException
    {
        final GatewayConfig next;
        try
        {
            next = ConfigLoader.load(file);
        }
        catch (final ConfigException ex)
        {
            throw refused(ex.getMessage());
        }
        final List<String> restartOnly = RestartOnlyChanges.between(running, next);
        if (!restartOnly.isEmpty())
        {
            throw new ControlException(ControlException.CONFLICT, "reload refused: " + file + ": "
                + String.join(", ", restartOnly) + (restartOnly.size() == 1 ? " changes" : " change")
                + " only with a restart; the running configuration stays");
        }
        final byte[] token;
        try
        {
            token = AdminToken.read(next.admin().tokenFile());
        }
        catch (final IOException ex)
        {
            throw refused(ex.getMessage());
        }

        final Nat64StatefulSettings stateful = next.nat64() != null && next.nat64().isStateful()
            ? next.nat64().stateful() : null;
        final ReloadPlan.Applied applied = plane.apply(next, TIMEOUT_MS);

        final List<String> changes = new ArrayList<>();
        count(changes, "routes", running.routes(), next.routes());
        count(changes, "neighbours", running.neighbours(), next.neighbours());
        for (final String entry : applied.staticBibRemoved())
        {
            changes.add("nat64.static-bib: removed " + entry);
        }
        for (final String entry : applied.staticBibAdded())
        {
            changes.add("nat64.static-bib: added " + entry);
        }
        for (final String binding : applied.eipRemoved())
        {
            changes.add("eip: removed " + binding);
        }
        for (final String binding : applied.eipAdded())
        {
            changes.add("eip: added " + binding);
        }
        changes.addAll(applied.ipv6GatewayChanges());
        changes.addAll(VpcFirewallCommands.changes(running.firewall(), next.firewall()));
        if (stateful != null && (!stateful.timeouts().equals(running.nat64().stateful().timeouts())
            || stateful.incomingSynHoldNs() != running.nat64().stateful().incomingSynHoldNs()))
        {
            changes.add("nat64.timeouts: new lifetimes from each session's next packet");
        }
        if (!Objects.equals(running.admin().tokenFile(), next.admin().tokenFile())
            || !Arrays.equals(token, plane.token().current()))
        {
            changes.add("admin.token-file: " + (token == null ? "no token asked for" : "new token"));
        }
        return new Result(next, token, new ReloadReport(file.toString(), changes));
    }

    private static void count(final List<String> changes, final String key, final List<?> running, final List<?> next)
    {
        if (!running.equals(next))
        {
            changes.add(key + ": " + running.size() + " -> " + next.size() + (running.size() == next.size() ? " (changed)" : ""));
        }
    }

    private static ControlException refused(final String why)
    {
        return new ControlException(ControlException.UNPROCESSABLE, "reload refused: " + why
            + "; the running configuration stays");
    }
}
