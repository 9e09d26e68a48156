/**
 * {@code sixgate run}: the gateway as a running program. {@link io.sixgate.daemon.run.GatewayDaemon}
 * wires the ports' devices, ingest, the workers and the counters file together and stops them in
 * order; {@link io.sixgate.daemon.run.RunChecks} says what it refuses to run.
 */
package io.sixgate.daemon.run;
