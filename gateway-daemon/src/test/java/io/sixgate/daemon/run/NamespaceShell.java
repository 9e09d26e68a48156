package io.sixgate.daemon.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sixgate.daemon.run.E2eTopology.Result;

/**
 * What the namespace end-to-end tests check with the hosts' tools: a ping's replies, a TCP
 * transfer with nc from one namespace to another. Commands with a time limit (in a namespace) and
 * the lock that makes builds on one machine take turns with the namespaces are
 * {@link E2eTopology}'s.
 */
final class NamespaceShell
{
    private NamespaceShell()
    {
    }

    /**
     * Whether a {@code ping -c COUNT -w DEADLINE} got its COUNT replies: with a deadline ping
     * keeps sending until COUNT are answered (a late reply then shows as more transmitted), and
     * ends 0 only when they were.
     */
    static boolean pingAnswered(final int exit, final String output, final int count)
    {
        final Matcher summary = Pattern.compile("(\\d+) packets transmitted, (\\d+) received").matcher(output);
        return exit == 0 && summary.find() && Integer.parseInt(summary.group(2)) >= count;
    }

    /**
     * Sends {@code sent} with nc from {@code clientNamespace} to a listener at {@code server}
     * in {@code serverNamespace} and checks it arrived byte for byte.
     */
    static void transferTcp(
        final Path dir,
        final String clientNamespace,
        final String serverNamespace,
        final Path sent,
        final String family,
        final String server,
        final int port)
        throws Exception
    {
        final Path received = dir.resolve("received" + family + ".bin");
        final Process listener = new ProcessBuilder("ip", "netns", "exec", serverNamespace, "timeout", "60",
            "nc", family, "-l", server, Integer.toString(port))
            .redirectOutput(received.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Result client = null;
        for (int attempt = 0; attempt < 50; attempt++)
        {
            // Until the listener is up the connection is refused; then the whole file goes through.
            final Process sender = new ProcessBuilder("ip", "netns", "exec", clientNamespace, "timeout", "60",
                "nc", family, "-N", server, Integer.toString(port))
                .redirectInput(sent.toFile()).redirectErrorStream(true).start();
            assertTrue(sender.waitFor(70, TimeUnit.SECONDS), "nc client hung");
            client = new Result(sender.exitValue(), new String(sender.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            if (client.exit() == 0)
            {
                break;
            }
            Thread.sleep(100);
        }
        assertEquals(0, client.exit(), "nc " + family + " client: " + client.output());
        assertTrue(listener.waitFor(60, TimeUnit.SECONDS), "nc listener did not end");
        assertArrayEquals(Files.readAllBytes(sent), Files.readAllBytes(received),
            "TCP over " + family + " arrived intact (" + Files.size(received) + " bytes)");
    }
}
