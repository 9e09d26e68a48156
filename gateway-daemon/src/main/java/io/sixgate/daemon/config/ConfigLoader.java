package io.sixgate.daemon.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads a YAML configuration into a {@link GatewayConfig} or refuses it with a
 * {@link ConfigException} that names the key path and line.
 *
 * <p>One pass over the YAML tokens records where every key is ({@link ConfigLocations}) and
 * buffers the tokens; Jackson binds the buffer to {@link RawConfig} (unknown keys and wrong
 * types fail there); {@link ConfigValidator} checks values and cross-references.
 */
public final class ConfigLoader
{
    /** Classpath resource of the built-in example configuration. */
    public static final String DEFAULT_RESOURCE = "io/sixgate/daemon/default-config.yaml";

    /** How the built-in configuration is named in messages. */
    public static final String DEFAULT_NAME = "default-config.yaml (built in)";

    private static final ObjectMapper MAPPER = YAMLMapper.builder()
        .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();

    private ConfigLoader()
    {
    }

    /**
     * @param file the configuration file; messages name it as given.
     */
    public static GatewayConfig load(final Path file) throws ConfigException
    {
        final String name = file.toString();
        final byte[] bytes;
        try
        {
            bytes = Files.readAllBytes(file);
        }
        catch (final NoSuchFileException ex)
        {
            throw new ConfigException(name, 0, "", "no such file", ex);
        }
        catch (final AccessDeniedException ex)
        {
            throw new ConfigException(name, 0, "", "permission denied", ex);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(name, 0, "", "cannot read: " + reason(ex), ex);
        }
        return load(name, bytes);
    }

    /**
     * @param name  how messages name the source, e.g. {@code config.yaml}.
     * @param input the YAML text, UTF-8; read to the end, not closed.
     */
    public static GatewayConfig load(final String name, final InputStream input) throws ConfigException
    {
        final byte[] bytes;
        try
        {
            bytes = input.readAllBytes();
        }
        catch (final IOException ex)
        {
            throw new ConfigException(name, 0, "", "cannot read: " + reason(ex), ex);
        }
        return load(name, bytes);
    }

    /**
     * @return the built-in example configuration ({@link #DEFAULT_RESOURCE}).
     */
    public static GatewayConfig loadDefault() throws ConfigException
    {
        try (InputStream input = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE))
        {
            if (input == null)
            {
                throw new ConfigException(DEFAULT_NAME, 0, "", "missing from the class path (" + DEFAULT_RESOURCE + ")");
            }
            return load(DEFAULT_NAME, input);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(DEFAULT_NAME, 0, "", "cannot read: " + reason(ex), ex);
        }
    }

    private static GatewayConfig load(final String name, final byte[] bytes) throws ConfigException
    {
        requireUtf8(name, bytes);
        final ConfigLocations locations = new ConfigLocations();
        final TokenBuffer tokens;
        try (JsonParser parser = MAPPER.createParser(bytes))
        {
            tokens = readTokens(name, parser, locations);
        }
        catch (final JsonProcessingException ex)
        {
            throw BindingErrors.parseError(name, ex);
        }
        catch (final IOException ex)
        {
            throw new ConfigException(name, 0, "", "cannot read: " + reason(ex), ex);
        }

        RawConfig.Gateway raw = RawConfig.Gateway.EMPTY;
        if (tokens != null)
        {
            try (JsonParser buffered = tokens.asParser(MAPPER))
            {
                raw = MAPPER.readValue(buffered, RawConfig.Gateway.class);
            }
            catch (final JsonMappingException ex)
            {
                throw BindingErrors.bindingError(name, locations, ex);
            }
            catch (final IOException ex)
            {
                throw new ConfigException(name, 0, "", "cannot read: " + reason(ex), ex);
            }
        }
        return new ConfigValidator(name, locations).validate(raw);
    }

    /**
     * @return the document's tokens, or {@code null} for an empty document.
     */
    private static TokenBuffer readTokens(final String name, final JsonParser parser, final ConfigLocations locations)
        throws IOException, ConfigException
    {
        JsonToken token = parser.nextToken();
        if (token == null)
        {
            return null;
        }
        if (token != JsonToken.START_OBJECT)
        {
            throw new ConfigException(name, parser.currentTokenLocation().getLineNr(), "",
                "the top level must be a mapping of keys, got "
                + (token == JsonToken.START_ARRAY ? "a list" : "a single value"));
        }
        final TokenBuffer tokens = new TokenBuffer(parser);
        int depth = 0;
        while (token != null)
        {
            if (depth == 0 && tokens.firstToken() != null)
            {
                throw new ConfigException(name, parser.currentTokenLocation().getLineNr(), "",
                    "only one YAML document is allowed");
            }
            locations.record(token, parser.getParsingContext(), parser.currentTokenLocation().getLineNr(),
                token.isScalarValue() ? parser.getText() : null);
            tokens.copyCurrentEvent(parser);
            if (token.isStructStart())
            {
                depth++;
            }
            else if (token.isStructEnd())
            {
                depth--;
            }
            token = parser.nextToken();
        }
        return tokens;
    }

    /**
     * The YAML parser reports bytes that are not UTF-8 as a Java exception, without the line (found
     * by fuzzing); say where, in the file's words.
     */
    private static void requireUtf8(final String name, final byte[] bytes) throws ConfigException
    {
        final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        final ByteBuffer in = ByteBuffer.wrap(bytes);
        final CharBuffer out = CharBuffer.allocate(bytes.length);
        final CoderResult result = decoder.decode(in, out, true);
        if (result.isError())
        {
            int line = 1;
            for (int i = 0; i < in.position(); i++)
            {
                line += bytes[i] == '\n' ? 1 : 0;
            }
            throw new ConfigException(name, line, "", String.format("not UTF-8 text: byte 0x%02x cannot start or"
                + " continue a character here (save the file as UTF-8)", bytes[in.position()] & 0xFF));
        }
    }

    private static String reason(final IOException ex)
    {
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    }
}
