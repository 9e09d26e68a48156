package io.sixgate.nat64.siit;

import static io.sixgate.nat64.siit.SiitTestbed.CLIENT6;
import static io.sixgate.nat64.siit.SiitTestbed.CLIENT6_AS_V4;
import static io.sixgate.nat64.siit.SiitTestbed.HOST4;
import static io.sixgate.nat64.siit.SiitTestbed.HOST4_AS_V6;
import static io.sixgate.nat64.siit.SiitTestbed.u16;
import static io.sixgate.nat64.siit.SiitTestbed.v4;
import static io.sixgate.nat64.siit.SiitTestbed.v6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.Map;

import io.sixgate.core.frame.Offload;
import io.sixgate.core.packet.InternetChecksum;
import io.sixgate.core.packet.PacketBuilder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * TCP super-packets with a partial checksum (TSO through a TAP with offload): translated once,
 * their pseudo-header sum moved to the new pseudo-header, their GSO type switched, and after the
 * kernel's completion (done here in software) the same checksum a plain translation gives.
 */
class OffloadTranslationTest
{
    private static final int MSS = 1000;
    private static final int PAYLOAD = 3000;

    @Test
    void translatesATcpv6SuperPacketToTcpv4WithItsPartialChecksumMoved()
    {
        final byte[] plain = v6(CLIENT6, HOST4_AS_V6).tcp(40000, 80, 0x10).payload(PAYLOAD).build();
        // The reference: the same packet translated plain, on links that take it whole.
        final byte[] plainOut = new SiitTestbed(Map.of(), 9000, 9000).send6(plain).only4();

        final SiitTestbed testbed = new SiitTestbed()
            .offloaded(Offload.pack(Offload.F_NEEDS_CSUM, Offload.GSO_TCPV6, MSS, 40, Offload.TCP_CHECKSUM_OFFSET));
        final byte[] out = testbed.send6(partial6(plain)).only4();

        final long offload = testbed.offloads().get(0);
        assertEquals(Offload.GSO_TCPV4, Offload.gsoType(offload));
        assertEquals(MSS, Offload.gsoSize(offload));
        assertEquals(20, Offload.csumStartFromIp(offload));
        assertEquals(Offload.TCP_CHECKSUM_OFFSET, Offload.csumOffset(offload));
        assertTrue(Offload.needsChecksum(offload));
        final UnsafeBuffer completed = new UnsafeBuffer(out);
        Offload.complete(completed, 20, Offload.TCP_CHECKSUM_OFFSET, out.length);
        // Identification (4-5) and the header checksum (10-11) come from the generator.
        SiitTestbed.assertSameExcept(plainOut, out, 4, 5, 10, 11);
        assertEquals(u16(plainOut, 36), u16(out, 36));
    }

    @Test
    void translatesATcpv4SuperPacketToTcpv6WithItsPartialChecksumMoved()
    {
        final byte[] plain = v4(HOST4, CLIENT6_AS_V4).dontFragment(true).tcp(80, 40000, 0x10).payload(PAYLOAD).build();
        final byte[] plainOut = new SiitTestbed(Map.of(), 9000, 9000).send4(plain).only6();

        final SiitTestbed testbed = new SiitTestbed()
            .offloaded(Offload.pack(Offload.F_NEEDS_CSUM, Offload.GSO_TCPV4 | Offload.GSO_ECN, MSS, 20,
                Offload.TCP_CHECKSUM_OFFSET));
        final byte[] out = testbed.send4(partial4(plain)).only6();

        final long offload = testbed.offloads().get(0);
        assertEquals(Offload.GSO_TCPV6 | Offload.GSO_ECN, Offload.gsoType(offload));
        assertEquals(MSS, Offload.gsoSize(offload));
        assertEquals(40, Offload.csumStartFromIp(offload));
        Offload.complete(new UnsafeBuffer(out), 40, Offload.TCP_CHECKSUM_OFFSET, out.length);
        assertArrayEquals(plainOut, out);
    }

