package io.sixgate.nat64.siit;

import static io.sixgate.nat64.siit.Siit64StageTest.concat;
import static io.sixgate.nat64.siit.SiitTestbed.CLIENT6;
import static io.sixgate.nat64.siit.SiitTestbed.CLIENT6_AS_V4;
import static io.sixgate.nat64.siit.SiitTestbed.GATEWAY4;
import static io.sixgate.nat64.siit.SiitTestbed.GATEWAY6;
import static io.sixgate.nat64.siit.SiitTestbed.HOST4;
import static io.sixgate.nat64.siit.SiitTestbed.HOST4_AS_V6;
import static io.sixgate.nat64.siit.SiitTestbed.assertSameExcept;
import static io.sixgate.nat64.siit.SiitTestbed.u16;
import static io.sixgate.nat64.siit.SiitTestbed.u8;
import static io.sixgate.nat64.siit.SiitTestbed.v4;
import static io.sixgate.nat64.siit.SiitTestbed.v6;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * RFC 7915 §4 (IPv4 to IPv6), one rule per test, through the real stages.
 */
class Siit46StageTest
{
    private static final String DROP = "siit-4to6/";

    private final SiitTestbed testbed = new SiitTestbed();

    @Test
    void translatesUdpHeaderAndChecksumIncrementally()
    {
        final byte[] out = testbed.send4(v4(HOST4, CLIENT6_AS_V4).tos(0x28).udp(53, 5000).payload(100).build()).only6();
        assertArrayEquals(v6(HOST4_AS_V6, CLIENT6).tos(0x28).ttl(63).udp(53, 5000).payload(100).build(), out);
    }

    @Test
    void translatesTcpAndKeepsABadChecksumBad()
    {
        final byte[] in = v4(HOST4, CLIENT6_AS_V4).tcp(80, 40000, 0x12).payload(200).build();
        final int good = u16(in, 36);
        in[36] = (byte)((good - 1) >>> 8);
        in[37] = (byte)(good - 1);
        final byte[] out = new SiitTestbed().withoutChecksumChecks().send4(in).only6();
        final byte[] expected = v6(HOST4_AS_V6, CLIENT6).ttl(63).tcp(80, 40000, 0x12).payload(200).build();
        assertSameExcept(expected, out, 56, 57);
        assertEquals((u16(expected, 56) - 1) & 0xFFFF, u16(out, 56));
    }

    @Test
    void translatesEchoRequestAddingThePseudoHeaderToTheChecksum()
    {
        final byte[] out = testbed.send4(v4(HOST4, CLIENT6_AS_V4).icmpEchoRequest(9, 3).payload(56).build()).only6();
        assertArrayEquals(v6(HOST4_AS_V6, CLIENT6).ttl(63).icmpEchoRequest(9, 3).payload(56).build(), out);
    }

    @Test
    void zeroizesTheTrafficClassWhenConfigured()
    {
        final byte[] in = v4(HOST4, CLIENT6_AS_V4).tos(0xB8).udp(1, 2).build();
        assertEquals(0xB8, trafficClass(testbed.send4(in).only6()));
        final SiitTestbed zeroizing = new SiitTestbed(Map.of(TranslatorConfig.ZEROIZE_TRAFFIC_CLASS_KEY, "true"));
        assertEquals(0, trafficClass(zeroizing.send4(in).only6()));
    }

    @Test
    void ignoresIpv4OptionsIncludingAnExpiredSourceRoute()
    {
        // Record Route, then a Loose Source Route whose pointer (12) is past its length (11).
        final byte[] options = {7, 7, 4, 0, 0, 0, 0, (byte)131, 11, 12, (byte)198, 51, 100, 2, (byte)198, 51, 100, 1, 0};
        final byte[] in = v4(HOST4, CLIENT6_AS_V4).ipv4Options(options).udp(1, 2).payload(4).build();
        assertArrayEquals(v6(HOST4_AS_V6, CLIENT6).ttl(63).udp(1, 2).payload(4).build(), testbed.send4(in).only6());
    }

    @Test
    void refusesAnUnexpiredSourceRouteWithSourceRouteFailed()
    {
        final byte[] options = {(byte)137, 11, 4, (byte)198, 51, 100, 2, (byte)198, 51, 100, 1, 0};
        final byte[] in = v4(HOST4, CLIENT6_AS_V4).ipv4Options(options).udp(1, 2).payload(4).build();
        final SiitTestbed.Output output = testbed.send4(in);
        assertEquals(List.of(DROP + "unexpired-source-route"), output.drops());
        assertSameExcept(v4(GATEWAY4, HOST4).tos(0xC0).icmp(3, 5, 0).payload(in).build(), output.only4(), 4, 5, 10, 11);
    }

