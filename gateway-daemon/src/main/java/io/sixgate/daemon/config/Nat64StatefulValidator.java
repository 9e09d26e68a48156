package io.sixgate.daemon.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.sixgate.core.net.Ipv4Address;
import io.sixgate.nat64.address.Rfc6052Prefix;
import io.sixgate.nat64.state.Nat64Timeouts;
import io.sixgate.nat64.state.PortRange;
import io.sixgate.nat64.state.SessionProtocol;
import io.sixgate.nat64.state.SessionTable;
import io.sixgate.nat64.state.TcpStateMachine;
import io.sixgate.nat64.stateful.EipTable;
import io.sixgate.nat64.stateful.StaticBibEntry;

/**
 * Checks the stateful keys of the {@code nat64} section ({@code mode: stateful}) and the
 * top-level {@code eip} list; every refusal names the key path (and so the line).
 */
final class Nat64StatefulValidator
{
    /** Pool4 addresses at most (a /22): each costs 24 KiB of bitmaps per worker. */
    static final int MAX_POOL4_ADDRESSES = 1024;

    private static final List<String> PROTOCOLS = List.of("tcp", "udp", "icmp");

    private final ConfigValidator common;

    Nat64StatefulValidator(final ConfigValidator common)
    {
        this.common = common;
    }

