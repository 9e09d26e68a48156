package io.sixgate.nat64.siit;

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

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.packet.Ipv4Flyweight;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

/**
 * RFC 7915 §5 (IPv6 to IPv4), one rule per test, through the real stages.
 */
class Siit64StageTest
{
    private static final String DROP = "siit-6to4/";

    private final SiitTestbed testbed = new SiitTestbed();

    @Test
    void translatesUdpHeaderAndChecksumIncrementally()
    {
        final byte[] out = testbed.send6(v6(CLIENT6, HOST4_AS_V6).tos(0x28).udp(5000, 53).payload(100).build()).only4();
        final byte[] expected = v4(CLIENT6_AS_V4, HOST4).tos(0x28).ttl(63).udp(5000, 53).payload(100).build();
        // Identification comes from the translator's generator, and the header checksum with it.
        assertSameExcept(expected, out, 4, 5, 10, 11);
    }

    @Test
    void translatesTcpAndKeepsABadChecksumBad()
    {
        final byte[] in = v6(CLIENT6, HOST4_AS_V6).tcp(40000, 80, 0x18).payload(300).build();
        final int good6 = u16(in, 56);
        in[56] = (byte)((good6 - 1) >>> 8);
        in[57] = (byte)(good6 - 1);
        final byte[] out = new SiitTestbed().withoutChecksumChecks().send6(in).only4();
        final byte[] expected = v4(CLIENT6_AS_V4, HOST4).ttl(63).tcp(40000, 80, 0x18).payload(300).build();
        assertSameExcept(expected, out, 4, 5, 10, 11, 36, 37);
        // RFC 1624: the incremental update carries the error through; the end host still sees it.
        assertEquals((u16(expected, 36) - 1) & 0xFFFF, u16(out, 36));
    }

    @Test
    void translatesEchoRequestTypeAndChecksumWithoutPseudoHeader()
    {
        final byte[] out = testbed.send6(v6(CLIENT6, HOST4_AS_V6).icmpEchoRequest(7, 1).payload(56).build()).only4();
        assertSameExcept(v4(CLIENT6_AS_V4, HOST4).ttl(63).icmpEchoRequest(7, 1).payload(56).build(), out, 4, 5, 10, 11);
    }

    @Test
    void translatesEchoReply()
    {
        final byte[] out = testbed.send6(v6(CLIENT6, HOST4_AS_V6).icmpEchoReply(7, 1).payload(8).build()).only4();
        assertSameExcept(v4(CLIENT6_AS_V4, HOST4).ttl(63).icmpEchoReply(7, 1).payload(8).build(), out, 4, 5, 10, 11);
    }

    @Test
    void setsDontFragmentOnlyAbove1260Bytes()
    {
        // RFC 7915 §5.1: DF clear up to 1260 bytes of IPv4, set above.
        final byte[] small = testbed.send6(v6(CLIENT6, HOST4_AS_V6).udp(1, 2).payload(1260 - 28).build()).only4();
        final byte[] large = testbed.send6(v6(CLIENT6, HOST4_AS_V6).udp(1, 2).payload(1261 - 28).build()).only4();
        assertEquals(1260, small.length);
        assertEquals(0, u16(small, 6));
        assertEquals(1261, large.length);
        assertEquals(0x4000, u16(large, 6));
    }

    @Test
    void decrementsHopLimitAndAnswersTimeExceededWhenItWouldReachZero()
    {
        final byte[] in = v6(CLIENT6, HOST4_AS_V6).ttl(1).udp(1, 2).payload(8).build();
        final SiitTestbed.Output output = testbed.send6(in);
        assertEquals(List.of(DROP + "hop-limit-exceeded"), output.drops());
        final byte[] error = output.only6();
        final byte[] expected = v6(GATEWAY6, CLIENT6).icmp(3, 0, 0).payload(in).build();
        assertArrayEquals(expected, error);
    }

    @Test
    void skipsHopByHopDestinationOptionsAndRoutingHeadersWithSegmentsLeftZero()
    {
        final byte[] in = v6(CLIENT6, HOST4_AS_V6).hopByHop().destinationOptions().routingHeader(0, 0)
            .udp(1000, 2000).payload(20).build();
        final byte[] out = testbed.send6(in).only4();
        assertSameExcept(v4(CLIENT6_AS_V4, HOST4).ttl(63).udp(1000, 2000).payload(20).build(), out, 4, 5, 10, 11);
    }

