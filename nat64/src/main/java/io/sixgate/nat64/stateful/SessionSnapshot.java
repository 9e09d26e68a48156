package io.sixgate.nat64.stateful;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import io.sixgate.nat64.state.BibTable;
import io.sixgate.nat64.state.SessionTable;

/**
 * The stateful NAT64 sessions of a stopped gateway, in a file: written when the daemon stops and
 * read when it starts again, so that a restart loses no established flow ({@link SessionRestore}
 * puts them back into the new shards).
 *
 * <p>A session's BIB entry is implied by it (protocol, X', x, T, t), so the file holds sessions
 * only: restoring a session recreates its dynamic BIB entry at the same pool4 transport address,
 * or joins the static one configuration made. Lifetimes are stored as what was left when the file
 * was written, so that they can be re-armed on another clock; the wall-clock time of writing
 * lets the restore subtract the time the gateway was down.
 *
 * <pre>
 *  header (32 bytes, big-endian)
 *   0        8        12       16       20                28       32
 *  +--------+--------+--------+--------+-----------------+--------+
 *  | magic  |version | record | count  | written at      | CRC32C |
 *  |SIXG64SS|   1    | bytes  |        | (epoch ns)      |        |
 *  +--------+--------+--------+--------+-----------------+--------+
 *  count records (44 bytes each, big-endian)
 *   0    1    2    3    4              12             20   22   24     28     32   34   36
 *  +----+----+----+----+--------------+--------------+----+----+------+------+----+----+------------+
 *  | pr | st | fl | -- | X' bits 0-63 | X' bits 64-127| x  | t  | T    | Z    | z  | -- | left (ns)  |
 *  +----+----+----+----+--------------+--------------+----+----+------+------+----+----+------------+
 *  pr: SessionProtocol; st: TcpStateMachine state; fl: FLAG_STATIC_BIB
 * </pre>
 * The checksum is CRC32C over the header's first 28 bytes and every record. The file is written
 * beside its final name and moved over it, so a reader never sees half a file.
 *
 * <p>Start-up and shutdown only: allocates, and reads the records from a memory-mapped file
 * (ten million sessions are 440 MB, kept off the heap).
 */
public final class SessionSnapshot
{
    /** "SIXG64SS". */
    public static final long MAGIC = 0x5349_5847_3634_5353L;

    /** The format this class writes and reads. */
    public static final int VERSION = 1;

    public static final int HEADER_BYTES = 32;
    public static final int RECORD_BYTES = 44;

    /** Record flag: the session's BIB entry was static. */
    public static final int FLAG_STATIC_BIB = 1;

    static final int VERSION_OFFSET = 8;
    static final int RECORD_BYTES_OFFSET = 12;
    static final int COUNT_OFFSET = 16;
    static final int WRITTEN_AT_OFFSET = 20;
    static final int CHECKSUM_OFFSET = 28;

    static final int PROTOCOL_OFFSET = 0;
    static final int TCP_STATE_OFFSET = 1;
    static final int FLAGS_OFFSET = 2;
    static final int SRC6_HIGH_OFFSET = 4;
    static final int SRC6_LOW_OFFSET = 12;
    static final int SRC6_PORT_OFFSET = 20;
    static final int POOL4_PORT_OFFSET = 22;
    static final int POOL4_ADDRESS_OFFSET = 24;
    static final int REMOTE4_ADDRESS_OFFSET = 28;
    static final int REMOTE_PORT_OFFSET = 32;
    static final int REMAINING_OFFSET = 36;

    private static final int WRITE_CHUNK_RECORDS = 1024;

    private final ByteBuffer records;
    private final int count;
    private final long writtenAtEpochNs;

    private SessionSnapshot(final ByteBuffer records, final int count, final long writtenAtEpochNs)
    {
        this.records = records;
        this.count = count;
        this.writtenAtEpochNs = writtenAtEpochNs;
    }

