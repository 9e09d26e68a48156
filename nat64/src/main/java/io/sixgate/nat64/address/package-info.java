/**
 * Address mapping building blocks for the RFC 7915 translator and the stateful NAT64:
 * RFC 6052 IPv4-embedded IPv6 addresses ({@link io.sixgate.nat64.address.Rfc6052Prefix}),
 * the RFC 7757 Explicit Address Mapping Table ({@link io.sixgate.nat64.address.EamTable}) and
 * the RFC 6791 pool of ICMP error sources ({@link io.sixgate.nat64.address.Rfc6791Pool}).
 *
 * <p>All are built at config time and immutable afterwards, so any number of worker threads may
 * share one instance; every per-packet method is allocation-free and throws nothing.
 */
package io.sixgate.nat64.address;
