/**
 * ICMP rules of the translator: the RFC 7915 §4.2/§5.2 type, code, pointer and MTU tables
 * ({@link io.sixgate.nat64.icmp.IcmpTranslation}) and the ICMP errors the translator originates
 * ({@link io.sixgate.nat64.icmp.IcmpErrorFactory}).
 */
package io.sixgate.nat64.icmp;
