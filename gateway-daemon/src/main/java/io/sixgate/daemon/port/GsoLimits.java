package io.sixgate.daemon.port;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How large a TCP super-packet a TAP with offload may hand sixgate: what fits a frame-pool slot.
 * A slot of {@link #TAP_GSO_MAX_SIZE} bytes of frame or more takes anything a TAP gives. A smaller
 * one makes sixgate tell the kernel, with {@code ip link set DEV gso_max_segs S gso_max_size N}
 * (no ioctl sets them): a forwarded super-packet larger or with more segments is cut in software
 * before it reaches the TAP (gso_features_check), so every frame read fits a slot. Senders size
 * their bursts by their own device's limit (64 KiB), so most of theirs are then cut: keep the
 * default slot.
 *
 * <p>A segment is at most {@code mtu - 40} bytes of payload (IPv4 and TCP headers of 20 each;
 * the IPv6 one is smaller still, 60), so {@code S = (room - headers) / (mtu - 40)} with room for
 * the Ethernet, largest IP (with extension headers) and TCP headers. Start-up only.
 */
final class GsoLimits
{
    /** The most a TAP hands over, Ethernet header included: tun keeps the legacy GSO limit (no BIG TCP). */
    static final int TAP_GSO_MAX_SIZE = 65536;
    /** Ethernet (14) + IPv6 with some extension headers (40 + 80) + TCP with options (60), rounded up. */
    static final int HEADERS_ROOM = 256;
    /** Fewer segments than this is not worth a super-packet: offload is then left at checksums only. */
    static final int MIN_SEGMENTS = 2;
    private static final long IP_TIMEOUT_MS = 5_000;

    private GsoLimits()
    {
    }

    /**
     * @param frameRoom bytes a frame may take in a slot (slot size less headroom).
     * @param mtu       the port's MTU.
     * @return how many segments a super-packet may have, 0 when fewer than {@link #MIN_SEGMENTS} fit.
     */
    static int segments(final int frameRoom, final int mtu)
    {
        final int segments = (frameRoom - HEADERS_ROOM) / Math.max(1, mtu - 40);
        return segments < MIN_SEGMENTS ? 0 : Math.min(segments, 65535);
    }

    /**
     * @return the gso_max_size that goes with {@code segments}: their payload and one set of headers.
     */
    static int maxSize(final int segments, final int mtu)
    {
        return Math.min(TAP_GSO_MAX_SIZE, segments * (mtu - 40) + HEADERS_ROOM);
    }

    /**
     * @return whether a slot of {@code frameRoom} bytes takes the largest super-packet a TAP gives.
     */
    static boolean unlimited(final int frameRoom)
    {
        return frameRoom >= TAP_GSO_MAX_SIZE;
    }

    /**
     * Sets the device's gso_max_segs and gso_max_size with {@code ip link}.
     *
     * @throws PortOpenException when {@code ip} is missing or refuses (the message says which).
     */
    static void apply(final String device, final int segments, final int maxSize) throws PortOpenException
    {
        final List<String> command = List.of("ip", "link", "set", "dev", device, "gso_max_segs",
            Integer.toString(segments), "gso_max_size", Integer.toString(maxSize));
        try
        {
            final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String output;
            if (!process.waitFor(IP_TIMEOUT_MS, TimeUnit.MILLISECONDS))
            {
                process.destroyForcibly();
                throw new PortOpenException("'" + String.join(" ", command) + "' did not finish in 5 s");
            }
            output = new String(process.getInputStream().readAllBytes()).trim();
            if (process.exitValue() != 0)
            {
                throw new PortOpenException("'" + String.join(" ", command) + "' failed: " + output);
            }
        }
        catch (final IOException ex)
        {
            throw new PortOpenException("cannot run 'ip' to limit the super-packets of " + device + ": "
                + ex.getMessage(), ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new PortOpenException("interrupted while limiting the super-packets of " + device, ex);
        }
    }
}
