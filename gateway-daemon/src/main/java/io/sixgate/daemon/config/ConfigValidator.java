package io.sixgate.daemon.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sixgate.nat64.state.PortPartition;
import io.sixgate.nat64.state.PortRange;
import io.sixgate.nat64.state.SessionProtocol;

/**
 * Checks a bound {@link RawConfig} and builds the public records, filling in defaults. Every
 * refusal names the key path and, through {@link ConfigLocations}, its line. Stops at the
 * first problem, in document order as far as the checks allow.
 */
final class ConfigValidator
{
    static final int MAX_WORKERS = 64;
    static final int MIN_SLOT_SIZE = 256;
    static final int MAX_SLOT_SIZE = 131072;
    static final int MAX_FRAMES = 1 << 20;
    /** RFC 791: every IPv4 link carries 68 bytes; 65535 is the largest IP packet. */
    static final int MIN_MTU = 68;
    static final int MAX_MTU = 65535;
    /** RFC 8200 section 5: every link that carries IPv6 has an MTU of 1280 or more. */
    static final int MIN_IPV6_MTU = 1280;

    private static final Pattern PORT_NAME = Pattern.compile("[a-z0-9-]{1,15}");
    /** Linux dev_valid_name(): under IFNAMSIZ (16), no '/', ':' or white space, not "." or "..". */
    private static final Pattern DEVICE_NAME = Pattern.compile("[^/:\\s]{1,15}");
    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?");
    /** Longest timeout any section takes. */
    private static final long MAX_DURATION_SECONDS = TimeUnit.DAYS.toSeconds(7);

    private final String source;
    private final ConfigLocations locations;

    ConfigValidator(final String source, final ConfigLocations locations)
    {
        this.source = source;
        this.locations = locations;
    }

    GatewayConfig validate(final RawConfig.Gateway raw) throws ConfigException
    {
        if (!locations.emptyValues().isEmpty())
        {
            throw error(locations.emptyValues().get(0), "has no value");
        }
        final int workers = intOr(raw.workers(), "workers", GatewayConfig.DEFAULT_WORKERS, 1, MAX_WORKERS);
        final int ingestNice = intOr(raw.ingestNice(), "ingest-nice", GatewayConfig.DEFAULT_INGEST_NICE, -20, 19);
        final Path countersFile = countersFile(raw.countersFile());
        final FramePoolConfig framePool = framePool(raw.framePool(), wantsOffload(raw.ports()));

        if (raw.ports() == null)
        {
            throw error("ports", "required key missing");
        }
        if (raw.ports().isEmpty())
        {
            throw error("ports", "must list at least one port");
        }
        final List<PortConfig> ports = new ArrayList<>();
        for (int i = 0; i < raw.ports().size(); i++)
        {
            ports.add(port(raw.ports().get(i), "ports[" + i + "]", ports));
        }

        final List<RouteConfig> routes = new ArrayList<>();
        if (raw.routes() != null)
        {
            for (int i = 0; i < raw.routes().size(); i++)
            {
                routes.add(route(raw.routes().get(i), "routes[" + i + "]", ports, routes));
            }
        }

        final List<NeighbourConfig> neighbours = new ArrayList<>();
        if (raw.neighbours() != null)
        {
            for (int i = 0; i < raw.neighbours().size(); i++)
            {
                neighbours.add(neighbour(raw.neighbours().get(i), "neighbours[" + i + "]", ports, neighbours));
            }
        }
        if (raw.nat64() == null && raw.eip() != null)
        {
            throw error("eip", "needs a nat64 section with mode: stateful");
        }
        final Nat64Config nat64 = raw.nat64() == null ? null : new Nat64ConfigValidator(this).validate(raw.nat64(), raw.eip());
        if (nat64 != null && !(hasAddress(ports, true) && hasAddress(ports, false)))
        {
            // The translator's own ICMP errors need a source address on each side.
            throw error("nat64", "needs at least one IPv4 and one IPv6 port address (sources of the ICMP errors"
                + " the translator makes)");
        }
        if (nat64 != null && nat64.isStateful() && workers > 1)
        {
            pool4SharedBy(workers, nat64.stateful());
        }
        if (nat64 != null && nat64.isStateful() && nat64.stateful().snapshotFile() != null &&
            nat64.stateful().snapshotFile().normalize().equals(countersFile.normalize()))
        {
            throw error("nat64.snapshot-file", "is the counters-file; the snapshot needs a file of its own");
        }
        final Ipv6GatewayConfig ipv6Gateway = raw.ipv6Gateway() == null ? null
            : new Ipv6GatewayValidator(this).validate(raw.ipv6Gateway(), ports);
        final VpcFirewallConfig firewall = new VpcFirewallValidator(this).validate(raw, ipv6Gateway);
        final AdminConfig admin = new AdminConfigValidator(this).validate(raw.admin(), ports);
        return new GatewayConfig(workers, ingestNice, countersFile, framePool, ports, routes, neighbours, nat64, admin,
            ipv6Gateway, firewall);
    }

