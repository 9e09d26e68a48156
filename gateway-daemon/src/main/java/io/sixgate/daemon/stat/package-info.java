/**
 * Reading the counters file from outside the data path: {@code sixgate stat}, the admin API's
 * {@code /v1/counters} and Prometheus {@code /metrics} all see the same
 * {@link io.sixgate.daemon.stat.CounterSample}s.
 */
package io.sixgate.daemon.stat;
