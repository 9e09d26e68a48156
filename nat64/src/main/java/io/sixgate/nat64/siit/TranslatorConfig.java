package io.sixgate.nat64.siit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.core.net.Ipv6Address;
import io.sixgate.nat64.address.EamTable;
import io.sixgate.nat64.address.Rfc6052Prefix;
import io.sixgate.nat64.address.Rfc6791Pool;

/**
 * Every setting of the stateless RFC 7915 translator (SIIT), immutable and shared by the
 * workers' stages.
 *
 * <table>
 *   <caption>Configuration keys ({@link #fromProperties(Map)})</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code nat64.mode}</td><td>{@code siit}</td>
 *       <td>must be {@code siit} for this translator (stateful NAT64 is {@code nat64})</td></tr>
 *   <tr><td>{@code nat64.prefix}</td><td>{@code none}</td>
 *       <td>pool6, the RFC 6052 prefix (/32, /40, /48, /56, /64 or /96), or {@code none}</td></tr>
 *   <tr><td>{@code nat64.wkp-global-only}</td><td>{@code true}</td>
 *       <td>RFC 6052 §3.1: do not translate non-global IPv4 addresses under 64:ff9b::/96</td></tr>
 *   <tr><td>{@code nat64.eamt}</td><td>empty</td>
 *       <td>RFC 7757 entries, comma separated, IPv4 prefix first:
 *       {@code 1.0.0.0/24=2001:db8:3::/120, 10.0.0.0/24=2001:db8:2::/120}</td></tr>
 *   <tr><td>{@code nat64.rfc6791-v4}</td><td>empty</td>
 *       <td>RFC 6791 IPv4 pool (comma-separated prefixes): source of translated ICMPv4 errors
 *       whose IPv6 source has no IPv4 mapping; empty = {@code nat64.local-ipv4}</td></tr>
 *   <tr><td>{@code nat64.rfc6791-v6}</td><td>empty</td>
 *       <td>the same for translated ICMPv6 errors whose IPv4 source has no IPv6 mapping;
 *       empty = {@code nat64.local-ipv6}</td></tr>
 *   <tr><td>{@code nat64.local-ipv4}</td><td>{@code 192.0.0.1}</td>
 *       <td>the translator's own IPv4 address: source of the ICMPv4 errors it generates
 *       (RFC 7915 §4.4)</td></tr>
 *   <tr><td>{@code nat64.local-ipv6}</td><td>{@code ::1}</td>
 *       <td>the translator's own IPv6 address: source of the ICMPv6 errors it generates
 *       (RFC 7915 §5.4)</td></tr>
 *   <tr><td>{@code nat64.lowest-ipv6-mtu}</td><td>{@code 1280}</td>
 *       <td>RFC 7915 §4.1: IPv4 packets without DF whose translation exceeds it are fragmented</td></tr>
 *   <tr><td>{@code nat64.amend-udp-checksum-zero}</td><td>{@code false}</td>
 *       <td>RFC 7915 §4.5: compute a checksum for unfragmented zero-checksum IPv4 UDP instead of
 *       dropping it</td></tr>
 *   <tr><td>{@code nat64.zeroize-traffic-class}</td><td>{@code false}</td>
 *       <td>RFC 7915 §4.1: set the IPv6 traffic class to 0 instead of copying the IPv4 TOS</td></tr>
 *   <tr><td>{@code nat64.icmp-errors}</td><td>{@code true}</td>
 *       <td>RFC 7915 §4.4 and §5.4: send ICMP errors for dropped packets (off = drop silently)</td></tr>
 *   <tr><td>{@code nat64.mtu-ipv4}, {@code nat64.mtu-ipv6}</td><td>{@code 1500}</td>
 *       <td>egress MTUs when nothing better is known; the daemon replaces them with its ports'
 *       MTUs through {@link #withEgressMtu(EgressMtu)}</td></tr>
 * </table>
 *
 * @param pool6                 RFC 6052 prefix, or {@code null} for none.
 * @param eamt                  RFC 7757 table (maybe empty).
 * @param rfc6791V4             source pool of translated ICMPv4 errors (maybe empty).
 * @param rfc6791V6             source pool of translated ICMPv6 errors (maybe empty).
 * @param localIpv4             the translator's own IPv4 address.
 * @param localIpv6High         bits 0-63 of the translator's own IPv6 address.
 * @param localIpv6Low          bits 64-127 of the translator's own IPv6 address.
 * @param lowestIpv6Mtu         RFC 7915 §4.1 "lowest-ipv6-mtu", at least 1280.
 * @param amendUdpChecksumZero  RFC 7915 §4.5 option 2 instead of option 1.
 * @param zeroizeTrafficClass   RFC 7915 §4.1 traffic class set to zero.
 * @param wkpGlobalOnly         RFC 6052 §3.1 rule (also given to {@code pool6}).
 * @param icmpErrors            whether the translator generates ICMP errors.
 * @param egressMtu             MTU per side.
 */