    @Test
    void weighsASuperPacketBySegmentAgainstTheMtu()
    {
        // 3 040 bytes in all, but segments of 20 + 20 + 1 000: they fit an IPv4 MTU of 1 100.
        final byte[] plain = v6(CLIENT6, HOST4_AS_V6).tcp(40000, 80, 0x10).payload(PAYLOAD).build();
        final SiitTestbed testbed = new SiitTestbed(Map.of(), 1100, 1500)
            .offloaded(Offload.pack(Offload.F_NEEDS_CSUM, Offload.GSO_TCPV6, MSS, 40, Offload.TCP_CHECKSUM_OFFSET));
        assertEquals(20 + 20 + PAYLOAD, testbed.send6(partial6(plain)).only4().length);
    }

    @Test
    void answersPacketTooBigWhenASuperPacketsSegmentsExceedTheMtu()
    {
        // Segments of 20 + 20 + 1 300 = 1 340 bytes for an IPv4 MTU of 1 300: as a full-size
        // packet of that size, Packet Too Big (RFC 7915 §5.1) with the IPv6 equivalent 1 320.
        final byte[] plain = v6(CLIENT6, HOST4_AS_V6).tcp(40000, 80, 0x10).payload(PAYLOAD).build();
        final SiitTestbed testbed = new SiitTestbed(Map.of(), 1300, 1500)
            .offloaded(Offload.pack(Offload.F_NEEDS_CSUM, Offload.GSO_TCPV6, 1300, 40, Offload.TCP_CHECKSUM_OFFSET));
        final SiitTestbed.Output output = testbed.send6(partial6(plain));
        assertEquals(1, output.drops().size());
        assertTrue(output.drops().get(0).endsWith("packet-too-big"), output.drops().toString());
        final byte[] error = output.only6();
        assertEquals(2, error[40] & 0xFF, "ICMPv6 Packet Too Big");
        assertEquals(1320, new UnsafeBuffer(error).getInt(44, ByteOrder.BIG_ENDIAN));
    }

    @Test
    void dropsAPartialChecksumThatIsNotTcpWhereTheHeaderSaid()
    {
        final byte[] udp = v6(CLIENT6, HOST4_AS_V6).udp(5000, 53).payload(100).build();
        final SiitTestbed.Output output = new SiitTestbed()
            .offloaded(Offload.pack(Offload.F_NEEDS_CSUM, Offload.GSO_NONE, 0, 40, 6)).send6(udp);
        assertEquals(0, output.n4().size() + output.n6().size(), "nothing emitted");
        assertEquals(1, output.drops().size());
        assertTrue(output.drops().get(0).endsWith("offload-not-translatable"), output.drops().toString());
    }

    /** The packet as TSO hands it over: the TCP checksum field holds the IPv6 pseudo-header sum. */
    private static byte[] partial6(final byte[] packet)
    {
        final int l4Length = packet.length - 40;
        final int sum = InternetChecksum.ipv6PseudoHeaderSum(PacketBuilder.ipv6High(CLIENT6),
            PacketBuilder.ipv6Low(CLIENT6), PacketBuilder.ipv6High(HOST4_AS_V6), PacketBuilder.ipv6Low(HOST4_AS_V6),
            6, l4Length);
        return withChecksumField(packet, 40 + 16, sum);
    }

    private static byte[] partial4(final byte[] packet)
    {
        final int sum = InternetChecksum.ipv4PseudoHeaderSum(PacketBuilder.ipv4Address(HOST4),
            PacketBuilder.ipv4Address(CLIENT6_AS_V4), 6, packet.length - 20);
        return withChecksumField(packet, 20 + 16, sum);
    }

    private static byte[] withChecksumField(final byte[] packet, final int at, final int value)
    {
        final byte[] copy = packet.clone();
        copy[at] = (byte)(value >>> 8);
        copy[at + 1] = (byte)value;
        return copy;
    }

}