    @Test
    void answersRoutingHeaderWithSegmentsLeftWithParameterProblem()
    {
        final byte[] in = v6(CLIENT6, HOST4_AS_V6).routingHeader(0, 2).udp(1, 2).payload(4).build();
        final SiitTestbed.Output output = testbed.send6(in);
        assertEquals(List.of(DROP + "routing-header-segments-left"), output.drops());
        // RFC 7915 §5.1: Parameter Problem 4/0, pointer to Segments Left (byte 3 of the header at 40).
        assertArrayEquals(v6(GATEWAY6, CLIENT6).icmp(4, 0, 43).payload(in).build(), output.only6());
    }

    @Test
    void answersExtensionHeaderAfterFragmentHeaderWithAdministrativelyProhibited()
    {
        final byte[] in = v6(CLIENT6, HOST4_AS_V6).fragmentHeader(0, true, 9).destinationOptions().udp(1, 2).payload(4)
            .build();
        final SiitTestbed.Output output = testbed.send6(in);
        assertEquals(List.of(DROP + "extension-header-after-fragment"), output.drops());
        assertArrayEquals(v6(GATEWAY6, CLIENT6).icmp(1, 1, 0).payload(in).build(), output.only6());
    }

    @Test
    void mapsFirstFragmentToIpv4FragmentWithLow16BitsOfIdentification()
    {
        final byte[] in = v6(CLIENT6, HOST4_AS_V6).fragmentHeader(0, true, 0x1234_5678).udp(7, 9).payload(96).build();
        final byte[] out = testbed.send6(in).only4();
        // RFC 7915 §5.1.1: identification low 16 bits, MF copied, DF clear, offset copied.
        final byte[] expected = v4(CLIENT6_AS_V4, HOST4).ttl(63).identification(0x5678).ipv4Fragment(0, true)
            .udp(7, 9).payload(96).build();
        assertArrayEquals(expected, out);
    }

    @Test
    void mapsNonFirstFragmentWithoutTouchingItsData()
    {
        final byte[] in = v6(CLIENT6, HOST4_AS_V6).fragmentHeader(1208, false, 0xABCD_0001).udp(7, 9).payload(77).build();
        final byte[] out = testbed.send6(in).only4();
        final byte[] expected = v4(CLIENT6_AS_V4, HOST4).ttl(63).identification(1).ipv4Fragment(1208, false)
            .udp(7, 9).payload(77).build();
        assertArrayEquals(expected, out);
    }

    @Test
    void translatesAtomicFragmentIntoAnUnfragmentedPacketKeepingItsIdentification()
    {
        final byte[] in = v6(CLIENT6, HOST4_AS_V6).fragmentHeader(0, false, 0x8765_4321).udp(7, 9).payload(20).build();
        final byte[] out = testbed.send6(in).only4();
        assertArrayEquals(v4(CLIENT6_AS_V4, HOST4).ttl(63).identification(0x4321).udp(7, 9).payload(20).build(), out);
    }

    @Test
    void forwardsUnknownTransportProtocolsWithTheHeaderTranslated()
    {
        // RFC 7915 §5.5: DCCP (33) is copied as is.
        final byte[] out = testbed.send6(v6(CLIENT6, HOST4_AS_V6).protocol(33).payload(24).build()).only4();
        assertSameExcept(v4(CLIENT6_AS_V4, HOST4).ttl(63).protocol(33).payload(24).build(), out, 4, 5, 10, 11);
    }

    @Test
    void dropsPacketsToUntranslatableDestinationsSilently()
    {
        testbed.send6(v6(CLIENT6, "2001:db8:ffff::1").udp(1, 2).build()).assertDroppedSilently(DROP + "untranslatable-destination");
    }

    @Test
    void dropsPacketsFromUntranslatableSourcesSilently()
    {
        testbed.send6(v6("2001:db8:ffff::1", HOST4_AS_V6).udp(1, 2).build()).assertDroppedSilently(DROP + "untranslatable-source");
    }

