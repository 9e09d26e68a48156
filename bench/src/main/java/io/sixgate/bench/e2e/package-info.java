/**
 * The load tool of {@code scripts/bench-e2e.sh}: TCP connection-setup rate (new connections per
 * second, each a full handshake and close) between two network namespaces, through whatever
 * forwards or translates between them. Not part of the gateway: it allocates freely.
 */
package io.sixgate.bench.e2e;