    /**
     * Several workers share each pool4 port range in pairs of ports ({@link PortPartition}): each
     * needs at least one pair of every protocol's range, or it could map no flow of that protocol.
     */
    private void pool4SharedBy(final int workers, final Nat64StatefulSettings stateful) throws ConfigException
    {
        // Each worker's BIB holds max-sessions / workers entries, and a worker may hold every static entry.
        final int share = (stateful.maxSessions() + workers - 1) / workers;
        if (share < stateful.staticBib().size())
        {
            throw error("nat64.max-sessions", stateful.maxSessions() + " shared by " + workers + " workers leaves "
                + share + " BIB entries to each, fewer than the " + stateful.staticBib().size()
                + " static-bib entries one worker may hold; raise it to at least "
                + (long)stateful.staticBib().size() * workers);
        }
        // Likewise its source table: each static entry may be its own subscriber.
        final int sourceShare = (stateful.maxSources() + workers - 1) / workers;
        if (sourceShare < stateful.staticBib().size())
        {
            throw error("nat64.max-sources", stateful.maxSources() + " shared by " + workers + " workers leaves "
                + sourceShare + " sources to each, fewer than the " + stateful.staticBib().size()
                + " static-bib entries one worker may hold; raise it to at least "
                + (long)stateful.staticBib().size() * workers);
        }
        final PortRange[] ranges = {stateful.tcpPorts(), stateful.udpPorts(), stateful.icmpIdentifiers()};
        for (int protocol = 0; protocol < ranges.length; protocol++)
        {
            for (int worker = 0; worker < workers; worker++)
            {
                final PortRange range = ranges[protocol];
                if (new PortPartition(worker, workers).ownedIn(range.first(), range.last()) < 2)
                {
                    throw error("nat64.pool4", "the " + SessionProtocol.name(protocol) + " range " + range
                        + " cannot be shared by " + workers + " workers (pool4 ports go to the workers in pairs,"
                        + " and each needs at least one pair); widen the range or lower workers");
                }
            }
        }
    }

    private Path countersFile(final String text) throws ConfigException
    {
        if (text == null)
        {
            return GatewayConfig.DEFAULT_COUNTERS_FILE;
        }
        if (text.isBlank())
        {
            throw error("counters-file", "must be a file path, got \"" + text + "\"");
        }
        try
        {
            return Path.of(text);
        }
        catch (final InvalidPathException ex)
        {
            throw error("counters-file", "not a file path: " + ex.getReason());
        }
    }

    /**
     * @return whether a TAP port will take offloads ({@code offload: true}): the frame
     * pool's defaults then make room for super-packets.
     */
    private static boolean wantsOffload(final List<RawConfig.Port> ports)
    {
        if (ports != null)
        {
            for (final RawConfig.Port port : ports)
            {
                if (port != null && PortType.TAP.label().equals(port.type()) && Boolean.TRUE.equals(port.offload()))
                {
                    return true;
                }
            }
        }
        return false;
    }

    private FramePoolConfig framePool(final RawConfig.FramePool raw, final boolean offload) throws ConfigException
    {
        final FramePoolConfig defaults = offload ? FramePoolConfig.OFFLOAD_DEFAULT : FramePoolConfig.DEFAULT;
        if (raw == null)
        {
            return defaults;
        }
        final int frames = intOr(raw.frames(), "frame-pool.frames", defaults.frames(), 1, MAX_FRAMES);
        final int slotSize = raw.slotSize() == null ? defaults.slotSize() : raw.slotSize();
        if (slotSize < MIN_SLOT_SIZE || slotSize > MAX_SLOT_SIZE || slotSize % 64 != 0)
        {
            throw error("frame-pool.slot-size",
                "must be a multiple of 64 in " + MIN_SLOT_SIZE + ".." + MAX_SLOT_SIZE + ", got " + slotSize);
        }
        if ((long)frames * slotSize > Integer.MAX_VALUE)
        {
            throw error("frame-pool.frames", "frames x slot-size must stay under 2 GiB, got "
                + frames + " x " + slotSize);
        }
        return new FramePoolConfig(frames, slotSize);
    }

