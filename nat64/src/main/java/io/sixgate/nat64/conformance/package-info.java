/**
 * Runs the translator conformance corpus (Jool's graybox packets, {@code ../shared/conformance})
 * through a real pipeline: {@link io.sixgate.nat64.conformance.ConformanceRunner},
 * the command line {@link io.sixgate.nat64.conformance.ConformanceMain}, and the stand-in entry
 * and output stages ({@link io.sixgate.nat64.conformance.RawIpDispatchStage},
 * {@link io.sixgate.nat64.conformance.PortTxStage}) that the daemon replaces by name.
 */
package io.sixgate.nat64.conformance;
