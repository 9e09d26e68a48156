package io.sixgate.daemon.replay;

import static io.sixgate.daemon.replay.TestCaptures.record;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import io.sixgate.core.counters.CountersFile;
import io.sixgate.core.port.LinkType;
import io.sixgate.daemon.BadInputException;
import io.sixgate.daemon.config.ConfigLoader;
import io.sixgate.daemon.config.GatewayConfig;

import org.agrona.concurrent.status.CountersReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.packet.namednumber.DataLinkType;

class ReplayEngineTest
{
    static final long T0 = 1_700_000_000_000_000_000L;

    static final String TWO_PORTS = """
        ports:
          - {name: v6, type: tap, mac: 02:00:00:00:00:01, addresses: [2001:db8::1/64]}
          - {name: v4, type: tap, mac: 02:00:00:00:00:02, addresses: [192.0.2.1/24]}
        """;

    @TempDir
    Path dir;

    static GatewayConfig config(final String yaml) throws Exception
    {
        return ConfigLoader.load("test.yaml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    static CaptureBinding bind(final String port, final Path file)
    {
        return new CaptureBinding(port, file);
    }

    private ReplayResult replay(final String yaml, final List<CaptureBinding> in, final List<CaptureBinding> out)
        throws Exception
    {
        return new ReplayEngine(new ForwardingTestFactory()).run(config(yaml), new ReplayRequest(in, out, null));
    }

    @Test
    void forwardsBetweenEthernetAndRawPortsKeepingTimestamps() throws Exception
    {
        final byte[] v6Packet = TestFrames.ipv6(64, 1, 8);
        final byte[] v4Packet = TestFrames.ipv4(64, 2, 8);
        final byte[] rawPacket = TestFrames.ipv4(10, 3, 8);
        final Path inV6 = TestCaptures.write(dir.resolve("in-v6.pcap"), DataLinkType.EN10MB, List.of(
            record(T0 + 1_000, TestFrames.ethernet(TestFrames.ETHERTYPE_IPV6, v6Packet)),
            record(T0 + 3_000, TestFrames.ethernet(TestFrames.ETHERTYPE_IPV4, v4Packet))));
        final Path inV4 = TestCaptures.write(dir.resolve("in-v4.pcap"), DataLinkType.RAW, List.of(
            record(T0 + 2_000, rawPacket)));
        final Path outV6 = dir.resolve("out-v6.pcap");
        final Path outV4 = dir.resolve("out-v4.pcap");

        final ReplayResult result = replay(TWO_PORTS,
            List.of(bind("v6", inV6), bind("v4", inV4)), List.of(bind("v6", outV6), bind("v4", outV4)));

        final List<TestCaptures.Record> leftOnV4 = TestCaptures.read(outV4);
        assertEquals(2, leftOnV4.size());
        assertEquals(T0 + 1_000, leftOnV4.get(0).timestampNs());
        assertArrayEquals(withHopLimit(v6Packet, 7, 63), leftOnV4.get(0).data(), "Ethernet header stripped");
        assertEquals(T0 + 3_000, leftOnV4.get(1).timestampNs());
        assertArrayEquals(withHopLimit(v4Packet, 8, 63), leftOnV4.get(1).data());

        final List<TestCaptures.Record> leftOnV6 = TestCaptures.read(outV6);
        assertEquals(1, leftOnV6.size());
        assertEquals(T0 + 2_000, leftOnV6.get(0).timestampNs());
        final byte[] expectedFrame = TestFrames.ethernet(TestFrames.ETHERTYPE_IPV4, withHopLimit(rawPacket, 8, 9));
        System.arraycopy(ForwardingTestFactory.NEXT_HOP_MAC, 0, expectedFrame, 0, 6);
        expectedFrame[11] = 1;
        assertArrayEquals(expectedFrame, leftOnV6.get(0).data(), "Ethernet header from the port's MAC");

        assertEquals(DataLinkType.EN10MB.value(), TestCaptures.dataLinkType(outV6));
        assertEquals(DataLinkType.RAW.value(), TestCaptures.dataLinkType(outV4));
        assertEquals(0xA1B2C3D4, TestCaptures.magic(outV4), "microsecond inputs give microsecond outputs");

        assertEquals(List.of(
            new ReplayResult.Capture(bind("v6", inV6), LinkType.ETHERNET, 2),
            new ReplayResult.Capture(bind("v4", inV4), LinkType.RAW, 1)), result.inputs());
        assertEquals(List.of(
            new ReplayResult.Capture(bind("v6", outV6), LinkType.ETHERNET, 1),
            new ReplayResult.Capture(bind("v4", outV4), LinkType.RAW, 2)), result.outputs());
        assertEquals(List.of(
            new ReplayResult.Counter("rx port=v6 worker=0", 2),
            new ReplayResult.Counter("tx port=v6 worker=0", 1),
            new ReplayResult.Counter("rx port=v4 worker=0", 1),
            new ReplayResult.Counter("tx port=v4 worker=0", 2)), result.counters());
        assertEquals(new ReplayResult.Totals(3, 0, 3, 0, 0), result.totals());
        assertTrue(result.balanced(), result.mismatches().toString());
        assertEquals("counters: OK (received 3 + generated 0 = transmitted 3 + consumed 0 + dropped 0)",
            ReplayReport.conservationLine(result));
    }

    @Test
    void mergesInputsByTimestampAndBreaksTiesByOptionOrder() throws Exception
    {
        final Path a = TestCaptures.write(dir.resolve("a.pcap"), DataLinkType.RAW, List.of(
            record(T0 + 100_000, TestFrames.ipv4(64, 1, 4)),
            record(T0 + 200_000, TestFrames.ipv6(64, 3, 4))));
        final Path b = TestCaptures.write(dir.resolve("b.pcap"), DataLinkType.RAW, List.of(
            record(T0 + 100_000, TestFrames.ipv6(64, 2, 4)),
            record(T0 + 150_000, TestFrames.ipv4(64, 4, 4)),
            record(T0 + 200_000, TestFrames.ipv4(64, 5, 4))));
        final ReplayEngine engine = new ReplayEngine(new ForwardingTestFactory("v4"));
        final Path out = dir.resolve("out.pcap");

        engine.run(config(TWO_PORTS), new ReplayRequest(
            List.of(bind("v6", a), bind("v4", b)), List.of(bind("v4", out)), null));
        assertEquals(List.of(1, 2, 4, 3, 5), sequences(out));

        engine.run(config(TWO_PORTS), new ReplayRequest(
            List.of(bind("v4", b), bind("v6", a)), List.of(bind("v4", out)), null));
        assertEquals(List.of(2, 1, 4, 5, 3), sequences(out));
    }

    @Test
    void keepsNanosecondTimestamps() throws Exception
    {
        final Path in = TestCaptures.write(dir.resolve("in.pcap"), DataLinkType.RAW, PcapHandle.TimestampPrecision.NANO,
            List.of(record(T0 + 123_456_789, TestFrames.ipv6(64, 1, 4))));
        final Path out = dir.resolve("out.pcap");

        replay(TWO_PORTS, List.of(bind("v6", in)), List.of(bind("v4", out)));

        assertEquals(T0 + 123_456_789, TestCaptures.read(out).get(0).timestampNs());
        assertEquals(0xA1B23C4D, TestCaptures.magic(out), "a nanosecond input gives nanosecond outputs");
    }

    @Test
    void readsIpv4AndIpv6LinkTypesAsRawIp() throws Exception
    {
        final Path in = TestCaptures.writeByHand(dir.resolve("in.pcap"), 229,
            List.of(record(T0, TestFrames.ipv6(64, 1, 4))), new int[]{52});
        final Path out = dir.resolve("out.pcap");

        final ReplayResult result = replay(TWO_PORTS, List.of(bind("v6", in)), List.of(bind("v4", out)));

        assertEquals(LinkType.RAW, result.inputs().get(0).linkType());
        assertEquals(1, TestCaptures.read(out).size());
    }

    @Test
    void countsFramesThatCannotEnterThePoolAsInputDrops() throws Exception
    {
        final String smallSlots = "frame-pool: {frames: 64, slot-size: 256}\n" + TWO_PORTS;
        final Path in = TestCaptures.writeByHand(dir.resolve("in.pcap"), 101, List.of(
            record(T0, TestFrames.ipv4(64, 1, 8)),
            record(T0 + 1, TestFrames.ipv4(64, 2, 200)),
            record(T0 + 2, TestFrames.ipv4(64, 3, 8))), new int[]{36, 228, 1500});

        final ReplayResult result = replay(smallSlots, List.of(bind("v4", in)), List.of());

        assertEquals(3, result.counter("rx port=v4 worker=0"), "every record counts as received");
        assertEquals(1, result.counter("tx port=v6 worker=0"));
        assertEquals(1, result.counter("drop replay/oversize-frame worker=0"), "228 bytes > 256 - 128 headroom");
        assertEquals(1, result.counter("drop replay/snapped-frame worker=0"), "36 of 1500 bytes captured");
        assertEquals(new ReplayResult.Totals(3, 0, 1, 0, 2), result.totals());
        assertTrue(result.balanced(), result.mismatches().toString());
    }

    @Test
    void dropsWhenStagesHoldEveryFrameOfThePool() throws Exception
    {
        final String oneFrame = "frame-pool: {frames: 1}\n" + TWO_PORTS;
        final Path in = TestCaptures.write(dir.resolve("in.pcap"), DataLinkType.RAW, List.of(
            record(T0, TestFrames.ipv4(254, 1, 8)),
            record(T0 + 1, TestFrames.ipv4(64, 2, 8)),
            record(T0 + 2, TestFrames.ipv4(64, 3, 8))));

        final ReplayResult result = replay(oneFrame, List.of(bind("v4", in)), List.of());

        assertEquals(1, result.counter("consumed worker=0"));
        assertEquals(2, result.counter("drop replay/pool-exhausted worker=0"));
        assertEquals(1, result.framesHeld());
        assertTrue(result.balanced(), result.mismatches().toString());
    }

    @Test
    void countsGeneratedAndConsumedFrames() throws Exception
    {
        final Path in = TestCaptures.write(dir.resolve("in.pcap"), DataLinkType.EN10MB, List.of(
            record(T0, TestFrames.ethernet(TestFrames.ETHERTYPE_IPV6, TestFrames.ipv6(255, 1, 8))),
            record(T0 + 1, TestFrames.ethernet(TestFrames.ETHERTYPE_ARP, new byte[28])),
            record(T0 + 2, TestFrames.ethernet(TestFrames.ETHERTYPE_IPV6, TestFrames.ipv6(1, 2, 8)))));
        final Path out = dir.resolve("out.pcap");

        final ReplayResult result = replay(TWO_PORTS, List.of(bind("v6", in)), List.of(bind("v6", out)));

        assertEquals(new ReplayResult.Totals(3, 1, 1, 1, 2), result.totals());
        assertEquals(1, result.counter("drop test-forward/not-ip worker=0"));
        assertEquals(1, result.counter("drop test-forward/hop-limit-exceeded worker=0"));
        assertEquals(1, TestCaptures.read(out).size(), "the answer leaves on the receiving port");
        assertEquals(T0, TestCaptures.read(out).get(0).timestampNs());
        assertEquals("counters: OK (received 3 + generated 1 = transmitted 1 + consumed 1 + dropped 2)",
            ReplayReport.conservationLine(result));
    }

    @Test
    void portsWithoutOutputCountTheirFramesAsTransmitted() throws Exception
    {
        final Path in = TestCaptures.write(dir.resolve("in.pcap"), DataLinkType.RAW, List.of(
            record(T0, TestFrames.ipv4(64, 1, 8)), record(T0 + 1, TestFrames.ipv4(64, 2, 8))));

        final ReplayResult result = replay(TWO_PORTS, List.of(bind("v4", in)), List.of());

        assertEquals(2, result.counter("tx port=v6 worker=0"));
        assertTrue(result.outputs().isEmpty());
        assertTrue(result.balanced(), result.mismatches().toString());
    }

    @Test
    void keepsTheCountersFileWhenAskedAndDeletesTheTemporaryOne() throws Exception
    {
        final Path in = TestCaptures.write(dir.resolve("in.pcap"), DataLinkType.RAW, List.of(
            record(T0, TestFrames.ipv4(64, 1, 8))));
        final Path counters = dir.resolve("run/counters.dat");
        // A directory of this test's own: other builds on the machine replay into /tmp meanwhile.
        final Path temporary = Files.createDirectories(dir.resolve("tmp"));

        new ReplayEngine(new ForwardingTestFactory(), temporary).run(config(TWO_PORTS),
            new ReplayRequest(List.of(bind("v4", in)), List.of(), counters));
        new ReplayEngine(new ForwardingTestFactory(), temporary).run(config(TWO_PORTS),
            new ReplayRequest(List.of(bind("v4", in)), List.of(), null));

        assertEquals(List.of(), temporaryCounterFiles(temporary), "the temporary counters file is gone");
        try (CountersFile file = CountersFile.open(counters.toFile()))
        {
            final CountersReader reader = file.reader();
            final List<String> nonZero = new ArrayList<>();
            reader.forEach((id, type, key, label) ->
            {
                if (reader.getCounterValue(id) != 0)
                {
                    nonZero.add(label + "=" + reader.getCounterValue(id));
                }
            });
            assertEquals(List.of("tx port=v6 worker=0=1", "rx port=v4 worker=0=1"), nonZero, "in allocation order");
        }
    }

    @Test
    void reportsAMismatchWhenTheSinkLosesFrames() throws Exception
    {
        final Path in = TestCaptures.write(dir.resolve("in.pcap"), DataLinkType.RAW, List.of(
            record(T0, TestFrames.ipv4(64, 1, 8))));
        final ForwardingTestFactory honest = new ForwardingTestFactory();
        final ReplayEngine engine = new ReplayEngine((config, ports, pool, txSink, counters, worker) ->
            honest.create(config, ports, pool, (port, frame) -> pool.release(frame), counters));

        final ReplayResult result = engine.run(config(TWO_PORTS),
            new ReplayRequest(List.of(bind("v4", in)), List.of(bind("v6", dir.resolve("out.pcap"))), null));

        assertFalse(result.balanced());
        assertEquals(List.of("port v6: wrote 0 frames to " + dir.resolve("out.pcap") + " but counted 1 transmitted"),
            result.mismatches());
        assertTrue(ReplayReport.conservationLine(result).startsWith("counters: MISMATCH ("));
    }

    @Test
    void refusesBadRequestsWithOneClearMessage() throws Exception
    {
        final Path good = TestCaptures.write(dir.resolve("good.pcap"), DataLinkType.RAW, List.of(
            record(T0, TestFrames.ipv4(64, 1, 8))));
        final Path cooked = TestCaptures.write(dir.resolve("cooked.pcap"), DataLinkType.LINUX_SLL, List.of(
            record(T0, new byte[16])));
        final Path garbage = Files.writeString(dir.resolve("garbage.pcap"), "this is not a capture file");
        final Path truncated = dir.resolve("truncated.pcap");
        final byte[] whole = Files.readAllBytes(TestCaptures.write(dir.resolve("two.pcap"), DataLinkType.RAW, List.of(
            record(T0, TestFrames.ipv4(64, 1, 8)), record(T0 + 1, TestFrames.ipv4(64, 2, 8)))));
        Files.write(truncated, Arrays.copyOf(whole, whole.length - 10));
        final Path missing = dir.resolve("missing.pcap");

        assertRefused("--in v5=" + good + ": no port named \"v5\" in the configuration (ports: v6, v4)",
            TWO_PORTS, List.of(bind("v5", good)), List.of());
        assertRefused("--out v7=" + dir.resolve("o.pcap") + ": no port named \"v7\" in the configuration "
            + "(ports: v6, v4)", TWO_PORTS, List.of(bind("v4", good)), List.of(bind("v7", dir.resolve("o.pcap"))));
        assertRefused("--in v4=" + missing + ": port v4 already has --in v4=" + good,
            TWO_PORTS, List.of(bind("v4", good), bind("v4", missing)), List.of());
        assertRefused("--out v6=" + good + ": would overwrite --in v4=" + good,
            TWO_PORTS, List.of(bind("v4", good)), List.of(bind("v6", good)));
        assertRefused("--in v4=" + missing + ": no such file", TWO_PORTS, List.of(bind("v4", missing)), List.of());
        assertRefused("--in v4=" + dir + ": is a directory", TWO_PORTS, List.of(bind("v4", dir)), List.of());
        assertRefused("--in v4=" + cooked + ": link type 113 (Linux cooked-mode capture) is not supported; "
            + "sixgate reads Ethernet (1) and raw IP (101, 228, 229) captures",
            TWO_PORTS, List.of(bind("v4", cooked)), List.of());
        assertRefused("--in v4=" + garbage + ": not a capture file libpcap can read (unknown file format)",
            TWO_PORTS, List.of(bind("v4", garbage)), List.of());
        assertRefused("--out v6=" + dir.resolve("no/such/out.pcap") + ": no such directory " + dir.resolve("no/such"),
            TWO_PORTS, List.of(bind("v4", good)), List.of(bind("v6", dir.resolve("no/such/out.pcap"))));
        assertRefused("replay runs one worker, but the configuration sets workers: 2",
            "workers: 2\n" + TWO_PORTS, List.of(bind("v4", good)), List.of());
        assertRefused("nothing to replay: give at least one --in PORT=FILE", TWO_PORTS, List.of(), List.of());

        final BadInputException broken = assertThrows(BadInputException.class,
            () -> replay(TWO_PORTS, List.of(bind("v4", truncated)), List.of()));
        assertTrue(broken.getMessage().startsWith("--in v4=" + truncated + ": record 2: truncated dump file"),
            broken.getMessage());
    }

    private void assertRefused(final String expected, final String yaml, final List<CaptureBinding> in,
        final List<CaptureBinding> out)
    {
        final BadInputException ex = assertThrows(BadInputException.class, () -> replay(yaml, in, out));
        assertEquals(expected, ex.getMessage());
    }

    private static byte[] withHopLimit(final byte[] packet, final int offset, final int value)
    {
        final byte[] copy = packet.clone();
        copy[offset] = (byte)value;
        return copy;
    }

    private static List<Integer> sequences(final Path capture) throws Exception
    {
        final List<Integer> sequences = new ArrayList<>();
        for (final TestCaptures.Record record : TestCaptures.read(capture))
        {
            sequences.add(TestFrames.sequence(record.data()));
        }
        return sequences;
    }

    private static List<Path> temporaryCounterFiles(final Path directory) throws Exception
    {
        try (Stream<Path> files = Files.list(directory))
        {
            return files.filter(f -> f.getFileName().toString().startsWith("sixgate-replay-")).sorted().toList();
        }
    }
}
