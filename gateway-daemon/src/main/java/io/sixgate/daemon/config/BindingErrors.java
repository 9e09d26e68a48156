package io.sixgate.daemon.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns Jackson's parse and binding exceptions into {@link ConfigException}s in sixgate's
 * words: the key path, the line, and what was expected, not Java class names.
 */
final class BindingErrors
{
    private BindingErrors()
    {
    }

    /**
     * For errors of the YAML parser itself (syntax, duplicate keys), raised while reading tokens.
     */
    static ConfigException parseError(final String source, final JsonProcessingException ex)
    {
        final String path = ex.getProcessor() instanceof JsonParser
            ? ConfigLocations.path(((JsonParser)ex.getProcessor()).getParsingContext())
            : "";
        final MarkedYAMLException yaml = findCause(ex, MarkedYAMLException.class);
        if (yaml != null)
        {
            final Mark mark = yaml.getProblemMark() != null ? yaml.getProblemMark() : yaml.getContextMark();
            final int line = mark != null ? mark.getLine() + 1 : lineOf(ex);
            // SnakeYAML's problem can hold a line break (the character it found); one line for users.
            return new ConfigException(source, line, path, "YAML syntax error: " + oneLine(yaml.getProblem()), ex);
        }
        final String message = ex.getOriginalMessage();
        if (message != null && message.startsWith("Duplicate field"))
        {
            return new ConfigException(source, lineOf(ex), path, "duplicate key", ex);
        }
        return new ConfigException(source, lineOf(ex), path, "cannot parse: " + oneLine(message), ex);
    }

    /**
     * For errors binding the token stream to {@link RawConfig}: unknown keys, wrong shapes and types.
     */
    static ConfigException bindingError(
        final String source, final ConfigLocations locations, final JsonMappingException ex)
    {
        final String path = path(ex.getPath());
        final int line = locations.line(path);
        if (ex instanceof UnrecognizedPropertyException)
        {
            final UnrecognizedPropertyException unknown = (UnrecognizedPropertyException)ex;
            return new ConfigException(
                source, line, path, "unknown key (known keys: " + knownKeys(unknown.getKnownPropertyIds()) + ")", ex);
        }
        if (ex instanceof MismatchedInputException)
        {
            final Class<?> target = ((MismatchedInputException)ex).getTargetType();
            final ConfigLocations.Entry entry = locations.entry(path);
            final String got = describe(entry);
            if (entry != null && entry.token() == JsonToken.VALUE_NUMBER_INT && isInteger(target))
            {
                return new ConfigException(source, line, path, "number out of range, got " + got, ex);
            }
            return new ConfigException(source, line, path, "expected " + expected(target) + ", got " + got, ex);
        }
        final ConfigLocations.Entry entry = locations.entry(path);
        if (entry != null && entry.token() == JsonToken.VALUE_NUMBER_INT)
        {
            return new ConfigException(source, line, path, "number out of range, got " + entry.text(), ex);
        }
        return new ConfigException(source, line, path, "cannot bind: " + oneLine(ex.getOriginalMessage()), ex);
    }

    static String path(final List<JsonMappingException.Reference> references)
    {
        final StringBuilder path = new StringBuilder();
        for (final JsonMappingException.Reference reference : references)
        {
            if (reference.getFieldName() != null)
            {
                path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
            }
            else if (reference.getIndex() >= 0)
            {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /**
     * @return how the value appears to the user: quoted text, a bare number, "a mapping", "a list".
     */
    static String describe(final ConfigLocations.Entry entry)
    {
        if (entry == null)
        {
            return "nothing";
        }
        switch (entry.token())
        {
            case START_OBJECT:
                return "a mapping";
            case START_ARRAY:
                return "a list";
            case VALUE_STRING:
                return "\"" + entry.text() + "\"";
            case VALUE_NULL:
                return "an empty value";
            default:
                return entry.text();
        }
    }

    private static boolean isInteger(final Class<?> target)
    {
        return target == Integer.class || target == int.class || target == Long.class || target == long.class;
    }

    private static String expected(final Class<?> target)
    {
        if (target == null)
        {
            return "another kind of value";
        }
        if (isInteger(target))
        {
            return "an integer";
        }
        if (target == String.class)
        {
            return "a single value";
        }
        if (target == Boolean.class || target == boolean.class)
        {
            return "true or false";
        }
        if (Collection.class.isAssignableFrom(target))
        {
            return "a list";
        }
        return "a mapping";
    }

    private static String knownKeys(final Collection<Object> ids)
    {
        final List<String> names = new ArrayList<>();
        for (final Object id : ids)
        {
            names.add(String.valueOf(id));
        }
        names.sort(null);
        return String.join(", ", names);
    }

    private static int lineOf(final JsonProcessingException ex)
    {
        return ex.getLocation() != null && ex.getLocation().getLineNr() > 0 ? ex.getLocation().getLineNr() : 1;
    }

    private static String oneLine(final String text)
    {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }

    private static <T extends Throwable> T findCause(final Throwable start, final Class<T> type)
    {
        for (Throwable cause = start; cause != null; cause = cause.getCause())
        {
            if (type.isInstance(cause))
            {
                return type.cast(cause);
            }
        }
        return null;
    }
}
