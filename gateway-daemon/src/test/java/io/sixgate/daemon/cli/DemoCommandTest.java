package io.sixgate.daemon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sixgate.daemon.pipeline.GatewayPipelineFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoCommandTest
{
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        final CommandLine commandLine = SixgateCommand.commandLine(GatewayPipelineFactory::new);
        commandLine.setOut(new PrintWriter(out));
        commandLine.setErr(new PrintWriter(err));
        return commandLine.execute(args);
    }

    @Test
    void demoRoutesBothWaysAnswersForTheGatewayAndNamesEveryRefusal()
    {
        assertEquals(0, run("demo"), err.toString());

        final String text = out.toString();
        assertTrue(text.contains("out vpc: 9 frames"), text);
        assertTrue(text.contains("out internet: 6 frames"), text);
        for (final String line : new String[]{
            "IPv6 2001:db8:0:1::10.40001 > 2001:db8:aaaa::80.443 TCP [S] len 60 hlim 63",
            "IPv4 203.0.113.53.53 > 192.0.2.10.40000 UDP len 76 ttl 63",
            "ARP reply 192.0.2.1 is-at 02:00:00:00:00:01",
            "IPv6 2001:db8:0:1::1 > 2001:db8:0:1::10 ICMPv6 neighbor-advertisement code 0 len 72 hlim 255",
            "IPv6 2001:db8:0:1::1 > 2001:db8:0:1::10 ICMPv6 echo-reply code 0 len 64 hlim 64",
            "IPv4 192.0.2.1 > 192.0.2.10 ICMP echo-reply code 0 len 44 ttl 64",
            "IPv6 2001:db8:0:1::1 > 2001:db8:0:1::10 ICMPv6 time-exceeded code 0 len 96 hlim 64",
            "ARP request who-has 192.0.2.99 tell 192.0.2.1",
            "IPv4 198.51.100.1 > 203.0.113.53 ICMP unreachable code 1 len 56 ttl 64"})
        {
            assertTrue(text.contains("  " + line + "\n") || text.contains("  " + line + "\r\n"), line + " in\n" + text);
        }
        for (final String reason : new String[]{
            "ethernet-input/not-for-this-port", "ipv4-input/bad-header-checksum", "ipv6-input/truncated-header",
            "ipv6-forward/hop-limit-exceeded", "l2-output/neighbour-unresolved"})
        {
            assertTrue(text.matches("(?s).*drop " + reason + " worker=0 +1\\R.*"), reason + " in\n" + text);
        }
        for (final String event : new String[]{
            "arp-input/request-answered", "ndp-input/solicitation-answered", "ipv4-local/echo-answered",
            "ipv6-local/echo-answered", "ipv6-forward/icmp-error-sent", "l2-output/resolution-failed"})
        {
            assertTrue(text.matches("(?s).*event " + event + " worker=0 +1\\R.*"), event + " in\n" + text);
        }
        assertTrue(text.contains("counters: OK (received 17 + generated 4 = transmitted 15 + consumed 1 + dropped 5)"),
            text);
    }

    @Test
    void demoKeepsItsCapturesWhenAsked()
    {
        final Path keep = dir.resolve("demo");
        assertEquals(0, run("demo", "--keep", keep.toString()), err.toString());

        assertTrue(Files.isRegularFile(keep.resolve("vpc-in.pcap")));
        assertTrue(Files.isRegularFile(keep.resolve("internet-out.pcap")));
    }
}