    Nat64StatefulSettings validate(final RawConfig.Nat64 raw, final List<RawConfig.Eip> rawEip, final Rfc6052Prefix pool6)
        throws ConfigException
    {
        if (pool6 == null)
        {
            throw common.error("nat64.prefix", "required key missing (stateful NAT64 needs pool6)");
        }
        final List<RawConfig.Pool4> rawPool4 = raw.pool4();
        if (rawPool4 == null || rawPool4.isEmpty())
        {
            throw common.error("nat64.pool4", "required: at least one {address or prefix, ports, protocols}");
        }
        final Set<Integer> addresses = new LinkedHashSet<>();
        final PortRange[] ranges = new PortRange[SessionProtocol.COUNT];
        for (int i = 0; i < rawPool4.size(); i++)
        {
            final String path = "nat64.pool4[" + i + "]";
            final RawConfig.Pool4 entry = rawPool4.get(i);
            if ((entry.address() == null) == (entry.prefix() == null))
            {
                throw common.error(path, "give exactly one of address and prefix");
            }
            final String key = entry.address() != null ? ".address" : ".prefix";
            final IpCidr cidr = cidrOrAddress(entry.address() != null ? entry.address() : entry.prefix(), path + key);
            if (cidr.isIpv6() || (entry.address() != null && cidr.length() != 32))
            {
                throw common.error(path + key, "must be an IPv4 " + (entry.address() != null ? "address" : "prefix"));
            }
            if (cidr.hasHostBits())
            {
                throw common.error(path + key, "has host bits set; the prefix is " + cidr.network());
            }
            if (cidr.length() < 22)
            {
                throw common.error(path + key, "at most " + MAX_POOL4_ADDRESSES + " addresses (a /22)");
            }
            final int base = cidr.address().ipv4();
            for (long a = 0; a < 1L << (32 - cidr.length()); a++)
            {
                if (!addresses.add(base + (int)a))
                {
                    throw common.error(path + key, "address " + Ipv4Address.format(base + (int)a) + " is in pool4 twice");
                }
            }
            final PortRange ports = ports(entry.ports(), path + ".ports");
            final List<String> protocols = entry.protocols() == null ? PROTOCOLS : entry.protocols();
            for (int p = 0; p < protocols.size(); p++)
            {
                final int protocol = PROTOCOLS.indexOf(protocols.get(p).toLowerCase(Locale.ROOT));
                if (protocol < 0)
                {
                    throw common.error(path + ".protocols[" + p + "]", "must be tcp, udp or icmp, got " + protocols.get(p));
                }
                if (ranges[protocol] != null && !ranges[protocol].equals(ports))
                {
                    // Pool4 keeps one port range per protocol for all its addresses.
                    throw common.error(path + ".ports", "every pool4 entry must give " + PROTOCOLS.get(protocol) +
                        " the same range (" + ranges[protocol] + "), got " + ports);
                }
                ranges[protocol] = ports;
            }
        }
        if (addresses.size() > MAX_POOL4_ADDRESSES)
        {
            throw common.error("nat64.pool4", "at most " + MAX_POOL4_ADDRESSES + " addresses, got " + addresses.size());
        }
        for (int p = 0; p < ranges.length; p++)
        {
            if (ranges[p] == null)
            {
                throw common.error("nat64.pool4", "no entry lists " + PROTOCOLS.get(p) + " (every protocol needs ports)");
            }
        }
        final int[] pool4 = addresses.stream().mapToInt(Integer::intValue).toArray();

        final List<StaticBibEntry> bib = new ArrayList<>();
        final List<RawConfig.StaticBib> rawBib = raw.staticBib() == null ? List.of() : raw.staticBib();
        for (int i = 0; i < rawBib.size(); i++)
        {
            final String path = "nat64.static-bib[" + i + "]";
            final RawConfig.StaticBib entry = rawBib.get(i);
            final String protocolText = common.required(entry.protocol(), path, "protocol");
            final int protocol = PROTOCOLS.indexOf(protocolText.toLowerCase(Locale.ROOT));
            if (protocol < 0)
            {
                throw common.error(path + ".protocol", "must be tcp, udp or icmp, got " + protocolText);
            }
            final IpCidr ipv6 = cidrOrAddress(common.required(entry.ipv6Address(), path, "ipv6-address"),
                path + ".ipv6-address");
            final IpCidr ipv4 = cidrOrAddress(common.required(entry.ipv4Address(), path, "ipv4-address"),
                path + ".ipv4-address");
            if (!ipv6.isIpv6() || ipv6.length() != 128)
            {
                throw common.error(path + ".ipv6-address", "must be an IPv6 address, got " + entry.ipv6Address());
            }
            if (ipv4.isIpv6() || ipv4.length() != 32 || !addresses.contains(ipv4.address().ipv4()))
            {
                throw common.error(path + ".ipv4-address", "must be a pool4 address, got " + entry.ipv4Address());
            }
            final int ipv6Port = common.intOr(entry.ipv6Port(), path + ".ipv6-port", -1, 0, 65535);
            final int ipv4Port = common.intOr(entry.ipv4Port(), path + ".ipv4-port", -1, 0, 65535);
            if (ipv6Port < 0 || ipv4Port < 0)
            {
                throw common.error(path + (ipv6Port < 0 ? ".ipv6-port" : ".ipv4-port"), "required key missing");
            }
            for (final StaticBibEntry other : bib)
            {
                if (other.protocol() == protocol && ((other.pool4Address() == ipv4.address().ipv4() &&
                    other.pool4Port() == ipv4Port) || (other.ipv6High() == ipv6.address().ipv6High() &&
                    other.ipv6Low() == ipv6.address().ipv6Low() && other.ipv6Port() == ipv6Port)))
                {
                    throw common.error(path, "clashes with an earlier static-bib entry on one of its sides");
                }
            }
            bib.add(new StaticBibEntry(protocol, ipv6.address().ipv6High(), ipv6.address().ipv6Low(), ipv6Port,
                ipv4.address().ipv4(), ipv4Port));
        }

        final RawConfig.Timeouts t = raw.timeouts();
        // RFC 6146 §4: UDP at least 2 min, TCP_EST at least 2 h 4 min, TCP_TRANS at least 4 min,
        // TCP_INCOMING_SYN at least 6 s. ICMP has no floor.
        final Nat64Timeouts timeouts = new Nat64Timeouts(
            duration(t == null ? null : t.udp(), "nat64.timeouts.udp", Nat64Timeouts.UDP_DEFAULT_NS, Nat64Timeouts.UDP_MIN_NS),
            duration(t == null ? null : t.tcpEstablished(), "nat64.timeouts.tcp-established", Nat64Timeouts.TCP_EST_NS,
                Nat64Timeouts.TCP_EST_NS),
            duration(t == null ? null : t.tcpTransitory(), "nat64.timeouts.tcp-transitory", Nat64Timeouts.TCP_TRANS_NS,
                Nat64Timeouts.TCP_TRANS_NS),
            duration(t == null ? null : t.icmp(), "nat64.timeouts.icmp", Nat64Timeouts.ICMP_DEFAULT_NS,
                TimeUnit.SECONDS.toNanos(1)));
        final long synHold = duration(t == null ? null : t.tcpIncomingSyn(), "nat64.timeouts.tcp-incoming-syn",
            TcpStateMachine.INCOMING_SYN_HOLD_NS, TcpStateMachine.INCOMING_SYN_HOLD_NS);

        final int maxSessions = common.intOr(raw.maxSessions(), "nat64.max-sessions",
            Nat64StatefulSettings.DEFAULT_MAX_SESSIONS, Math.max(1, bib.size()), SessionTable.MAX_CAPACITY / 2);
        final int perSource = common.intOr(raw.maxSessionsPerSource(), "nat64.max-sessions-per-source",
            maxSessions, 1, maxSessions);
        // Each static BIB entry may be its own subscriber: the source table must hold them all.
        final int maxSources = common.intOr(raw.maxSources(), "nat64.max-sources",
            maxSessions, Math.max(1, bib.size()), maxSessions);

        final String filtering = raw.filtering() == null ? "endpoint-independent" : raw.filtering();
        if (!filtering.equals("endpoint-independent") && !filtering.equals("address-dependent"))
        {
            throw common.error("nat64.filtering", "must be endpoint-independent or address-dependent, got " + filtering);
        }

        return new Nat64StatefulSettings(pool4, ranges[SessionProtocol.TCP], ranges[SessionProtocol.UDP],
            ranges[SessionProtocol.ICMP], bib, timeouts, synHold, maxSessions, perSource, maxSources,
            filtering.equals("address-dependent"), eip(rawEip, addresses), snapshotFile(raw.snapshotFile()));
    }

