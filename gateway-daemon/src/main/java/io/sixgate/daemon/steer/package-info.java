/**
 * Which worker gets each received frame ({@link io.sixgate.daemon.steer.FlowSteering}), and where
 * static BIB entries live among the workers ({@link io.sixgate.daemon.steer.StaticBibPlacement},
 * {@link io.sixgate.daemon.steer.StaticBibSteering}): what keeps every flow's state on one worker.
 */
package io.sixgate.daemon.steer;
