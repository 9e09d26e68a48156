/**
 * ICMP the gateway originates: building error messages in fresh frames
 * ({@link io.sixgate.core.icmp.IcmpErrorFactory}) and IPv4 identification values for them
 * ({@link io.sixgate.core.icmp.IdentificationGenerator}).
 */
package io.sixgate.core.icmp;
