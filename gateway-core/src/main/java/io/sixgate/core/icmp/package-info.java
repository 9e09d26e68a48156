/**
 * ICMP the gateway originates: building error messages in fresh frames
 * ({@link io.sixgate.core.icmp.IcmpErrorFactory}), IPv4 identification values for them
 * ({@link io.sixgate.core.icmp.IdentificationGenerator}), and the router's rules for when an
 * error may be sent, from which address and how often ({@link io.sixgate.core.icmp.IcmpErrorSender}).
 */
package io.sixgate.core.icmp;