    @Test
    void decrementsTtlAndAnswersTimeExceededWhenItWouldReachZero()
    {
        final byte[] in = v4(HOST4, CLIENT6_AS_V4).ttl(1).udp(1, 2).payload(4).build();
        final SiitTestbed.Output output = testbed.send4(in);
        assertEquals(List.of(DROP + "ttl-exceeded"), output.drops());
        assertSameExcept(v4(GATEWAY4, HOST4).tos(0xC0).icmp(11, 0, 0).payload(in).build(), output.only4(), 4, 5, 10, 11);
    }

    @Test
    void addsAFragmentHeaderToIpv4FragmentsWithTheIdentificationZeroExtended()
    {
        final byte[] first = v4(HOST4, CLIENT6_AS_V4).identification(0x4321).ipv4Fragment(0, true).udp(1, 2).payload(96)
            .build();
        assertArrayEquals(v6(HOST4_AS_V6, CLIENT6).ttl(63).fragmentHeader(0, true, 0x4321).udp(1, 2).payload(96).build(),
            testbed.send4(first).only6());
        final byte[] last = v4(HOST4, CLIENT6_AS_V4).identification(0x4321).ipv4Fragment(104, false).udp(1, 2).payload(33)
            .build();
        assertArrayEquals(v6(HOST4_AS_V6, CLIENT6).ttl(63).fragmentHeader(104, false, 0x4321).udp(1, 2).payload(33).build(),
            testbed.send4(last).only6());
    }

    @Test
    void fragmentsDfClearPacketsAboveTheLowestIpv6Mtu()
    {
        final byte[] in = v4(HOST4, CLIENT6_AS_V4).identification(77).udp(2000, 4000).payload(1233).build();
        final SiitTestbed.Output output = testbed.send4(in);
        assertEquals(2, output.n6().size(), "drops " + output.drops());
        final byte[] first = output.n6().get(0);
        final byte[] second = output.n6().get(1);
        assertEquals(1280, first.length);
        assertEquals(40 + 8 + 9, second.length);
        assertEquals(0x0001, u16(first, 42), "offset 0, M");
        assertEquals(1232, u16(second, 42), "offset 1232, last");
        assertEquals(77, u16(first, 46));
        assertEquals(77, u16(second, 46));
        final byte[] whole = v6(HOST4_AS_V6, CLIENT6).ttl(63).udp(2000, 4000).payload(1233).build();
        final byte[] reassembled = concat(Arrays.copyOfRange(first, 48, first.length), Arrays.copyOfRange(second, 48, 57));
        assertArrayEquals(Arrays.copyOfRange(whole, 40, whole.length), reassembled);
    }

    @Test
    void fragmentsToAConfiguredLowestIpv6MtuInMultiplesOf8()
    {
        final SiitTestbed raised = new SiitTestbed(Map.of(TranslatorConfig.LOWEST_IPV6_MTU_KEY, "1402"));
        final SiitTestbed.Output output = raised.send4(v4(HOST4, CLIENT6_AS_V4).udp(1, 2).payload(1355).build());
        assertEquals(2, output.n6().size());
        assertEquals(1400, output.n6().get(0).length, "1402 - 48 rounded down to 8, plus 48");
        assertEquals(48 + 11, output.n6().get(1).length);
    }

    @Test
    void keepsDfPacketsWholeWhenTheyFitTheIpv6Mtu()
    {
        final byte[] in = v4(HOST4, CLIENT6_AS_V4).dontFragment(true).udp(1, 2).payload(1233).build();
        assertEquals(1281, testbed.send4(in).only6().length);
    }

    @Test
    void answersDfPacketsTooBigForTheIpv6MtuWithFragmentationNeeded()
    {
        final SiitTestbed narrow = new SiitTestbed(Map.of(), 1500, 1280);
        final byte[] in = v4(HOST4, CLIENT6_AS_V4).dontFragment(true).tcp(1, 2, 0x10).payload(1221).build();
        final SiitTestbed.Output output = narrow.send4(in);
        assertEquals(List.of(DROP + "fragmentation-needed"), output.drops());
        // RFC 7915 §4.1: the IPv6 MTU minus 20; RFC 1812: at most 576 bytes.
        final byte[] expected = v4(GATEWAY4, HOST4).tos(0xC0).icmp(3, 4, 1260).payload(Arrays.copyOf(in, 548)).build();
        assertSameExcept(expected, output.only4(), 4, 5, 10, 11);
    }

