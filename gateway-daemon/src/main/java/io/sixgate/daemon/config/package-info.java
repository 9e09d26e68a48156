/**
 * The gateway configuration: YAML through Jackson into records, refused with the key path and
 * line when wrong. Entry point: {@link io.sixgate.daemon.config.ConfigLoader}.
 */
package io.sixgate.daemon.config;
