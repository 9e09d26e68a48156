package io.sixgate.daemon.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * The {@code admin} section, validated: where the admin HTTP API listens and the file holding
 * its bearer token. Loopback by default, so that only this host reaches it; never one of the
 * data-plane ports' addresses (those belong to the gateway, not to the kernel).
 *
 * @param listen    the address and port, or {@code null} for {@code listen: off}.
 * @param tokenFile the bearer token's file, or {@code null}: no token asked for (loopback only).
 */
public record AdminConfig(InetSocketAddress listen, Path tokenFile)
{
    /** The API's port when the configuration does not say. */
    public static final int DEFAULT_PORT = 8464;

    /** {@code listen: off}. */
    public static final String OFF = "off";

    /** No {@code admin} section: 127.0.0.1:8464, no token. */
    public static final AdminConfig DEFAULT = new AdminConfig(loopback(DEFAULT_PORT), null);

    /**
     * @return whether the API is on ({@code listen} is not {@code off}).
     */
    public boolean enabled()
    {
        return listen != null;
    }

    /**
     * @return {@code 127.0.0.1:8464}, {@code [::1]:8464} or {@code off}, as the configuration writes it.
     */
    public String listenText()
    {
        if (listen == null)
        {
            return OFF;
        }
        final String host = listen.getAddress().getHostAddress();
        final String shown = host.indexOf(':') >= 0 ? "[" + IpAddress.ofBytes(listen.getAddress().getAddress()) + "]"
            : host;
        return shown + ":" + listen.getPort();
    }

    /**
     * @return the API's base URL ({@code http://127.0.0.1:8464}), or {@code null} when it is off.
     */
    public String url()
    {
        return listen == null ? null : "http://" + listenText();
    }

    private static InetSocketAddress loopback(final int port)
    {
        try
        {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, 0, 0, 1}), port);
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