    /**
     * Writes the live sessions of every shard (a gateway with several workers writes them all into
     * one file) and replaces {@code file} with it. Call when no worker runs any more.
     *
     * @param nowNs            the shards' clock now: lifetimes are stored as what is left of them.
     * @param wallClockEpochNs the wall clock now (epoch nanoseconds), to measure the downtime.
     * @return sessions written.
     */
    public static int write(final Path file, final long nowNs, final long wallClockEpochNs, final Nat64Shard... shards)
        throws IOException
    {
        int count = 0;
        for (final Nat64Shard shard : shards)
        {
            count += shard.sessions().size();
        }
        final Path parent = file.toAbsolutePath().getParent();
        final Path temporary = parent.resolve(file.getFileName() + ".tmp");
        final CRC32C crc = new CRC32C();
        final ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.BIG_ENDIAN);
        header.putLong(0, MAGIC).putInt(VERSION_OFFSET, VERSION).putInt(RECORD_BYTES_OFFSET, RECORD_BYTES)
            .putInt(COUNT_OFFSET, count).putLong(WRITTEN_AT_OFFSET, wallClockEpochNs);
        crc.update(header.array(), 0, CHECKSUM_OFFSET);
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE))
        {
            channel.position(HEADER_BYTES);
            final ByteBuffer chunk = ByteBuffer.allocateDirect(WRITE_CHUNK_RECORDS * RECORD_BYTES)
                .order(ByteOrder.BIG_ENDIAN);
            int written = 0;
            for (final Nat64Shard shard : shards)
            {
                final SessionTable sessions = shard.sessions();
                final int capacity = sessions.capacity();
                for (int s = 0; s < capacity && written < count; s++)
                {
                    if (!sessions.isInUse(s))
                    {
                        continue;
                    }
                    if (!chunk.hasRemaining())
                    {
                        flush(channel, chunk, crc);
                    }
                    putRecord(chunk, sessions, s, nowNs);
                    written++;
                }
            }
            flush(channel, chunk, crc);
            header.putInt(CHECKSUM_OFFSET, (int)crc.getValue());
            channel.write(header, 0);
            channel.force(true);
        }
        try
        {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final AtomicMoveNotSupportedException ex)
        {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return count;
    }

    /**
     * Reads and checks a snapshot file.
     *
     * @return the snapshot, or {@code null} when there is no file (a first start).
     * @throws SessionSnapshotException the file is not a snapshot of this version, is truncated or
     *                                  fails its checksum: the message says which.
     * @throws IOException              it cannot be read.
     */
    public static SessionSnapshot read(final Path file) throws IOException
    {
        final MappedByteBuffer mapped;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ))
        {
            final long size = channel.size();
            if (size < HEADER_BYTES)
            {
                throw bad(file, "truncated: " + size + " bytes, shorter than the " + HEADER_BYTES + "-byte header");
            }
            if (size > Integer.MAX_VALUE)
            {
                throw bad(file, "too large: " + size + " bytes");
            }
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        catch (final NoSuchFileException ex)
        {
            return null;
        }
        final ByteBuffer buffer = mapped.order(ByteOrder.BIG_ENDIAN);
        if (buffer.getLong(0) != MAGIC)
        {
            throw bad(file, "not a sixgate session snapshot (wrong magic)");
        }
        final int version = buffer.getInt(VERSION_OFFSET);
        if (version != VERSION)
        {
            throw bad(file, "version " + version + ", this sixgate reads version " + VERSION);
        }
        final int recordBytes = buffer.getInt(RECORD_BYTES_OFFSET);
        final int count = buffer.getInt(COUNT_OFFSET);
        if (recordBytes != RECORD_BYTES || count < 0)
        {
            throw bad(file, "broken header: " + count + " records of " + recordBytes + " bytes");
        }
        final long expected = HEADER_BYTES + (long)count * RECORD_BYTES;
        if (buffer.capacity() != expected)
        {
            throw bad(file, (buffer.capacity() < expected ? "truncated: " : "trailing bytes: ")
                + buffer.capacity() + " bytes for " + count + " sessions, expected " + expected);
        }
        final CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().position(0).limit(CHECKSUM_OFFSET));
        crc.update(buffer.duplicate().position(HEADER_BYTES));
        if ((int)crc.getValue() != buffer.getInt(CHECKSUM_OFFSET))
        {
            throw bad(file, "checksum mismatch (the file is corrupt)");
        }
        final ByteBuffer records = buffer.duplicate().position(HEADER_BYTES).slice().order(ByteOrder.BIG_ENDIAN);
        return new SessionSnapshot(records, count, buffer.getLong(WRITTEN_AT_OFFSET));
    }

    /**
     * @return sessions in the file.
     */
    public int count()
    {
        return count;
    }

    /**
     * @return when the file was written, epoch nanoseconds of the writer's wall clock.
     */
    public long writtenAtEpochNs()
    {
        return writtenAtEpochNs;
    }

    public int protocol(final int record)
    {
        return records.get(record * RECORD_BYTES + PROTOCOL_OFFSET);
    }

    public int tcpState(final int record)
    {
        return records.get(record * RECORD_BYTES + TCP_STATE_OFFSET);
    }

    public boolean hadStaticBib(final int record)
    {
        return (records.get(record * RECORD_BYTES + FLAGS_OFFSET) & FLAG_STATIC_BIB) != 0;
    }

    public long src6High(final int record)
    {
        return records.getLong(record * RECORD_BYTES + SRC6_HIGH_OFFSET);
    }

    public long src6Low(final int record)
    {
        return records.getLong(record * RECORD_BYTES + SRC6_LOW_OFFSET);
    }

    public int src6Port(final int record)
    {
        return records.getShort(record * RECORD_BYTES + SRC6_PORT_OFFSET) & 0xFFFF;
    }

    public int pool4Port(final int record)
    {
        return records.getShort(record * RECORD_BYTES + POOL4_PORT_OFFSET) & 0xFFFF;
    }

    public int pool4Address(final int record)
    {
        return records.getInt(record * RECORD_BYTES + POOL4_ADDRESS_OFFSET);
    }

    public int remote4Address(final int record)
    {
        return records.getInt(record * RECORD_BYTES + REMOTE4_ADDRESS_OFFSET);
    }

    public int remotePort(final int record)
    {
        return records.getShort(record * RECORD_BYTES + REMOTE_PORT_OFFSET) & 0xFFFF;
    }

    /**
     * @return what was left of the session's lifetime when the file was written (may be negative:
     * expired, not yet swept).
     */
    public long remainingNs(final int record)
    {
        return records.getLong(record * RECORD_BYTES + REMAINING_OFFSET);
    }

    private static void putRecord(final ByteBuffer chunk, final SessionTable sessions, final int s, final long nowNs)
    {
        final BibTable bibs = sessions.bibs();
        final int bib = sessions.bib(s);
        final int start = chunk.position();
        chunk.put((byte)sessions.protocol(s))
            .put((byte)sessions.tcpState(s))
            .put((byte)(bibs.isInUse(bib) && bibs.isStatic(bib) ? FLAG_STATIC_BIB : 0))
            .put((byte)0)
            .putLong(sessions.src6High(s))
            .putLong(sessions.src6Low(s))
            .putShort((short)sessions.src6Port(s))
            .putShort((short)sessions.pool4Port(s))
            .putInt(sessions.pool4Address(s))
            .putInt(sessions.remote4Address(s))
            .putShort((short)sessions.remotePort(s))
            .putShort((short)0)
            .putLong(sessions.expiryNs(s) - nowNs);
        assert chunk.position() - start == RECORD_BYTES;
    }

    private static void flush(final FileChannel channel, final ByteBuffer chunk, final CRC32C crc) throws IOException
    {
        chunk.flip();
        crc.update(chunk.duplicate());
        while (chunk.hasRemaining())
        {
            channel.write(chunk);
        }
        chunk.clear();
    }

    private static SessionSnapshotException bad(final Path file, final String what)
    {
        return new SessionSnapshotException("session snapshot " + file + ": " + what);
    }
}
