package io.sixgate.daemon.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.packet.PacketBuilder;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * The user's path: {@code scripts/sixgate replay} on the packaged jar with a capture of
 * 10 000 mixed IPv4/IPv6 frames, through the real gateway pipeline. Every frame is transmitted
 * or dropped by its named reason, and the program says the counters add up.
 */
class LauncherReplayIT
{
    private static final int FRAMES = 10_000;
    private static final String CONFIG = String.join("\n",
        "ports:",
        "  - {name: vpc, type: tap, addresses: [\"2001:db8:0:1::1/64\", 192.0.2.1/24]}",
        "  - {name: internet, type: tap, addresses: [\"2001:db8:ffff::1/64\", 198.51.100.1/24]}",
        "routes:",
        "  - {prefix: \"::/0\", via: \"2001:db8:ffff::2\", port: internet}",
        "  - {prefix: 0.0.0.0/0, via: 198.51.100.2, port: internet}",
        "");

    @TempDir
    Path dir;

    @Test
    void launcherReplaysTenThousandMixedFramesAndTheCountersAddUp() throws Exception
    {
        final Random random = new Random(7915);
        final List<TestCaptures.Record> frames = new ArrayList<>();
        int expired6 = 0;
        int expired4 = 0;
        for (int i = 0; i < FRAMES; i++)
        {
            final boolean ipv6 = random.nextBoolean();
            final int hopLimit = i % 10 == 0 ? 1 : 64;
            final PacketBuilder packet = ipv6
                ? PacketBuilder.ipv6("2001:db8:0:1::10", "2001:db8:aaaa::" + Integer.toHexString(1 + i % 500))
                : PacketBuilder.ipv4("192.0.2.10", "203.0.113." + (1 + i % 200));
            byte[] bytes = packet.ttl(hopLimit).udp(40000 + i % 1000, 53).payload(random.nextInt(600)).build();
            if (i % 10 == 5)
            {
                bytes = Arrays.copyOf(PacketBuilder.ipv6("2001:db8:0:1::10", "2001:db8:aaaa::1").udp(1, 2)
                    .payload(100).build(), 30);
            }
            else if (hopLimit == 1)
            {
                expired6 += ipv6 ? 1 : 0;
                expired4 += ipv6 ? 0 : 1;
            }
            frames.add(TestCaptures.record(1_767_225_600_000_000_000L + i * 10_000L, bytes));
        }
        final Path config = Files.writeString(dir.resolve("gw.yaml"), CONFIG);
        final Path in = TestCaptures.write(dir.resolve("vpc-in.pcap"), DataLinkType.RAW, frames);
        final Path out = dir.resolve("internet-out.pcap");

        final ProcessBuilder launcher = new ProcessBuilder("bash", "../scripts/sixgate", "replay",
            "--config", config.toString(), "--in", "vpc=" + in, "--out", "internet=" + out)
            .redirectErrorStream(true);
        launcher.environment().put("SIXGATE_NO_BUILD", "1");
        final Process process = launcher.start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "replay did not finish");

        assertEquals(0, process.exitValue(), output);
        // Every expired packet is answered with Time Exceeded (back out of vpc) unless the ICMP
        // rate limit (1000 a second, bursts of 50; the capture spans 0.1 s) holds it back.
        final long sent4 = counter(output, "event ipv4-forward/icmp-error-sent");
        final long sent6 = counter(output, "event ipv6-forward/icmp-error-sent");
        assertEquals(expired4, sent4 + counter(output, "event ipv4-forward/icmp-error-rate-limited"), output);
        assertEquals(expired6, sent6 + counter(output, "event ipv6-forward/icmp-error-rate-limited"), output);
        assertTrue(sent4 + sent6 >= 50 && sent4 + sent6 < expired4 + expired6, output);
        assertEquals(sent4 + sent6, counter(output, "tx port=vpc"), output);
        assertTrue(output.contains("counters: OK (received 10000 + generated " + (sent4 + sent6) + " = transmitted "
            + (8000 + sent4 + sent6) + " + consumed 0 + dropped 2000)"), output);
        assertTrue(output.matches("(?s).*drop ipv6-input/truncated-header worker=0 +1000\\R.*"), output);
        assertTrue(output.matches("(?s).*drop ipv6-forward/hop-limit-exceeded worker=0 +" + expired6 + "\\R.*"), output);
        assertTrue(output.matches("(?s).*drop ipv4-forward/ttl-exceeded worker=0 +" + expired4 + "\\R.*"), output);
        assertEquals(8000, TestCaptures.read(out).size());
    }

    private static long counter(final String output, final String label)
    {
        final java.util.regex.Matcher matcher = java.util.regex.Pattern
            .compile("(?m)^  " + java.util.regex.Pattern.quote(label) + " worker=0 +(\\d+)$").matcher(output);
        return matcher.find() ? Long.parseLong(matcher.group(1)) : 0;
    }
}
