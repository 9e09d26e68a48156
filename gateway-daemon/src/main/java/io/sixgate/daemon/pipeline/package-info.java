/** The seam between the program and the packet graph: who builds a worker's pipeline. */
package io.sixgate.daemon.pipeline;
