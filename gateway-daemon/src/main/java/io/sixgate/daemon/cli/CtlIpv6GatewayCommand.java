package io.sixgate.daemon.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sixgate ctl ipv6-gateway list|bandwidth|egress-only}: the running IPv6 gateway's
 * per-address policy, with the cloud API's verbs.
 */
@Command(
    name = "ipv6-gateway",
    synopsisSubcommandLabel = "list|bandwidth|egress-only",
    subcommands = {CtlIpv6BandwidthCommand.class, CtlIpv6EgressOnlyCommand.class},
    description = {
        "The IPv6 gateway's per-address policy (/v1/ipv6-gateway): a VPC address is VPC-only until it has Internet "
            + "bandwidth; with bandwidth it is reachable both ways, with an egress-only rule too it may only open "
            + "connections outward.",
        "Changes apply from the next packet, without disturbing other addresses' flows, and last until the next "
            + "reload or restart."})
final class CtlIpv6GatewayCommand implements Runnable
{
    @Spec
    private CommandSpec spec;

    @ParentCommand
    private CtlCommand ctl;

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "say list, bandwidth or egress-only");
    }

    CtlCommand ctl()
    {
        return ctl;
    }

    @Command(name = "list", description = "Show the VPC, the rules in force and the egress-only flows.")
    int list() throws Exception
    {
        return ctl.print(ctl.client().send("GET", "/v1/ipv6-gateway", null), CtlOutput::ipv6Gateway);
    }

    /**
     * {@code --address} or {@code --prefix}: what a rule is for.
     */
    static final class Target
    {
        @Spec(Spec.Target.MIXEE)
        private CommandSpec mixee;

        @Option(names = "--address", paramLabel = "IPV6", description = "A VPC address (a /128 rule).")
        private String address;

        @Option(names = "--prefix", paramLabel = "PREFIX",
            description = "A VPC prefix: its addresses share the rule (and its bandwidth).")
        private String prefix;

        private void check()
        {
            if ((address == null) == (prefix == null))
            {
                throw new ParameterException(mixee.commandLine(), "give --address or --prefix (one of them)");
            }
        }

        /**
         * @return a body holding {@code address} or {@code prefix}.
         */
        ObjectNode body()
        {
            check();
            final ObjectNode body = JsonNodeFactory.instance.objectNode();
            return address != null ? body.put("address", address) : body.put("prefix", prefix);
        }

        /**
         * @return {@code ?address=...} or {@code ?prefix=...}.
         */
        String query()
        {
            check();
            return address != null ? "?address=" + CtlBibCommand.encode(address) : "?prefix="
                + CtlBibCommand.encode(prefix);
        }
    }
}
