package io.sixgate.daemon.port;

import io.sixgate.core.frame.FramePool;
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
    }

    @Override
    public void transmit(final int portId, final int frame)
    {
        final int offset = pool.offset(frame);
        final int length = pool.length(frame);
        final int written = writers[portId].write(poolAddress + offset, length);
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
