package io.sixgate.daemon.replay;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Writes and reads capture files for tests: through pcap4j for ordinary captures, byte by
 * byte for the broken ones libpcap would not write.
 */
public final class TestCaptures
{
    /** One capture record. */
    public record Record(long timestampNs, byte[] data)
    {
    }

    private TestCaptures()
    {
    }

    public static Record record(final long timestampNs, final byte[] data)
    {
        return new Record(timestampNs, data);
    }

    /**
     * Writes a capture with pcap4j.
     */
    public static Path write(final Path file, final DataLinkType linkType, final PcapHandle.TimestampPrecision precision,
        final List<Record> records) throws Exception
    {
        try (PcapHandle dead = Pcaps.openDead(linkType, 65535, precision); PcapDumper dumper = dead.dumpOpen(file.toString()))
        {
            for (final Record record : records)
            {
                final Timestamp timestamp = new Timestamp(Math.floorDiv(record.timestampNs(), 1_000_000_000L) * 1000);
                timestamp.setNanos((int)Math.floorMod(record.timestampNs(), 1_000_000_000L));
                dumper.dumpRaw(record.data(), timestamp);
            }
        }
        return file;
    }

    public static Path write(final Path file, final DataLinkType linkType, final List<Record> records) throws Exception
    {
        return write(file, linkType, PcapHandle.TimestampPrecision.MICRO, records);
    }

    /**
     * Writes a little-endian microsecond pcap by hand, so a record may claim a wire length
     * ({@code originalLengths}) larger than the bytes it holds.
     */
    public static Path writeByHand(final Path file, final int linkType, final List<Record> records,
        final int[] originalLengths) throws IOException
    {
        int size = 24;
        for (final Record record : records)
        {
            size += 16 + record.data().length;
        }
        final ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(0xA1B2C3D4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535).putInt(linkType);
        for (int i = 0; i < records.size(); i++)
        {
            final Record record = records.get(i);
            out.putInt((int)(record.timestampNs() / 1_000_000_000L));
            out.putInt((int)(record.timestampNs() % 1_000_000_000L / 1000));
            out.putInt(record.data().length).putInt(originalLengths[i]).put(record.data());
        }
        Files.write(file, out.array());
        return file;
    }

    /**
     * Reads every record of a capture with nanosecond timestamps.
     */
    public static List<Record> read(final Path file) throws Exception
    {
        final List<Record> records = new ArrayList<>();
        try (PcapHandle handle = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO))
        {
            while (true)
            {
                final byte[] data;
                try
                {
                    data = handle.getNextRawPacketEx();
                }
                catch (final EOFException ex)
                {
                    return records;
                }
                final Timestamp timestamp = handle.getTimestamp();
                records.add(new Record(timestamp.getTime() / 1000 * 1_000_000_000L + timestamp.getNanos(), data));
            }
        }
    }

    /**
     * @return the data link type libpcap reports for the capture.
     */
    public static int dataLinkType(final Path file) throws Exception
    {
        try (PcapHandle handle = Pcaps.openOffline(file.toString()))
        {
            return handle.getDlt().value();
        }
    }

    /**
     * @return the capture file's magic number as written (first four bytes, little-endian file).
     */
    public static int magic(final Path file) throws IOException
    {
        return ByteBuffer.wrap(Files.readAllBytes(file), 0, 4).order(ByteOrder.nativeOrder()).getInt();
    }
}
