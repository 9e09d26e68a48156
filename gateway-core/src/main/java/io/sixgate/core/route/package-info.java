/**
 * Longest-prefix-match route tables for IPv4 and IPv6: immutable tables built at config
 * time and swapped by reference, with allocation-free lookups for the worker threads.
 */
package io.sixgate.core.route;
