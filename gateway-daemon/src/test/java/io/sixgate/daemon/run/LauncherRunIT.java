package io.sixgate.daemon.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sixgate.daemon.port.RootRequirement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/sixgate run} as a user starts it on the packaged jar, for the ways it must
 * refuse: one line on stderr, nothing on stdout, the documented exit status.
 */
class LauncherRunIT
{
    @TempDir
    Path dir;

    private record Result(int exit, String stdout, String stderr)
    {
    }

    private static Result launch(final List<String> prefix, final String... args) throws Exception
    {
        final List<String> command = new ArrayList<>(prefix);
        command.add("bash");
        command.add(Path.of("../scripts/sixgate").toAbsolutePath().normalize().toString());
        command.addAll(List.of(args));
        final ProcessBuilder launcher = new ProcessBuilder(command);
        launcher.environment().put("SIXGATE_NO_BUILD", "1");
        final Process process = launcher.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "sixgate did not finish");
        return new Result(process.exitValue(),
            new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
            new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void aConfigurationItCannotRunIsOneLineAndExitTwo() throws Exception
    {
        final Path config = Files.writeString(dir.resolve("gw.yaml"),
            "counters-file: " + dir.resolve("c.dat") + "\nworkers: 2\nframe-pool: {slot-size: 2048}\n"
            + "ports: [{name: vpc, type: tap, mtu: 9000}]\n");

        final Result result = launch(List.of(), "run", "--config", config.toString());

        assertEquals(2, result.exit(), result.stderr());
        assertEquals("sixgate: port vpc: mtu 9000 makes frames of up to 9018 bytes, but a frame-pool slot holds 1920"
            + " (slot-size 2048 minus 128 headroom); raise frame-pool.slot-size\n", result.stderr());
        assertEquals("", result.stdout());
    }

    @Test
    void withoutRootItSaysSoInOneLineAndExitsOne() throws Exception
    {
        // Root is needed to become nobody; the launcher then runs as a user without privileges.
        RootRequirement.require("setpriv");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        final Path config = Files.writeString(dir.resolve("gw.yaml"),
            "counters-file: " + dir.resolve("c.dat") + "\nports: [{name: vpc, type: tap, device: sg-nobody0}]\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));

        final Result result = launch(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
            "env", "HOME=/tmp"), "run", "--config", config.toString());

        assertEquals(1, result.exit(), result.stderr());
        assertEquals("sixgate: port vpc: cannot open /dev/net/tun: Permission denied (run as root)\n", result.stderr());
        assertEquals("", result.stdout());
        assertTrue(Files.notExists(dir.resolve("c.dat")), "nothing created");
    }

    @Test
    void aPcapPortWithoutPermissionToCaptureIsOneLineAndExitOne() throws Exception
    {
        // lo is in every namespace; nobody may not open a packet socket on it, so nothing is captured.
        RootRequirement.require("setpriv");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        final Path config = Files.writeString(dir.resolve("gw.yaml"), "counters-file: " + dir.resolve("c.dat")
            + "\nports: [{name: wan, type: pcap, device: lo, mac: \"02:53:47:00:00:01\"}]\n");
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));

        final Result result = launch(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
            "env", "HOME=/tmp"), "run", "--config", config.toString());

        assertEquals(1, result.exit(), result.stderr());
        assertTrue(result.stderr().startsWith("sixgate: port wan: cannot capture on lo: "), result.stderr());
        assertTrue(result.stderr().endsWith(" (run as root, or with CAP_NET_RAW)\n"), result.stderr());
        assertEquals(1, result.stderr().lines().count(), result.stderr());
        assertEquals("", result.stdout());
        assertTrue(Files.notExists(dir.resolve("c.dat")), "nothing created");
    }

    @Test
    void aPcapPortOnAMissingInterfaceIsOneLineAndExitOne() throws Exception
    {
        final Path config = Files.writeString(dir.resolve("gw.yaml"),
            "counters-file: " + dir.resolve("c.dat") + "\nports: [{name: wan, type: pcap, device: xyz}]\n");

        final Result result = launch(List.of(), "run", "--config", config.toString());

        assertEquals(1, result.exit(), result.stderr());
        assertEquals("sixgate: port wan: no interface named \"xyz\" (pcap)\n", result.stderr());
        assertEquals("", result.stdout());
    }
}
