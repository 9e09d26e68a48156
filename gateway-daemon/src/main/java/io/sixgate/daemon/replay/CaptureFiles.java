package io.sixgate.daemon.replay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.sixgate.core.port.LinkType;
import io.sixgate.daemon.BadInputException;

import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * What replay needs to know about capture files before libpcap opens them: whether they are
 * there, their framing, their timestamp precision.
 */
final class CaptureFiles
{
    /** DLT_IPV4 and DLT_IPV6 (= LINKTYPE_IPV4 228, LINKTYPE_IPV6 229): raw IP of one version. */
    static final int DLT_IPV4 = 228;
    static final int DLT_IPV6 = 229;

    private static final int MAGIC_MICROS = 0xA1B2C3D4;
    private static final int MAGIC_MICROS_SWAPPED = 0xD4C3B2A1;

    private CaptureFiles()
    {
    }

    /**
     * @throws BadInputException when the file is missing, a directory or unreadable, naming the option.
     */
    static void checkReadable(final String option, final CaptureBinding binding) throws BadInputException
    {
        final Path file = binding.file();
        if (!Files.exists(file))
        {
            throw new BadInputException(option + " " + binding + ": no such file");
        }
        if (Files.isDirectory(file))
        {
            throw new BadInputException(option + " " + binding + ": is a directory");
        }
        if (!Files.isReadable(file))
        {
            throw new BadInputException(option + " " + binding + ": permission denied");
        }
    }

    /**
     * @throws BadInputException when the output's directory is missing or the path is a directory.
     */
    static void checkWritable(final String option, final CaptureBinding binding) throws BadInputException
    {
        final Path file = binding.file().toAbsolutePath();
        if (Files.isDirectory(file))
        {
            throw new BadInputException(option + " " + binding + ": is a directory");
        }
        final Path parent = file.getParent();
        if (parent != null && !Files.isDirectory(parent))
        {
            throw new BadInputException(option + " " + binding + ": no such directory " + parent);
        }
    }

    /**
     * Maps libpcap's data link type (a DLT_ value; libpcap turns the file's LINKTYPE_RAW 101 into
     * DLT_RAW) to a port's framing.
     *
     * @return the framing, or {@code null} when sixgate does not read it.
     */
    static LinkType linkType(final DataLinkType dlt)
    {
        final int value = dlt.value();
        if (value == DataLinkType.EN10MB.value())
        {
            return LinkType.ETHERNET;
        }
        if (value == DataLinkType.RAW.value() || value == LinkType.RAW.pcapLinkType()
            || value == DLT_IPV4 || value == DLT_IPV6)
        {
            return LinkType.RAW;
        }
        return null;
    }

    /**
     * @return the libpcap data link type that writes captures of this framing.
     */
    static DataLinkType dataLinkType(final LinkType linkType)
    {
        return linkType == LinkType.ETHERNET ? DataLinkType.EN10MB : DataLinkType.RAW;
    }

    /**
     * @return how an unsupported data link type is described to the user.
     */
    static String describe(final DataLinkType dlt)
    {
        final String name = dlt.name();
        return "link type " + dlt.value() + ("unknown".equals(name) ? "" : " (" + name + ")");
    }

    /**
     * @return the failure to report when pcap4j cannot load libpcap.
     */
    static IllegalStateException libpcapMissing(final LinkageError cause)
    {
        return new IllegalStateException("cannot load libpcap (" + cause.getMessage()
            + "): install Debian's libpcap0.8, e.g. with scripts/setup-debian.sh", cause);
    }

    /**
     * @return whether the file is a classic pcap with microsecond timestamps; {@code false} for
     * nanosecond pcap and pcapng, whose timestamps may be finer.
     */
    static boolean isMicrosecondPcap(final Path file) throws IOException
    {
        try (InputStream input = Files.newInputStream(file))
        {
            final byte[] head = input.readNBytes(4);
            if (head.length < 4)
            {
                return false;
            }
            final int magic = ((head[0] & 0xFF) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8)
                | (head[3] & 0xFF);
            return magic == MAGIC_MICROS || magic == MAGIC_MICROS_SWAPPED;
        }
    }
}
