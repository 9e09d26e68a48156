package io.sixgate.daemon.port;

import java.io.IOException;

import io.netty.channel.IoEvent;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.unix.FileDescriptor;

import org.agrona.BitUtil;
import org.agrona.BufferUtil;
import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one queue of a port's device (the TAP device, or one queue of a multi-queue TAP) on a
 * Netty epoll event loop (Netty 4.2 lets any descriptor join the loop as an
 * {@link EpollIoHandle}) and hands each frame to a worker through an {@link IngestRing}.
 * Registered level-triggered for EPOLLIN: each wake-up reads at most {@link #READ_BUDGET} frames
 * so that ports sharing the loop take turns, and epoll wakes the loop again while frames remain.
 *
 * <p>Never blocks and never allocates per frame. With one worker, frames are read straight into
 * the ring's off-heap records with {@code readAddress}; when the ring is full the frame is read
 * into a scratch buffer and counted as {@link PortDropReason#INGEST_QUEUE_FULL_NEW_FLOW} or
 * {@link PortDropReason#INGEST_QUEUE_FULL_KNOWN_FLOW}, so the device is drained even while the
 * worker is behind. Past 3/4 of the ring, a frame of a flow the worker has not published as known
 * is refused and its record kept for the next frame (see {@link IngestDispatch}). With several
 * workers each frame is read into the scratch buffer, steered, and copied into its worker's ring
 * ({@link IngestDispatch}): the worker is known only once the frame is read. A read error other than EAGAIN is counted, logged
 * and stops ingest on this queue (a dead device would otherwise wake the loop forever).
 *
 * <p>The reader of a TAP's queue 0 also counts what the kernel dropped before sixgate read it
 * ({@link KernelQueueDrops}), at most every 100 ms while frames come and when it closes.
 *
 * <p>The descriptor belongs to the port's device, not to this handle: {@link #close()} leaves
 * it open for the worker's writes until the daemon closes the device.
 */
public final class PortIngest implements EpollIoHandle
{
    /** Frames read per wake-up before the loop moves on to the other ports. */
    public static final int READ_BUDGET = 64;
    /** How often the kernel's drops on the device are read, at most. */
    static final long KERNEL_DROPS_INTERVAL_NS = 100_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(PortIngest.class);

    private final int portId;
    private final FileDescriptor fd;
    private final IngestDispatch dispatch;
    private final IngestRing ring;
    private final PortCounters counters;
    private final EpochNanoClock clock;
    /** Where frames go when the ring is full; held so its memory lives as long as its address is used. */
    private final UnsafeBuffer scratch;
    private final long scratchAddress;
    private final int maxFrame;
    /** Bytes of virtio-net header before each frame (a TAP with offload), kept with the frame in the ring. */
    private final int virtioHeaderLength;
    /** The device's kernel-side drops, counted by queue 0's reader; null for other queues and socket pairs. */
    private final KernelQueueDrops kernelDrops;
    private long nextKernelDropsNs;
    private IoRegistration registration;
    /** A ring record claimed and not yet filled, kept across wake-ups; -1 when none. */
    private int pendingIndex = -1;
    private volatile boolean stopped;

    /**
     * @param portId   the port whose frames these are.
     * @param fd       the port's non-blocking device descriptor.
     * @param ring     the port's ring to the worker; this handle is its only producer.
     * @param counters where ingest drops are counted.
     * @param clock    stamps each frame at receive; used on the event loop thread only.
     */
    public PortIngest(
        final int portId,
        final FileDescriptor fd,
        final IngestRing ring,
        final PortCounters counters,
        final EpochNanoClock clock)
    {
        this(fd, IngestDispatch.single(portId, ring, counters), counters, clock);
    }

    /**
     * @param fd       the queue's non-blocking descriptor.
     * @param dispatch where the queue's frames go; this handle is the only producer of its rings.
     * @param counters where this queue's read errors and oversize frames are counted.
     * @param clock    stamps each frame at receive; used on the event loop thread only.
     */
    public PortIngest(
        final FileDescriptor fd,
        final IngestDispatch dispatch,
        final PortCounters counters,
        final EpochNanoClock clock)
    {
        this(fd, dispatch, counters, clock, 0);
    }

    /**
     * @param fd                 the queue's non-blocking descriptor.
     * @param dispatch           where the queue's frames go; this handle is the only producer of its rings.
     * @param counters           where this queue's read errors and oversize frames are counted.
     * @param clock              stamps each frame at receive; used on the event loop thread only.
     * @param virtioHeaderLength bytes of virtio-net header before each frame read, or 0; steering
     *                           looks past it, the rings keep it.
     */
    public PortIngest(
        final FileDescriptor fd,
        final IngestDispatch dispatch,
        final PortCounters counters,
        final EpochNanoClock clock,
        final int virtioHeaderLength)
    {
        this(fd, dispatch, counters, clock, virtioHeaderLength, null);
    }

    /**
     * @param fd                 the queue's non-blocking descriptor.
     * @param dispatch           where the queue's frames go; this handle is the only producer of its rings.
     * @param counters           where this queue's read errors and oversize frames are counted.
     * @param clock              stamps each frame at receive; used on the event loop thread only.
     * @param virtioHeaderLength bytes of virtio-net header before each frame read, or 0.
     * @param kernelDrops        the device's kernel-side drops, counted as {@code ingest/kernel-queue-full}
     *                           every 100 ms while frames come and at close; null for none.
     */
    PortIngest(
        final FileDescriptor fd,
        final IngestDispatch dispatch,
        final PortCounters counters,
        final EpochNanoClock clock,
        final int virtioHeaderLength,
        final KernelQueueDrops kernelDrops)
    {
        this.kernelDrops = kernelDrops;
        this.virtioHeaderLength = virtioHeaderLength;
        this.portId = dispatch.portId();
        this.fd = fd;
        this.dispatch = dispatch;
        this.ring = dispatch.onlyRing();
        this.counters = counters;
        this.clock = clock;
        this.maxFrame = dispatch.maxFrame();
        this.scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(
            BitUtil.align(maxFrame, BitUtil.CACHE_LINE_LENGTH), BitUtil.CACHE_LINE_LENGTH));
        this.scratchAddress = scratch.addressOffset();
    }

    @Override
    public FileDescriptor fd()
    {
        return fd;
    }

    @Override
    public void handle(final IoRegistration registration, final IoEvent event)
    {
        this.registration = registration;
        readAvailable();
    }

    /**
     * Reads up to {@link #READ_BUDGET} frames, stopping early when the device has none (EAGAIN).
     * Called by the event loop; tests call it directly.
     *
     * @return frames handed to the workers (a frame copied to every worker counts once per worker).
     */
    public int readAvailable()
    {
        final int handed = dispatch.steered() ? readAndSteer() : readInPlace();
        if (kernelDrops != null)
        {
            final long nowNs = clock.nanoTime();
            if (nowNs - nextKernelDropsNs >= 0)
            {
                nextKernelDropsNs = nowNs + KERNEL_DROPS_INTERVAL_NS;
                kernelDrops.count(counters, portId);
            }
        }
        return handed;
    }

    private int readInPlace()
    {
        int handed = 0;
        for (int i = 0; i < READ_BUDGET && !stopped; i++)
        {
            if (pendingIndex < 0)
            {
                pendingIndex = ring.claim();
            }
            final int index = pendingIndex;
            final long address = index >= 0 ? ring.dataAddress(index) : scratchAddress;
            final int length;
            try
            {
                // A TAP read returns the frame's full length even when the buffer was shorter and
                // the frame was cut (tun_put_user), so a length over maxFrame marks a cut frame.
                length = fd.readAddress(address, 0, maxFrame);
            }
            catch (final IOException ex)
            {
                onReadError(ex);
                break;
            }
            if (length <= 0)
            {
                // 0: EAGAIN, nothing left; -1: end of file, which a TAP never gives. The claim is
                // kept for the next wake-up rather than aborted: an abort leaves a padding record
                // that takes a frame's room until the worker passes it.
                break;
            }
            if (length > maxFrame)
            {
                counters.onDropped(portId, PortDropReason.INGEST_OVERSIZE_FRAME);
            }
            else if (index < 0)
            {
                dispatch.onNoRoom(0, scratch, virtioHeaderLength, length - virtioHeaderLength, clock.nanoTime());
            }
            else
            {
                final long nowNs = clock.nanoTime();
                if (ring.admitsNewFlow(true)
                    || dispatch.isKnownFlow(0, ring.records(), IngestRing.dataOffset(index) + virtioHeaderLength,
                        length - virtioHeaderLength, nowNs))
                {
                    ring.commit(index, length, nowNs);
                    pendingIndex = -1;
                    handed++;
                }
                else
                {
                    // The claimed record stays pending: the next frame is read into it.
                    counters.onQueueFull(portId, false);
                }
            }
        }
        return handed;
    }

    private int readAndSteer()
    {
        int handed = 0;
        for (int i = 0; i < READ_BUDGET && !stopped; i++)
        {
            final int length;
            try
            {
                length = fd.readAddress(scratchAddress, 0, maxFrame);
            }
            catch (final IOException ex)
            {
                onReadError(ex);
                break;
            }
            if (length <= 0)
            {
                break;
            }
            if (length > maxFrame)
            {
                counters.onDropped(portId, PortDropReason.INGEST_OVERSIZE_FRAME);
                continue;
            }
            handed += dispatch.dispatch(scratch, 0, length, clock.nanoTime(), virtioHeaderLength);
        }
        return handed;
    }

    private void onReadError(final IOException ex)
    {
        counters.onDropped(portId, PortDropReason.INGEST_READ_ERROR);
        stopped = true;
        releaseClaim();
        LOG.error("port {}: reading the device failed: {}; ingest on this port stopped",
            counters.portName(portId), ex.getMessage() != null ? ex.getMessage() : ex.getClass().getSimpleName());
        if (registration != null)
        {
            registration.cancel();
        }
    }

    private void releaseClaim()
    {
        if (pendingIndex >= 0)
        {
            ring.abort(pendingIndex);
            pendingIndex = -1;
        }
    }

    /**
     * @return whether a read error or {@link #close()} stopped this port's ingest.
     */
    public boolean stopped()
    {
        return stopped;
    }

    /**
     * Gives back the ring record it holds, so the worker can drain the ring; leaves the descriptor
     * open: the device owns it, and the worker still writes to it. Called on the event loop when
     * the loop shuts down.
     */
    @Override
    public void close()
    {
        stopped = true;
        releaseClaim();
        if (kernelDrops != null)
        {
            kernelDrops.count(counters, portId);
        }
    }
}