    /**
     * {@code nat64.snapshot-file}: where {@code sixgate run} keeps the sessions over a restart.
     */
    private Path snapshotFile(final String text) throws ConfigException
    {
        if (text == null)
        {
            return null;
        }
        if (text.isBlank() || text.endsWith("/"))
        {
            throw common.error("nat64.snapshot-file", "must be a file path, got \"" + text + "\"");
        }
        try
        {
            return Path.of(text);
        }
        catch (final InvalidPathException ex)
        {
            throw common.error("nat64.snapshot-file", "not a file path: " + ex.getReason());
        }
    }

    private EipTable eip(final List<RawConfig.Eip> raw, final Set<Integer> pool4) throws ConfigException
    {
        if (raw == null || raw.isEmpty())
        {
            return EipTable.EMPTY;
        }
        final int[] publics = new int[raw.size()];
        final int[] privates = new int[raw.size()];
        for (int i = 0; i < raw.size(); i++)
        {
            final String path = "eip[" + i + "]";
            publics[i] = ipv4(common.required(raw.get(i).publicAddress(), path, "public"), path + ".public");
            privates[i] = ipv4(common.required(raw.get(i).privateAddress(), path, "private"), path + ".private");
            if (pool4.contains(publics[i]) || pool4.contains(privates[i]))
            {
                throw common.error(path, "an EIP binding cannot use a pool4 address");
            }
            for (int j = 0; j < i; j++)
            {
                if (publics[j] == publics[i] || privates[j] == privates[i])
                {
                    throw common.error(path, "binds an address eip[" + j + "] binds already");
                }
            }
        }
        return new EipTable(publics, privates);
    }

    private int ipv4(final String text, final String path) throws ConfigException
    {
        final IpCidr cidr = cidrOrAddress(text, path);
        if (cidr.isIpv6() || cidr.length() != 32 || text.indexOf('/') >= 0)
        {
            throw common.error(path, "must be an IPv4 address, got " + text);
        }
        return cidr.address().ipv4();
    }

    private IpCidr cidrOrAddress(final String text, final String path) throws ConfigException
    {
        if (text.indexOf('/') >= 0)
        {
            return common.cidr(text, path);
        }
        try
        {
            final IpAddress address = IpAddress.parse(text);
            return new IpCidr(address, address.bitLength());
        }
        catch (final IllegalArgumentException ex)
        {
            throw common.error(path, ex.getMessage());
        }
    }

    private PortRange ports(final String text, final String path) throws ConfigException
    {
        if (text == null)
        {
            return new PortRange(1, 65535);
        }
        final String[] bounds = text.trim().split("-", -1);
        try
        {
            final int first = Integer.parseInt(bounds[0].trim());
            final int last = bounds.length == 1 ? first : Integer.parseInt(bounds[1].trim());
            if (bounds.length > 2)
            {
                throw new IllegalArgumentException("one range FIRST-LAST");
            }
            return new PortRange(first, last);
        }
        catch (final IllegalArgumentException ex)
        {
            throw common.error(path, "must be a port range FIRST-LAST within 0-65535, got \"" + text + "\"");
        }
    }

    /**
     * A duration of {@code nat64.timeouts}, never below its RFC 6146 §4 floor.
     */
    private long duration(final String text, final String path, final long defaultNs, final long minNs)
        throws ConfigException
    {
        return common.duration(text, path, defaultNs, minNs, "RFC 6146 §4");
    }
}
