/**
 * The daemon's ports: TAP devices opened through {@code /dev/net/tun} with JNA
 * ({@link io.sixgate.daemon.port.TapDevice}, {@link io.sixgate.daemon.port.LinkControl}) and existing
 * interfaces captured through libpcap ({@link io.sixgate.daemon.port.PcapPorts},
 * {@link io.sixgate.daemon.port.PcapCapture}), read on Netty 4.2 epoll event loops
 * ({@link io.sixgate.daemon.port.PortIngest}, {@link io.sixgate.daemon.port.PcapIngest}), steered
 * to the workers ({@link io.sixgate.daemon.port.IngestDispatch}) through one lock-free ring per
 * port queue and worker ({@link io.sixgate.daemon.port.IngestRing},
 * {@link io.sixgate.daemon.port.IngestFrameSource}) and written back by each worker
 * ({@link io.sixgate.daemon.port.DeviceTxSink} over each port's
 * {@link io.sixgate.daemon.port.FrameWriter}). Nothing on the per-frame path allocates.
 */
package io.sixgate.daemon.port;
