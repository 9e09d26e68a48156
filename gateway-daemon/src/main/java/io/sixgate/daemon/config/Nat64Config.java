package io.sixgate.daemon.config;

import java.util.List;
import java.util.Objects;

import io.sixgate.nat64.address.EamTable;
import io.sixgate.nat64.address.Rfc6052Prefix;
import io.sixgate.nat64.address.Rfc6791Pool;
import io.sixgate.nat64.siit.EgressMtu;
import io.sixgate.nat64.siit.Rfc6791Ipv6Pool;
import io.sixgate.nat64.siit.TranslatorConfig;

/**
 * The {@code nat64} section, validated: how the gateway translates between IPv6 and IPv4.
 *
 * @param pool6                 the RFC 6052 prefix, or {@code null} when only the EAMT maps addresses.
 * @param eamt                  the RFC 7757 explicit address mappings, already checked for overlaps.
 * @param translateIpv4         IPv4 destinations that stand for IPv6 hosts through {@code pool6}: IPv4
 *                              packets to them are translated to IPv6 (EAMT IPv4 prefixes always are).
 * @param rfc6791V4             sources for translated ICMPv4 errors whose IPv6 source has no IPv4 mapping.
 * @param rfc6791V6             sources for translated ICMPv6 errors whose IPv4 source has no IPv6 mapping.
 * @param lowestIpv6Mtu         RFC 7915 §4.1: DF=0 IPv4 packets larger than this are fragmented.
 * @param amendUdpChecksumZero  compute a checksum for IPv4 UDP without one instead of dropping it.
 * @param zeroizeTrafficClass   IPv6 traffic class 0 instead of the IPv4 TOS.
 * @param icmpErrors            whether the translator answers with ICMP errors (time exceeded, PTB...).
 * @param stateful              the stateful NAT64 (RFC 6146) settings with {@code mode: stateful}, or
 *                              {@code null} for SIIT.
 */
public record Nat64Config(
    Rfc6052Prefix pool6,
    EamTable eamt,
    List<IpCidr> translateIpv4,
    Rfc6791Pool rfc6791V4,
    Rfc6791Ipv6Pool rfc6791V6,
    int lowestIpv6Mtu,
    boolean amendUdpChecksumZero,
    boolean zeroizeTrafficClass,
    boolean icmpErrors,
    Nat64StatefulSettings stateful)
{
    /** Stateless translation (RFC 7915 + EAMT). */
    public static final String MODE_SIIT = TranslatorConfig.MODE_SIIT;

    /** Stateful NAT64 (RFC 6146). */
    public static final String MODE_STATEFUL = "stateful";

    /**
     * @return whether this is stateful NAT64.
     */
    public boolean isStateful()
    {
        return stateful != null;
    }

    public Nat64Config
    {
        Objects.requireNonNull(eamt, "eamt");
        Objects.requireNonNull(rfc6791V4, "rfc6791V4");
        Objects.requireNonNull(rfc6791V6, "rfc6791V6");
        translateIpv4 = List.copyOf(translateIpv4);
    }

    /**
     * @param localIpv4     the gateway's IPv4 address, source of the ICMPv4 errors it makes itself.
     * @param localIpv6High the gateway's IPv6 address (bits 0..63), source of its ICMPv6 errors.
     * @param localIpv6Low  the same, bits 64..127.
     * @param egressMtu     the MTU on each side.
     * @return the translator's settings.
     */
    public TranslatorConfig translatorConfig(
        final int localIpv4, final long localIpv6High, final long localIpv6Low, final EgressMtu egressMtu)
    {
        return new TranslatorConfig(pool6, eamt, rfc6791V4, rfc6791V6, localIpv4, localIpv6High, localIpv6Low,
            lowestIpv6Mtu, amendUdpChecksumZero, zeroizeTrafficClass,
            pool6 == null ? Rfc6052Prefix.WKP_GLOBAL_ONLY_DEFAULT : pool6.wkpGlobalOnly(), icmpErrors, egressMtu);
    }
}
