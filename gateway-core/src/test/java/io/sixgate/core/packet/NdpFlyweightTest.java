package io.sixgate.core.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.sixgate.core.packet.TestBuffers.directBuffer;
import static io.sixgate.core.packet.TestBuffers.directBufferWith;
import static io.sixgate.core.packet.TestBuffers.fromHex;
import static io.sixgate.core.packet.TestBuffers.toHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NdpFlyweightTest
{
    private static final int OFFSET = 14;
    private static final long MAC = 0x0200_0000_0001L;

    /**
     * Neighbor Solicitation from fe80::1 (02:00:00:00:00:01) for 2001:db8::2, sent to its
     * solicited-node group ff02::1:ff00:2, hop limit 255, checksum 4b5f.
     */
    private static final String NS_PACKET =
        "60000000 0020 3a ff fe800000000000000000000000000001 ff0200000000000000000001ff000002" +
        "87 00 4b5f 00000000 20010db8000000000000000000000002 01 01 020000000001";

    private final NdpFlyweight ndp = new NdpFlyweight();

    @Test
    void writesNeighborSolicitationMatchingKnownBytes()
    {
        final UnsafeBuffer buffer = directBuffer(128);
        final int icmpOffset = OFFSET + 40;
        new Ipv6Flyweight().wrap(buffer, OFFSET)
            .versionClassAndFlow(0, 0)
            .payloadLength(32)
            .nextHeader(IpProtocol.ICMPV6)
            .hopLimit(255)
            .src(PacketBuilder.ipv6High("fe80::1"), PacketBuilder.ipv6Low("fe80::1"))
            .dst(PacketBuilder.ipv6High("ff02::1:ff00:2"), PacketBuilder.ipv6Low("ff02::1:ff00:2"));
        final Icmpv6Flyweight icmp = new Icmpv6Flyweight().wrap(buffer, icmpOffset)
            .type(Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION)
            .code(0);
        ndp.wrap(buffer, icmpOffset, 32)
            .flagsWord(0)
            .target(PacketBuilder.ipv6High("2001:db8::2"), PacketBuilder.ipv6Low("2001:db8::2"));
        final int end = ndp.putLinkLayerAddressOption(
            icmpOffset + NdpFlyweight.NEIGHBOR_OPTIONS_OFFSET, NdpFlyweight.OPTION_SOURCE_LINK_LAYER_ADDRESS, MAC);
        icmp.checksum(InternetChecksum.icmpv6Checksum(buffer, OFFSET, icmpOffset, 32));

        assertEquals(icmpOffset + 32, end);
        assertEquals(toHex(fromHex(NS_PACKET)), toHex(buffer, OFFSET, 72));
    }

    @Test
    void packetBuilderBuildsTheSameNeighborSolicitation()
    {
        final byte[] built = PacketBuilder.ipv6("fe80::1", "ff02::1:ff00:2")
            .ttl(255)
            .neighborSolicitation("2001:db8::2", MAC)
            .build();
        assertEquals(toHex(fromHex(NS_PACKET)), TestBuffers.toHex(built));
    }

    @Test
    void readsNeighborSolicitation()
    {
        final UnsafeBuffer buffer = directBufferWith(fromHex(NS_PACKET), OFFSET, 0);
        ndp.wrap(buffer, OFFSET + 40, 32);

        assertEquals(Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION, ndp.type());
        assertEquals(PacketBuilder.ipv6High("2001:db8::2"), ndp.targetHigh());
        assertEquals(PacketBuilder.ipv6Low("2001:db8::2"), ndp.targetLow());
        assertEquals(MAC, ndp.sourceLinkLayerAddress());
        assertEquals(NdpFlyweight.NO_LINK_LAYER_ADDRESS, ndp.targetLinkLayerAddress());
        assertTrue(ndp.hasValidOptions());

        final UnsafeBuffer copy = directBuffer(32);
        ndp.getTarget(copy, 4);
        assertEquals("20010db8000000000000000000000002", toHex(copy, 4, 16));
    }

    @Test
    void writesAndReadsNeighborAdvertisementFlags()
    {
        final UnsafeBuffer buffer = directBuffer(64);
        buffer.putByte(2, (byte)Icmpv6Flyweight.TYPE_NEIGHBOR_ADVERTISEMENT);
        ndp.wrap(buffer, 2, 32).flagsWord(0).routerFlag(true).solicitedFlag(true).overrideFlag(true);
        assertEquals("e0000000", toHex(buffer, 2 + NdpFlyweight.FLAGS_OFFSET, 4));

        ndp.solicitedFlag(false);
        assertTrue(ndp.routerFlag());
        assertFalse(ndp.solicitedFlag());
        assertTrue(ndp.overrideFlag());
        assertEquals(0xA000_0000, ndp.flagsWord());

        final UnsafeBuffer source = directBufferWith(fromHex("20010db8000000000000000000000009"), 1, 0);
        ndp.putTarget(source, 1);
        assertEquals(9L, ndp.targetLow());
        ndp.putLinkLayerAddressOption(2 + 24, NdpFlyweight.OPTION_TARGET_LINK_LAYER_ADDRESS, MAC);
        assertEquals(MAC, ndp.targetLinkLayerAddress());
        assertEquals(NdpFlyweight.NO_LINK_LAYER_ADDRESS, ndp.sourceLinkLayerAddress());
    }

    @Test
    void walksEveryOptionInOrder()
    {
        final UnsafeBuffer buffer = directBuffer(128);
        buffer.putByte(0, (byte)Icmpv6Flyweight.TYPE_ROUTER_ADVERTISEMENT);
        final int first = NdpFlyweight.ROUTER_ADVERTISEMENT_OPTIONS_OFFSET;
        buffer.putBytes(first, fromHex("05 01 0000 000005dc" + "01 01 020000000001" + "03 04" + "00".repeat(30)));
        ndp.wrap(buffer, 0, first + 48);

        final StringBuilder types = new StringBuilder();
        for (int o = ndp.firstOption(); o != NdpFlyweight.NO_OPTION; o = ndp.nextOption(o))
        {
            types.append(ndp.optionType(o)).append(':').append(ndp.optionLengthBytes(o)).append(' ');
        }
        assertEquals("5:8 1:8 3:32 ", types.toString());
        assertTrue(ndp.hasValidOptions());
        assertEquals(MAC, ndp.sourceLinkLayerAddress());
    }

    @Test
    void zeroLengthOptionStopsTheWalkAndInvalidatesTheMessage()
    {
        final UnsafeBuffer buffer = directBufferWith(fromHex(NS_PACKET + "0200000000000000"), 0, 0);
        buffer.putByte(40 + 24 + 1, (byte)0);
        ndp.wrap(buffer, 40, 40);

        assertEquals(NdpFlyweight.NO_OPTION, ndp.firstOption());
        assertEquals(NdpFlyweight.NO_LINK_LAYER_ADDRESS, ndp.sourceLinkLayerAddress());
        assertFalse(ndp.hasValidOptions());
    }

    @Test
    void optionRunningPastTheMessageIsNotReturned()
    {
        final UnsafeBuffer buffer = directBufferWith(fromHex(NS_PACKET), 0, 16);
        ndp.wrap(buffer, 40, 32);
        buffer.putByte(40 + 24 + 1, (byte)2);

        assertEquals(NdpFlyweight.NO_OPTION, ndp.firstOption());
        assertFalse(ndp.hasValidOptions());

        ndp.wrap(buffer, 40, 24);
        assertEquals(NdpFlyweight.NO_OPTION, ndp.firstOption());
        assertTrue(ndp.hasValidOptions(), "no options at all is valid");
    }

    @Test
    void nonNdpTypeHasNoOptions()
    {
        final UnsafeBuffer buffer = directBufferWith(fromHex("8000000000000000"), 0, 32);
        ndp.wrap(buffer, 0, 40);
        assertEquals(NdpFlyweight.NO_OPTION, ndp.optionsOffset());
        assertEquals(NdpFlyweight.NO_OPTION, ndp.firstOption());
        assertFalse(ndp.hasValidOptions());
    }
}