    private PortConfig port(final RawConfig.Port raw, final String path, final List<PortConfig> earlier)
        throws ConfigException
    {
        final String name = required(raw.name(), path, "name");
        if (!PORT_NAME.matcher(name).matches())
        {
            throw error(path + ".name", "must be 1 to 15 of a-z, 0-9 and '-', got \"" + name + "\"");
        }
        for (int i = 0; i < earlier.size(); i++)
        {
            if (earlier.get(i).name().equals(name))
            {
                throw error(path + ".name", "duplicate port name \"" + name + "\" (first at ports[" + i + "], line "
                    + locations.line("ports[" + i + "].name") + ")");
            }
        }

        final String typeText = required(raw.type(), path, "type");
        final PortType type = PortType.ofLabel(typeText);
        if (type == null)
        {
            throw error(path + ".type", "must be tap or pcap, got \"" + typeText + "\"");
        }

        final String device = raw.device() == null ? name : raw.device();
        if (!DEVICE_NAME.matcher(device).matches() || ".".equals(device) || "..".equals(device))
        {
            throw error(path + ".device",
                "must be an interface name of 1 to 15 characters without '/', ':' or spaces, got \"" + device + "\"");
        }
        for (int i = 0; i < earlier.size(); i++)
        {
            if (earlier.get(i).device().equals(device))
            {
                throw error(raw.device() == null ? path + ".name" : path + ".device",
                    "device \"" + device + "\" is already used by port " + earlier.get(i).name());
            }
        }

        final MacAddress mac = raw.mac() == null ? MacAddress.derivedFrom(name) : unicastMac(raw.mac(), path + ".mac");

        final int mtu = raw.mtu() == null ? PortConfig.DEFAULT_MTU : raw.mtu();
        if (mtu < MIN_MTU || mtu > MAX_MTU)
        {
            throw error(path + ".mtu", "must be " + MIN_MTU + ".." + MAX_MTU + ", got " + mtu);
        }

        final List<IpCidr> addresses = new ArrayList<>();
        if (raw.addresses() != null)
        {
            for (int i = 0; i < raw.addresses().size(); i++)
            {
                addresses.add(portAddress(raw.addresses().get(i), path + ".addresses[" + i + "]", earlier));
            }
        }

        for (final IpCidr address : addresses)
        {
            if (address.isIpv6() && mtu < MIN_IPV6_MTU)
            {
                throw error(path + ".mtu", "must be at least " + MIN_IPV6_MTU
                    + " on a port with IPv6 addresses (RFC 8200 section 5), got " + mtu);
            }
        }
        if (Boolean.TRUE.equals(raw.offload()) && type != PortType.TAP)
        {
            throw error(path + ".offload", "only a tap port takes offloads (a " + type.label()
                + " port stays plain), got true");
        }
        final boolean offload = type == PortType.TAP && Boolean.TRUE.equals(raw.offload());
        return new PortConfig(name, type, device, mac, raw.mac() != null, mtu, addresses, offload,
            queueLength(raw.queueLength(), type, path));
    }

    private int queueLength(final Integer raw, final PortType type, final String path) throws ConfigException
    {
        if (type != PortType.TAP)
        {
            if (raw != null)
            {
                throw error(path + ".queue-length", "only a tap port has a kernel queue sixgate sizes (a "
                    + type.label() + " port captures through libpcap's buffer), got " + raw);
            }
            return 0;
        }
        return intOr(raw, path + ".queue-length", PortConfig.DEFAULT_QUEUE_LENGTH, PortConfig.MIN_QUEUE_LENGTH,
            PortConfig.MAX_QUEUE_LENGTH);
    }

    private IpCidr portAddress(final String text, final String path, final List<PortConfig> earlier)
        throws ConfigException
    {
        final IpCidr cidr = cidr(text, path);
        final IpAddress address = cidr.address();
        if (address.isUnspecified() || address.isLoopback() || address.isMulticastOrBroadcast())
        {
            throw error(path, "must be a unicast address, got " + text);
        }
        final int hostBits = address.bitLength() - cidr.length();
        if (hostBits >= 2 && !cidr.hasHostBits())
        {
            throw error(path, "is the network address of its subnet; give the gateway's own address, like "
                + firstHost(cidr) + "/" + cidr.length());
        }
        if (!address.isIpv6() && hostBits >= 2 && address.equals(broadcast(cidr)))
        {
            throw error(path, "is the broadcast address of its subnet, got " + text);
        }
        for (final PortConfig port : earlier)
        {
            for (final IpCidr other : port.addresses())
            {
                if (other.overlaps(cidr))
                {
                    throw error(path, "subnet " + cidr.network() + " overlaps " + other + " on port " + port.name());
                }
            }
        }
        return cidr;
    }

