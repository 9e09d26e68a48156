package io.sixgate.daemon.port;

import io.sixgate.core.frame.FramePool;
import io.sixgate.core.frame.Offload;
import io.sixgate.core.pipeline.TxSink;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's transmit side: writes each frame to its port's device with one non-blocking
 * {@link FrameWriter#write} from the frame pool's off-heap memory ({@code writeAddress} on a
 * TAP, {@code pcap_inject} on a pcap port), then releases the frame. When the device would
 * block (EAGAIN) the frame is dropped and counted as {@link PortDropReason#TX_WOULD_BLOCK}
 * rather than queued: the worker never waits, and a TAP (whose writes go straight into the
 * kernel's receive path) practically never pushes back. Other write errors are counted as
 * {@link PortDropReason#TX_ERROR} and logged once per port.
 *
 * <p>Worker thread only.
 */
public final class DeviceTxSink implements TxSink
{
    private static final Logger LOG = LoggerFactory.getLogger(DeviceTxSink.class);

    private final FramePool pool;
    private final FrameWriter[] writers;
    private final PortCounters counters;
    private final long poolAddress;
    private final boolean[] errorLogged;
    private final boolean[] takesOffloads;

    /**
     * @param pool     the worker's frame pool.
     * @param writers  each port's device writer, indexed by port id.
     * @param counters where tx drops are counted.
     */
    public DeviceTxSink(final FramePool pool, final FrameWriter[] writers, final PortCounters counters)
    {
        this.pool = pool;
        this.writers = writers.clone();
        this.counters = counters;
        this.poolAddress = pool.buffer().addressOffset();
        this.errorLogged = new boolean[writers.length];
        this.takesOffloads = new boolean[writers.length];
        for (int i = 0; i < writers.length; i++)
        {
            takesOffloads[i] = writers[i].takesOffloads();
        }
    }

    @Override
    public void transmit(final int portId, final int frame)
    {
        final int offset = pool.offset(frame);
        final int length = pool.length(frame);
        final long offload = pool.offload(frame);
        if (offload != Offload.NONE && !takesOffloads[portId])
        {
            if (Offload.isGso(offload) || !Offload.needsChecksum(offload))
            {
                // A super-packet for a port without offloads (a pcap port, a plain TAP): not
                // segmented in software here.
                counters.onDropped(portId, PortDropReason.TX_OFFLOAD_UNSUPPORTED);
                pool.release(frame);
                return;
            }
            Offload.complete(pool.buffer(), offset + VirtioFrameWriter.ETHERNET_HEADER_LENGTH
                + Offload.csumStartFromIp(offload), Offload.csumOffset(offload), offset + length);
        }
        final int written = writers[portId].write(poolAddress + offset, length, offload);
        if (written == FrameWriter.WOULD_BLOCK)
        {
            counters.onDropped(portId, PortDropReason.TX_WOULD_BLOCK);
        }
        else if (written == FrameWriter.ERROR)
        {
            counters.onDropped(portId, PortDropReason.TX_ERROR);
            if (!errorLogged[portId])
            {
                errorLogged[portId] = true;
                LOG.error("port {}: writing to the device failed: {} (counted as drop tx/error; logged once)",
                    counters.portName(portId), writers[portId].lastError());
            }
        }
        else if (written != length)
        {
            counters.onDropped(portId, PortDropReason.TX_SHORT_WRITE);
        }
        pool.release(frame);
    }
}
