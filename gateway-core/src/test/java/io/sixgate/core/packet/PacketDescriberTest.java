package io.sixgate.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PacketDescriberTest
{
    private static final long A = 0x02_00_00_00_00_01L;
    private static final long B = 0x02_00_00_00_00_10L;

    @Test
    void describesArpInTcpdumpsWords()
    {
        assertEquals("ARP request who-has 192.0.2.1 tell 192.0.2.10", PacketDescriber.describe(
            PacketBuilder.arp(EthernetFlyweight.BROADCAST_MAC, ArpFlyweight.OPER_REQUEST, B, "192.0.2.10", 0, "192.0.2.1"),
            true));
        assertEquals("ARP reply 192.0.2.1 is-at 02:00:00:00:00:01", PacketDescriber.describe(
            PacketBuilder.arp(B, ArpFlyweight.OPER_REPLY, A, "192.0.2.1", B, "192.0.2.10"), true));
    }

    @Test
    void namesCommonIcmpTypes()
    {
        assertEquals("IPv6 2001:db8::1 > 2001:db8::2 ICMPv6 neighbor-advertisement code 0 len 72 hlim 255",
            PacketDescriber.describe(PacketBuilder.ipv6("2001:db8::1", "2001:db8::2").ttl(255)
                .neighborAdvertisement("2001:db8::1", NdpFlyweight.FLAG_ROUTER, A).build(), false));
        assertEquals("IPv4 192.0.2.1 > 192.0.2.10 ICMP echo-reply code 0 len 28 ttl 64",
            PacketDescriber.describe(PacketBuilder.ipv4("192.0.2.1", "192.0.2.10").icmpEchoReply(1, 1).build(), false));
        assertEquals("IPv4 192.0.2.1 > 192.0.2.10 ICMP type 13 code 0 len 28 ttl 64",
            PacketDescriber.describe(PacketBuilder.ipv4("192.0.2.1", "192.0.2.10").icmp(13, 0, 0).build(), false));
    }
}