    private RouteConfig route(
        final RawConfig.Route raw, final String path, final List<PortConfig> ports, final List<RouteConfig> earlier)
        throws ConfigException
    {
        final String prefixText = required(raw.prefix(), path, "prefix");
        final IpCidr prefix = cidr(prefixText, path + ".prefix");
        if (prefix.hasHostBits())
        {
            throw error(path + ".prefix", "host bits must be zero, got " + prefixText + " (did you mean "
                + prefix.network() + "?)");
        }
        for (int i = 0; i < earlier.size(); i++)
        {
            if (earlier.get(i).prefix().equals(prefix))
            {
                throw error(path + ".prefix", "duplicate route for " + prefix + " (first at routes[" + i + "], line "
                    + locations.line("routes[" + i + "].prefix") + ")");
            }
        }
        final PortConfig port = port(required(raw.port(), path, "port"), path + ".port", ports);
        IpAddress via = null;
        if (raw.via() != null)
        {
            via = address(raw.via(), path + ".via");
            if (via.isIpv6() != prefix.isIpv6())
            {
                throw error(path + ".via", "an " + family(via) + " next hop for an " + family(prefix.address())
                    + " prefix, got " + raw.via());
            }
            if (!port.isConnected(via))
            {
                throw error(path + ".via", raw.via() + " is not inside any subnet of port " + port.name()
                    + connectedSubnets(port, via.isIpv6()));
            }
            if (port.isOwnAddress(via))
            {
                throw error(path + ".via", raw.via() + " is the gateway's own address on port " + port.name());
            }
        }
        return new RouteConfig(prefix, via, port.name());
    }

    private NeighbourConfig neighbour(
        final RawConfig.Neighbour raw, final String path, final List<PortConfig> ports,
        final List<NeighbourConfig> earlier) throws ConfigException
    {
        final String addressText = required(raw.address(), path, "address");
        final IpAddress address = address(addressText, path + ".address");
        final MacAddress mac = unicastMac(required(raw.mac(), path, "mac"), path + ".mac");
        final PortConfig port = port(required(raw.port(), path, "port"), path + ".port", ports);
        if (!port.isConnected(address))
        {
            throw error(path + ".address", addressText + " is not inside any subnet of port " + port.name()
                + connectedSubnets(port, address.isIpv6()));
        }
        if (port.isOwnAddress(address))
        {
            throw error(path + ".address", addressText + " is the gateway's own address on port " + port.name());
        }
        for (int i = 0; i < earlier.size(); i++)
        {
            final NeighbourConfig other = earlier.get(i);
            if (other.port().equals(port.name()) && other.address().equals(address))
            {
                throw error(path + ".address", "duplicate neighbour " + address + " on port " + port.name()
                    + " (first at neighbours[" + i + "], line " + locations.line("neighbours[" + i + "].address") + ")");
            }
        }
        return new NeighbourConfig(address, mac, port.name());
    }

    private PortConfig port(final String name, final String path, final List<PortConfig> ports)
        throws ConfigException
    {
        final StringBuilder names = new StringBuilder();
        for (final PortConfig port : ports)
        {
            if (port.name().equals(name))
            {
                return port;
            }
            names.append(names.length() == 0 ? "" : ", ").append(port.name());
        }
        throw error(path, "no port named \"" + name + "\" (ports: " + names + ")");
    }

    IpCidr cidr(final String text, final String path) throws ConfigException
    {
        try
        {
            return IpCidr.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw error(path, ex.getMessage());
        }
    }

    private IpAddress address(final String text, final String path) throws ConfigException
    {
        if (text.indexOf('/') >= 0)
        {
            throw error(path, "must be an address without a prefix length, got " + text);
        }
        final IpAddress address;
        try
        {
            address = IpAddress.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw error(path, ex.getMessage());
        }
        if (address.isUnspecified() || address.isLoopback() || address.isMulticastOrBroadcast())
        {
            throw error(path, "must be a unicast address, got " + text);
        }
        return address;
    }