    @Test
    void neverSendsAnIpv4SourceThatNoHostMayHave()
    {
        // Found by SiitFuzzTest over the corpus: pool6 2001:db8:100::/40 embeds 127.0.0.1 as
        // 2001:db8:17f:0:1::, which was translated to a loopback IPv4 source (RFC 1812 §5.3.7).
        testbed.send6(v6("2001:db8:17f:0:1::", HOST4_AS_V6).udp(1, 2).build())
            .assertDroppedSilently(DROP + "untranslatable-source");
        testbed.send6(v6("2001:db8:1e0:0:1::", HOST4_AS_V6).udp(1, 2).build())
            .assertDroppedSilently(DROP + "untranslatable-source");
        // An ICMPv6 error from such an address takes an RFC 6791 source instead (RFC 7915 §5.1).
        final byte[] inner = v6(HOST4_AS_V6, CLIENT6).ttl(63).udp(4000, 2000).payload(8).build();
        final byte[] error = testbed.send6(v6("2001:db8:17f:0:1::", HOST4_AS_V6).icmp(1, 4, 0).payload(inner).build())
            .only4();
        assertEquals("203.0.113.8", Ipv4Address.format(new Ipv4Flyweight().wrap(new UnsafeBuffer(error), 0).srcAddress()));
    }

    @Test
    void neverSendsToAnIpv4DestinationThatNoHostMayHave()
    {
        // Found by SiitFuzzTest: 2001:db8:1fe:3364:2:: under pool6 is 254.51.100.2 (class E).
        testbed.send6(v6(CLIENT6, "2001:db8:1fe:3364:2::").udp(1, 2).build())
            .assertDroppedSilently(DROP + "untranslatable-destination");
        testbed.send6(v6(CLIENT6, "2001:db8:17f:0:1::").udp(1, 2).build())
            .assertDroppedSilently(DROP + "untranslatable-destination");
        testbed.send6(v6(CLIENT6, "2001:db8:1e0:0:1::").udp(1, 2).build())
            .assertDroppedSilently(DROP + "untranslatable-destination");
    }

    @Test
    void dropsIcmpv4AndIgmpWrittenByAnIpv6Host()
    {
        // Found by SiitFuzzTest: Next Header 1 behind a Hop-by-Hop header became an ICMPv4 message.
        testbed.send6(v6(CLIENT6, HOST4_AS_V6).protocol(1).payload(new byte[]{5, 1, 0, 0, 10, 0, 0, 1}).build())
            .assertDroppedSilently(DROP + "ipv4-only-protocol");
        testbed.send6(v6(CLIENT6, HOST4_AS_V6).hopByHop().protocol(1).payload(8).build())
            .assertDroppedSilently(DROP + "ipv4-only-protocol");
        testbed.send6(v6(CLIENT6, HOST4_AS_V6).protocol(2).payload(8).build())
            .assertDroppedSilently(DROP + "ipv4-only-protocol");
    }

    @Test
    void anAllZeroEchoReplyGetsTheChecksumAllOnes()
    {
        // Found by SiitFuzzTest: RFC 1624 eqn. 3 made 0x0000, which no receiver takes for a message
        // of zeros (identifier 0, sequence 0, zero data); SiitTestbed checks every checksum.
        final byte[] out = testbed.send6(v6(CLIENT6, HOST4_AS_V6).icmpEchoReply(0, 0).payload(new byte[48]).build())
            .only4();
        assertEquals(0xFFFF, u16(out, 20 + 2));
    }

    @Test
    void prefersTheEamOverPool6()
    {
        // 2001:db8:3::5 is inside the EAM 2001:db8:3::/120 = 1.0.0.0/24 (RFC 7757 §3.3).
        final byte[] out = testbed.send6(v6("2001:db8:3::5", HOST4_AS_V6).udp(1, 2).payload(4).build()).only4();
        assertSameExcept(v4("1.0.0.5", HOST4).ttl(63).udp(1, 2).payload(4).build(), out, 4, 5, 10, 11);
    }

    @Test
    void sourcesTranslatedIcmpErrorsWithoutMappingFromTheRfc6791Pool()
    {
        final byte[] inner = v6(HOST4_AS_V6, CLIENT6).ttl(63).udp(2000, 4000).payload(12).build();
        final byte[] in = v6("4000::1", HOST4_AS_V6).icmp(1, 4, 0).payload(inner).build();
        final byte[] out = testbed.send6(in).only4();
        final byte[] inner4 = v4(HOST4, CLIENT6_AS_V4).ttl(63).identification(0).udp(2000, 4000).payload(12).build();
        assertSameExcept(v4("203.0.113.8", HOST4).ttl(63).icmp(3, 3, 0).payload(inner4).build(), out, 4, 5, 10, 11);
    }

