package io.sixgate.daemon.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sixgate.daemon.BadInputException;
import io.sixgate.daemon.config.AdminConfig;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;
import io.sixgate.daemon.control.AdminToken;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code sixgate ctl}: the admin API's command-line client. Finds the API and its token in the
 * configuration (admin.listen, admin.token-file) unless told, sends one request, prints the
 * answer in one line per thing (or as JSON), and exits 0, or 1 when the daemon says no or
 * cannot be reached, or 2 for bad usage.
 */
@Command(
    name = "ctl",
    synopsisSubcommandLabel = "COMMAND",
    subcommands = {CtlBibCommand.class, CtlEipCommand.class, CtlIpv6GatewayCommand.class},
    description = {
        "Talk to a running 'sixgate run' through its admin HTTP API (docs/admin-api.md): counters, NAT64 sessions, "
            + "static BIB entries and EIP bindings, the IPv6 gateway's bandwidth and egress-only rules, configuration "
            + "reload, health.",
        "The API's address and token come from admin.listen and admin.token-file of --config (default: the "
            + "built-in configuration, http://127.0.0.1:8464, no token), or from --admin and --token-file.",
        "Changes made here last until the next reload or restart: write them into the configuration to keep them."},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        " 0:done",
        " 1:the daemon refused, or the admin API cannot be reached",
        " 2:bad usage (also a request the daemon found malformed)"})
final class CtlCommand implements Callable<Integer>
{
    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Option(names = "--admin", paramLabel = "URL", scope = ScopeType.INHERIT,
        description = "The admin API, e.g. http://127.0.0.1:8464 or http://[::1]:8464. Default: admin.listen of --config.")
    private String admin;

    @Option(names = "--token-file", paramLabel = "FILE", scope = ScopeType.INHERIT,
        description = "File holding the bearer token. Default: admin.token-file of --config, if any.")
    private Path tokenFile;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
        description = "The daemon's configuration, for admin.listen and admin.token-file. Default: the built-in one.")
    private Path config;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the API's JSON answer as it is.")
    private boolean json;

    @Override
    public Integer call()
    {
        throw new ParameterException(spec.commandLine(), "no ctl command given");
    }

    @Command(name = "counters", description = "Print the non-zero counters, drops first (GET /v1/counters).")
    int counters() throws Exception
    {
        return print(client().send("GET", "/v1/counters", null), CtlOutput::counters);
    }

    @Command(name = "sessions", description = "List stateful NAT64 sessions (GET /v1/sessions).")
    int sessions(
        @Option(names = "--address", paramLabel = "ADDRESS",
            description = "Only sessions with this address or prefix on either side: the IPv6 client, its "
                + "destination, the pool4 address, the IPv4 remote or its EIP.") final String address,
        @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
            description = "At most N sessions (1..100000). Default: ${DEFAULT-VALUE}.") final int limit)
        throws Exception
    {
        final StringBuilder query = new StringBuilder("/v1/sessions?limit=").append(limit);
        if (address != null)
        {
            query.append("&address=").append(URLEncoder.encode(address, StandardCharsets.UTF_8));
        }
        return print(client().send("GET", query.toString(), null), CtlOutput::sessions);
    }

    @Command(name = "reload", description = "Reload the daemon's configuration file, as SIGHUP does (POST /v1/reload).")
    int reload() throws Exception
    {
        return print(client().send("POST", "/v1/reload", null), CtlOutput::reload);
    }

    @Command(name = "health", description = "Ask whether the daemon and its worker answer (GET /v1/health).")
    int health() throws Exception
    {
        return print(client().send("GET", "/v1/health", null), CtlOutput::health);
    }

    /**
     * @return a client for the API the options (or the configuration) name.
     */
    AdminClient client() throws BadInputException, IOException
    {
        final GatewayConfig loaded = admin != null && tokenFile != null ? null
            : config == null ? ConfigLoader.loadDefault() : ConfigLoader.load(config);
        String url = admin;
        if (url == null)
        {
            final AdminConfig section = loaded.admin();
            if (!section.enabled())
            {
                throw new BadInputException("admin.listen is off in " + (config == null ? ConfigLoader.DEFAULT_NAME
                    : config) + "; give --admin URL");
            }
            url = section.url();
        }
        if (!url.startsWith("http://") && !url.startsWith("https://"))
        {
            throw new BadInputException("--admin " + url + ": expected an http URL like http://127.0.0.1:"
                + AdminConfig.DEFAULT_PORT);
        }
        final Path file = tokenFile != null ? tokenFile : loaded.admin().tokenFile();
        final byte[] token = AdminToken.read(file);
        return new AdminClient(url, token == null ? null : new String(token, StandardCharsets.US_ASCII));
    }

    /**
     * Prints the answer as text (or JSON with --json).
     *
     * @return 0.
     */
    int print(final JsonNode answer, final Function<JsonNode, String> text) throws IOException
    {
        final PrintWriter out = spec.commandLine().getOut();
        if (json)
        {
            out.println(answer.isTextual() ? answer.asText() : JSON.writerWithDefaultPrettyPrinter()
                .writeValueAsString(answer));
        }
        else
        {
            out.print(text.apply(answer));
        }
        out.flush();
        return 0;
    }
}
