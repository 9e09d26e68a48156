/**
 * The stateless IP/ICMP translator (SIIT, RFC 7915) with explicit address mappings (RFC 7757)
 * and RFC 6791 sources for translated ICMP errors.
 *
 * <ul>
 *   <li>{@link io.sixgate.nat64.siit.Siit64Stage} ("siit-6to4") and
 *   {@link io.sixgate.nat64.siit.Siit46Stage} ("siit-4to6"): the pipeline stages, with their
 *   drop reasons {@link io.sixgate.nat64.siit.Siit64DropReason} and
 *   {@link io.sixgate.nat64.siit.Siit46DropReason};</li>
 *   <li>{@link io.sixgate.nat64.siit.TranslatorConfig}: every setting, with the
 *   {@code nat64.*} configuration keys;</li>
 *   <li>{@link io.sixgate.nat64.siit.EgressMtu}: where the MTU of each side comes from.</li>
 * </ul>
 *
 * <p>Packets are translated in place in their frame: the transport header and data never move,
 * the new IP header is written in front of them (4 to 6 grows into the frame's headroom). New
 * frames are taken from the pool only for extra fragments and for the ICMP errors the translator
 * originates. The hot path allocates nothing and throws nothing.
 */
package io.sixgate.nat64.siit;