    @Test
    void sourcesTranslatedIcmpErrorsFromTheGatewayWhenTheRfc6791PoolIsEmpty()
    {
        final byte[] inner = v6(HOST4_AS_V6, CLIENT6).ttl(63).udp(2000, 4000).payload(12).build();
        final byte[] in = v6("4000::1", HOST4_AS_V6).icmp(1, 4, 0).payload(inner).build();
        final byte[] out = new SiitTestbed(Map.of(TranslatorConfig.RFC6791_V4_KEY, "")).send6(in).only4();
        assertEquals(GATEWAY4, ipv4At(out, 12));
    }

    @Test
    void answersPacketTooBigWithTheIpv4MtuPlus20()
    {
        final SiitTestbed small = new SiitTestbed(Map.of(), 1400, 1500);
        final byte[] in = v6(CLIENT6, HOST4_AS_V6).tcp(1, 2, 0x10).payload(1361).build();
        final SiitTestbed.Output output = small.send6(in);
        assertEquals(List.of(DROP + "packet-too-big"), output.drops());
        final byte[] expected = v6(GATEWAY6, CLIENT6).icmp(2, 0, 1420).payload(Arrays.copyOf(in, 1232)).build();
        assertArrayEquals(expected, output.only6());
    }

    @Test
    void fragmentsPacketsOfAtMost1280BytesForIpv4LinksBelow1260()
    {
        final SiitTestbed tiny = new SiitTestbed(Map.of(), 576, 1500);
        final byte[] in = v6(CLIENT6, HOST4_AS_V6).udp(1, 2).payload(992).build();
        final SiitTestbed.Output output = tiny.send6(in);
        assertEquals(0, output.n6().size());
        assertEquals(2, output.n4().size());
        final byte[] first = output.n4().get(0);
        final byte[] second = output.n4().get(1);
        assertEquals(20 + 552, first.length);
        assertEquals(20 + 1000 - 552, second.length);
        assertEquals(u16(first, 4), u16(second, 4), "same identification");
        assertEquals(0x2000, u16(first, 6), "MF, offset 0, DF clear");
        assertEquals(552 / 8, u16(second, 6), "last fragment, offset 69");
        final byte[] whole = v4(CLIENT6_AS_V4, HOST4).ttl(63).udp(1, 2).payload(992).build();
        final byte[] reassembled = new byte[1000];
        System.arraycopy(first, 20, reassembled, 0, 552);
        System.arraycopy(second, 20, reassembled, 552, 448);
        assertArrayEquals(Arrays.copyOfRange(whole, 20, whole.length), reassembled);
    }

    @Test
    void translatesPacketTooBigToFragmentationNeededWithTheMtuMinus20()
    {
        final byte[] inner6 = v6(HOST4_AS_V6, CLIENT6).ttl(63).udp(4000, 2000).payload(1400).build();
        final byte[] in = v6(CLIENT6, HOST4_AS_V6).icmp(2, 0, 1400).payload(Arrays.copyOf(inner6, 1232)).build();
        final byte[] out = testbed.send6(in).only4();
        final byte[] inner4 = v4(HOST4, CLIENT6_AS_V4).ttl(63).identification(0).dontFragment(true)
            .udp(4000, 2000).payload(1400).build();
        // RFC 7915 §5.2: min(1400 - 20, 1500, 1500 - 20); RFC 1812 §4.3.2.3: at most 576 bytes.
        final byte[] expected = v4(CLIENT6_AS_V4, HOST4).ttl(63).icmp(3, 4, 1380).payload(Arrays.copyOf(inner4, 548))
            .build();
        assertEquals(576, out.length);
        assertSameExcept(expected, out, 4, 5, 10, 11);
    }

