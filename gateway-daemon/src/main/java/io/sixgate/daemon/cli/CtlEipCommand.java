package io.sixgate.daemon.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sixgate ctl eip list|add|remove}: IPv6 EIP bindings of the running stateful NAT64.
 */
@Command(
    name = "eip",
    synopsisSubcommandLabel = "list|add|remove",
    description = "IPv6 EIP bindings: an IPv6 client reaches the instance PRIVATE at prefix + PUBLIC (/v1/eip).")
final class CtlEipCommand implements Runnable
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

    @Command(name = "list", description = "List the EIP bindings.")
    int list() throws Exception
    {
        return ctl.print(ctl.client().send("GET", "/v1/eip", null), CtlOutput::eip);
    }

    @Command(name = "add", description = "Bind an EIP to an instance address; new flows use it from the next packet.")
    int add(
        @Option(names = "--public", required = true, paramLabel = "IPV4", description = "The EIP.") final String publicAddress,
        @Option(names = "--private", required = true, paramLabel = "IPV4",
            description = "The instance's address.") final String privateAddress)
        throws Exception
    {
        final String body = JsonNodeFactory.instance.objectNode().put("public", publicAddress)
            .put("private", privateAddress).toString();
        return ctl.print(ctl.client().send("POST", "/v1/eip", body),
            binding -> "added: " + CtlOutput.eipBinding(binding) + "\n");
    }

    @Command(name = "remove", description = "Unbind an EIP. Its sessions stay, but their replies no longer carry it.")
    int remove(
        @Option(names = "--public", required = true, paramLabel = "IPV4", description = "The EIP.") final String publicAddress)
        throws Exception
    {
        return ctl.print(ctl.client().send("DELETE", "/v1/eip?public=" + CtlBibCommand.encode(publicAddress), null),
            binding -> "removed: " + CtlOutput.eipBinding(binding) + "\n");
    }
}
