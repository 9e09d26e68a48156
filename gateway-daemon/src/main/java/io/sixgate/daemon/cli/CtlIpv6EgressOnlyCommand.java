package io.sixgate.daemon.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sixgate ctl ipv6-gateway egress-only create|delete}: egress-only rules
 * (Create/DeleteIpv6EgressOnlyRule).
 */
@Command(
    name = "egress-only",
    synopsisSubcommandLabel = "create|delete",
    description = "Egress-only rules (RFC 6092): the address opens connections outward, unsolicited inbound traffic "
        + "is dropped (/v1/ipv6-gateway/egress-only).")
final class CtlIpv6EgressOnlyCommand implements Runnable
{
    private static final String PATH = "/v1/ipv6-gateway/egress-only";

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private CtlIpv6GatewayCommand gateway;

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "say create or delete");
    }

    @Command(name = "create", description = "Make an address or prefix with Internet bandwidth egress-only.")
    int create(@Mixin final CtlIpv6GatewayCommand.Target target) throws Exception
    {
        final CtlCommand ctl = gateway.ctl();
        return ctl.print(ctl.client().send("POST", PATH, target.body().toString()),
            rule -> "egress-only rule created: " + CtlOutput.ipv6Rule(rule) + "\n");
    }

    @Command(name = "delete", description = "Remove the egress-only rule: reachable both ways again.")
    int delete(@Mixin final CtlIpv6GatewayCommand.Target target) throws Exception
    {
        final CtlCommand ctl = gateway.ctl();
        return ctl.print(ctl.client().send("DELETE", PATH + target.query(), null),
            rule -> "egress-only rule deleted: " + CtlOutput.ipv6Rule(rule) + "\n");
    }
}
