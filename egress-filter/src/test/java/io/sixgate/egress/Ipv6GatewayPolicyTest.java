package io.sixgate.egress;

import io.sixgate.core.net.Ipv6Prefix;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv6GatewayPolicyTest
{
    private static final Ipv6Prefix VPC = Ipv6Prefix.parse("2001:db8:100::/48");
    private static final Ipv6Prefix A = Ipv6Prefix.parse("2001:db8:100::10/128");
    private static final Ipv6Prefix B = Ipv6Prefix.parse("2001:db8:100::20/128");
    private static final Ipv6Prefix SUBNET = Ipv6Prefix.parse("2001:db8:100:2::/64");

    @Test
    void anEditKeepsTheBucketsOfRulesItDidNotChange()
    {
        final Ipv6GatewayPolicy first = Ipv6GatewayPolicy.builder().vpc(VPC).bandwidth(A, 10, 0).bandwidth(B, 20, 0)
            .build();

        final Ipv6GatewayPolicy second = first.toBuilder().bandwidth(B, 30, 0).egressOnly(A, true).build();

        final int a1 = first.ruleOf(A);
        final int a2 = second.ruleOf(A);
        assertSame(first.outboundBucket(a1), second.outboundBucket(a2), "egress-only does not touch the bucket");
        assertSame(first.inboundBucket(a1), second.inboundBucket(a2));
        assertNotSame(first.outboundBucket(first.ruleOf(B)), second.outboundBucket(second.ruleOf(B)),
            "a new bandwidth is a new bucket");
        assertEquals(Ipv6GatewayPolicy.MODE_EGRESS_ONLY, second.mode(a2));
        assertEquals(30, second.bandwidthMbps(second.ruleOf(B)));
    }

    @Test
    void aSuccessorStartsEmptyAndKeepsTheBucketsOfTheRulesItRepeats()
    {
        final Ipv6GatewayPolicy running = Ipv6GatewayPolicy.builder().vpc(VPC).bandwidth(A, 10, 0)
            .bandwidth(B, 20, 0).build();

        final Ipv6GatewayPolicy reloaded = running.successor().vpc(VPC).bandwidth(A, 10, 0).bandwidth(SUBNET, 5, 0)
            .build();

        assertEquals(2, reloaded.ruleCount());
        assertSame(running.outboundBucket(running.ruleOf(A)), reloaded.outboundBucket(reloaded.ruleOf(A)));
        assertEquals(Ipv6GatewayPolicy.NO_ENTRY, reloaded.ruleOf(B), "B was not in the file: gone");
        assertEquals(Ipv6GatewayPolicy.MODE_VPC_ONLY, reloaded.mode(reloaded.entryOf(B.high(), B.low())));
    }

    @Test
    void ruleOfFindsTheExactPrefixNotTheLongestMatch()
    {
        final Ipv6GatewayPolicy policy = Ipv6GatewayPolicy.builder().vpc(VPC).bandwidth(SUBNET, 5, 20_000).build();

        final Ipv6Prefix inSubnet = Ipv6Prefix.parse("2001:db8:100:2::7/128");

        assertEquals(Ipv6GatewayPolicy.NO_ENTRY, policy.ruleOf(inSubnet));
        assertEquals(policy.ruleOf(SUBNET), policy.entryOf(inSubnet.high(), inSubnet.low()));
        assertEquals(20_000, policy.burstBytes(policy.ruleOf(SUBNET)));
        assertTrue(policy.isVpc(inSubnet.high(), inSubnet.low()));
    }

    @Test
    void bandwidthOutsideTheCloudRangeIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> Ipv6GatewayPolicy.builder().bandwidth(A, 5001, 0));
        assertThrows(IllegalArgumentException.class, () -> Ipv6GatewayPolicy.builder().bandwidth(A, -1, 0));
    }
}
