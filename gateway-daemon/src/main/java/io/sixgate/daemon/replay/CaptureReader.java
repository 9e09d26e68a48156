package io.sixgate.daemon.replay;

import java.io.EOFException;
import java.sql.Timestamp;
import java.util.concurrent.TimeoutException;

import io.sixgate.core.port.LinkType;
import io.sixgate.daemon.BadInputException;

import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * One input capture, read one record ahead so the merge can compare timestamps. libpcap opens
 * it with nanosecond precision, so microsecond files come out scaled and nanosecond files
 * exact; pcapng works too.
 */
final class CaptureReader implements AutoCloseable
{
    private final CaptureBinding binding;
    private final int portId;
    private final PcapHandle handle;
    private final LinkType linkType;

    private byte[] frame;
    private long timestampNs;
    private int originalLength;
    private long recordsTaken;

    private CaptureReader(final CaptureBinding binding, final int portId, final PcapHandle handle,
        final LinkType linkType)
    {
        this.binding = binding;
        this.portId = portId;
        this.handle = handle;
        this.linkType = linkType;
    }

    /**
     * Opens the capture and reads its first record.
     *
     * @throws BadInputException when the file is missing, not a capture, or of a framing sixgate does not read.
     */
    static CaptureReader open(final CaptureBinding binding, final int portId) throws BadInputException
    {
        CaptureFiles.checkReadable("--in", binding);
        final PcapHandle handle;
        try
        {
            handle = Pcaps.openOffline(binding.file().toString(), PcapHandle.TimestampPrecision.NANO);
        }
        catch (final PcapNativeException ex)
        {
            throw new BadInputException("--in " + binding + ": not a capture file libpcap can read ("
                + ex.getMessage() + ")", ex);
        }
        catch (final LinkageError ex)
        {
            throw CaptureFiles.libpcapMissing(ex);
        }
        final LinkType linkType = CaptureFiles.linkType(handle.getDlt());
        if (linkType == null)
        {
            final String found = CaptureFiles.describe(handle.getDlt());
            handle.close();
            throw new BadInputException("--in " + binding + ": " + found
                + " is not supported; sixgate reads Ethernet (1) and raw IP (101, 228, 229) captures");
        }
        final CaptureReader reader = new CaptureReader(binding, portId, handle, linkType);
        try
        {
            reader.readNext();
        }
        catch (final CaptureReadException ex)
        {
            reader.close();
            throw new BadInputException(ex.getMessage(), ex);
        }
        return reader;
    }

    private void readNext()
    {
        try
        {
            frame = handle.getNextRawPacketEx();
            final Timestamp timestamp = handle.getTimestamp();
            timestampNs = Math.floorDiv(timestamp.getTime(), 1000L) * 1_000_000_000L + timestamp.getNanos();
            final Integer length = handle.getOriginalLength();
            originalLength = length == null ? frame.length : length;
        }
        catch (final EOFException ex)
        {
            frame = null;
        }
        catch (final PcapNativeException | TimeoutException | NotOpenException ex)
        {
            frame = null;
            final String message = String.valueOf(ex.getMessage()).replace("Error occurred in pcap_next_ex(): ", "");
            throw new CaptureReadException("--in " + binding + ": record " + (recordsTaken + 1) + ": " + message, ex);
        }
    }

    /**
     * @return whether a record is waiting.
     */
    boolean hasFrame()
    {
        return frame != null;
    }

    /**
     * @return the waiting record's captured bytes.
     */
    byte[] frame()
    {
        return frame;
    }

    /**
     * @return the waiting record's timestamp, nanoseconds since the epoch.
     */
    long timestampNs()
    {
        return timestampNs;
    }

    /**
     * @return the waiting record's length on the wire, at least its captured length.
     */
    int originalLength()
    {
        return originalLength;
    }

    /**
     * Moves past the waiting record, counting it, and reads the next one.
     */
    void take()
    {
        recordsTaken++;
        readNext();
    }

    long recordsTaken()
    {
        return recordsTaken;
    }

    int portId()
    {
        return portId;
    }

    LinkType linkType()
    {
        return linkType;
    }

    CaptureBinding binding()
    {
        return binding;
    }

    @Override
    public void close()
    {
        handle.close();
    }
}
