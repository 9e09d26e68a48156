/**
 * The state of stateful NAT64 (RFC 6146) that the RFC 7915 translator consults: pure data
 * structures and policy, no packet parsing.
 *
 * <ul>
 *   <li>{@link io.sixgate.nat64.state.SessionTable}: sessions (RFC 6146 §3.2), the entry point;
 *   owns a {@link io.sixgate.nat64.state.BibTable} (RFC 6146 §3.1) and a
 *   {@link io.sixgate.nat64.state.SourceQuotaTable} (RFC 6888 REQ-4) and draws ports from a
 *   {@link io.sixgate.nat64.state.Pool4} (RFC 6146 §3.5.1.1, RFC 6056 §3.3.4, RFC 4787 REQ-2/3/4).</li>
 *   <li>{@link io.sixgate.nat64.state.TcpStateMachine}: RFC 6146 §3.5.2.2 as a pure function.</li>
 *   <li>{@link io.sixgate.nat64.state.Nat64Timeouts}: RFC 6146 §4 lifetimes, in nanoseconds of a
 *   caller-supplied clock.</li>
 * </ul>
 *
 * <p>Design, as DESIGN.md's "Flow state" asks: every per-entry byte is off-heap in regions sized
 * once from configuration; entries are {@code int} indexes; keys are packed into {@code long}s;
 * indexes are open-addressing tables with linear probing and backward-shift deletion
 * ({@code io.sixgate.core.state.HashIndex}, 8-byte slots holding the key hash and the entry index, load factor at most
 * 0.5). Each table has one index per side (IPv6 key, IPv4 key) over the same entries.
 *
 * <pre>
 *  per session of capacity   80 bytes = 48 entry + 2 indexes x 2 slots x 8
 *  per BIB entry of capacity 64 bytes = 32 entry + 2 indexes x 2 slots x 8
 *  per subscriber            40 bytes = 24 entry + 1 index  x 2 slots x 8
 *  per pool4 address     24 576 bytes = 3 protocols x 65 536-bit bitmap
 *  10 M sessions + 10 M BIB entries + 1 M subscribers = 1 480 000 000 bytes (1.38 GiB)
 * </pre>
 *
 * <p>Decisions worth knowing:
 * <ul>
 *   <li>BIB entries are a table of their own, reference-counted by their sessions, rather than
 *   fields in each session: static entries live without sessions, and the IPv4-side BIB lookup
 *   (endpoint-independent filtering) needs no session.</li>
 *   <li>Expiry is a bounded sweep ({@code expire(nowNs, maxSlots)}), not Agrona's
 *   {@code DeadlineTimerWheel}: refreshing on every packet is one store instead of a timer
 *   cancel and re-arm, and no timer id is stored per session. Sessions are removed up to one
 *   sweep pass after their deadline.</li>
 *   <li>The IPv6 destination is stored as the IPv4 address it embeds: the pool6 prefix rebuilds it.</li>
 *   <li>Failures are negative {@code int} codes ({@link io.sixgate.nat64.state.StateFailure}),
 *   never exceptions, on the hot path.</li>
 *   <li>Regions are allocated with {@code ByteBuffer.allocateDirect} and aligned by hand rather
 *   than with {@code BufferUtil.allocateDirectAligned}, because Agrona cannot free the slice the
 *   latter returns and a 1 GiB table should be returned to the OS on close.</li>
 * </ul>
 *
 * <p>Threading: one owner thread per table shard (DESIGN.md: IPv6-initiated flows by a hash of
 * the IPv6 source, IPv4 return traffic by the pool4 port range); nothing here is thread-safe.
 */
package io.sixgate.nat64.state;
