package io.sixgate.daemon.port;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/**
 * Tests that create TAP devices or namespaces need root and {@code /dev/net/tun}. CI runs as
 * root, so there a missing requirement fails the build with the reason; with
 * {@code -Dsixgate.e2e.optional=true} (a developer's laptop) the tests are skipped and say why.
 */
public final class RootRequirement
{
    public static final String OPTIONAL_PROPERTY = "sixgate.e2e.optional";

    private RootRequirement()
    {
    }

    /**
     * Fails, or skips when optional, unless this JVM runs as root with /dev/net/tun, and every
     * command in {@code commands} is on the PATH.
     */
    public static void require(final String... commands)
    {
        final String missing = missing(commands);
        if (missing == null)
        {
            return;
        }
        final String message = missing + " (CI runs as root; on a workstation run as root, or pass -D"
            + OPTIONAL_PROPERTY + "=true to skip these tests)";
        if (Boolean.getBoolean(OPTIONAL_PROPERTY))
        {
            Assumptions.abort("SKIPPED: " + message);
        }
        fail(message);
    }

    private static String missing(final String... commands)
    {
        if (!isRoot())
        {
            return "not running as root (uid 0)";
        }
        if (!Files.exists(Path.of("/dev/net/tun")))
        {
            return "/dev/net/tun is missing (modprobe tun)";
        }
        for (final String command : commands)
        {
            if (!onPath(command))
            {
                return command + " is not installed (scripts/setup-debian.sh installs it)";
            }
        }
        return null;
    }

    /**
     * @return whether this JVM runs as root, for tests whose expectations differ.
     */
    public static boolean isRootForTests()
    {
        return isRoot();
    }

    static boolean isRoot()
    {
        try
        {
            for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
            {
                if (line.startsWith("Uid:"))
                {
                    return line.split("\\s+")[2].equals("0");
                }
            }
        }
        catch (final IOException ex)
        {
            return false;
        }
        return false;
    }

    private static boolean onPath(final String command)
    {
        final String path = System.getenv("PATH") + ":/usr/sbin:/sbin";
        for (final String dir : path.split(":"))
        {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command)))
            {
                return true;
            }
        }
        return false;
    }
}