    @Test
    void answersZeroChecksumUdpWithAdministrativelyProhibited()
    {
        final byte[] in = v4(HOST4, CLIENT6_AS_V4).noUdpChecksum().udp(1, 2).payload(4).build();
        final SiitTestbed.Output output = testbed.send4(in);
        assertEquals(List.of(DROP + "udp-zero-checksum"), output.drops());
        assertSameExcept(v4(GATEWAY4, HOST4).tos(0xC0).icmp(3, 13, 0).payload(in).build(), output.only4(), 4, 5, 10, 11);
    }

    @Test
    void computesTheChecksumOfZeroChecksumUdpWhenAmending()
    {
        final SiitTestbed amending = new SiitTestbed(Map.of(TranslatorConfig.AMEND_UDP_CHECKSUM_ZERO_KEY, "true"));
        final byte[] in = v4(HOST4, CLIENT6_AS_V4).noUdpChecksum().udp(1, 2).payload(40).build();
        assertArrayEquals(v6(HOST4_AS_V6, CLIENT6).ttl(63).udp(1, 2).payload(40).build(), amending.send4(in).only6());
    }

    @Test
    void answersFragmentedZeroChecksumUdpEvenWhenAmending()
    {
        final SiitTestbed amending = new SiitTestbed(Map.of(TranslatorConfig.AMEND_UDP_CHECKSUM_ZERO_KEY, "true"));
        final byte[] in = v4(HOST4, CLIENT6_AS_V4).ipv4Fragment(0, true).noUdpChecksum().udp(1, 2).payload(40).build();
        final SiitTestbed.Output output = amending.send4(in);
        assertEquals(List.of(DROP + "udp-zero-checksum-fragment"), output.drops());
        assertEquals(3 << 8 | 13, u16(output.only4(), 20));
    }

    @Test
    void dropsIllegalSourcesButTranslatesThemInIcmpErrors()
    {
        testbed.send4(v4("127.0.0.1", CLIENT6_AS_V4).udp(1, 2).build()).assertDroppedSilently(DROP + "illegal-source");
        testbed.send4(v4("0.0.0.0", CLIENT6_AS_V4).udp(1, 2).build()).assertDroppedSilently(DROP + "illegal-source");
        final byte[] inner = v4(CLIENT6_AS_V4, HOST4).ttl(63).udp(2000, 4000).payload(4).build();
        final byte[] out = testbed.send4(v4("127.0.0.1", CLIENT6_AS_V4).icmp(3, 3, 0).payload(inner).build()).only6();
        final byte[] inner6 = v6(CLIENT6, HOST4_AS_V6).ttl(63).udp(2000, 4000).payload(4).build();
        // RFC 7915 §4.1: translated "for the purpose of trouble shooting".
        assertArrayEquals(v6("2001:db8:17f:0:1::", CLIENT6).ttl(63).icmp(1, 4, 0).payload(inner6).build(), out);
    }

    @Test
    void dropsIgmpAndSingleHopIcmpSilently()
    {
        testbed.send4(v4(HOST4, CLIENT6_AS_V4).protocol(2).payload(8).build()).assertDroppedSilently(DROP + "igmp-not-translated");
        testbed.send4(v4(HOST4, CLIENT6_AS_V4).icmp(13, 0, 0).payload(12).build())
            .assertDroppedSilently(DROP + "icmpv4-not-translated");
        testbed.send4(v4(HOST4, CLIENT6_AS_V4).icmp(5, 1, 0).payload(28).build())
            .assertDroppedSilently(DROP + "icmpv4-not-translated");
    }

    @Test
    void dropsIpv4PayloadsWhoseProtocolMeansSomethingOnlyInIpv6()
    {
        // Found by SiitFuzzTest: protocol 0 became Next Header 0, and the payload a Hop-by-Hop header.
        // Then AH whose Next Header was 0, read by IPv6 as a Hop-by-Hop header after AH, 254, and
        // 58: an ICMPv6 message written by the IPv4 host.
        for (final int protocol : new int[]{0, 43, 44, 60, 135, 139, 140, 51, 253, 254, 58})
        {
            testbed.send4(v4(HOST4, CLIENT6_AS_V4).protocol(protocol).payload(16).build())
                .assertDroppedSilently(DROP + "ipv6-only-protocol");
        }
        // ESP and any upper layer mean the same on both sides and pass.
        testbed.send4(v4(HOST4, CLIENT6_AS_V4).protocol(50).payload(16).build()).only6();
        testbed.send4(v4(HOST4, CLIENT6_AS_V4).protocol(132).payload(16).build()).only6();
    }

