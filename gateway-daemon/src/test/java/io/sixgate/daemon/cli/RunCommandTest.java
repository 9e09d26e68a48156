package io.sixgate.daemon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sixgate.daemon.pipeline.GatewayPipelineFactory;
import io.sixgate.daemon.port.RootRequirement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/**
 * {@code sixgate run}'s refusals: one line on stderr and the documented exit status. Starting
 * for real is covered by {@code GatewayDaemonTest} and the namespace end-to-end test.
 */
class RunCommandTest
{
    @TempDir
    Path dir;

    private String out = "";
    private String err = "";

    private int run(final String... args)
    {
        final StringWriter outText = new StringWriter();
        final StringWriter errText = new StringWriter();
        final CommandLine commandLine = SixgateCommand.commandLine(GatewayPipelineFactory::new);
        commandLine.setOut(new PrintWriter(outText, true));
        commandLine.setErr(new PrintWriter(errText, true));
        final int exitCode = commandLine.execute(args);
        out = outText.toString();
        err = errText.toString();
        return exitCode;
    }

    private Path config(final String yaml) throws Exception
    {
        return Files.writeString(dir.resolve("gw.yaml"), "counters-file: " + dir.resolve("counters.dat") + "\n" + yaml);
    }

    private void assertOneLine(final int expectedExit, final String expectedLine, final Path config)
    {
        assertEquals(expectedExit, run("run", "--config", config.toString()), err);
        assertEquals(expectedLine + System.lineSeparator(), err);
        assertEquals("", out);
    }

    @Test
    void aBadConfigurationIsOneLineAndExitTwo() throws Exception
    {
        final Path config = config("ports:\n  - {name: vpc, type: tap, mtu: 40}\n");

        assertOneLine(2, "sixgate: " + config + " line 3: ports[0].mtu: must be 68..65535, got 40", config);
    }

    @Test
    void whatThisBuildCannotRunIsOneLineAndExitTwo() throws Exception
    {
        assertOneLine(2, "sixgate: port wan: mtu 9000 makes frames of up to 9018 bytes, but a frame-pool slot holds 1920"
            + " (slot-size 2048 minus 128 headroom); raise frame-pool.slot-size",
            config("workers: 4\nframe-pool: {slot-size: 2048}\nports: [{name: wan, type: tap, mtu: 9000}]\n"));
    }

    @Test
    void aDeviceThatCannotBeOpenedIsOneLineAndExitOne() throws Exception
    {
        // Root: lo exists and is no TAP. Not root: /dev/net/tun refuses. Either way: one line, exit 1.
        final Path config = config("ports: [{name: vpc, type: tap, device: lo}]\n");

        assertEquals(1, run("run", "--config", config.toString()), err);

        assertTrue(err.startsWith("sixgate: port vpc: cannot "), err);
        assertTrue(err.endsWith(")" + System.lineSeparator()) && err.indexOf('\n') == err.length() - 1, err);
        assertFalse(Files.exists(dir.resolve("counters.dat")), "nothing created");
        if (RootRequirement.isRootForTests())
        {
            assertEquals("sixgate: port vpc: cannot attach to TAP device lo: Invalid argument (an interface of that"
                + " name exists and is not a single-queue TAP device; pick another ports[].device or delete it)"
                + System.lineSeparator(), err);
        }
    }

    @Test
    void aPcapPortOnAnInterfaceThatDoesNotExistIsOneLineAndExitOne() throws Exception
    {
        // Needs no root: the interface is looked up before anything is opened.
        assertOneLine(1, "sixgate: port wan: no interface named \"xyz\" (pcap)",
            config("ports: [{name: wan, type: pcap, device: xyz}]\n"));
        assertFalse(Files.exists(dir.resolve("counters.dat")), "nothing created");
    }

    @Test
    void helpSaysWhatRunDoes()
    {
        assertEquals(0, run("run", "--help"));

        assertTrue(out.startsWith("Usage: sixgate run [-hV] --config=FILE"), out);
        assertTrue(out.contains("until SIGTERM or"), out);
        assertTrue(out.contains("exit 0"), out);
        assertTrue(out.contains("Needs root"), out);
        final String text = out.replaceAll("\\s+", " ");
        assertTrue(text.contains("capture and inject on each pcap port's existing interface with libpcap"), out);
        assertTrue(text.contains("CAP_NET_RAW (pcap)"), out);
    }
}
