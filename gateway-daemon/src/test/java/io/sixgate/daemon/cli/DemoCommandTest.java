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
    void demoRoutesBothWaysAndNamesEveryRefusal()
    {
        assertEquals(0, run("demo"), err.toString());

        final String text = out.toString();
        assertTrue(text.contains("out vpc: 3 frames"), text);
        assertTrue(text.contains("out internet: 5 frames"), text);
        assertTrue(text.contains("IPv6 2001:db8:0:1::10.40001 > 2001:db8:aaaa::80.443 TCP [S] len 60 hlim 63"), text);
        assertTrue(text.contains("IPv4 203.0.113.53.53 > 192.0.2.10.40000 UDP len 76 ttl 63"), text);
        for (final String reason : new String[]{
            "ethernet-input/not-for-this-port", "ethernet-input/arp-not-handled", "ipv4-input/bad-header-checksum",
            "ipv6-input/truncated-header", "ipv6-forward/hop-limit-exceeded", "l2-output/neighbour-unresolved"})
        {
            assertTrue(text.matches("(?s).*drop " + reason + " worker=0 +1\\R.*"), reason + " in\n" + text);
        }
        assertTrue(text.contains("counters: OK (received 14 + generated 0 = transmitted 8 + consumed 0 + dropped 6)"),
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
