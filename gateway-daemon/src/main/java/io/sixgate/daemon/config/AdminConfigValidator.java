package io.sixgate.daemon.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the {@code admin} section. The API must not be reachable from the network without a
 * token, and must not claim an address of a data-plane port (the gateway answers there, not
 * the kernel, so a socket bound to it would hear nothing or the wrong side).
 */
final class AdminConfigValidator
{
    private static final Pattern HOST_PORT = Pattern.compile("(?:\\[([^\\]]*)\\]|([^:\\[\\]]*)):(\\d{1,5})");

    private final ConfigValidator common;

    AdminConfigValidator(final ConfigValidator common)
    {
        this.common = common;
    }

    AdminConfig validate(final RawConfig.Admin raw, final List<PortConfig> ports) throws ConfigException
    {
        if (raw == null)
        {
            return AdminConfig.DEFAULT;
        }
        final Path tokenFile = raw.tokenFile() == null ? null : tokenFile(raw.tokenFile());
        if (raw.listen() == null)
        {
            return new AdminConfig(AdminConfig.DEFAULT.listen(), tokenFile);
        }
        // YAML 1.1 reads a bare off as false.
        if (AdminConfig.OFF.equals(raw.listen().trim()) || common.isFalse("admin.listen"))
        {
            return new AdminConfig(null, tokenFile);
        }
        final InetSocketAddress listen = listen(raw.listen());
        final IpAddress address = IpAddress.ofBytes(listen.getAddress().getAddress());
        if (address.isMulticastOrBroadcast())
        {
            throw common.error("admin.listen", "must be a unicast address, got " + raw.listen());
        }
        for (final PortConfig port : ports)
        {
            for (final IpCidr own : port.addresses())
            {
                if (own.address().equals(address))
                {
                    throw common.error("admin.listen", address + " is port " + port.name() + "'s address: the data"
                        + " plane answers there, not the host; listen on loopback or a management address");
                }
            }
        }
        if (!address.isLoopback() && tokenFile == null)
        {
            throw common.error("admin.listen", raw.listen() + " is reachable from other hosts; set admin.token-file"
                + " so that the API asks for a bearer token, or listen on 127.0.0.1 or [::1]");
        }
        return new AdminConfig(listen, tokenFile);
    }

    private InetSocketAddress listen(final String text) throws ConfigException
    {
        final Matcher m = HOST_PORT.matcher(text.trim());
        if (!m.matches())
        {
            throw common.error("admin.listen", "must be ADDRESS:PORT (127.0.0.1:8464, \"[::1]:8464\") or off, got \""
                + text + "\"");
        }
        final boolean bracketed = m.group(1) != null;
        final String host = bracketed ? m.group(1) : m.group(2);
        final int port = Integer.parseInt(m.group(3));
        if (port < 1 || port > 65535)
        {
            throw common.error("admin.listen", "port must be 1..65535, got " + port);
        }
        final IpAddress address;
        try
        {
            address = IpAddress.parse(host);
        }
        catch (final IllegalArgumentException ex)
        {
            throw common.error("admin.listen", "must be an IP address and a port (no host names), got \"" + text + "\"");
        }
        if (address.isIpv6() != bracketed)
        {
            throw common.error("admin.listen", bracketed
                ? "brackets are for IPv6 addresses, got \"" + text + "\""
                : "write an IPv6 address in brackets, got \"" + text + "\"");
        }
        try
        {
            return new InetSocketAddress(InetAddress.getByAddress(address.toBytes()), port);
        }
        catch (final UnknownHostException ex)
        {
            throw common.error("admin.listen", "not an address: " + text);
        }
    }

    private Path tokenFile(final String text) throws ConfigException
    {
        if (text.isBlank())
        {
            throw common.error("admin.token-file", "must be a file path, got \"" + text + "\"");
        }
        try
        {
            return Path.of(text);
        }
        catch (final InvalidPathException ex)
        {
            throw common.error("admin.token-file", "not a file path: " + ex.getReason());
        }
    }
}
