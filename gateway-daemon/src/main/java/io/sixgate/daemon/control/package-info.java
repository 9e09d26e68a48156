/**
 * The control plane of {@code sixgate run}: what the admin API, {@code sixgate ctl} and SIGHUP
 * ask of the running gateway. Other threads never touch the worker's state: they put a
 * {@link io.sixgate.daemon.control.WorkerCommand} on the worker's
 * {@link io.sixgate.daemon.control.WorkerCommandQueue} and wait for its reply; the worker runs it
 * between two batches of frames. {@link io.sixgate.daemon.control.ControlPlane} is the entry point.
 */
package io.sixgate.daemon.control;
