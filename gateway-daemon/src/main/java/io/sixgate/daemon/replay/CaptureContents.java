package io.sixgate.daemon.replay;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sixgate.core.port.LinkType;
import io.sixgate.daemon.BadInputException;

/**
 * A whole capture read into memory: its framing and its frames, for showing what a replay
 * wrote (the demo) and for tests. Not for large files.
 *
 * @param linkType framing of every frame.
 * @param frames   the frames in file order.
 */
public record CaptureContents(LinkType linkType, List<byte[]> frames)
{
    public CaptureContents
    {
        frames = List.copyOf(frames);
    }

    /**
     * @throws BadInputException when the file is missing, unreadable or of an unsupported link type.
     */
    public static CaptureContents read(final Path file) throws BadInputException
    {
        try (CaptureReader reader = CaptureReader.open(new CaptureBinding("capture", file), 0))
        {
            final List<byte[]> frames = new ArrayList<>();
            while (reader.hasFrame())
            {
                frames.add(reader.frame());
                reader.take();
            }
            return new CaptureContents(reader.linkType(), frames);
        }
        catch (final CaptureReadException ex)
        {
            throw new BadInputException(ex.getMessage(), ex);
        }
    }
}
