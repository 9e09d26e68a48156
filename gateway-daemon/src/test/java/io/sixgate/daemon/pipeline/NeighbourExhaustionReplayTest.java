package io.sixgate.daemon.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.neighbour.NeighbourCache;
import io.sixgate.core.packet.NdpFlyweight;
import io.sixgate.core.packet.PacketBuilder;
import io.sixgate.core.port.LinkType;

import org.junit.jupiter.api.Test;

/**
 * The neighbour queue under pressure, through the gateway's own pipeline on the packet clock
 * (issue 8): a next hop that never answers, and floods of on-link destinations nobody answers
 * for. Waiting frames stay bounded, the excess is a named drop, the unresolved are dropped
 * when resolution gives up, no frame leaks, and traffic to a neighbour that is known never
 * waits or is lost.
 */
class NeighbourExhaustionReplayTest
{
    private static final long VPC_MAC = 0x02_00_00_00_00_01L;
    private static final long INTERNET_MAC = 0x02_00_00_00_00_02L;
    private static final long HOST_MAC = 0x02_00_00_00_00_10L;
    private static final long KNOWN_ROUTER_MAC = 0x02_00_00_00_00_33L;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final String CONFIG = String.join("\n",
        "frame-pool: {frames: 4096}",
        "ports:",
        "  - {name: vpc, type: tap, mac: \"02:00:00:00:00:01\", addresses: [\"2001:db8:0:1::1/64\"]}",
        "  - {name: internet, type: tap, mac: \"02:00:00:00:00:02\", addresses: [\"2001:db8:ffff::1/64\"]}",
        "routes:",
        "  - {prefix: \"2001:db8:aaaa::/48\", via: \"2001:db8:ffff::3\", port: internet}",
        "  - {prefix: \"::/0\", via: \"2001:db8:ffff::2\", port: internet}",
        "neighbours:",
        "  - {address: \"2001:db8:ffff::3\", mac: \"02:00:00:00:00:33\", port: internet}",
        "  - {address: \"2001:db8:0:1::10\", mac: \"02:00:00:00:00:10\", port: vpc}",
        "");

    private static byte[] fromHost(final String destination)
    {
        return PacketBuilder.ipv6("2001:db8:0:1::10", destination).udp(4000, 53).payload(20).ethernet(VPC_MAC, HOST_MAC)
            .build();
    }

    private static long dstMac(final byte[] frame)
    {
        long mac = 0;
        for (int i = 0; i < 6; i++)
        {
            mac = mac << 8 | frame[i] & 0xFF;
        }
        return mac;
    }

    /** Sends to the known neighbour's route and requires the packet to leave at once, to it. */
    private static void knownNeighbourStillServed(final PacketClockPipeline gateway, final int i)
    {
        gateway.send("vpc", fromHost("2001:db8:aaaa::" + Integer.toHexString(1 + i % 0xFFFE)));
        final List<byte[]> out = gateway.take("internet");
        assertEquals(1, out.stream().filter(frame -> dstMac(frame) == KNOWN_ROUTER_MAC).count(),
            "the packet to the known next hop left at once");
    }

    @Test
    void aNextHopThatNeverAnswersHoldsAtMostItsQueueAndOthersAreUnaffected() throws Exception
    {
        final PacketClockPipeline gateway = new PacketClockPipeline(CONFIG, LinkType.ETHERNET);
        final NeighbourCache cache = gateway.neighbours();
        int largest = 0;
        for (int i = 0; i < 200; i++)
        {
            gateway.advance(MS);
            gateway.send("vpc", fromHost("2001:db8:bbbb::" + Integer.toHexString(1 + i)));
            largest = Math.max(largest, cache.queuedTotal());
            knownNeighbourStillServed(gateway, i);
        }
        assertTrue(largest <= NeighbourCache.DEFAULT_QUEUE_PER_NEIGHBOUR, "one neighbour's queue is bounded: " + largest);
        assertEquals(200 - NeighbourCache.DEFAULT_QUEUE_PER_NEIGHBOUR, gateway.dropped("l2-output/neighbour-queue-full"),
            "the newest replaced the oldest, each a named drop");

        // Resolution gives up after 3 solicitations a second apart: the waiting frames are dropped.
        gateway.advance(5 * SECOND, 100 * MS);
        assertEquals(NeighbourCache.DEFAULT_QUEUE_PER_NEIGHBOUR, gateway.dropped("l2-output/neighbour-unresolved"));
        assertEquals(0, cache.queuedTotal());
        gateway.assertConserved(0);
        knownNeighbourStillServed(gateway, 0);
    }

    @Test
    void floodsOfUnansweredOnLinkDestinationsStayBoundedAndResolutionWorksAfterwards() throws Exception
    {
        final PacketClockPipeline gateway = new PacketClockPipeline(CONFIG, LinkType.ETHERNET);
        final NeighbourCache cache = gateway.neighbours();
        final int destinations = 6_000;     // more than the cache's 4096 entries
        int largestQueued = 0;
        int largestCache = 0;
        for (int i = 0; i < destinations; i++)
        {
            gateway.advance(100_000);
            gateway.send("vpc", fromHost("2001:db8:ffff::1:" + Integer.toHexString(i)));
            largestQueued = Math.max(largestQueued, cache.queuedTotal());
            largestCache = Math.max(largestCache, cache.size());
            if (i % 100 == 0)
            {
                knownNeighbourStillServed(gateway, i);
            }
        }
        assertTrue(largestQueued <= NeighbourCache.DEFAULT_QUEUE_TOTAL, "waiting frames in all are bounded: " + largestQueued);
        assertTrue(largestCache <= cache.capacity(), "the cache never grew past its entries: " + largestCache);
        final long queued = cache.queuedTotal();
        assertEquals(destinations - queued, gateway.dropped("l2-output/neighbour-queue-full")
            + gateway.dropped("l2-output/neighbour-cache-full") + gateway.dropped("l2-output/neighbour-unresolved"),
            "every frame that could not wait is a named drop");

        // Every resolution gives up; stale entries go; then a new neighbour resolves as usual.
        gateway.advance(70 * SECOND, 100 * MS);
        assertEquals(0, cache.queuedTotal());
        gateway.assertConserved(0);
        gateway.forgetTransmitted();
        gateway.send("vpc", fromHost("2001:db8:ffff::77"));
        gateway.advance(MS);
        gateway.send("internet", PacketBuilder.ipv6("2001:db8:ffff::77", "2001:db8:ffff::1").ttl(255)
            .neighborAdvertisement("2001:db8:ffff::77", NdpFlyweight.FLAG_SOLICITED | NdpFlyweight.FLAG_OVERRIDE,
                0x02_00_00_00_00_77L).ethernet(INTERNET_MAC, 0x02_00_00_00_00_77L).build());
        assertEquals(1, gateway.take("internet").stream().filter(frame -> dstMac(frame) == 0x02_00_00_00_00_77L).count(),
            "the waiting packet left once its neighbour answered");
        knownNeighbourStillServed(gateway, 1);
        gateway.assertConserved(0);
    }
}
