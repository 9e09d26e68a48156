/** The {@code sixgate} command line: picocli commands, one per subcommand, and their error handling. */
package io.sixgate.daemon.cli;