    @Test
    void dropsFragmentedIcmp()
    {
        testbed.send4(v4(HOST4, CLIENT6_AS_V4).ipv4Fragment(0, true).icmpEchoRequest(1, 1).payload(64).build())
            .assertDroppedSilently(DROP + "fragmented-icmpv4");
    }

    @Test
    void translatesFragmentationNeededToPacketTooBigNeverBelow1280()
    {
        assertEquals(1420, packetTooBigMtuFor(1400, 1300));
        assertEquals(1280, packetTooBigMtuFor(1000, 1300));
        // RFC 7915 §4.2: MTU 0 means a pre-RFC 1191 router: largest plateau below 2100 is 2002,
        // then bounded by the IPv6 MTU (1500).
        assertEquals(1500, packetTooBigMtuFor(0, 2100));
    }

    @Test
    void mapsProtocolUnreachableToParameterProblemPointingAtTheNextHeader()
    {
        final byte[] out = testbed.send4(icmpError4(3, 2, 0)).only6();
        assertEquals(4 << 8 | 1, u16(out, 40));
        assertEquals(6, u16(out, 46));
    }

    @Test
    void mapsParameterProblemPointersAndDropsTheUnmappable()
    {
        // Protocol (9) -> Next Header (6), RFC 7915 §4.2 Figure 3.
        final byte[] out = testbed.send4(icmpError4(12, 0, 9 << 24)).only6();
        assertEquals(4 << 8, u16(out, 40));
        assertEquals(6, u16(out, 46));
        // Identification (4): n/a, silently dropped.
        testbed.send4(icmpError4(12, 0, 4 << 24)).assertDroppedSilently(DROP + "icmpv4-not-translated");
    }

    @Test
    void translatesTheInnerPacketWithoutDecrementingItsTtl()
    {
        final byte[] inner = v4(CLIENT6_AS_V4, HOST4).ttl(17).udp(2000, 4000).payload(344).build();
        final byte[] out = testbed.send4(v4(HOST4, CLIENT6_AS_V4).icmp(3, 3, 0).payload(inner).build()).only6();
        final byte[] inner6 = v6(CLIENT6, HOST4_AS_V6).ttl(17).udp(2000, 4000).payload(344).build();
        assertArrayEquals(v6(HOST4_AS_V6, CLIENT6).ttl(63).icmp(1, 4, 0).payload(inner6).build(), out);
    }

    @Test
    void truncatesTranslatedIcmpErrorsTo1280Bytes()
    {
        final byte[] inner = v4(CLIENT6_AS_V4, HOST4).ttl(63).udp(2000, 4000).payload(1444).build();
        final byte[] out = testbed.send4(v4(HOST4, CLIENT6_AS_V4).icmp(3, 3, 0).payload(inner).build()).only6();
        final byte[] inner6 = v6(CLIENT6, HOST4_AS_V6).ttl(63).udp(2000, 4000).payload(1444).build();
        assertArrayEquals(v6(HOST4_AS_V6, CLIENT6).ttl(63).icmp(1, 4, 0).payload(Arrays.copyOf(inner6, 1232)).build(), out);
    }

    @Test
    void convertsTheRfc4884LengthFrom32To64BitWords()
    {
        final byte[] inner = v4(CLIENT6_AS_V4, HOST4).ttl(63).udp(2000, 4000).payload(104).build();   // 132 bytes
        final byte[] extension = new byte[40];
        extension[0] = 0x20;
        Arrays.fill(extension, 4, 40, (byte)0x5A);
        final byte[] in = v4(HOST4, CLIENT6_AS_V4).icmp(3, 3, 33 << 16).payload(concat(inner, extension)).build();
        final byte[] inner6 = v6(CLIENT6, HOST4_AS_V6).ttl(63).udp(2000, 4000).payload(104).build();  // 152 bytes
        assertArrayEquals(v6(HOST4_AS_V6, CLIENT6).ttl(63).icmp(1, 4, 19 << 24).payload(concat(inner6, extension)).build(),
            testbed.send4(in).only6());
    }

    @Test
    void roundsTheTranslatedOriginalDatagramDownToAMultipleOf8()
    {
        final byte[] inner = v4(CLIENT6_AS_V4, HOST4).ttl(63).udp(2000, 4000).payload(100).build();   // 128 bytes
        final byte[] extension = new byte[20];
        extension[0] = 0x20;
        final byte[] in = v4(HOST4, CLIENT6_AS_V4).icmp(3, 3, 32 << 16).payload(concat(inner, extension)).build();
        final byte[] inner6 = v6(CLIENT6, HOST4_AS_V6).ttl(63).udp(2000, 4000).payload(100).build();  // 148 bytes
        assertArrayEquals(v6(HOST4_AS_V6, CLIENT6).ttl(63).icmp(1, 4, 18 << 24)
            .payload(concat(Arrays.copyOf(inner6, 144), extension)).build(), testbed.send4(in).only6());
    }

