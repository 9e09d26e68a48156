/**
 * The packet model: zero-garbage flyweights over {@link org.agrona.MutableDirectBuffer}
 * for Ethernet, ARP, IPv4, IPv6 (with its extension header chain), TCP, UDP, ICMPv4,
 * ICMPv6 and NDP, the RFC 1071/1624 Internet checksum, and the input validators that turn
 * a malformed packet into a named drop reason.
 *
 * <p>Conventions shared by every flyweight here:
 * <ul>
 *     <li>{@code wrap(buffer, offset)} points the flyweight at a header; nothing is copied
 *     and nothing is allocated, so one instance per worker is reused for every frame.</li>
 *     <li>Every field has an {@code *_OFFSET} constant relative to the start of its header,
 *     a getter, and a fluent setter returning {@code this}.</li>
 *     <li>Fields are in network byte order; getters return unsigned values masked into an
 *     {@code int} (8 and 16 bit fields) while 32-bit quantities whose arithmetic is modular
 *     (addresses, sequence numbers, identifications) are returned as the raw {@code int}.</li>
 *     <li>Getters and setters never check bounds: a validator checks lengths first, and
 *     only then does the pipeline touch the fields.</li>
 * </ul>
 */
package io.sixgate.core.packet;
