package io.sixgate.daemon.cli;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.sixgate.daemon.BadInputException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr, {@code sixgate: <what is wrong>}, and an exit
 * status: 2 for bad usage and {@link BadInputException}, 1 for the rest. Stack traces go to
 * the debug log only ({@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug}).
 */
final class ErrorHandler implements IParameterExceptionHandler, IExecutionExceptionHandler
{
    static final int EXIT_FAILURE = 1;
    static final int EXIT_BAD_INPUT = 2;

    private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

    @Override
    public int handleParseException(final ParameterException ex, final String[] args)
    {
        final CommandLine commandLine = ex.getCommandLine();
        commandLine.getErr().println("sixgate: " + oneLine(ex.getMessage())
            + " (see '" + commandLine.getCommandSpec().qualifiedName() + " --help')");
        commandLine.getErr().flush();
        return EXIT_BAD_INPUT;
    }

    @Override
    public int handleExecutionException(
        final Exception ex, final CommandLine commandLine, final ParseResult parseResult)
    {
        LOG.debug("{} failed", commandLine.getCommandSpec().qualifiedName(), ex);
        final int exitCode;
        final String message;
        if (ex instanceof BadInputException)
        {
            exitCode = EXIT_BAD_INPUT;
            message = ex.getMessage();
        }
        else if (ex.getMessage() != null
            && (ex instanceof IllegalStateException || ex instanceof IOException || ex instanceof UncheckedIOException))
        {
            exitCode = EXIT_FAILURE;
            message = ex.getMessage();
        }
        else
        {
            exitCode = EXIT_FAILURE;
            message = "internal error: " + ex + " (run with -Dorg.slf4j.simpleLogger.defaultLogLevel=debug for the trace)";
        }
        commandLine.getErr().println("sixgate: " + oneLine(message));
        commandLine.getErr().flush();
        return exitCode;
    }

    private static String oneLine(final String text)
    {
        return text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
    }
}