    @Test
    void mapsParameterProblemPointersAndDropsTheUnmappable()
    {
        final byte[] inner6 = v6(HOST4_AS_V6, CLIENT6).ttl(63).udp(4000, 2000).payload(8).build();
        final byte[] inner4 = v4(HOST4, CLIENT6_AS_V4).ttl(63).identification(0).udp(4000, 2000).payload(8).build();
        // Hop Limit (7) -> TTL (8), RFC 7915 §5.2 Figure 6.
        final byte[] out = testbed.send6(v6(CLIENT6, HOST4_AS_V6).icmp(4, 0, 7).payload(inner6).build()).only4();
        assertSameExcept(v4(CLIENT6_AS_V4, HOST4).ttl(63).icmp(12, 0, 8 << 24).payload(inner4).build(), out, 4, 5, 10, 11);
        // Flow Label (2): "n/a", silently dropped.
        testbed.send6(v6(CLIENT6, HOST4_AS_V6).icmp(4, 0, 2).payload(inner6).build())
            .assertDroppedSilently(DROP + "icmpv6-not-translated");
        // Unrecognized Next Header (4/1) -> Protocol Unreachable (3/2).
        final byte[] unreachable = testbed.send6(v6(CLIENT6, HOST4_AS_V6).icmp(4, 1, 6).payload(inner6).build()).only4();
        assertSameExcept(v4(CLIENT6_AS_V4, HOST4).ttl(63).icmp(3, 2, 0).payload(inner4).build(), unreachable,
            4, 5, 10, 11);
    }

    @Test
    void dropsNeighborDiscoveryAndMldSilently()
    {
        testbed.send6(v6(CLIENT6, HOST4_AS_V6).ttl(255).neighborSolicitation(HOST4_AS_V6, 0x0200_0000_0001L).build())
            .assertDroppedSilently(DROP + "icmpv6-not-translated");
        testbed.send6(v6(CLIENT6, HOST4_AS_V6).icmp(130, 0, 0).payload(16).build())
            .assertDroppedSilently(DROP + "icmpv6-not-translated");
    }

    @Test
    void dropsFragmentedIcmpv6()
    {
        testbed.send6(v6(CLIENT6, HOST4_AS_V6).fragmentHeader(0, true, 1).icmpEchoRequest(1, 1).payload(64).build())
            .assertDroppedSilently(DROP + "fragmented-icmpv6");
    }

    @Test
    void dropsIcmpErrorsWithABadChecksum()
    {
        final byte[] inner = v6(HOST4_AS_V6, CLIENT6).udp(1, 2).payload(8).build();
        final byte[] in = v6(CLIENT6, HOST4_AS_V6).icmp(1, 4, 0).payload(inner).build();
        in[42] ^= 0x01;
        testbed.send6(in).assertDroppedSilently(DROP + "icmpv6-error-bad-checksum");
    }

    @Test
    void dropsIcmpErrorsNestedInIcmpErrors()
    {
        final byte[] innermost = v6(CLIENT6, HOST4_AS_V6).udp(1, 2).payload(8).build();
        final byte[] inner = v6(HOST4_AS_V6, CLIENT6).icmp(1, 4, 0).payload(innermost).build();
        testbed.send6(v6(CLIENT6, HOST4_AS_V6).icmp(3, 0, 0).payload(inner).build())
            .assertDroppedSilently(DROP + "nested-icmp-error");
    }

    @Test
    void neverAnswersAnIcmpErrorWithAnIcmpError()
    {
        final byte[] inner = v6(HOST4_AS_V6, CLIENT6).udp(1, 2).payload(8).build();
        testbed.send6(v6(CLIENT6, HOST4_AS_V6).ttl(1).icmp(1, 4, 0).payload(inner).build())
            .assertDroppedSilently(DROP + "hop-limit-exceeded");
    }

    @Test
    void convertsTheRfc4884LengthFrom64To32BitWords()
    {
        final byte[] inner6 = v6(HOST4_AS_V6, CLIENT6).ttl(63).udp(4000, 2000).payload(104).build();   // 152 bytes
        final byte[] extension = extension(20);
        final byte[] in = v6(CLIENT6, HOST4_AS_V6).icmp(1, 4, (152 / 8) << 24).payload(concat(inner6, extension)).build();
        final byte[] out = testbed.send6(in).only4();
        final byte[] inner4 = v4(HOST4, CLIENT6_AS_V4).ttl(63).identification(0).udp(4000, 2000).payload(104).build();
        final byte[] expected = v4(CLIENT6_AS_V4, HOST4).ttl(63).icmp(3, 3, (132 / 4) << 16)
            .payload(concat(inner4, extension)).build();
        assertSameExcept(expected, out, 4, 5, 10, 11);
    }

