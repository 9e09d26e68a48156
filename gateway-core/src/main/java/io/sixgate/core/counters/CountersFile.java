package io.sixgate.core.counters;

import java.io.File;
import java.nio.MappedByteBuffer;

import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

/**
 * A memory-mapped file holding Agrona counters, so other processes ({@code sixgate stat},
 * the Prometheus exporter) read live values without touching the data path.
 *
 * <pre>
 *  0                   4                   8                  12                  16
 *  +-------------------+-------------------+-------------------+-------------------+
 *  |  magic "SXGC"     |  version          |  metadata length  |  values length    |
 *  +-------------------+-------------------+-------------------+-------------------+
 *  |  writer pid (8 bytes)                 |  start time, epoch ms (8 bytes)       |
 *  +---------------------------------------+---------------------------------------+
 *  |  ... zero up to HEADER_LENGTH, then metadata region, then values region       |
 * </pre>
 */
public final class CountersFile implements AutoCloseable
{
    public static final int MAGIC = 0x5358_4743;
    public static final int VERSION = 1;
    public static final int HEADER_LENGTH = 128;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = 4;
    static final int METADATA_LENGTH_OFFSET = 8;
    static final int VALUES_LENGTH_OFFSET = 12;
    static final int PID_OFFSET = 16;
    static final int START_TIME_OFFSET = 24;

    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final UnsafeBuffer metadata;
    private final UnsafeBuffer values;

    private CountersFile(final MappedByteBuffer mapped, final int metadataLength, final int valuesLength)
    {
        this.mapped = mapped;
        this.header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        this.metadata = new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength);
        this.values = new UnsafeBuffer(mapped, HEADER_LENGTH + metadataLength, valuesLength);
    }

    /**
     * Creates (or replaces) a counters file with room for {@code maxCounters} counters.
     */
    public static CountersFile create(final File file, final int maxCounters)
    {
        if (maxCounters <= 0)
        {
            throw new IllegalArgumentException("maxCounters must be > 0: " + maxCounters);
        }
        final int valuesLength = maxCounters * CountersReader.COUNTER_LENGTH;
        final int metadataLength = maxCounters * CountersReader.METADATA_LENGTH;
        final File parent = file.getAbsoluteFile().getParentFile();
        if (parent != null)
        {
            IoUtil.ensureDirectoryExists(parent, "counters directory");
        }
        IoUtil.deleteIfExists(file);
        final MappedByteBuffer mapped = IoUtil.mapNewFile(file, HEADER_LENGTH + metadataLength + valuesLength);
        final CountersFile countersFile = new CountersFile(mapped, metadataLength, valuesLength);
        countersFile.header.putLong(PID_OFFSET, ProcessHandle.current().pid());
        countersFile.header.putLong(START_TIME_OFFSET, System.currentTimeMillis());
        countersFile.header.putInt(METADATA_LENGTH_OFFSET, metadataLength);
        countersFile.header.putInt(VALUES_LENGTH_OFFSET, valuesLength);
        countersFile.header.putInt(VERSION_OFFSET, VERSION);
        countersFile.header.putIntVolatile(MAGIC_OFFSET, MAGIC);
        return countersFile;
    }

    /**
     * Maps an existing counters file for reading.
     *
     * @throws IllegalStateException when the file is not a sixgate counters file.
     */
    public static CountersFile open(final File file)
    {
        if (!file.isFile())
        {
            throw new IllegalStateException("no counters file at " + file + " (is sixgate running?)");
        }
        if (file.length() < HEADER_LENGTH)
        {
            throw new IllegalStateException(file + " is too short to be a sixgate counters file");
        }
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file, "sixgate counters");
        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        if (header.getIntVolatile(MAGIC_OFFSET) != MAGIC || header.getInt(VERSION_OFFSET) != VERSION)
        {
            IoUtil.unmap(mapped);
            throw new IllegalStateException(file + " is not a sixgate counters file (version " + VERSION + ")");
        }
        final int metadataLength = header.getInt(METADATA_LENGTH_OFFSET);
        final int valuesLength = header.getInt(VALUES_LENGTH_OFFSET);
        if (metadataLength < 0 || valuesLength < 0
            || (long)HEADER_LENGTH + metadataLength + valuesLength > file.length())
        {
            IoUtil.unmap(mapped);
            throw new IllegalStateException(file + " has a corrupt counters header");
        }
        return new CountersFile(mapped, metadataLength, valuesLength);
    }

    /**
     * @return a manager that allocates counters in this file (the writer's view).
     */
    public CountersManager manager()
    {
        return new CountersManager(metadata, values);
    }

    /**
     * @return a reader over this file (the observer's view).
     */
    public CountersReader reader()
    {
        return new CountersReader(metadata, values);
    }

    public long writerPid()
    {
        return header.getLong(PID_OFFSET);
    }

    public long startTimeMs()
    {
        return header.getLong(START_TIME_OFFSET);
    }

    @Override
    public void close()
    {
        IoUtil.unmap(mapped);
    }
}
