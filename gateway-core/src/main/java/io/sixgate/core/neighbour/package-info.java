/**
 * Neighbours: the per-worker cache from next-hop IP address to MAC address that ARP (RFC 826)
 * and Neighbor Discovery (RFC 4861) fill and the L2 output reads
 * ({@link io.sixgate.core.neighbour.NeighbourCache}), and the solicitations that resolve an
 * address ({@link io.sixgate.core.neighbour.NeighbourSolicitor}).
 */
package io.sixgate.core.neighbour;