    @Test
    void sourcesTranslatedIcmpErrorsWithoutMappingFromTheRfc6791Ipv6PoolOrTheGateway()
    {
        final Map<String, String> eamOnly = Map.of(
            TranslatorConfig.PREFIX_KEY, "none",
            TranslatorConfig.EAMT_KEY, "192.0.2.0/24=2001:db8:1c0:2::/72, 198.51.100.0/24=2001:db8:1c6:3364::/72");
        final byte[] inner = v4(CLIENT6_AS_V4, HOST4).ttl(63).udp(2000, 4000).payload(4).build();
        final byte[] in = v4("2.0.0.2", CLIENT6_AS_V4).icmp(3, 3, 0).payload(inner).build();
        final byte[] withPool = new SiitTestbed(withEntry(eamOnly, TranslatorConfig.RFC6791_V6_KEY, "2::2")).send4(in).only6();
        assertEquals(2L << 48, java.nio.ByteBuffer.wrap(withPool, 8, 16).getLong());
        assertEquals(2L, java.nio.ByteBuffer.wrap(withPool, 16, 8).getLong());
        final byte[] withoutPool = new SiitTestbed(eamOnly).send4(in).only6();
        assertArrayEquals(Arrays.copyOfRange(v6(GATEWAY6, CLIENT6).build(), 8, 24), Arrays.copyOfRange(withoutPool, 8, 24));
    }

    @Test
    void dropsPacketsWithABadHeaderChecksum()
    {
        final byte[] in = v4(HOST4, CLIENT6_AS_V4).udp(1, 2).build();
        in[10] ^= 0x40;
        testbed.send4(in).assertDroppedSilently(DROP + "bad-header-checksum");
    }

    @Test
    void dropsPacketsToUntranslatableDestinationsSilently()
    {
        final SiitTestbed eamOnly = new SiitTestbed(Map.of(TranslatorConfig.PREFIX_KEY, "none"));
        eamOnly.send4(v4(HOST4, "192.0.2.33").udp(1, 2).build()).assertDroppedSilently(DROP + "untranslatable-destination");
    }

    @Test
    void dropsMulticastLoopbackAndBroadcastDestinations()
    {
        for (final String destination : new String[]{"224.0.0.251", "239.1.2.3", "127.0.0.1", "0.1.2.3", "255.255.255.255"})
        {
            testbed.send4(v4(HOST4, destination).udp(1, 2).build()).assertDroppedSilently(DROP + "untranslatable-destination");
        }
    }

    @Test
    void translatesToTheEamBeforePool6()
    {
        final byte[] out = testbed.send4(v4(HOST4, "1.0.0.96").udp(1, 2).payload(4).build()).only6();
        assertArrayEquals(v6(HOST4_AS_V6, "2001:db8:3::60").ttl(63).udp(1, 2).payload(4).build(), out);
    }

    private int packetTooBigMtuFor(final int mtu, final int innerTotalLength)
    {
        final byte[] inner = v4(CLIENT6_AS_V4, HOST4).ttl(63).dontFragment(true).udp(2000, 4000).payload(100).build();
        inner[2] = (byte)(innerTotalLength >>> 8);
        inner[3] = (byte)innerTotalLength;
        inner[10] = 0;
        inner[11] = 0;
        final int checksum = io.sixgate.core.packet.PacketBuilder.referenceChecksum(0, Arrays.copyOf(inner, 20));
        inner[10] = (byte)(checksum >>> 8);
        inner[11] = (byte)checksum;
        final byte[] out = testbed.send4(v4(HOST4, CLIENT6_AS_V4).icmp(3, 4, mtu).payload(inner).build()).only6();
        assertEquals(2 << 8, u16(out, 40));
        return java.nio.ByteBuffer.wrap(out, 44, 4).getInt();
    }

    private static byte[] icmpError4(final int type, final int code, final int rest)
    {
        final byte[] inner = v4(CLIENT6_AS_V4, HOST4).ttl(63).udp(2000, 4000).payload(4).build();
        return v4(HOST4, CLIENT6_AS_V4).icmp(type, code, rest).payload(inner).build();
    }

    private static Map<String, String> withEntry(final Map<String, String> map, final String key, final String value)
    {
        final java.util.HashMap<String, String> copy = new java.util.HashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    private static int trafficClass(final byte[] ipv6)
    {
        return (u8(ipv6, 0) & 0x0F) << 4 | u8(ipv6, 1) >>> 4;
    }
}
