package io.sixgate.core.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static io.sixgate.core.packet.Ipv6InputDropReason.BAD_DESTINATION_ADDRESS;
import static io.sixgate.core.packet.Ipv6InputDropReason.BAD_FRAGMENT;
import static io.sixgate.core.packet.Ipv6InputDropReason.BAD_PAYLOAD_LENGTH;
import static io.sixgate.core.packet.Ipv6InputDropReason.BAD_SOURCE_ADDRESS;
import static io.sixgate.core.packet.Ipv6InputDropReason.BAD_TCP_DATA_OFFSET;
import static io.sixgate.core.packet.Ipv6InputDropReason.BAD_UDP_LENGTH;
import static io.sixgate.core.packet.Ipv6InputDropReason.BAD_VERSION;
import static io.sixgate.core.packet.Ipv6InputDropReason.HOP_BY_HOP_NOT_FIRST;
import static io.sixgate.core.packet.Ipv6InputDropReason.TOO_MANY_EXTENSION_HEADERS;
import static io.sixgate.core.packet.Ipv6InputDropReason.TRUNCATED_EXTENSION_HEADER;
import static io.sixgate.core.packet.Ipv6InputDropReason.TRUNCATED_HEADER;
import static io.sixgate.core.packet.Ipv6InputDropReason.TRUNCATED_L4_HEADER;
import static io.sixgate.core.packet.TestBuffers.directBufferWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Ipv6ValidatorTest
{
    private static final int OFFSET = 14;
    private static final int UDP_LENGTH_INDEX = 40 + UdpFlyweight.LENGTH_OFFSET;

    private final Ipv6HeaderChain chain = new Ipv6HeaderChain();

    @Test
    void acceptsWellFormedUdpTcpAndIcmpv6Packets()
    {
        assertAccepted(PacketBuilder.ipv6().udp(5353, 53).payload(20).build());
        assertAccepted(PacketBuilder.ipv6().tcp(40000, 443, TcpFlyweight.SYN, 1, 0, new byte[]{ 2, 4, 5, (byte)0xa0 }).build());
        assertAccepted(PacketBuilder.ipv6().icmpEchoRequest(1, 1).payload(56).build());
        assertAccepted(PacketBuilder.ipv6().hopByHop().routingHeader(4, 0).destinationOptions().udp(1, 2).build());
        assertAccepted(PacketBuilder.ipv6().authenticationHeader(1).protocol(IpProtocol.ESP).payload(24).build());
    }

    @Test
    void acceptsDuplicateAddressDetectionFromTheUnspecifiedAddress()
    {
        // RFC 4861 §7.2.2: DAD probes come from ::.
        assertAccepted(PacketBuilder.ipv6("::", "ff02::1:ff00:2").ttl(255).neighborSolicitation("2001:db8::2", 0).build());
    }

    @Test
    void acceptsEmptyPacketWithNoNextHeader()
    {
        assertAccepted(PacketBuilder.ipv6().build());
    }

    @Test
    void recordsThePacketLengthOfAPaddedFrame()
    {
        final byte[] packet = PacketBuilder.ipv6().udp(1, 2).build();
        final UnsafeBuffer buffer = directBufferWith(packet, OFFSET, 30);

        assertNull(Ipv6Validator.validate(buffer, OFFSET, packet.length + 30, chain));
        assertEquals(48, chain.packetLength());
        assertEquals(8, chain.upperLayerLength());
        assertEquals(OFFSET + 40, chain.upperLayerOffset());
    }

    @Test
    void dropsIpv6ShorterThanTheFixedHeader()
    {
        assertEquals(TRUNCATED_HEADER, validate(Arrays.copyOf(PacketBuilder.ipv6().build(), 39)));
        assertEquals(TRUNCATED_HEADER, validate(new byte[0]));
    }

    @Test
    void dropsIpv6WithVersionOtherThanSix()
    {
        final byte[] packet = PacketBuilder.ipv6().udp(1, 2).build();
        packet[0] = 0x40;
        assertEquals(BAD_VERSION, validate(packet));
    }

    @Test
    void dropsIpv6WithPayloadLengthPastTheFrame()
    {
        final byte[] packet = PacketBuilder.ipv6().udp(1, 2).payload(4).build();
        assertEquals(BAD_PAYLOAD_LENGTH, validate(Arrays.copyOf(packet, packet.length - 1)));
    }

    @Test
    void dropsIpv6JumbogramBecauseJumboPayloadIsUnsupported()
    {
        final byte[] packet = PacketBuilder.ipv6().hopByHop().udp(1, 2).build();
        packet[Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET] = 0;
        packet[Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET + 1] = 0;
        assertEquals(BAD_PAYLOAD_LENGTH, validate(packet));
    }

    @Test
    void dropsIpv6FromMulticastSource()
    {
        assertEquals(BAD_SOURCE_ADDRESS, validate(PacketBuilder.ipv6("ff02::1", PacketBuilder.IPV6_DST).udp(1, 2).build()));
        assertEquals(BAD_SOURCE_ADDRESS, validate(PacketBuilder.ipv6("ff0e::1", PacketBuilder.IPV6_DST).udp(1, 2).build()));
    }

    @Test
    void dropsIpv6FromLoopbackSource()
    {
        assertEquals(BAD_SOURCE_ADDRESS, validate(PacketBuilder.ipv6("::1", PacketBuilder.IPV6_DST).udp(1, 2).build()));
    }

    @Test
    void dropsIpv6ToUnspecifiedOrLoopbackDestination()
    {
        assertEquals(BAD_DESTINATION_ADDRESS, validate(PacketBuilder.ipv6(PacketBuilder.IPV6_SRC, "::").udp(1, 2).build()));
        assertEquals(BAD_DESTINATION_ADDRESS, validate(PacketBuilder.ipv6(PacketBuilder.IPV6_SRC, "::1").udp(1, 2).build()));
    }

    @Test
    void dropsIpv6ToMulticastOfReservedOrInterfaceLocalScope()
    {
        assertEquals(BAD_DESTINATION_ADDRESS, validate(PacketBuilder.ipv6(PacketBuilder.IPV6_SRC, "ff00::1").udp(1, 2).build()));
        assertEquals(BAD_DESTINATION_ADDRESS, validate(PacketBuilder.ipv6(PacketBuilder.IPV6_SRC, "ff11::1").udp(1, 2).build()));
        assertAccepted(PacketBuilder.ipv6(PacketBuilder.IPV6_SRC, "ff02::fb").udp(5353, 5353).build());
        assertAccepted(PacketBuilder.ipv6(PacketBuilder.IPV6_SRC, "ff0e::101").udp(123, 123).build());
    }

    @Test
    void dropsIpv6WithHopByHopAfterRoutingHeader()
    {
        final byte[] packet = PacketBuilder.ipv6().routingHeader(4, 0).hopByHop().udp(1, 2).build();
        assertEquals(HOP_BY_HOP_NOT_FIRST, validate(packet));
        assertEquals(OFFSET + 40, chain.errorOffset());
    }

    @Test
    void dropsIpv6WithExtensionHeaderLongerThanThePacket()
    {
        final byte[] packet = PacketBuilder.ipv6().destinationOptions().udp(1, 2).build();
        packet[40 + 1] = 2;
        assertEquals(TRUNCATED_EXTENSION_HEADER, validate(packet));
    }

    @Test
    void dropsIpv6WithSeventeenExtensionHeaders()
    {
        final PacketBuilder builder = PacketBuilder.ipv6();
        for (int i = 0; i < 17; i++)
        {
            builder.destinationOptions();
        }
        assertEquals(TOO_MANY_EXTENSION_HEADERS, validate(builder.udp(1, 2).build()));
    }

    @Test
    void dropsNonLastIpv6FragmentWhoseLengthIsNotAMultipleOfEight()
    {
        final byte[] packet = PacketBuilder.ipv6().fragmentHeader(0, true, 1).udp(1, 2).payload(9).build();
        assertEquals(BAD_FRAGMENT, validate(packet));
    }

    @Test
    void dropsIpv6FragmentWhoseReassembledPayloadWouldExceed65535()
    {
        // Payload Length after reassembly: 8 (Destination Options) + 65520 + 7 = 65535.
        final byte[] largest = PacketBuilder.ipv6().destinationOptions().fragmentHeader(65520, false, 1)
            .protocol(IpProtocol.UDP).payload(7).build();
        assertAccepted(largest);

        final byte[] tooLarge = PacketBuilder.ipv6().destinationOptions().fragmentHeader(65520, false, 1)
            .protocol(IpProtocol.UDP).payload(8).build();
        assertEquals(BAD_FRAGMENT, validate(tooLarge));
    }

    @Test
    void acceptsNonFirstFragmentWithoutAnUpperLayerHeader()
    {
        final byte[] packet = PacketBuilder.ipv6().fragmentHeader(1232, true, 1).protocol(IpProtocol.TCP).payload(8).build();
        assertAccepted(packet);
        assertTrue(chain.isNonFirstFragment());
    }

    @Test
    void dropsFirstFragmentWithoutTheWholeTcpHeader()
    {
        // RFC 7112 §5: the first fragment must carry the upper-layer header.
        final byte[] packet = PacketBuilder.ipv6().fragmentHeader(0, true, 1).protocol(IpProtocol.TCP).payload(16).build();
        assertEquals(TRUNCATED_L4_HEADER, validate(packet));
    }

    @Test
    void dropsUnfragmentedPacketsTooShortForTheirUpperLayerHeader()
    {
        assertEquals(TRUNCATED_L4_HEADER, validate(PacketBuilder.ipv6().protocol(IpProtocol.TCP).payload(19).build()));
        assertEquals(TRUNCATED_L4_HEADER, validate(PacketBuilder.ipv6().protocol(IpProtocol.UDP).payload(7).build()));
        assertEquals(TRUNCATED_L4_HEADER, validate(PacketBuilder.ipv6().protocol(IpProtocol.ICMPV6).payload(4).build()));
    }

    @Test
    void dropsTcpWithDataOffsetBelowFive()
    {
        final byte[] packet = PacketBuilder.ipv6().tcp(1, 2, TcpFlyweight.ACK).build();
        packet[40 + TcpFlyweight.DATA_OFFSET_FIELD_OFFSET] = 0x10;
        assertEquals(BAD_TCP_DATA_OFFSET, validate(packet));
    }

    @Test
    void dropsTcpWithDataOffsetPastTheSegment()
    {
        final byte[] packet = PacketBuilder.ipv6().tcp(1, 2, TcpFlyweight.ACK).payload(3).build();
        packet[40 + TcpFlyweight.DATA_OFFSET_FIELD_OFFSET] = 0x60;
        assertEquals(BAD_TCP_DATA_OFFSET, validate(packet));
    }

    @Test
    void dropsUdpWithLengthBelowItsHeader()
    {
        final byte[] packet = PacketBuilder.ipv6().udp(1, 2).payload(4).build();
        packet[UDP_LENGTH_INDEX + 1] = 4;
        assertEquals(BAD_UDP_LENGTH, validate(packet));
    }

    @Test
    void dropsUdpWithZeroLengthBecauseJumbogramsAreUnsupported()
    {
        final byte[] packet = PacketBuilder.ipv6().udp(1, 2).payload(4).build();
        packet[UDP_LENGTH_INDEX + 1] = 0;
        assertEquals(BAD_UDP_LENGTH, validate(packet));
    }

    @Test
    void acceptsFirstUdpFragmentLongerThanItsUdpLengthAsLinuxDoes()
    {
        // A translator fragmenting a datagram with trailing bytes makes such a first fragment.
        final byte[] packet = PacketBuilder.ipv6().fragmentHeader(0, true, 5).udp(1, 2).payload(8).build();
        final int udpLengthIndex = 48 + UdpFlyweight.LENGTH_OFFSET;
        assertNull(validate(packet));
        packet[udpLengthIndex + 1] = 9;
        assertNull(validate(packet));
        packet[udpLengthIndex + 1] = 7;
        assertEquals(BAD_UDP_LENGTH, validate(packet));
    }

    @Test
    void dropsUdpWithLengthPastThePayload()
    {
        final byte[] packet = PacketBuilder.ipv6().udp(1, 2).payload(4).build();
        packet[UDP_LENGTH_INDEX + 1] = 13;
        assertEquals(BAD_UDP_LENGTH, validate(packet));
    }

    @Test
    void everyTruncationOfValidPacketsIsDroppedWithoutThrowing()
    {
        final byte[][] packets = {
            PacketBuilder.ipv6().udp(1, 2).payload(30).build(),
            PacketBuilder.ipv6().hopByHop().routingHeader(4, 0).fragmentHeader(0, false, 9)
                .tcp(1, 2, TcpFlyweight.SYN, 5, 0, new byte[12]).payload(3).build(),
            PacketBuilder.ipv6().authenticationHeader(7).icmpEchoRequest(1, 2).payload(9).build(),
            PacketBuilder.ipv6("::", "ff02::1:ff00:2").neighborSolicitation("2001:db8::2", 0).build(),
        };

        for (final byte[] packet : packets)
        {
            assertNull(validate(packet));
            for (int length = 0; length < packet.length; length++)
            {
                assertNotNull(validate(Arrays.copyOf(packet, length)), "length " + length);
            }
        }
    }

    @Test
    void randomCorruptionNeverReadsPastTheFrame()
    {
        final Random random = new Random(8200);
        final byte[] original = PacketBuilder.ipv6().hopByHop().destinationOptions().fragmentHeader(0, true, 1)
            .tcp(1, 2, TcpFlyweight.SYN).payload(4).build();
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] packet = Arrays.copyOf(original, random.nextInt(original.length + 1));
            for (int flips = random.nextInt(4); flips >= 0 && packet.length > 0; flips--)
            {
                final int index = random.nextBoolean() ? random.nextInt(packet.length) : random.nextInt(Math.min(8, packet.length));
                packet[index] = (byte)random.nextInt(256);
            }
            validate(packet);
        }
    }

    @Test
    void labelsAreUniqueKebabCase()
    {
        final java.util.Set<String> labels = new java.util.HashSet<>();
        for (final Ipv6InputDropReason reason : Ipv6InputDropReason.values())
        {
            assertEquals(reason.name().toLowerCase().replace('_', '-'), reason.label());
            labels.add(reason.label());
        }
        assertEquals(Ipv6InputDropReason.values().length, labels.size());
    }

    private Ipv6InputDropReason validate(final byte[] packet)
    {
        // The buffer ends where the frame ends, so any read past it would throw.
        final UnsafeBuffer buffer = directBufferWith(packet, OFFSET, 0);
        return Ipv6Validator.validate(buffer, OFFSET, packet.length, chain);
    }

    private void assertAccepted(final byte[] packet)
    {
        assertNull(validate(packet));
        assertEquals(packet.length, chain.packetLength());
    }
}
