package io.sixgate.core.port;

import java.util.Objects;

/**
 * A gateway port as the pipeline sees it: its id (index in the pipeline's port table),
 * name, framing, MAC address and MTU.
 *
 * @param id       index of the port, 0-based, dense.
 * @param name     operator-facing name from the configuration.
 * @param linkType framing of the frames received and sent on the port.
 * @param mac      the port's own MAC address in the low 48 bits (0 on RAW ports).
 * @param mtu      largest IP packet, in bytes, the port may send.
 */
public record Port(int id, String name, LinkType linkType, long mac, int mtu)
{
    public Port
    {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(linkType, "linkType");
        if (id < 0)
        {
            throw new IllegalArgumentException("port id must be >= 0: " + id);
        }
        if (mtu < 68 || mtu > 65535)
        {
            // RFC 791: every IPv4 link carries 68 bytes; 65535 is the largest IP packet.
            throw new IllegalArgumentException("port " + name + ": mtu must be 68..65535, got " + mtu);
        }
    }
}
