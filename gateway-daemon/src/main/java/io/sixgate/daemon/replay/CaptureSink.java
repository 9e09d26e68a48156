package io.sixgate.daemon.replay;

import java.sql.Timestamp;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.pipeline.TxSink;
import io.sixgate.core.port.LinkType;
import io.sixgate.daemon.BadInputException;

import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * The replay's {@link TxSink}: each transmitted frame goes to its port's output capture with
 * the frame's timestamp, then back to the pool. Ports without an output only release the
 * frame; the pipeline has counted it as transmitted already.
 *
 * <p>Allocates a copy of each written frame (pcap4j takes a {@code byte[]}); replay is not
 * the daemon's hot path.
 */
final class CaptureSink implements TxSink, AutoCloseable
{
    /** libpcap's MAXIMUM_SNAPLEN: larger than any frame a pool slot holds. */
    static final int SNAPLEN = 262144;

    private final FramePool pool;
    private final PcapHandle[] deadHandles;
    private final PcapDumper[] dumpers;
    private final long[] written;
    private final Timestamp timestamp = new Timestamp(0);

    CaptureSink(final FramePool pool, final int portCount)
    {
        this.pool = pool;
        this.deadHandles = new PcapHandle[portCount];
        this.dumpers = new PcapDumper[portCount];
        this.written = new long[portCount];
    }

    /**
     * Creates (or truncates) the output capture of a port.
     *
     * @throws BadInputException when the file cannot be created.
     */
    void open(final int portId, final LinkType linkType, final CaptureBinding binding,
        final PcapHandle.TimestampPrecision precision) throws BadInputException
    {
        CaptureFiles.checkWritable("--out", binding);
        try
        {
            deadHandles[portId] = Pcaps.openDead(CaptureFiles.dataLinkType(linkType), SNAPLEN, precision);
            dumpers[portId] = deadHandles[portId].dumpOpen(binding.file().toString());
        }
        catch (final PcapNativeException | NotOpenException ex)
        {
            throw new BadInputException("--out " + binding + ": cannot create: " + ex.getMessage(), ex);
        }
        catch (final LinkageError ex)
        {
            throw CaptureFiles.libpcapMissing(ex);
        }
    }

    @Override
    public void transmit(final int portId, final int frame)
    {
        final PcapDumper dumper = dumpers[portId];
        if (dumper != null)
        {
            final long nanos = pool.timestampNs(frame);
            timestamp.setTime(Math.floorDiv(nanos, 1_000_000_000L) * 1000L);
            timestamp.setNanos((int)Math.floorMod(nanos, 1_000_000_000L));
            try
            {
                dumper.dumpRaw(pool.copyOut(frame), timestamp);
            }
            catch (final NotOpenException ex)
            {
                pool.release(frame);
                throw new IllegalStateException("output capture of port " + portId + " is closed", ex);
            }
            written[portId]++;
        }
        pool.release(frame);
    }

    /**
     * @return frames written to the port's output capture.
     */
    long written(final int portId)
    {
        return written[portId];
    }

    /**
     * Flushes every output, so that a full disk shows here rather than as a short file.
     *
     * @throws PcapNativeException when libpcap cannot write.
     */
    void flush() throws PcapNativeException
    {
        for (final PcapDumper dumper : dumpers)
        {
            if (dumper != null)
            {
                try
                {
                    dumper.flush();
                }
                catch (final NotOpenException ex)
                {
                    throw new IllegalStateException("output capture closed before the end of the replay", ex);
                }
            }
        }
    }

    @Override
    public void close()
    {
        for (int i = 0; i < dumpers.length; i++)
        {
            if (dumpers[i] != null)
            {
                dumpers[i].close();
                dumpers[i] = null;
            }
            if (deadHandles[i] != null)
            {
                deadHandles[i].close();
                deadHandles[i] = null;
            }
        }
    }
}
