package io.sixgate.nat64.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.counters.PipelineCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.nat64.siit.EgressMtu;
import io.sixgate.nat64.siit.Siit46Stage;
import io.sixgate.nat64.siit.Siit64Stage;
import io.sixgate.nat64.siit.TranslatorConfig;

import org.agrona.concurrent.status.CountersManager;

/**
 * Runs the translator conformance corpus (Jool's graybox packets, see the corpus README) through
 * a real {@link Pipeline}: {@code raw-ip-input} dispatches by IP version into {@link Siit64Stage}
 * or {@link Siit46Stage}, whose output stages {@code ipv4-output} and {@code ipv6-output} transmit
 * on ports {@code n4} and {@code n6}. For each case the pipeline is built with the suite's base
 * setup plus the case's env, the input packets are received on their sender ports, and what is
 * transmitted on the receiver port is compared byte for byte outside the ignored offsets.
 *
 * <p>The corpus is read from its directory at run time, never copied. Test and tool code: it
 * allocates freely.
 */
public final class ConformanceRunner
{
    /** The suite this runner can set up. */
    public static final String SUITE_SIIT = "siit";

    /** Port of the IPv4 side. */
    public static final String PORT_N4 = "n4";

    /** Port of the IPv6 side. */
    public static final String PORT_N6 = "n6";

    private static final int FRAMES = 64;
    private static final int SLOT_SIZE = 4096;
    private static final int HEADROOM = 256;
    private static final int MAX_DIFFS_SHOWN = 6;

    private final Path corpusDir;

    /**
     * @param corpusDir the corpus directory (holding {@code cases.tsv}).
     */
    public ConformanceRunner(final Path corpusDir)
    {
        this.corpusDir = corpusDir;
    }

    public Path corpusDir()
    {
        return corpusDir;
    }

    /**
     * The base setup of suite {@code siit} (corpus README), as translator settings.
     */
    public static Map<String, String> siitBaseSetup()
    {
        final Map<String, String> p = new LinkedHashMap<>();
        p.put(TranslatorConfig.MODE_KEY, TranslatorConfig.MODE_SIIT);
        p.put(TranslatorConfig.PREFIX_KEY, "2001:db8:100::/40");
        p.put(TranslatorConfig.EAMT_KEY, "1.0.0.0/24=2001:db8:3::/120, 10.0.0.0/24=2001:db8:2::/120");
        p.put(TranslatorConfig.RFC6791_V4_KEY, "203.0.113.8");
        p.put(TranslatorConfig.RFC6791_V6_KEY, "");
        p.put(TranslatorConfig.LOCAL_IPV4_KEY, "198.51.100.1");
        p.put(TranslatorConfig.LOCAL_IPV6_KEY, "2001:db8:1c0:2:1::");
        p.put(TranslatorConfig.LOWEST_IPV6_MTU_KEY, "1280");
        p.put(TranslatorConfig.AMEND_UDP_CHECKSUM_ZERO_KEY, "false");
        p.put(TranslatorConfig.MTU_IPV4_KEY, "1500");
        p.put(TranslatorConfig.MTU_IPV6_KEY, "1500");
        return p;
    }

