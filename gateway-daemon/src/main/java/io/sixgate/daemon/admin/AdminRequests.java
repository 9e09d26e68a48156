package io.sixgate.daemon.admin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.sixgate.core.net.Ipv6Prefix;
import io.sixgate.daemon.config.IpAddress;
import io.sixgate.daemon.config.IpCidr;
import io.sixgate.egress.TokenBucket;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.stateful.StaticBibEntry;

/**
 * The API's request bodies and query parameters, checked and turned into what the control
 * plane takes; every refusal is a 400 naming the key, in the configuration file's words.
 */
final class AdminRequests
{
    private static final List<String> PROTOCOLS = List.of("tcp", "udp", "icmp");

    /**
     * {@code POST /v1/nat64/static-bib}: the keys of {@code nat64.static-bib[]}.
     */
    record StaticBibBody(String protocol, String ipv6Address, Integer ipv6Port, String ipv4Address, Integer ipv4Port)
    {
    }

    /**
     * {@code POST /v1/eip}: the keys of {@code eip[]}.
     */
    record EipBody(@JsonProperty("public") String publicAddress, @JsonProperty("private") String privateAddress)
    {
    }

    /**
     * {@code POST} and {@code PUT /v1/ipv6-gateway/bandwidth}: the keys of {@code ipv6-gateway.addresses[]}.
     */
    record Ipv6BandwidthBody(String address, String prefix, Integer bandwidthMbps, Long burstBytes)
    {
    }

    /**
     * {@code POST /v1/ipv6-gateway/egress-only}: the address or prefix.
     */
    record Ipv6TargetBody(String address, String prefix)
    {
    }

    private AdminRequests()
    {
    }

    /**
     * The address (a /128) or prefix of an {@code ipv6-gateway} rule: exactly one of the two.
     */
    static Ipv6Prefix ipv6Target(final String address, final String prefix) throws HttpError
    {
        if ((address == null) == (prefix == null))
        {
            throw bad("needs exactly one of address and prefix");
        }
        if (address != null)
        {
            final IpAddress parsed = address(address, "address", true);
            return new Ipv6Prefix(parsed.ipv6High(), parsed.ipv6Low(), 128);
        }
        final IpCidr cidr;
        try
        {
            cidr = IpCidr.parse(prefix.trim());
        }
        catch (final IllegalArgumentException ex)
        {
            throw bad("prefix: " + ex.getMessage());
        }
        if (!cidr.isIpv6())
        {
            throw bad("prefix: must be an IPv6 prefix, got " + prefix);
        }
        if (cidr.hasHostBits())
        {
            throw bad("prefix: has bits set beyond its length: " + prefix + " (did you mean " + cidr.network() + "?)");
        }
        return new Ipv6Prefix(cidr.address().ipv6High(), cidr.address().ipv6Low(), cidr.length());
    }

    /**
     * @return {@code burst-bytes}, or 0 (the default) when the body has none.
     */
    static long burstBytes(final Long value) throws HttpError
    {
        if (value == null)
        {
            return 0;
        }
        if (value < 1)
        {
            throw bad("burst-bytes: must be 1.." + TokenBucket.MAX_BURST_BYTES + ", got " + value);
        }
        return value;
    }

    static int bandwidthMbps(final Integer value) throws HttpError
    {
        if (value == null)
        {
            throw bad("bandwidth-mbps: required");
        }
        return value;
    }

    static StaticBibEntry staticBib(final StaticBibBody body) throws HttpError
    {
        final int protocol = protocol(required(body.protocol(), "protocol"));
        final IpAddress ipv6 = address(required(body.ipv6Address(), "ipv6-address"), "ipv6-address", true);
        final int ipv6Port = port(body.ipv6Port(), "ipv6-port");
        final IpAddress ipv4 = address(required(body.ipv4Address(), "ipv4-address"), "ipv4-address", false);
        final int ipv4Port = port(body.ipv4Port(), "ipv4-port");
        return new StaticBibEntry(protocol, ipv6.ipv6High(), ipv6.ipv6Low(), ipv6Port, ipv4.ipv4(), ipv4Port);
    }

    static int protocol(final String text) throws HttpError
    {
        final int protocol = PROTOCOLS.indexOf(text.toLowerCase(Locale.ROOT));
        if (protocol < 0)
        {
            throw bad("protocol: must be tcp, udp or icmp, got \"" + text + "\"");
        }
        return new int[]{SessionProtocol.TCP, SessionProtocol.UDP, SessionProtocol.ICMP}[protocol];
    }

    static IpAddress address(final String text, final String key, final boolean ipv6) throws HttpError
    {
        final IpAddress address;
        try
        {
            address = IpAddress.parse(text.trim());
        }
        catch (final IllegalArgumentException ex)
        {
            throw bad(key + ": " + ex.getMessage());
        }
        if (address.isIpv6() != ipv6)
        {
            throw bad(key + ": must be an " + (ipv6 ? "IPv6" : "IPv4") + " address, got " + text);
        }
        return address;
    }

    static int port(final Integer value, final String key) throws HttpError
    {
        if (value == null)
        {
            throw bad(key + ": required");
        }
        return port(value.longValue(), key);
    }

    static int port(final String text, final String key) throws HttpError
    {
        try
        {
            return port(Long.parseLong(text.trim()), key);
        }
        catch (final NumberFormatException ex)
        {
            throw bad(key + ": must be 0..65535, got \"" + text + "\"");
        }
    }

    private static int port(final long value, final String key) throws HttpError
    {
        if (value < 0 || value > 65535)
        {
            throw bad(key + ": must be 0..65535, got " + value);
        }
        return (int)value;
    }

    static String required(final String value, final String key) throws HttpError
    {
        if (value == null || value.isBlank())
        {
            throw bad(key + ": required");
        }
        return value;
    }

    /**
     * @param allowed the parameters the endpoint takes; any other is refused.
     * @return the query's parameters, decoded, in order.
     */
    static Map<String, String> query(final String rawQuery, final Set<String> allowed) throws HttpError
    {
        final Map<String, String> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty())
        {
            return parameters;
        }
        for (final String pair : rawQuery.split("&"))
        {
            if (pair.isEmpty())
            {
                continue;
            }
            final int equals = pair.indexOf('=');
            final String name;
            final String value;
            try
            {
                name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
                value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
            catch (final IllegalArgumentException ex)
            {
                throw bad("malformed query parameter \"" + pair + "\"");
            }
            if (!allowed.contains(name))
            {
                throw bad("unknown parameter \"" + name + "\" (known: " + String.join(", ", allowed.stream().sorted()
                    .toList()) + ")");
            }
            if (parameters.put(name, value) != null)
            {
                throw bad("parameter \"" + name + "\" given twice");
            }
        }
        return parameters;
    }

    private static HttpError bad(final String message)
    {
        return new HttpError(HttpError.BAD_REQUEST, message);
    }
}