    @Test
    void padsTheOriginalDatagramTo128BytesWhenAnExtensionFollows()
    {
        final byte[] inner6 = v6(HOST4_AS_V6, CLIENT6).ttl(63).udp(4000, 2000).payload(0).build();   // 48 bytes
        final byte[] extension = extension(40);
        final byte[] in = v6(CLIENT6, HOST4_AS_V6).icmp(1, 4, (48 / 8) << 24).payload(concat(inner6, extension)).build();
        final byte[] out = testbed.send6(in).only4();
        final byte[] inner4 = v4(HOST4, CLIENT6_AS_V4).ttl(63).identification(0).udp(4000, 2000).payload(0).build();
        // RFC 4884 §4.1: zero padding up to 128 bytes, length attribute 32 words.
        final byte[] expected = v4(CLIENT6_AS_V4, HOST4).ttl(63).icmp(3, 3, 32 << 16)
            .payload(concat(Arrays.copyOf(inner4, 128), extension)).build();
        assertSameExcept(expected, out, 4, 5, 10, 11);
    }

    @Test
    void removesAnExtensionThatDoesNotFitIn576Bytes()
    {
        final byte[] inner6 = v6(HOST4_AS_V6, CLIENT6).ttl(63).udp(4000, 2000).payload(80).build();   // 128 bytes
        final byte[] in = v6(CLIENT6, HOST4_AS_V6).icmp(1, 4, 16 << 24).payload(concat(inner6, extension(421))).build();
        final byte[] out = testbed.send6(in).only4();
        final byte[] inner4 = v4(HOST4, CLIENT6_AS_V4).ttl(63).identification(0).udp(4000, 2000).payload(80).build();
        assertSameExcept(v4(CLIENT6_AS_V4, HOST4).ttl(63).icmp(3, 3, 0).payload(inner4).build(), out, 4, 5, 10, 11);
    }

    @Test
    void hairpinsPacketsAddressedToAnEamAddressThroughPool6()
    {
        // RFC 7757 §4.2 / Appendix B: 1.0.0.9 (under pool6) belongs to 2001:db8:3::9 (EAM).
        final byte[] in = v6("2001:db8:3::8", "2001:db8:101:0:9::").udp(2000, 4000).payload(4).build();
        final byte[] out = testbed.send6(in).only6();
        assertArrayEquals(v6("2001:db8:101:0:8::", "2001:db8:3::9").ttl(63).udp(2000, 4000).payload(4).build(), out);
    }

    @Test
    void doesNotHairpinPacketsAddressedThroughTheEamItself()
    {
        // 2001:db8:2::60 is the EAM of 10.0.0.96, an IPv4-side host: translated, not hairpinned.
        final byte[] out = testbed.send6(v6(CLIENT6, "2001:db8:2::60").udp(1, 2).payload(4).build()).only4();
        assertEquals("10.0.0.96", ipv4At(out, 16));
    }

    @Test
    void computesAChecksumForUnfragmentedZeroChecksumUdpAndDropsFragmentedOnes()
    {
        final byte[] in = v6(CLIENT6, HOST4_AS_V6).udp(1, 2).payload(30).build();
        in[46] = 0;
        in[47] = 0;
        final byte[] out = testbed.send6(in).only4();
        assertSameExcept(v4(CLIENT6_AS_V4, HOST4).ttl(63).udp(1, 2).payload(30).build(), out, 4, 5, 10, 11);

        final byte[] fragment = v6(CLIENT6, HOST4_AS_V6).fragmentHeader(0, true, 5).udp(1, 2).payload(30).build();
        fragment[54] = 0;
        fragment[55] = 0;
        testbed.send6(fragment).assertDroppedSilently(DROP + "udp-zero-checksum-fragment");
    }

    @Test
    void copiesTheTrafficClassIntoTheTypeOfService()
    {
        final byte[] out = testbed.send6(v6(CLIENT6, HOST4_AS_V6).tos(0xB8).udp(1, 2).build()).only4();
        assertEquals(0xB8, u8(out, 1));
    }

    private static byte[] extension(final int length)
    {
        final byte[] bytes = new byte[length];
        bytes[0] = 0x20;    // RFC 4884 §7: version 2
        for (int i = 4; i < length; i++)
        {
            bytes[i] = (byte)(0xA0 + i);
        }
        return bytes;
    }

    static byte[] concat(final byte[] a, final byte[] b)
    {
        final byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static String ipv4At(final byte[] packet, final int offset)
    {
        return u8(packet, offset) + "." + u8(packet, offset + 1) + "." + u8(packet, offset + 2) + "." + u8(packet, offset + 3);
    }
}
