/**
 * Stateful NAT64 (RFC 6146) as pipeline stages over the state of {@link io.sixgate.nat64.state}:
 * {@link io.sixgate.nat64.stateful.Nat64Stateful64Stage} ("nat64-6to4"),
 * {@link io.sixgate.nat64.stateful.Nat64Stateful46Stage} ("nat64-4to6", and "nat64-hairpin" for
 * RFC 6146 §3.8), one {@link io.sixgate.nat64.stateful.Nat64Shard} per worker.
 *
 * <p>As in Jool, the RFC's steps are separate units over one translation-state object
 * ({@link io.sixgate.nat64.stateful.Nat64Xlation}): {@code IncomingTuple} (§3.4),
 * {@code FilteringAndUpdating} (§3.5), {@code OutgoingTuple} (§3.6), then the RFC 7915 translator
 * shared with SIIT (§3.7), which reads the outgoing tuple through
 * {@link io.sixgate.nat64.siit.Mapping64} / {@link io.sixgate.nat64.siit.Mapping46}, and
 * hairpinning (§3.8) through the "nat64-hairpin" stage.
 */
package io.sixgate.nat64.stateful;
