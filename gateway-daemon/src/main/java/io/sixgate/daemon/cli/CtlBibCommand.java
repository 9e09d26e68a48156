package io.sixgate.daemon.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sixgate ctl bib list|add|remove}: static BIB entries of the running stateful NAT64.
 */
@Command(
    name = "bib",
    synopsisSubcommandLabel = "list|add|remove",
    description = "Static BIB entries of stateful NAT64 (RFC 6146 §3.1): IPv4 hosts reach an IPv6 server through a "
        + "pool4 address and port with no IPv6 traffic first (/v1/nat64/static-bib).")
final class CtlBibCommand implements Runnable
{
    @Spec
    private CommandSpec spec;

    @ParentCommand
    private CtlCommand ctl;

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "say list, add or remove");
    }

    @Command(name = "list", description = "List the static BIB entries and the sessions using each.")
    int list() throws Exception
    {
        return ctl.print(ctl.client().send("GET", "/v1/nat64/static-bib", null), CtlOutput::staticBib);
    }

    @Command(name = "add", description = "Add a static BIB entry (keys as in nat64.static-bib of the configuration).")
    int add(
        @Option(names = "--protocol", required = true, paramLabel = "tcp|udp|icmp") final String protocol,
        @Option(names = "--ipv6-address", required = true, paramLabel = "ADDRESS",
            description = "The IPv6 server.") final String ipv6Address,
        @Option(names = "--ipv6-port", required = true, paramLabel = "PORT",
            description = "Its port (ICMP identifier).") final int ipv6Port,
        @Option(names = "--ipv4-address", required = true, paramLabel = "ADDRESS",
            description = "A pool4 address.") final String ipv4Address,
        @Option(names = "--ipv4-port", required = true, paramLabel = "PORT",
            description = "The pool4 port (ICMP identifier).") final int ipv4Port)
        throws Exception
    {
        final ObjectNode body = JsonNodeFactory.instance.objectNode()
            .put("protocol", protocol.toLowerCase(Locale.ROOT))
            .put("ipv6-address", ipv6Address)
            .put("ipv6-port", ipv6Port)
            .put("ipv4-address", ipv4Address)
            .put("ipv4-port", ipv4Port);
        return ctl.print(ctl.client().send("POST", "/v1/nat64/static-bib", body.toString()),
            entry -> "added: " + CtlOutput.staticBibEntry(entry) + "\n");
    }

    @Command(name = "remove", description = "Remove the static BIB entry at a pool4 address and port; while "
        + "sessions use it, it stays as a dynamic entry until they end.")
    int remove(
        @Option(names = "--protocol", required = true, paramLabel = "tcp|udp|icmp") final String protocol,
        @Option(names = "--ipv4-address", required = true, paramLabel = "ADDRESS") final String ipv4Address,
        @Option(names = "--ipv4-port", required = true, paramLabel = "PORT") final int ipv4Port)
        throws Exception
    {
        final String query = "?protocol=" + encode(protocol.toLowerCase(Locale.ROOT)) + "&ipv4-address="
            + encode(ipv4Address) + "&ipv4-port=" + ipv4Port;
        return ctl.print(ctl.client().send("DELETE", "/v1/nat64/static-bib" + query, null), entry ->
        {
            final int sessions = entry.get("sessions").asInt();
            return "removed: " + CtlOutput.staticBibEntry(entry)
                + (sessions == 0 ? "" : "; dynamic until " + (sessions == 1 ? "it ends" : "they end")) + "\n";
        });
    }

    static String encode(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