public record TranslatorConfig(
    Rfc6052Prefix pool6,
    EamTable eamt,
    Rfc6791Pool rfc6791V4,
    Rfc6791Ipv6Pool rfc6791V6,
    int localIpv4,
    long localIpv6High,
    long localIpv6Low,
    int lowestIpv6Mtu,
    boolean amendUdpChecksumZero,
    boolean zeroizeTrafficClass,
    boolean wkpGlobalOnly,
    boolean icmpErrors,
    EgressMtu egressMtu)
{
    public static final String MODE_KEY = "nat64.mode";
    public static final String PREFIX_KEY = "nat64.prefix";
    public static final String WKP_GLOBAL_ONLY_KEY = Rfc6052Prefix.WKP_GLOBAL_ONLY_KEY;
    public static final String EAMT_KEY = "nat64.eamt";
    public static final String RFC6791_V4_KEY = "nat64.rfc6791-v4";
    public static final String RFC6791_V6_KEY = "nat64.rfc6791-v6";
    public static final String LOCAL_IPV4_KEY = "nat64.local-ipv4";
    public static final String LOCAL_IPV6_KEY = "nat64.local-ipv6";
    public static final String LOWEST_IPV6_MTU_KEY = "nat64.lowest-ipv6-mtu";
    public static final String AMEND_UDP_CHECKSUM_ZERO_KEY = "nat64.amend-udp-checksum-zero";
    public static final String ZEROIZE_TRAFFIC_CLASS_KEY = "nat64.zeroize-traffic-class";
    public static final String ICMP_ERRORS_KEY = "nat64.icmp-errors";
    public static final String MTU_IPV4_KEY = "nat64.mtu-ipv4";
    public static final String MTU_IPV6_KEY = "nat64.mtu-ipv6";

    /** The only mode this translator implements. */
    public static final String MODE_SIIT = "siit";

    /** RFC 8200 §5 minimum link MTU, and the default of {@code lowest-ipv6-mtu} (RFC 7915 §4.1). */
    public static final int IPV6_MIN_MTU = 1280;

    public TranslatorConfig
    {
        Objects.requireNonNull(eamt, "eamt");
        Objects.requireNonNull(rfc6791V4, "rfc6791V4");
        Objects.requireNonNull(rfc6791V6, "rfc6791V6");
        Objects.requireNonNull(egressMtu, "egressMtu");
        if (lowestIpv6Mtu < IPV6_MIN_MTU || lowestIpv6Mtu > 65535)
        {
            // RFC 7915 §4.1: the threshold may only be raised above the IPv6 minimum MTU.
            throw new IllegalArgumentException(LOWEST_IPV6_MTU_KEY + " must be 1280..65535: " + lowestIpv6Mtu);
        }
        if (pool6 == null && eamt.size() == 0)
        {
            throw new IllegalArgumentException("SIIT needs " + PREFIX_KEY + " or at least one " + EAMT_KEY + " entry");
        }
    }

    /**
     * @return the same settings with another source of egress MTUs (the daemon's ports).
     */
    public TranslatorConfig withEgressMtu(final EgressMtu mtu)
    {
        return new TranslatorConfig(
            pool6, eamt, rfc6791V4, rfc6791V6, localIpv4, localIpv6High, localIpv6Low, lowestIpv6Mtu,
            amendUdpChecksumZero, zeroizeTrafficClass, wkpGlobalOnly, icmpErrors, mtu);
    }

    /**
     * Builds the configuration from {@code nat64.*} keys (see the class table). Unknown
     * {@code nat64.*} keys are rejected so that a typo does not silently keep a default.
     *
     * @param properties key/value settings; keys outside {@code nat64.} are ignored.
     * @return the configuration.
     * @throws IllegalArgumentException on a malformed or inconsistent value.
     */
    public static TranslatorConfig fromProperties(final Map<String, String> properties)
    {
        final Map<String, String> p = new LinkedHashMap<>();
        for (final Map.Entry<String, String> e : properties.entrySet())
        {
            if (e.getKey().startsWith("nat64."))
            {
                p.put(e.getKey(), e.getValue() == null ? "" : e.getValue().trim());
            }
        }
        for (final String key : p.keySet())
        {
            if (!KNOWN_KEYS.contains(key))
            {
                throw new IllegalArgumentException("unknown setting " + key + "; known: " + KNOWN_KEYS);
            }
        }

        final String mode = p.getOrDefault(MODE_KEY, MODE_SIIT);
        if (!MODE_SIIT.equals(mode))
        {
            throw new IllegalArgumentException(MODE_KEY + " must be '" + MODE_SIIT + "' for the SIIT translator: " + mode);
        }

        final boolean wkpGlobalOnly = bool(p, WKP_GLOBAL_ONLY_KEY, Rfc6052Prefix.WKP_GLOBAL_ONLY_DEFAULT);
        final String prefixText = p.getOrDefault(PREFIX_KEY, "none");
        final Rfc6052Prefix pool6 = isNone(prefixText) ? null : Rfc6052Prefix.parse(prefixText, wkpGlobalOnly);

        final EamTable.Builder eamt = EamTable.builder();
        for (final String entry : list(p.getOrDefault(EAMT_KEY, "")))
        {
            final int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1)
            {
                throw new IllegalArgumentException(EAMT_KEY + " entries are IPV4PREFIX=IPV6PREFIX: '" + entry + "'");
            }
            eamt.add(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }

        final List<String> pool4 = list(p.getOrDefault(RFC6791_V4_KEY, ""));
        final Rfc6791Pool rfc6791V4 = pool4.isEmpty() ? Rfc6791Pool.empty()
            : Rfc6791Pool.parse(pool4.stream().map(s -> s.contains("/") ? s : s + "/32").toArray(String[]::new));
        final Rfc6791Ipv6Pool rfc6791V6 =
            Rfc6791Ipv6Pool.parse(list(p.getOrDefault(RFC6791_V6_KEY, "")).toArray(new String[0]));

        final int localIpv4 = Ipv4Address.parse(p.getOrDefault(LOCAL_IPV4_KEY, "192.0.0.1"));
        final long[] localIpv6 = Ipv6Address.parse(p.getOrDefault(LOCAL_IPV6_KEY, "::1"));

        return new TranslatorConfig(
            pool6,
            eamt.build(),
            rfc6791V4,
            rfc6791V6,
            localIpv4,
            localIpv6[Ipv6Address.HIGH],
            localIpv6[Ipv6Address.LOW],
            integer(p, LOWEST_IPV6_MTU_KEY, IPV6_MIN_MTU),
            bool(p, AMEND_UDP_CHECKSUM_ZERO_KEY, false),
            bool(p, ZEROIZE_TRAFFIC_CLASS_KEY, false),
            wkpGlobalOnly,
            bool(p, ICMP_ERRORS_KEY, true),
            EgressMtu.fixed(integer(p, MTU_IPV4_KEY, 1500), integer(p, MTU_IPV6_KEY, 1500)));
    }

    private static final List<String> KNOWN_KEYS = List.of(
        MODE_KEY, PREFIX_KEY, WKP_GLOBAL_ONLY_KEY, EAMT_KEY, RFC6791_V4_KEY, RFC6791_V6_KEY, LOCAL_IPV4_KEY,
        LOCAL_IPV6_KEY, LOWEST_IPV6_MTU_KEY, AMEND_UDP_CHECKSUM_ZERO_KEY, ZEROIZE_TRAFFIC_CLASS_KEY, ICMP_ERRORS_KEY,
        MTU_IPV4_KEY, MTU_IPV6_KEY);

    private static boolean isNone(final String value)
    {
        final String v = value.toLowerCase(Locale.ROOT);
        return v.isEmpty() || v.equals("none") || v.equals("null") || v.equals("off");
    }

    private static List<String> list(final String value)
    {
        final List<String> out = new ArrayList<>();
        if (isNone(value))
        {
            return out;
        }
        for (final String part : value.split("[,\\s]+"))
        {
            if (!part.isEmpty())
            {
                out.add(part);
            }
        }
        return out;
    }

    private static boolean bool(final Map<String, String> p, final String key, final boolean defaultValue)
    {
        final String v = p.get(key);
        if (v == null || v.isEmpty())
        {
            return defaultValue;
        }
        switch (v.toLowerCase(Locale.ROOT))
        {
            case "true", "1", "yes", "on":
                return true;
            case "false", "0", "no", "off":
                return false;
            default:
                throw new IllegalArgumentException(key + " must be true or false: " + v);
        }
    }

    private static int integer(final Map<String, String> p, final String key, final int defaultValue)
    {
        final String v = p.get(key);
        if (v == null || v.isEmpty())
        {
            return defaultValue;
        }
        try
        {
            return Integer.parseInt(v);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(key + " must be an integer: " + v, ex);
        }
    }

    @Override
    public String toString()
    {
        return "TranslatorConfig[pool6=" + (pool6 == null ? "none" : pool6) +
            ", eamt=" + eamt.entries() +
            ", rfc6791V4=" + rfc6791V4 +
            ", rfc6791V6=" + rfc6791V6 +
            ", localIpv4=" + Ipv4Address.format(localIpv4) +
            ", localIpv6=" + Ipv6Address.format(localIpv6High, localIpv6Low) +
            ", lowestIpv6Mtu=" + lowestIpv6Mtu +
            ", amendUdpChecksumZero=" + amendUdpChecksumZero +
            ", zeroizeTrafficClass=" + zeroizeTrafficClass +
            ", wkpGlobalOnly=" + wkpGlobalOnly +
            ", icmpErrors=" + icmpErrors +
            ", egressMtu=" + egressMtu + "]";
    }
}
