package io.sixgate.daemon.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code sixgate ctl ipv6-gateway bandwidth allocate|modify|delete}: Internet bandwidth of a VPC
 * address or prefix (Allocate/Modify/DeleteIpv6InternetBandwidth).
 */
@Command(
    name = "bandwidth",
    synopsisSubcommandLabel = "allocate|modify|delete",
    description = "Internet bandwidth of a VPC address or prefix, 1..5000 Mbit/s per direction "
        + "(/v1/ipv6-gateway/bandwidth).")
final class CtlIpv6BandwidthCommand implements Runnable
{
    private static final String PATH = "/v1/ipv6-gateway/bandwidth";

    @Spec
    private CommandSpec spec;

    @ParentCommand
    private CtlIpv6GatewayCommand gateway;

    @Override
    public void run()
    {
        throw new ParameterException(spec.commandLine(), "say allocate, modify or delete");
    }

    @Command(name = "allocate", description = "Give an address or prefix Internet bandwidth: reachable both ways.")
    int allocate(
        @Mixin final CtlIpv6GatewayCommand.Target target,
        @Option(names = "--bandwidth-mbps", required = true, paramLabel = "N",
            description = "1..5000 Mbit/s, each direction.") final int bandwidthMbps,
        @Option(names = "--burst-bytes", paramLabel = "BYTES",
            description = "Token bucket depth. Default: 100 ms at the rate, at least 16384.") final Long burstBytes)
        throws Exception
    {
        return send("POST", target, bandwidthMbps, burstBytes, "allocated: ");
    }

    @Command(name = "modify", description = "Change the bandwidth; 0 makes the address VPC-only again (an egress-only "
        + "rule on it waits).")
    int modify(
        @Mixin final CtlIpv6GatewayCommand.Target target,
        @Option(names = "--bandwidth-mbps", required = true, paramLabel = "N",
            description = "0..5000 Mbit/s, each direction.") final int bandwidthMbps,
        @Option(names = "--burst-bytes", paramLabel = "BYTES",
            description = "Token bucket depth. Default: 100 ms at the new rate, at least 16384.") final Long burstBytes)
        throws Exception
    {
        return send("PUT", target, bandwidthMbps, burstBytes, "modified: ");
    }

    @Command(name = "delete", description = "Take the bandwidth away: VPC-only again, and its egress-only rule goes too.")
    int delete(@Mixin final CtlIpv6GatewayCommand.Target target) throws Exception
    {
        final CtlCommand ctl = gateway.ctl();
        return ctl.print(ctl.client().send("DELETE", PATH + target.query(), null),
            rule -> "deleted: " + CtlOutput.ipv6Rule(rule) + "\n");
    }

    private int send(final String method, final CtlIpv6GatewayCommand.Target target, final int bandwidthMbps,
        final Long burstBytes, final String done) throws Exception
    {
        final ObjectNode body = target.body().put("bandwidth-mbps", bandwidthMbps);
        if (burstBytes != null)
        {
            body.put("burst-bytes", burstBytes.longValue());
        }
        final CtlCommand ctl = gateway.ctl();
        return ctl.print(ctl.client().send(method, PATH, body.toString()), rule -> done + CtlOutput.ipv6Rule(rule)
            + "\n");
    }
}