    private MacAddress unicastMac(final String text, final String path) throws ConfigException
    {
        final MacAddress mac;
        try
        {
            mac = MacAddress.parse(text);
        }
        catch (final IllegalArgumentException ex)
        {
            throw error(path, ex.getMessage());
        }
        if (mac.isMulticast() || mac.value() == 0)
        {
            throw error(path, "must be a unicast MAC address, got " + text);
        }
        return mac;
    }

    String required(final String value, final String path, final String key) throws ConfigException
    {
        if (value == null)
        {
            throw error(path + "." + key, "required key missing");
        }
        return value;
    }

    int intOr(final Integer value, final String path, final int defaultValue, final int min, final int max)
        throws ConfigException
    {
        if (value == null)
        {
            return defaultValue;
        }
        if (value < min || value > max)
        {
            throw error(path, "must be " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    /**
     * A duration: seconds as a number ({@code 300}) or with units h, m, s ({@code 2h4m}, {@code 6s}),
     * from {@code minNs} to 7 days.
     *
     * @param floor where {@code minNs} comes from, for the message ({@code RFC 6146 §4}).
     */
    long duration(final String text, final String path, final long defaultNs, final long minNs, final String floor)
        throws ConfigException
    {
        if (text == null)
        {
            return defaultNs;
        }
        final String trimmed = text.trim();
        long seconds;
        if (trimmed.matches("\\d{1,9}"))
        {
            seconds = Long.parseLong(trimmed);
        }
        else
        {
            final Matcher m = DURATION.matcher(trimmed);
            if (trimmed.isEmpty() || !m.matches())
            {
                throw error(path, "must be seconds (300) or a duration like 2h4m, 5m, 6s, got \"" + text + "\"");
            }
            seconds = 0;
            seconds += m.group(1) == null ? 0 : Long.parseLong(m.group(1)) * 3600;
            seconds += m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 60;
            seconds += m.group(3) == null ? 0 : Long.parseLong(m.group(3));
        }
        final long ns = TimeUnit.SECONDS.toNanos(seconds);
        if (ns < minNs || seconds > MAX_DURATION_SECONDS)
        {
            throw error(path, "must be " + TimeUnit.NANOSECONDS.toSeconds(minNs) + " s to 7 days (" + floor + "), got "
                + text);
        }
        return ns;
    }

    private static String connectedSubnets(final PortConfig port, final boolean ipv6)
    {
        final Set<String> subnets = new LinkedHashSet<>();
        for (final IpCidr cidr : port.addresses())
        {
            if (cidr.isIpv6() == ipv6)
            {
                subnets.add(cidr.network().toString());
            }
        }
        return subnets.isEmpty()
            ? " (it has no " + (ipv6 ? "IPv6" : "IPv4") + " addresses)"
            : " (" + String.join(", ", subnets) + ")";
    }

    private static boolean hasAddress(final List<PortConfig> ports, final boolean ipv6)
    {
        for (final PortConfig port : ports)
        {
            for (final IpCidr address : port.addresses())
            {
                if (address.isIpv6() == ipv6)
                {
                    return true;
                }
            }
        }
        return false;
    }

    private static String family(final IpAddress address)
    {
        return address.isIpv6() ? "IPv6" : "IPv4";
    }

    private static IpAddress firstHost(final IpCidr cidr)
    {
        final byte[] bytes = cidr.network().address().toBytes();
        bytes[bytes.length - 1] |= 1;
        return IpAddress.ofBytes(bytes);
    }

    private static IpAddress broadcast(final IpCidr cidr)
    {
        final byte[] bytes = cidr.address().toBytes();
        for (int bit = cidr.length(); bit < bytes.length * 8; bit++)
        {
            bytes[bit >>> 3] |= (byte)(0x80 >>> (bit & 7));
        }
        return IpAddress.ofBytes(bytes);
    }

    /**
     * @return whether the value at the path was written as a YAML 1.1 false ({@code off}, {@code no},
     * {@code false}), which the parser hands over as the text "false".
     */
    boolean isFalse(final String path)
    {
        final ConfigLocations.Entry entry = locations.entry(path);
        return entry != null && entry.token() == com.fasterxml.jackson.core.JsonToken.VALUE_FALSE;
    }

    /**
     * @return the line of a key path, for messages that point at an earlier entry.
     */
    int line(final String path)
    {
        return locations.line(path);
    }

    ConfigException error(final String path, final String problem)
    {
        return new ConfigException(source, locations.line(path), path, problem);
    }
}
