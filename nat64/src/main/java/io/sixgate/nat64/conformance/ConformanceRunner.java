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
import java.util.concurrent.TimeUnit;

import io.sixgate.core.counters.InMemoryCounters;
import io.sixgate.core.counters.PipelineCounters;
import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.Pipeline;
import io.sixgate.core.port.LinkType;
import io.sixgate.core.port.Port;
import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.core.pipeline.Stage;
import io.sixgate.nat64.siit.EgressMtu;
import io.sixgate.nat64.siit.Siit46Stage;
import io.sixgate.nat64.siit.Siit64Stage;
import io.sixgate.nat64.siit.TranslatorConfig;
import io.sixgate.nat64.state.PortRange;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.state.SessionTableConfig;
import io.sixgate.nat64.state.TcpStateMachine;
import io.sixgate.nat64.stateful.EipTable;
import io.sixgate.nat64.stateful.HeldSynQueue;
import io.sixgate.nat64.stateful.Nat64Shard;
import io.sixgate.nat64.stateful.Nat64Stateful46Stage;
import io.sixgate.nat64.stateful.Nat64Stateful64Stage;
import io.sixgate.nat64.stateful.Nat64StatefulConfig;
import io.sixgate.nat64.stateful.StaticBibEntry;

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
    /** The stateless suite (RFC 7915 + EAMT). */
    public static final String SUITE_SIIT = "siit";

    /** The stateful suite (RFC 6146); its cases share one session table, in file order. */
    public static final String SUITE_NAT64 = "nat64";

    /** Packet-clock step between two nat64 cases. */
    public static final long NAT64_CASE_STEP_NS = TimeUnit.MILLISECONDS.toNanos(100);

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
     * The translator part of the base setup of suite {@code nat64} (corpus README): pool6
     * 64:ff9b::/96 with the RFC 6052 §3.1 check off (the corpus embeds 192.0.2.0/24), the
     * gateway's addresses 192.0.2.2 and 2001:db8::1, MTUs 1500.
     */
    public static Map<String, String> nat64TranslatorSetup()
    {
        final Map<String, String> p = new LinkedHashMap<>();
        p.put(TranslatorConfig.PREFIX_KEY, "64:ff9b::/96");
        p.put(TranslatorConfig.WKP_GLOBAL_ONLY_KEY, "false");
        p.put(TranslatorConfig.LOCAL_IPV4_KEY, "192.0.2.2");
        p.put(TranslatorConfig.LOCAL_IPV6_KEY, "2001:db8::1");
        p.put(TranslatorConfig.LOWEST_IPV6_MTU_KEY, "1280");
        p.put(TranslatorConfig.MTU_IPV4_KEY, "1500");
        p.put(TranslatorConfig.MTU_IPV6_KEY, "1500");
        return p;
    }

    /**
     * The base setup of suite {@code nat64} (corpus README): pool4 192.0.2.2 ports 1-3000 for TCP,
     * UDP and ICMP, the four static BIB entries, endpoint-independent filtering, a 6 s SYN hold.
     */
    public static Nat64StatefulConfig nat64BaseSetup(final TranslatorConfig translator)
    {
        final int pool4 = Ipv4Address.parse("192.0.2.2");
        final long[] n6 = Ipv6Address.parse("2001:db8::5");
        final long[] n6b = Ipv6Address.parse("2001:db8:1::5");
        final List<StaticBibEntry> bib = List.of(
            new StaticBibEntry(SessionProtocol.TCP, n6[0], n6[1], 2000, pool4, 2000),
            new StaticBibEntry(SessionProtocol.UDP, n6[0], n6[1], 2000, pool4, 2000),
            new StaticBibEntry(SessionProtocol.ICMP, n6[0], n6[1], 1, pool4, 1),
            new StaticBibEntry(SessionProtocol.UDP, n6b[0], n6b[1], 1001, pool4, 1000),
            new StaticBibEntry(SessionProtocol.UDP, n6[0], n6[1], 1003, pool4, 1002));
        final PortRange ports = new PortRange(1, 3000);
        return new Nat64StatefulConfig(translator, new int[]{pool4}, ports, ports, ports, bib,
            SessionTableConfig.of(4096, 4096, 1024, 0x5EED), false, TcpStateMachine.INCOMING_SYN_HOLD_NS,
            Nat64StatefulConfig.DEFAULT_MAX_HELD_SYNS, EipTable.EMPTY, Nat64StatefulConfig.DEFAULT_SWEEP_SLOTS_PER_PACKET,
            Nat64StatefulConfig.DEFAULT_SWEEP_SLOTS_PER_TICK, 0x5EED);
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
        if (SUITE_NAT64.equals(suite))
        {
            // The cases build on each other's sessions: one state, one pool, one clock.
            try (Nat64Run state = new Nat64Run())
            {
                for (final ConformanceCase c : cases(suite))
                {
                    results.add(runNat64(c, state));
                }
            }
            return results;
        }
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
        if (SUITE_NAT64.equals(c.suite()))
        {
            try (Nat64Run state = new Nat64Run())
            {
                return runNat64(c, state);
            }
        }
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
            final FramePool pool = new FramePool(FRAMES, SLOT_SIZE, HEADROOM);
            final List<List<byte[]>> transmitted = List.of(new ArrayList<>(), new ArrayList<>());
            final Pipeline pipeline = pipeline(pool, mtu4, mtu6, transmitted,
                new Siit46Stage(config, pool, PortTxStage.IPV6_OUTPUT, PortTxStage.IPV4_OUTPUT),
                new Siit64Stage(config, pool, PortTxStage.IPV4_OUTPUT, PortTxStage.IPV6_OUTPUT));
            return runIn(c, pool, pipeline, transmitted, 0, 0, null);
        }
        catch (final RuntimeException ex)
        {
            return new CaseResult(c, false, "exception: " + ex);
        }
    }

    /**
     * One nat64 case on the suite's shared state: base setup plus the case's env, a fresh
     * pipeline (the env may change MTUs), the clock a step further, {@code wait=} honoured by
     * ticking the pipeline that much later before collecting.
     */
    private CaseResult runNat64(final ConformanceCase c, final Nat64Run state)
    {
        final Map<String, String> settings = nat64TranslatorSetup();
        int mtu4 = 1500;
        int mtu6 = 1500;
        long waitNs = 0;
        for (final String entry : c.env())
        {
            final int eq = entry.indexOf('=');
            final String key = eq < 0 ? entry : entry.substring(0, eq);
            final String value = eq < 0 ? "" : entry.substring(eq + 1);
            switch (key)
            {
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
                    break;
                case "wait":
                    waitNs = TimeUnit.SECONDS.toNanos(Long.parseLong(value.replace("s", "")));
                    break;
                default:
                    return new CaseResult(c, false, "unsupported env setting '" + entry + "'");
            }
        }
        try
        {
            final TranslatorConfig translator =
                TranslatorConfig.fromProperties(settings).withEgressMtu(EgressMtu.fixed(mtu4, mtu6));
            final Nat64Shard shard = state.shard.withTranslator(translator);
            final FramePool pool = state.pool;
            final List<List<byte[]>> transmitted = List.of(new ArrayList<>(), new ArrayList<>());
            final Pipeline pipeline = pipeline(pool, mtu4, mtu6, transmitted,
                new Nat64Stateful46Stage(shard, pool, PortTxStage.IPV6_OUTPUT, PortTxStage.IPV4_OUTPUT),
                new Nat64Stateful64Stage(shard, pool, PortTxStage.IPV4_OUTPUT, PortTxStage.IPV6_OUTPUT,
                    Nat64Stateful46Stage.HAIRPIN_NAME),
                Nat64Stateful46Stage.hairpin(shard, pool, PortTxStage.IPV6_OUTPUT, PortTxStage.IPV4_OUTPUT));
            state.clockNs += NAT64_CASE_STEP_NS;
            final CaseResult result = runIn(c, pool, pipeline, transmitted, state.clockNs, waitNs, shard.heldSyns());
            state.clockNs += waitNs;
            return result;
        }
        catch (final RuntimeException ex)
        {
            return new CaseResult(c, false, "exception: " + ex);
        }
    }

    private static Pipeline pipeline(
        final FramePool pool, final int mtu4, final int mtu6, final List<List<byte[]>> transmitted,
        final Stage translate46, final Stage translate64, final Stage... more)
    {
        final Port n4 = new Port(0, PORT_N4, LinkType.RAW, 0, mtu4);
        final Port n6 = new Port(1, PORT_N6, LinkType.RAW, 0, mtu6);
        final Pipeline.Builder builder = Pipeline.builder()
            .pool(pool)
            .txSink((portId, frame) ->
            {
                transmitted.get(portId).add(pool.copyOut(frame));
                pool.release(frame);
            })
            .port(n4, RawIpDispatchStage.NAME)
            .port(n6, RawIpDispatchStage.NAME)
            .stage(new RawIpDispatchStage(RawIpDispatchStage.NAME, pool, translate46.name(), translate64.name()))
            .stage(translate64)
            .stage(translate46);
        for (final Stage stage : more)
        {
            builder.stage(stage);
        }
        return builder
            .stage(new PortTxStage(PortTxStage.IPV4_OUTPUT, PORT_N4))
            .stage(new PortTxStage(PortTxStage.IPV6_OUTPUT, PORT_N6))
            .build(newCountersManager(), 0);
    }

    /**
     * @param nowNs     packet clock of the inputs.
     * @param waitNs    how much later the pipeline is ticked before collecting (0: not at all).
     * @param held      the SYNs a stateful NAT64 holds (their frames are not leaked), or null.
     */
    private CaseResult runIn(
        final ConformanceCase c, final FramePool pool, final Pipeline pipeline, final List<List<byte[]>> transmitted,
        final long nowNs, final long waitNs, final HeldSynQueue held)
    {
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
            pool.timestampNs(frame, nowNs);
            pipeline.receive(frame);
        }
        if (waitNs > 0)
        {
            pipeline.tick(nowNs + waitNs);
        }
        final int kept = held == null ? 0 : held.size();
        if (pool.capacity() - pool.available() != kept)
        {
            return new CaseResult(c, false, (pool.capacity() - pool.available() - kept) + " frames leaked");
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

    /** The state a nat64 suite run keeps from case to case. */
    private static final class Nat64Run implements AutoCloseable
    {
        private final FramePool pool = new FramePool(FRAMES, SLOT_SIZE, HEADROOM);
        private final Nat64Shard shard = new Nat64Shard(nat64BaseSetup(
            TranslatorConfig.fromProperties(nat64TranslatorSetup())));
        private long clockNs = TimeUnit.SECONDS.toNanos(1000);

        @Override
        public void close()
        {
            shard.releaseHeld(pool);
            shard.close();
        }
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
