package io.sixgate.daemon.admin;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * JSON of the admin API: kebab-case keys as in the configuration file, unknown keys refused,
 * bodies of at most {@link #MAX_BODY_BYTES}, and parse errors in one line without Java names.
 */
final class AdminJson
{
    /** Largest request body; the API's bodies are a few hundred bytes. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    static final ObjectMapper MAPPER = JsonMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .build();

    private AdminJson()
    {
    }

    /**
     * Reads a body, refusing one over {@link #MAX_BODY_BYTES} (413) and one that is not JSON of
     * that shape (400).
     *
     * @param declaredLength the Content-Length header, or -1 when there is none (chunked).
     */
    static <T> T read(final InputStream body, final long declaredLength, final Class<T> type) throws HttpError
    {
        if (declaredLength > MAX_BODY_BYTES)
        {
            throw tooLarge();
        }
        final byte[] bytes;
        try
        {
            bytes = body.readNBytes(MAX_BODY_BYTES + 1);
        }
        catch (final IOException ex)
        {
            throw new HttpError(HttpError.BAD_REQUEST, "cannot read the request body: " + ex.getMessage());
        }
        if (bytes.length > MAX_BODY_BYTES)
        {
            throw tooLarge();
        }
        if (bytes.length == 0)
        {
            throw new HttpError(HttpError.BAD_REQUEST, "the request needs a JSON body");
        }
        try
        {
            final T value = MAPPER.readValue(bytes, type);
            if (value == null)
            {
                throw new HttpError(HttpError.BAD_REQUEST, "the body must be a JSON object, got null");
            }
            return value;
        }
        catch (final UnrecognizedPropertyException ex)
        {
            final List<String> known = new ArrayList<>();
            ex.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
            known.sort(null);
            throw new HttpError(HttpError.BAD_REQUEST, "unknown key \"" + ex.getPropertyName() + "\" (known keys: "
                + String.join(", ", known) + ")");
        }
        catch (final MismatchedInputException ex)
        {
            final String path = path(ex);
            throw new HttpError(HttpError.BAD_REQUEST, (path.isEmpty() ? "the body" : path) + ": expected "
                + expected(ex.getTargetType()));
        }
        catch (final JsonProcessingException ex)
        {
            final String where = ex.getLocation() == null ? ""
                : " at line " + ex.getLocation().getLineNr() + " column " + ex.getLocation().getColumnNr();
            throw new HttpError(HttpError.BAD_REQUEST, "malformed JSON" + where + ": " + firstLine(ex.getOriginalMessage()));
        }
        catch (final IOException ex)
        {
            throw new HttpError(HttpError.BAD_REQUEST, "cannot read the request body: " + ex.getMessage());
        }
    }

    static byte[] write(final Object value)
    {
        try
        {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException("cannot write JSON: " + ex.getOriginalMessage(), ex);
        }
    }

    private static HttpError tooLarge()
    {
        return new HttpError(HttpError.PAYLOAD_TOO_LARGE, "the request body is larger than " + MAX_BODY_BYTES
            + " bytes");
    }

    private static String path(final JsonMappingException ex)
    {
        final StringBuilder path = new StringBuilder();
        for (final JsonMappingException.Reference reference : ex.getPath())
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

    private static String expected(final Class<?> type)
    {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class)
        {
            return "an integer";
        }
        if (type == String.class)
        {
            return "a string";
        }
        return "a JSON object";
    }

    private static String firstLine(final String text)
    {
        if (text == null)
        {
            return "";
        }
        final int newline = text.indexOf('\n');
        return (newline < 0 ? text : text.substring(0, newline)).trim();
    }
}
