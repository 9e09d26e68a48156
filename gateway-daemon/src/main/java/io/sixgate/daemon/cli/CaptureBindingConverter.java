package io.sixgate.daemon.cli;

import io.sixgate.daemon.replay.CaptureBinding;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses {@code PORT=FILE} option values; a bad one is a usage error (exit 2).
 */
final class CaptureBindingConverter implements ITypeConverter<CaptureBinding>
{
    @Override
    public CaptureBinding convert(final String value)
    {
        try
        {
            return CaptureBinding.parse(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new TypeConversionException(ex.getMessage());
        }
    }
}
