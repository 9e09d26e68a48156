/**
 * Capture replay: pcap files in, through the real pipeline with packet timestamps as the
 * clock, pcap files out, and the counters checked for conservation. Entry point:
 * {@link io.sixgate.daemon.replay.ReplayEngine}.
 */
package io.sixgate.daemon.replay;
