package io.sixgate.daemon.run;

import static io.sixgate.daemon.run.E2eTopology.inNamespaceCommand;
import static io.sixgate.daemon.run.E2eTopology.read;
import static io.sixgate.daemon.run.E2eTopology.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sixgate.daemon.port.RootRequirement;
import io.sixgate.daemon.run.E2eTopology.Result;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Graceful restart end to end (issue 8): a long-lived TCP connection from the Internet host
 * (sginet) to the IPv4-only instance (sgsrv) through its IPv6 EIP carries data both ways; the
 * daemon stops on SIGTERM, writing {@code nat64.snapshot-file}, and starts again with the same
 * configuration; the same connection then carries more data both ways, content checked, and the
 * instance sees it from the same pool4 address and port. Topology and requirements as
 * {@link Nat64EipNamespacesIT} ({@code scripts/e2e-topology.sh config FILE nat64}).
 */
class GracefulRestartNamespacesIT
{
    private static final String CLIENT_NS = "sginet";
    private static final String INSTANCE_NS = "sgsrv";
    private static final String EIP6 = "64:ff9b::cb00:7105";
    private static final String INSTANCE = "192.0.2.5";
    private static final String POOL4 = "203.0.113.64";
    private static final String PORT = "5002";
    private static final int CHUNK_BYTES = 256 * 1024;

    @TempDir
    Path dir;

    private E2eTopology topology;
    private final NamespaceDaemon daemon = new NamespaceDaemon(50);
    private Process server;
    private Process client;

    @Test
    void anEstablishedTcpConnectionCarriesDataAfterTheDaemonRestarts() throws Exception
    {
        RootRequirement.require("ip", "nc", "tcpdump", "flock", "timeout");
        topology = E2eTopology.up();
        final Path snapshot = dir.resolve("sessions.snap");
        final Path config = dir.resolve("gw.yaml");
        final Path counters = dir.resolve("counters.dat");
        final Result printed = run(10, "bash", E2eTopology.SCRIPT, "config", counters.toString(), "nat64");
        assertEquals(0, printed.exit(), printed.output());
        final String mode = "  mode: stateful\n";
        assertTrue(printed.output().contains(mode), printed.output());
        Files.writeString(config, printed.output().replace(mode, mode + "  snapshot-file: " + snapshot + "\n"));

        daemon.start(config, counters, dir.resolve("sixgate-1.log"));
        assertTrue(daemon.log().contains("session snapshot " + snapshot + ": none yet"), daemon.log());

        final Path serverLog = dir.resolve("server.log");
        final Path atInstance = dir.resolve("at-instance.bin");
        final Path atClient = dir.resolve("at-client.bin");
        server = new ProcessBuilder(inNamespaceCommand(INSTANCE_NS, "timeout", "300",
            "nc", "-n", "-4", "-v", "-l", INSTANCE, PORT))
            .redirectOutput(atInstance.toFile()).redirectError(serverLog.toFile()).start();
        daemon.awaitOrFail(30, () -> read(serverLog).contains("Listening on"), () -> "nc -l: " + read(serverLog));
        client = new ProcessBuilder(inNamespaceCommand(CLIENT_NS, "timeout", "300", "nc", "-n", "-6", EIP6, PORT))
            .redirectOutput(atClient.toFile()).redirectError(dir.resolve("client.log").toFile()).start();
        daemon.awaitOrFail(30, () -> read(serverLog).contains("Connection received on"), () -> "no connection: "
            + read(serverLog) + read(dir.resolve("client.log")));
        final Matcher accepted = Pattern.compile("Connection received on (\\S+) (\\d+)").matcher(read(serverLog));
        assertTrue(accepted.find(), read(serverLog));
        assertEquals(POOL4, accepted.group(1), "the instance sees a pool4 address");
        final String pool4Port = accepted.group(2);

        final Random random = new Random(8);
        final byte[] up1 = bytes(random);
        final byte[] down1 = bytes(random);
        final byte[] up2 = bytes(random);
        final byte[] down2 = bytes(random);
        final OutputStream toInstance = client.getOutputStream();
        final OutputStream toClient = server.getOutputStream();
        send(toInstance, up1);
        send(toClient, down1);
        awaitContent(atInstance, up1, "client to instance before the restart");
        awaitContent(atClient, down1, "instance to client before the restart");

        daemon.process().destroy();       // SIGTERM
        assertTrue(daemon.process().waitFor(30, TimeUnit.SECONDS), "no exit after SIGTERM: " + daemon.log());
        assertEquals(0, daemon.process().exitValue(), daemon.log());
        assertTrue(daemon.log().contains("session snapshot " + snapshot + ": 1 sessions written"), daemon.log());

        daemon.start(config, counters, dir.resolve("sixgate-2.log"));
        assertTrue(daemon.log().contains("restored 1, skipped 0"), daemon.log());

        // What the instance sees of the connection after the restart: the same pool4 address and port.
        final Path seen = dir.resolve("tcpdump.txt");
        final Process capture = new ProcessBuilder(inNamespaceCommand(INSTANCE_NS, "timeout", "30",
            "tcpdump", "-n", "-l", "-i", "sgh-srv", "-c", "1", "tcp and src host " + POOL4 + " and dst port " + PORT))
            .redirectErrorStream(true).redirectOutput(seen.toFile()).start();
        daemon.awaitOrFail(10, () -> read(seen).contains("listening on"), () -> "tcpdump: " + read(seen));
        send(toInstance, up2);
        send(toClient, down2);
        awaitContent(atInstance, concat(up1, up2), "client to instance after the restart");
        awaitContent(atClient, concat(down1, down2), "instance to client after the restart");
        assertTrue(capture.waitFor(30, TimeUnit.SECONDS), read(seen));
        assertTrue(read(seen).contains(POOL4 + "." + pool4Port + " > " + INSTANCE + "." + PORT), read(seen));
        assertTrue(client.isAlive() && server.isAlive(), "the connection is still open");
    }

    @AfterEach
    void stopAndTearDown() throws Exception
    {
        for (final Process process : new Process[]{client, server})
        {
            if (process != null)
            {
                process.destroyForcibly();
            }
        }
        daemon.stop();
        if (topology != null)
        {
            topology.down();
        }
        daemon.printLogAndCounters();
    }

    private static byte[] bytes(final Random random)
    {
        final byte[] bytes = new byte[CHUNK_BYTES];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] concat(final byte[] first, final byte[] second)
    {
        final byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }

    private static void send(final OutputStream out, final byte[] bytes) throws IOException
    {
        out.write(bytes);
        out.flush();
    }

    private void awaitContent(final Path file, final byte[] expected, final String what) throws Exception
    {
        daemon.awaitOrFail(60, () -> size(file) >= expected.length, () -> what + ": " + size(file) + " of "
            + expected.length + " bytes arrived; sixgate log:\n" + daemon.log());
        assertArrayEquals(expected, Files.readAllBytes(file), what + ": the bytes differ");
    }

    private static long size(final Path file)
    {
        try
        {
            return Files.size(file);
        }
        catch (final IOException ex)
        {
            return -1;
        }
    }
}
