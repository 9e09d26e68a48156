/** Packet model, frame pool, pipeline skeleton and counters shared by every sixgate module. */
package io.sixgate.core;
