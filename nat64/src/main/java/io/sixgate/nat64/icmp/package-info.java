/**
 * ICMP rules of the translator: the RFC 7915 §4.2/§5.2 type, code, pointer and MTU tables
 * ({@link io.sixgate.nat64.icmp.IcmpTranslation}). The errors the translator originates are
 * built by gateway-core's {@link io.sixgate.core.icmp.IcmpErrorFactory}, shared with the router.
 */
package io.sixgate.nat64.icmp;
