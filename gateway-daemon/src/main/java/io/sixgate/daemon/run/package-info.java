/**
 * {@code sixgate run}: the gateway as a running program. {@link io.sixgate.daemon.run.GatewayDaemon}
 * wires the ports' devices, ingest, the worker and the counters file together and stops them in
 * order; {@link io.sixgate.daemon.run.RunChecks} says what this build cannot run yet.
 */
package io.sixgate.daemon.run;