    /**
     * Reads the cases of one suite from {@code cases.tsv}, in file order.
     *
     * @throws UncheckedIOException when the file cannot be read.
     * @throws IllegalArgumentException when a line is malformed.
     */
    public List<ConformanceCase> cases(final String suite)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(corpusDir.resolve("cases.tsv"), StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + corpusDir.resolve("cases.tsv"), ex);
        }
        final List<ConformanceCase> cases = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++)
        {
            final String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#"))
            {
                continue;
            }
            final String[] f = line.split("\t", -1);
            if (f.length < 9)
            {
                throw new IllegalArgumentException("cases.tsv line " + (i + 1) + ": expected 9 columns, got " + f.length);
            }
            if (!f[0].equals(suite))
            {
                continue;
            }
            cases.add(new ConformanceCase(
                f[0], f[1], f[2],
                List.of(f[3].split("\\+")),
                f[4].trim(),
                words(f[5]),
                words(f[6]),
                offsets(f[7]),
                words(f[8])));
        }
        return cases;
    }

    /**
     * Runs every case of a suite, in file order.
     */
    public List<CaseResult> run(final String suite)
    {
        final List<CaseResult> results = new ArrayList<>();
        for (final ConformanceCase c : cases(suite))
        {
            results.add(run(c));
        }
        return results;
    }

    /**
     * Runs one case in a fresh pipeline. Never throws for a translator failure: an exception
     * from the pipeline is a failed case whose detail names it.
     */
    public CaseResult run(final ConformanceCase c)
    {
        if (!SUITE_SIIT.equals(c.suite()))
        {
            return new CaseResult(c, false, "suite '" + c.suite() + "' is not implemented by this runner");
        }
        final Map<String, String> settings = siitBaseSetup();
        int mtu4 = 1500;
        int mtu6 = 1500;
        for (final String entry : c.env())
        {
            if (entry.startsWith("eamt+"))
            {
                final String existing = settings.getOrDefault(TranslatorConfig.EAMT_KEY, "");
                settings.put(TranslatorConfig.EAMT_KEY,
                    (existing.isEmpty() ? "" : existing + ", ") + entry.substring("eamt+".length()));
                continue;
            }
            final int eq = entry.indexOf('=');
            final String key = eq < 0 ? entry : entry.substring(0, eq);
            final String value = eq < 0 ? "" : entry.substring(eq + 1);
            switch (key)
            {
                case "pool6":
                    settings.put(TranslatorConfig.PREFIX_KEY, "null".equals(value) ? "none" : value);
                    break;
                case "rfc6791v4-prefix":
                    settings.put(TranslatorConfig.RFC6791_V4_KEY, "null".equals(value) ? "" : value);
                    break;
                case "rfc6791v6-prefix":
                    settings.put(TranslatorConfig.RFC6791_V6_KEY, "null".equals(value) ? "" : value);
                    break;
                case "lowest-ipv6-mtu":
                    settings.put(TranslatorConfig.LOWEST_IPV6_MTU_KEY, value);
                    break;
                case "amend-udp-checksum-zero":
                    settings.put(TranslatorConfig.AMEND_UDP_CHECKSUM_ZERO_KEY, value);
                    break;
                case "zeroize-traffic-class":
                    settings.put(TranslatorConfig.ZEROIZE_TRAFFIC_CLASS_KEY, value);
                    break;
                case "mtu.gateway.v4":
                    mtu4 = Integer.parseInt(value);
                    break;
                case "mtu.gateway.v6":
                    mtu6 = Integer.parseInt(value);
                    break;
                case "mtu.client.v4", "mtu.client.v6":
                    // Informational (README): lets the client send such packets; the runner's
                    // frames are large enough for every corpus packet.
                    break;
                default:
                    return new CaseResult(c, false, "unsupported env setting '" + entry + "'");
            }
        }

        final TranslatorConfig config;
        try
        {
            config = TranslatorConfig.fromProperties(settings).withEgressMtu(EgressMtu.fixed(mtu4, mtu6));
        }
        catch (final RuntimeException ex)
        {
            return new CaseResult(c, false, "bad setup: " + ex.getMessage());
        }

        try
        {
            return runIn(c, config, mtu4, mtu6);
        }
        catch (final RuntimeException ex)
        {
            return new CaseResult(c, false, "exception: " + ex);
        }
    }

    private CaseResult runIn(final ConformanceCase c, final TranslatorConfig config, final int mtu4, final int mtu6)
    {
        final FramePool pool = new FramePool(FRAMES, SLOT_SIZE, HEADROOM);
        final Port n4 = new Port(0, PORT_N4, LinkType.RAW, 0, mtu4);
        final Port n6 = new Port(1, PORT_N6, LinkType.RAW, 0, mtu6);
        final List<List<byte[]>> transmitted = List.of(new ArrayList<>(), new ArrayList<>());
        final Pipeline pipeline = Pipeline.builder()
            .pool(pool)
            .txSink((portId, frame) ->
            {
                transmitted.get(portId).add(pool.copyOut(frame));
                pool.release(frame);
            })
            .port(n4, RawIpDispatchStage.NAME)
            .port(n6, RawIpDispatchStage.NAME)
            .stage(new RawIpDispatchStage(RawIpDispatchStage.NAME, pool, Siit46Stage.NAME, Siit64Stage.NAME))
            .stage(new Siit64Stage(config, pool, PortTxStage.IPV4_OUTPUT, PortTxStage.IPV6_OUTPUT))
            .stage(new Siit46Stage(config, pool, PortTxStage.IPV6_OUTPUT, PortTxStage.IPV4_OUTPUT))
            .stage(new PortTxStage(PortTxStage.IPV4_OUTPUT, PORT_N4))
            .stage(new PortTxStage(PortTxStage.IPV6_OUTPUT, PORT_N6))
            .build(newCountersManager(), 0);

        if (c.inputs().size() != c.senders().size())
        {
            return new CaseResult(c, false, c.senders().size() + " senders for " + c.inputs().size() + " inputs");
        }
        for (int i = 0; i < c.inputs().size(); i++)
        {
            final byte[] input = read(c.inputs().get(i));
            final int frame = pool.allocateCopy(input, 0, input.length);
            if (frame == FramePool.NO_FRAME)
            {
                return new CaseResult(c, false, "input " + c.inputs().get(i) + " does not fit a frame");
            }
            pool.port(frame, pipeline.portId(c.senders().get(i)));
            pipeline.receive(frame);
        }
        if (pool.available() != pool.capacity())
        {
            return new CaseResult(c, false, (pool.capacity() - pool.available()) + " frames leaked");
        }

        final int receiver = pipeline.portId(c.receiver());
        if (receiver < 0)
        {
            return new CaseResult(c, false, "unknown receiver port '" + c.receiver() + "'");
        }
        final List<byte[]> got = transmitted.get(receiver);
        final StringBuilder diff = new StringBuilder();
        if (got.size() != c.expected().size())
        {
            diff.append("expected ").append(c.expected().size()).append(" packet(s) on ").append(c.receiver())
                .append(", got ").append(got.size());
            final int other = 1 - receiver;
            if (!transmitted.get(other).isEmpty())
            {
                diff.append(" (").append(transmitted.get(other).size()).append(" on ")
                    .append(pipeline.port(other).name()).append(')');
            }
            appendDrops(diff, pipeline);
        }
        for (int i = 0; i < Math.min(got.size(), c.expected().size()); i++)
        {
            compare(c, i, read(c.expected().get(i)), got.get(i), diff);
        }
        return new CaseResult(c, diff.length() == 0, diff.toString());
    }

    private static void compare(
        final ConformanceCase c, final int index, final byte[] expected, final byte[] got, final StringBuilder diff)
    {
        final StringBuilder local = new StringBuilder();
        if (expected.length != got.length)
        {
            local.append("length ").append(expected.length).append(" vs ").append(got.length).append("; ");
        }
        int shown = 0;
        int differing = 0;
        for (int i = 0; i < Math.min(expected.length, got.length); i++)
        {
            if (expected[i] != got[i] && c.compares(i))
            {
                differing++;
                if (shown < MAX_DIFFS_SHOWN)
                {
                    local.append(i).append(": ").append(hex(expected[i])).append(" vs ").append(hex(got[i])).append(", ");
                    shown++;
                }
            }
        }
        if (local.length() == 0)
        {
            return;
        }
        if (differing > shown)
        {
            local.append("... ").append(differing).append(" bytes differ, ");
        }
        local.setLength(local.length() - 2);
        if (diff.length() > 0)
        {
            diff.append(" | ");
        }
        if (c.expected().size() > 1)
        {
            diff.append("packet ").append(index + 1).append(": ");
        }
        diff.append(local);
    }

    private static void appendDrops(final StringBuilder diff, final Pipeline pipeline)
    {
        final PipelineCounters counters = pipeline.counters();
        final String[] labels = pipeline.dropLabels();
        String separator = "; dropped: ";
        for (int i = 0; i < labels.length; i++)
        {
            if (counters.dropped(i) > 0)
            {
                diff.append(separator).append(labels[i]);
                separator = ", ";
            }
        }
    }

    private static String hex(final byte b)
    {
        return String.format("%02x", b & 0xFF);
    }

    private byte[] read(final String relative)
    {
        try
        {
            return Files.readAllBytes(corpusDir.resolve(relative));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read corpus packet " + relative, ex);
        }
    }

    private static CountersManager newCountersManager()
    {
        return InMemoryCounters.create(512);
    }

    private static List<String> words(final String column)
    {
        final String trimmed = column.trim();
        if (trimmed.isEmpty() || "-".equals(trimmed))
        {
            return List.of();
        }
        return List.of(trimmed.split("\\s+"));
    }

    private static int[] offsets(final String column)
    {
        final String trimmed = column.trim();
        if (trimmed.isEmpty() || "-".equals(trimmed))
        {
            return new int[0];
        }
        return Arrays.stream(trimmed.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }
}
