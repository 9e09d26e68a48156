package io.sixgate.daemon.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * 10 000 mixed IPv4/IPv6 frames on two ports, one Ethernet and one raw IP, through the test
 * pipeline: every frame is either transmitted or dropped by a named reason, and the counters
 * say exactly how many of each.
 */
class TenThousandFramesReplayTest
{
    static final int FRAMES_PER_PORT = 5000;

    @TempDir
    Path dir;

    @Test
    void everyFrameIsTransmittedOrDroppedByItsReason() throws Exception
    {
        final Random random = new Random(6052);
        final List<TestCaptures.Record> ethernet = new ArrayList<>();
        final List<TestCaptures.Record> raw = new ArrayList<>();
        int hopLimitDrops = 0;
        int notIpDrops = 0;
        int ipv6ToV4 = 0;
        int ipv6ToV6 = 0;
        for (int i = 0; i < FRAMES_PER_PORT; i++)
        {
            // Every seventh frame arrives with TTL / hop limit 1, every fiftieth is not IP at all.
            final int hopLimit = i % 7 == 0 ? 1 : 2 + random.nextInt(250);
            final boolean notIp = i % 50 == 25;
            final boolean ipv6OnEthernet = random.nextBoolean();
            final boolean ipv6OnRaw = random.nextBoolean();
            final byte[] fromEthernet = packet(ipv6OnEthernet, hopLimit, i, random);
            final byte[] fromRaw = packet(ipv6OnRaw, hopLimit, FRAMES_PER_PORT + i, random);
            if (notIp)
            {
                fromRaw[0] = 0;
            }
            ethernet.add(TestCaptures.record(ReplayEngineTest.T0 + i * 100_000L, notIp
                ? TestFrames.ethernet(TestFrames.ETHERTYPE_ARP, new byte[28])
                : TestFrames.ethernet(ipv6OnEthernet ? TestFrames.ETHERTYPE_IPV6 : TestFrames.ETHERTYPE_IPV4,
                    fromEthernet)));
            // Even frames tie with the Ethernet port's frame of the same index.
            raw.add(TestCaptures.record(ReplayEngineTest.T0 + i * 100_000L + (i % 2) * 50_000L, fromRaw));
            if (notIp)
            {
                notIpDrops += 2;
            }
            else if (hopLimit == 1)
            {
                hopLimitDrops += 2;
            }
            else
            {
                ipv6ToV4 += ipv6OnEthernet ? 1 : 0;
                ipv6ToV6 += ipv6OnRaw ? 1 : 0;
            }
        }
        final Path inV6 = TestCaptures.write(dir.resolve("in-v6.pcap"), DataLinkType.EN10MB, ethernet);
        final Path inV4 = TestCaptures.write(dir.resolve("in-v4.pcap"), DataLinkType.RAW, raw);
        final Path outV6 = dir.resolve("out-v6.pcap");
        final Path outV4 = dir.resolve("out-v4.pcap");

        final ReplayResult result = new ReplayEngine(new ForwardingTestFactory()).run(
            ReplayEngineTest.config(ReplayEngineTest.TWO_PORTS),
            new ReplayRequest(
                List.of(ReplayEngineTest.bind("v6", inV6), ReplayEngineTest.bind("v4", inV4)),
                List.of(ReplayEngineTest.bind("v6", outV6), ReplayEngineTest.bind("v4", outV4)),
                null));

        final int forwardedPerPort = FRAMES_PER_PORT - hopLimitDrops / 2 - notIpDrops / 2;
        assertEquals(2 * FRAMES_PER_PORT, result.totals().received());
        assertEquals(FRAMES_PER_PORT, result.counter("rx port=v6 worker=0"));
        assertEquals(FRAMES_PER_PORT, result.counter("rx port=v4 worker=0"));
        assertEquals(2 * (715 - 14), hopLimitDrops,
            "per port: 715 multiples of 7 below 5000, less the 14 (175 + 350k) that are not IP");
        assertEquals(hopLimitDrops, result.counter("drop test-forward/hop-limit-exceeded worker=0"));
        assertEquals(notIpDrops, result.counter("drop test-forward/not-ip worker=0"));
        assertEquals(result.totals().received(), result.totals().transmitted() + result.totals().dropped());
        assertEquals(hopLimitDrops + notIpDrops, result.totals().dropped());
        assertEquals(0, result.totals().generated());
        assertEquals(0, result.totals().consumed());
        assertEquals("counters: OK (received 10000 + generated 0 = transmitted " + (2 * forwardedPerPort)
            + " + consumed 0 + dropped " + (hopLimitDrops + notIpDrops) + ")", ReplayReport.conservationLine(result));
        assertTrue(result.balanced(), result.mismatches().toString());

        final List<TestCaptures.Record> leftOnV4 = TestCaptures.read(outV4);
        final List<TestCaptures.Record> leftOnV6 = TestCaptures.read(outV6);
        assertEquals(forwardedPerPort, leftOnV4.size());
        assertEquals(forwardedPerPort, leftOnV6.size());
        assertEquals(ipv6ToV4, countIpv6(leftOnV4, 0));
        assertEquals(ipv6ToV6, countIpv6(leftOnV6, TestFrames.ETHERNET_HEADER));
        assertInTimeOrder(leftOnV4);
        assertInTimeOrder(leftOnV6);
    }

    private static byte[] packet(final boolean ipv6, final int hopLimit, final int sequence, final Random random)
    {
        final int payload = 4 + random.nextInt(400);
        return ipv6 ? TestFrames.ipv6(hopLimit, sequence, payload) : TestFrames.ipv4(hopLimit, sequence, payload);
    }

    private static int countIpv6(final List<TestCaptures.Record> records, final int l3Offset)
    {
        int count = 0;
        for (final TestCaptures.Record record : records)
        {
            count += (record.data()[l3Offset] & 0xF0) == 0x60 ? 1 : 0;
        }
        return count;
    }

    private static void assertInTimeOrder(final List<TestCaptures.Record> records)
    {
        for (int i = 1; i < records.size(); i++)
        {
            assertTrue(records.get(i - 1).timestampNs() <= records.get(i).timestampNs(), "record " + i);
        }
    }
}
