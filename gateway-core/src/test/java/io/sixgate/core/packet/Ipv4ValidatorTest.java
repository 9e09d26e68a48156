package io.sixgate.core.packet;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static io.sixgate.core.packet.Ipv4InputDropReason.BAD_DESTINATION_ADDRESS;
import static io.sixgate.core.packet.Ipv4InputDropReason.BAD_FRAGMENT;
import static io.sixgate.core.packet.Ipv4InputDropReason.BAD_HEADER_CHECKSUM;
import static io.sixgate.core.packet.Ipv4InputDropReason.BAD_IHL;
import static io.sixgate.core.packet.Ipv4InputDropReason.BAD_SOURCE_ADDRESS;
import static io.sixgate.core.packet.Ipv4InputDropReason.BAD_TCP_DATA_OFFSET;
import static io.sixgate.core.packet.Ipv4InputDropReason.BAD_TOTAL_LENGTH;
import static io.sixgate.core.packet.Ipv4InputDropReason.BAD_UDP_LENGTH;
import static io.sixgate.core.packet.Ipv4InputDropReason.BAD_VERSION;
import static io.sixgate.core.packet.Ipv4InputDropReason.TRUNCATED_HEADER;
import static io.sixgate.core.packet.Ipv4InputDropReason.TRUNCATED_L4_HEADER;
import static io.sixgate.core.packet.TestBuffers.directBufferWith;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class Ipv4ValidatorTest
{
    private static final int OFFSET = 14;

    private final Ipv4Flyweight ipv4 = new Ipv4Flyweight();

    @Test
    void acceptsWellFormedUdpTcpAndIcmpPackets()
    {
        assertAccepted(PacketBuilder.ipv4().udp(5353, 53).payload(20));
        assertAccepted(PacketBuilder.ipv4().udp(5353, 53).noUdpChecksum());
        assertAccepted(PacketBuilder.ipv4().tcp(40000, 80, TcpFlyweight.SYN, 1, 0, new byte[]{ 2, 4, 5, (byte)0xb4 }));
        assertAccepted(PacketBuilder.ipv4().icmpEchoRequest(1, 1).payload(56));
        assertAccepted(PacketBuilder.ipv4().protocol(47).payload(3));
        assertAccepted(PacketBuilder.ipv4().ipv4Options(new byte[]{ (byte)0x94, 4, 0, 0 }).udp(1, 2));
    }

    @Test
    void acceptsFrameLongerThanThePacketAndLeavesTrimmingToTheCaller()
    {
        final byte[] packet = PacketBuilder.ipv4().udp(1, 2).build();
        final UnsafeBuffer buffer = directBufferWith(packet, OFFSET, 18);

        assertNull(Ipv4Validator.validate(buffer, OFFSET, packet.length + 18));
        assertEquals(packet.length, ipv4.wrap(buffer, OFFSET).totalLength());
    }

    @Test
    void dropsIpv4ShorterThanTheFixedHeader()
    {
        final byte[] packet = PacketBuilder.ipv4().build();
        assertEquals(TRUNCATED_HEADER, validate(Arrays.copyOf(packet, 19)));
        assertEquals(TRUNCATED_HEADER, validate(new byte[0]));
    }

    @Test
    void dropsIpv4WhoseOptionsRunPastTheFrame()
    {
        final byte[] packet = PacketBuilder.ipv4().ipv4Options(new byte[8]).build();
        assertEquals(TRUNCATED_HEADER, validate(Arrays.copyOf(packet, 27)));
    }

    @Test
    void dropsIpv4WithVersionOtherThanFour()
    {
        final byte[] packet = PacketBuilder.ipv4().udp(1, 2).build();
        packet[0] = 0x65;
        assertEquals(BAD_VERSION, validate(packet));
    }

    @Test
    void dropsIpv4WithIhlBelowFive()
    {
        final byte[] packet = PacketBuilder.ipv4().udp(1, 2).build();
        packet[0] = 0x44;
        assertEquals(BAD_IHL, validate(packet));
    }

    @Test
    void dropsIpv4WithTotalLengthShorterThanItsHeader()
    {
        final UnsafeBuffer buffer = PacketBuilder.ipv4().udp(1, 2).toDirectBuffer(OFFSET, 0);
        ipv4.wrap(buffer, OFFSET).totalLength(19).updateHeaderChecksum();
        assertEquals(BAD_TOTAL_LENGTH, Ipv4Validator.validate(buffer, OFFSET, 28));
    }

    @Test
    void dropsIpv4WithTotalLengthLongerThanTheFrame()
    {
        final byte[] packet = PacketBuilder.ipv4().udp(1, 2).payload(10).build();
        assertEquals(BAD_TOTAL_LENGTH, validate(Arrays.copyOf(packet, packet.length - 1)));
    }

    @Test
    void dropsIpv4WithCorruptHeaderChecksum()
    {
        final byte[] packet = PacketBuilder.ipv4().udp(1, 2).build();
        packet[Ipv4Flyweight.TTL_OFFSET]--;
        assertEquals(BAD_HEADER_CHECKSUM, validate(packet));
    }

    @Test
    void dropsIpv4FromMartianSources()
    {
        for (final String source : new String[]{
            "0.0.0.0", "0.1.2.3", "127.0.0.1", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255" })
        {
            assertEquals(BAD_SOURCE_ADDRESS,
                validate(PacketBuilder.ipv4(source, PacketBuilder.IPV4_DST).udp(1, 2).build()), source);
        }
    }

    @Test
    void dropsIpv4ToMartianDestinations()
    {
        for (final String destination : new String[]{ "0.0.0.0", "0.0.0.9", "127.0.0.53", "240.1.2.3", "254.255.255.255" })
        {
            assertEquals(BAD_DESTINATION_ADDRESS,
                validate(PacketBuilder.ipv4(PacketBuilder.IPV4_SRC, destination).udp(1, 2).build()), destination);
        }
    }

    @Test
    void acceptsMulticastAndLimitedBroadcastDestinations()
    {
        assertAccepted(PacketBuilder.ipv4(PacketBuilder.IPV4_SRC, "224.0.0.251").udp(5353, 5353));
        assertAccepted(PacketBuilder.ipv4(PacketBuilder.IPV4_SRC, "255.255.255.255").udp(68, 67));
    }

    @Test
    void dropsIpv4FragmentEndingPastTheLargestDatagram()
    {
        // 65512 + 20-byte header + 3 = 65535: the largest datagram there is.
        final byte[] packet = PacketBuilder.ipv4().ipv4Fragment(65512, false).protocol(IpProtocol.UDP).payload(3).build();
        assertAccepted(packet);

        final byte[] tooFar = PacketBuilder.ipv4().ipv4Fragment(65512, false).protocol(IpProtocol.UDP).payload(4).build();
        assertEquals(BAD_FRAGMENT, validate(tooFar));
    }

    @Test
    void dropsNonLastIpv4FragmentWhoseDataIsNotAMultipleOfEight()
    {
        final byte[] packet = PacketBuilder.ipv4().ipv4Fragment(0, true).udp(1, 2).payload(7).build();
        assertEquals(BAD_FRAGMENT, validate(packet));
    }

    @Test
    void dropsTcpFragmentAtOffsetOne()
    {
        final byte[] packet = PacketBuilder.ipv4().ipv4Fragment(8, false).protocol(IpProtocol.TCP).payload(24).build();
        assertEquals(BAD_FRAGMENT, validate(packet));
    }

    @Test
    void acceptsNonFirstFragmentWithoutLookingForAnUpperLayerHeader()
    {
        assertAccepted(PacketBuilder.ipv4().ipv4Fragment(1480, true).protocol(IpProtocol.TCP).payload(8));
        assertAccepted(PacketBuilder.ipv4().ipv4Fragment(16, false).protocol(IpProtocol.UDP).payload(1));
    }

    @Test
    void dropsFirstFragmentTooShortForTheTcpHeader()
    {
        final byte[] packet = PacketBuilder.ipv4().ipv4Fragment(0, true).protocol(IpProtocol.TCP).payload(16).build();
        assertEquals(TRUNCATED_L4_HEADER, validate(packet));
    }

    @Test
    void dropsUnfragmentedPacketsTooShortForTheirUpperLayerHeader()
    {
        assertEquals(TRUNCATED_L4_HEADER, validate(PacketBuilder.ipv4().protocol(IpProtocol.TCP).payload(19).build()));
        assertEquals(TRUNCATED_L4_HEADER, validate(PacketBuilder.ipv4().protocol(IpProtocol.UDP).payload(7).build()));
        assertEquals(TRUNCATED_L4_HEADER, validate(PacketBuilder.ipv4().protocol(IpProtocol.ICMP).payload(7).build()));
    }

    @Test
    void dropsTcpWithDataOffsetBelowFive()
    {
        final byte[] packet = PacketBuilder.ipv4().tcp(1, 2, TcpFlyweight.ACK).payload(8).build();
        packet[20 + TcpFlyweight.DATA_OFFSET_FIELD_OFFSET] = 0x40;
        assertEquals(BAD_TCP_DATA_OFFSET, validate(packet));
    }

    @Test
    void dropsTcpWithDataOffsetPastTheSegment()
    {
        final byte[] packet = PacketBuilder.ipv4().tcp(1, 2, TcpFlyweight.ACK).payload(8).build();
        packet[20 + TcpFlyweight.DATA_OFFSET_FIELD_OFFSET] = (byte)0x80;
        assertEquals(BAD_TCP_DATA_OFFSET, validate(packet));

        packet[20 + TcpFlyweight.DATA_OFFSET_FIELD_OFFSET] = 0x70;
        assertNull(validate(packet), "options exactly filling the segment");
    }

    @Test
    void acceptsFirstFragmentWhoseTcpOptionsContinueInTheNextFragment()
    {
        final byte[] packet = PacketBuilder.ipv4().ipv4Fragment(0, true).tcp(1, 2, TcpFlyweight.SYN).payload(4).build();
        packet[20 + TcpFlyweight.DATA_OFFSET_FIELD_OFFSET] = (byte)0xF0;
        final UnsafeBuffer buffer = directBufferWith(packet, OFFSET, 0);
        assertNull(Ipv4Validator.validate(buffer, OFFSET, packet.length));
    }

    @Test
    void dropsUdpWithLengthBelowItsHeader()
    {
        final byte[] packet = PacketBuilder.ipv4().udp(1, 2).payload(4).build();
        packet[20 + UdpFlyweight.LENGTH_OFFSET + 1] = 7;
        assertEquals(BAD_UDP_LENGTH, validate(packet));
    }

    @Test
    void dropsUdpWithLengthPastTheIpPayload()
    {
        final byte[] packet = PacketBuilder.ipv4().udp(1, 2).payload(4).build();
        packet[20 + UdpFlyweight.LENGTH_OFFSET + 1] = 13;
        assertEquals(BAD_UDP_LENGTH, validate(packet));
    }

    @Test
    void acceptsFirstUdpFragmentLongerThanItsUdpLengthAsLinuxDoes()
    {
        // Found by RouterFuzzTest: a datagram with trailing bytes, fragmented by the gateway's own
        // forwarding, made a first fragment that this validator refused.
        final byte[] packet = PacketBuilder.ipv4().ipv4Fragment(0, true).udp(1, 2).payload(8).build();
        assertNull(validate(packet));
        packet[20 + UdpFlyweight.LENGTH_OFFSET + 1] = 15;
        assertNull(validate(packet));
        packet[20 + UdpFlyweight.LENGTH_OFFSET + 1] = 7;
        assertEquals(BAD_UDP_LENGTH, validate(packet));
    }

    @Test
    void acceptsUdpShorterThanTheIpPayloadAsLinuxDoes()
    {
        final byte[] packet = PacketBuilder.ipv4().udp(1, 2).payload(4).build();
        packet[20 + UdpFlyweight.LENGTH_OFFSET + 1] = 8;
        assertNull(validate(packet));
    }

    @Test
    void everyTruncationOfValidPacketsIsDroppedWithoutThrowing()
    {
        final byte[][] packets = {
            PacketBuilder.ipv4().udp(1, 2).payload(30).build(),
            PacketBuilder.ipv4().tcp(1, 2, TcpFlyweight.SYN, 5, 0, new byte[12]).payload(3).build(),
            PacketBuilder.ipv4().ipv4Options(new byte[12]).icmpEchoRequest(1, 2).payload(9).build(),
            PacketBuilder.ipv4().ipv4Fragment(0, true).udp(1, 2).payload(16).build(),
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
        final Random random = new Random(791);
        final byte[] original = PacketBuilder.ipv4().tcp(1, 2, TcpFlyweight.SYN).payload(12).build();
        for (int i = 0; i < 20_000; i++)
        {
            final byte[] packet = Arrays.copyOf(original, random.nextInt(original.length + 1));
            for (int flips = random.nextInt(4); flips >= 0 && packet.length > 0; flips--)
            {
                packet[random.nextInt(Math.min(packet.length, 40))] = (byte)random.nextInt(256);
            }
            validate(packet);
        }
    }

    @Test
    void labelsAreUniqueKebabCase()
    {
        final java.util.Set<String> labels = new java.util.HashSet<>();
        for (final Ipv4InputDropReason reason : Ipv4InputDropReason.values())
        {
            assertEquals(reason.name().toLowerCase().replace('_', '-'), reason.label());
            labels.add(reason.label());
        }
        assertEquals(Ipv4InputDropReason.values().length, labels.size());
    }

    private static Ipv4InputDropReason validate(final byte[] packet)
    {
        // The buffer ends where the frame ends, so any read past it would throw.
        final UnsafeBuffer buffer = directBufferWith(packet, OFFSET, 0);
        return Ipv4Validator.validate(buffer, OFFSET, packet.length);
    }

    private static void assertAccepted(final PacketBuilder builder)
    {
        assertAccepted(builder.build());
    }

    private static void assertAccepted(final byte[] packet)
    {
        final UnsafeBuffer buffer = directBufferWith(packet, OFFSET, 0);
        assertNull(Ipv4Validator.validate(buffer, OFFSET, packet.length));
        assertEquals(packet.length, buffer.getShort(OFFSET + 2, BIG_ENDIAN) & 0xFFFF);
    }
}
