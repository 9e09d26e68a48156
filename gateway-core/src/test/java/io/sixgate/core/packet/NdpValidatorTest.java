package io.sixgate.core.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.sixgate.core.packet.NdpInputDropReason.BAD_CHECKSUM;
import static io.sixgate.core.packet.NdpInputDropReason.BAD_CODE;
import static io.sixgate.core.packet.NdpInputDropReason.BAD_DUPLICATE_ADDRESS_DETECTION;
import static io.sixgate.core.packet.NdpInputDropReason.BAD_HOP_LIMIT;
import static io.sixgate.core.packet.NdpInputDropReason.BAD_OPTION_LENGTH;
import static io.sixgate.core.packet.NdpInputDropReason.FRAGMENTED;
import static io.sixgate.core.packet.NdpInputDropReason.MULTICAST_TARGET;
import static io.sixgate.core.packet.NdpInputDropReason.SOLICITED_ADVERTISEMENT_TO_MULTICAST;
import static io.sixgate.core.packet.NdpInputDropReason.TRUNCATED_MESSAGE;
import static io.sixgate.core.packet.NdpInputDropReason.UNSUPPORTED_TYPE;
import static io.sixgate.core.packet.TestBuffers.fromHex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NdpValidatorTest
{
    private static final int OFFSET = 14;
    private static final String HOST = "fe80::1";
    private static final String GATEWAY = "fe80::fe";
    private static final String TARGET = "2001:db8::2";
    private static final String SOLICITED_NODE = "ff02::1:ff00:2";
    private static final String TARGET_HEX = "20010db8000000000000000000000002";
    private static final String SLLA_OPTION = "0101020000000001";
    private static final String TLLA_OPTION = "02010200000000fe";

    private final Ipv6HeaderChain chain = new Ipv6HeaderChain();

    @Test
    void acceptsSolicitationFromANeighbour()
    {
        assertNull(validate(PacketBuilder.ipv6(HOST, SOLICITED_NODE).ttl(255).neighborSolicitation(TARGET, 0x0200_0000_0001L)));
        assertNull(validate(solicitation(HOST, GATEWAY, 255, 0, TARGET_HEX + SLLA_OPTION)));
    }

    @Test
    void acceptsDuplicateAddressDetectionProbe()
    {
        assertNull(validate(solicitation("::", SOLICITED_NODE, 255, 0, TARGET_HEX)));
    }

    @Test
    void acceptsSolicitedUnicastAndUnsolicitedMulticastAdvertisements()
    {
        assertNull(validate(advertisement(GATEWAY, HOST, NdpFlyweight.FLAG_SOLICITED | NdpFlyweight.FLAG_OVERRIDE)));
        assertNull(validate(advertisement(GATEWAY, "ff02::1", NdpFlyweight.FLAG_OVERRIDE)));
    }

    @Test
    void dropsOtherIcmpv6TypesRoutedToTheNeighbourStage()
    {
        assertEquals(UNSUPPORTED_TYPE, validate(PacketBuilder.ipv6(HOST, GATEWAY).ttl(255).icmpEchoRequest(1, 1).payload(16)));
    }

    @Test
    void dropsFragmentedSolicitation()
    {
        assertEquals(FRAGMENTED, validate(PacketBuilder.ipv6(HOST, GATEWAY).ttl(255).fragmentHeader(0, false, 1)
            .neighborSolicitation(TARGET, 0x0200_0000_0001L)));
    }

    @Test
    void dropsSolicitationThatCrossedARouter()
    {
        assertEquals(BAD_HOP_LIMIT, validate(solicitation(HOST, GATEWAY, 254, 0, TARGET_HEX)));
        assertEquals(BAD_HOP_LIMIT, validate(solicitation(HOST, GATEWAY, 64, 0, TARGET_HEX)));
    }

    @Test
    void dropsSolicitationWithNonZeroCode()
    {
        assertEquals(BAD_CODE, validate(solicitation(HOST, GATEWAY, 255, 1, TARGET_HEX)));
    }

    @Test
    void dropsSolicitationShorterThan24Octets()
    {
        assertEquals(TRUNCATED_MESSAGE, validate(solicitation(HOST, GATEWAY, 255, 0, "20010db800000000")));
    }

    @Test
    void dropsSolicitationWithCorruptChecksum()
    {
        final byte[] packet = PacketBuilder.ipv6(HOST, GATEWAY).ttl(255).neighborSolicitation(TARGET, 0x0200_0000_0001L).build();
        packet[packet.length - 1] ^= 0x01;
        assertEquals(BAD_CHECKSUM, validate(packet));
    }

    @Test
    void dropsSolicitationForAMulticastTarget()
    {
        assertEquals(MULTICAST_TARGET, validate(solicitation(HOST, GATEWAY, 255, 0, "ff020000000000000000000000000001")));
    }

    @Test
    void dropsSolicitationWithZeroLengthOrOverlongOption()
    {
        assertEquals(BAD_OPTION_LENGTH, validate(solicitation(HOST, GATEWAY, 255, 0, TARGET_HEX + "0100020000000001")));
        assertEquals(BAD_OPTION_LENGTH, validate(solicitation(HOST, GATEWAY, 255, 0, TARGET_HEX + "0102020000000001")));
        assertEquals(BAD_OPTION_LENGTH, validate(solicitation(HOST, GATEWAY, 255, 0, TARGET_HEX + SLLA_OPTION + "01")));
    }

    @Test
    void dropsDuplicateAddressDetectionToAUnicastAddress()
    {
        assertEquals(BAD_DUPLICATE_ADDRESS_DETECTION, validate(solicitation("::", GATEWAY, 255, 0, TARGET_HEX)));
        assertEquals(BAD_DUPLICATE_ADDRESS_DETECTION, validate(solicitation("::", "ff02::1", 255, 0, TARGET_HEX)));
    }

    @Test
    void dropsDuplicateAddressDetectionWithSourceLinkLayerAddress()
    {
        assertEquals(BAD_DUPLICATE_ADDRESS_DETECTION,
            validate(solicitation("::", SOLICITED_NODE, 255, 0, TARGET_HEX + SLLA_OPTION)));
    }

    @Test
    void dropsSolicitedAdvertisementToMulticast()
    {
        assertEquals(SOLICITED_ADVERTISEMENT_TO_MULTICAST,
            validate(advertisement(GATEWAY, "ff02::1", NdpFlyweight.FLAG_SOLICITED)));
    }

    @Test
    void recognisesSolicitedNodeGroups()
    {
        assertTrue(NdpValidator.isSolicitedNodeMulticast(
            PacketBuilder.ipv6High("ff02::1:ffab:cdef"), PacketBuilder.ipv6Low("ff02::1:ffab:cdef")));
        assertFalse(NdpValidator.isSolicitedNodeMulticast(
            PacketBuilder.ipv6High("ff02::1:fe00:1"), PacketBuilder.ipv6Low("ff02::1:fe00:1")));
        assertFalse(NdpValidator.isSolicitedNodeMulticast(
            PacketBuilder.ipv6High("ff05::1:ff00:1"), PacketBuilder.ipv6Low("ff05::1:ff00:1")));
    }

    private static PacketBuilder solicitation(
        final String src, final String dst, final int hopLimit, final int code, final String body)
    {
        return PacketBuilder.ipv6(src, dst).ttl(hopLimit)
            .icmp(Icmpv6Flyweight.TYPE_NEIGHBOR_SOLICITATION, code, 0)
            .payload(fromHex(body));
    }

    private static PacketBuilder advertisement(final String src, final String dst, final int flags)
    {
        return PacketBuilder.ipv6(src, dst).ttl(255)
            .icmp(Icmpv6Flyweight.TYPE_NEIGHBOR_ADVERTISEMENT, 0, flags << 24)
            .payload(fromHex(TARGET_HEX + TLLA_OPTION));
    }

    private NdpInputDropReason validate(final PacketBuilder builder)
    {
        return validate(builder.build());
    }

    private NdpInputDropReason validate(final byte[] packet)
    {
        final UnsafeBuffer buffer = TestBuffers.directBufferWith(packet, OFFSET, 0);
        assertNull(Ipv6Validator.validate(buffer, OFFSET, packet.length, chain));
        assertEquals(IpProtocol.ICMPV6, chain.upperLayerProtocol());
        return NdpValidator.validate(buffer, chain);
    }
}
