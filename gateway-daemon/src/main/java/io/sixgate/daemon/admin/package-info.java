/**
 * The admin HTTP API of {@code sixgate run} (docs/admin-api.md): JSON over the JDK's HTTP
 * server on loopback by default, a bearer token when {@code admin.token-file} is set, Prometheus
 * {@code /metrics}. Every request is served through {@link io.sixgate.daemon.control.ControlPlane};
 * nothing here touches the worker.
 */
package io.sixgate.daemon.admin;
