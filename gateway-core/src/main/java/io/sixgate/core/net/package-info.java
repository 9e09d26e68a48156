/**
 * IP address and prefix value types for the data plane.
 *
 * <p>On the hot path an IPv4 address is an {@code int} and an IPv6 address is two {@code long}s
 * (high = bits 0-63, low = bits 64-127), both in host order with the first octet on the wire in
 * the most significant byte. The classes here parse and format text (config time only, may
 * allocate) and read/write addresses in network byte order from Agrona buffers (allocation-free).
 */
package io.sixgate.core.net;
