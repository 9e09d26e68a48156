package io.sixgate.daemon.port;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

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
 * Reads one pcap port on the Netty epoll event loop, as {@link PortIngest} reads a TAP: the
 * loop waits on the capture's selectable descriptor (level-triggered EPOLLIN; libpcap's packet
 * socket is readable while its ring holds frames), and each wake-up takes at most
 * {@link #READ_BUDGET} frames with {@code pcap_next_ex}.
 *
 * <p>No allocation per frame: {@code pcap_next_ex} is direct-mapped ({@link PcapDirect}) and
 * returns the frame's address in libpcap's buffer, which is copied once into the ring record of
 * its worker ({@link IngestDispatch}: steered there, or copied to every worker's ring for ARP and
 * Neighbor Discovery) through a reused {@link UnsafeBuffer} view. (libpcap itself has
 * copied the frame out of the kernel's mapped ring first: its {@code pcap_next_ex} on Linux hands
 * the ring slot back before returning. Two copies, no allocation.)
 *
 * <p>Drops, each counted for the port: a frame cut by the snapshot length, longer than MTU + 18
 * ({@link PortDropReason#INGEST_OVERSIZE_FRAME}); a frame whose source is the port's own MAC
 * ({@link PortDropReason#INGEST_OWN_SOURCE_MAC}); a full ring
 * ({@link PortDropReason#INGEST_QUEUE_FULL_NEW_FLOW}, known flows first: {@link IngestDispatch});
 * frames the kernel dropped because the capture buffer was full ({@link PortDropReason#INGEST_CAPTURE_BUFFER_FULL}, from {@code pcap_stats}
 * at most every {@link #STATS_INTERVAL_NS} and at close). A read error is counted, logged and
 * stops ingest on this port.
 *
 * <p>The capture belongs to the port's device: {@link #close()} leaves it open for the worker's
 * injections until the daemon closes the device.
 */
public final class PcapIngest implements EpollIoHandle
{
    /** Frames read per wake-up before the loop moves on to the other ports. */
    public static final int READ_BUDGET = PortIngest.READ_BUDGET;

    /** How often the kernel's capture drops are read, while frames arrive. */
    public static final long STATS_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final Logger LOG = LoggerFactory.getLogger(PcapIngest.class);

    private static final int HEADER_OUT_OFFSET = 0;
    private static final int DATA_OUT_OFFSET = 8;
    private static final int STATS_OFFSET = 16;
    private static final int PKTHDR_LENGTH = PcapDirect.PKTHDR_LEN_OFFSET + 4;
    private static final int SOURCE_MAC_OFFSET = 6;
    private static final int ETHERNET_ADDRESSES_LENGTH = 12;

    private final int portId;
    private final PcapCapture capture;
    private final long pcap;
    private final IngestDispatch dispatch;
    private final PortCounters counters;
    private final EpochNanoClock clock;
    private final long ownMac;
    private final int maxFrame;
    /** Off-heap out-parameters of pcap_next_ex and pcap_stats; held so the memory lives. */
    private final UnsafeBuffer scratch;
    private final long headerOutAddress;
    private final long dataOutAddress;
    private final long statsAddress;
    private final UnsafeBuffer header = new UnsafeBuffer(0, 0);
    private final UnsafeBuffer frame = new UnsafeBuffer(0, 0);
    private long nextStatsNs;
    private long kernelDropsCounted;
    private volatile boolean stopped;
    private IoRegistration registration;

    /**
     * @param portId   the port whose frames these are.
     * @param capture  the port's activated, non-blocking capture.
     * @param ownMac   the gateway's MAC on the port: frames from it are not read as received.
     * @param ring     the port's ring to the worker; this handle is its only producer.
     * @param counters where ingest drops are counted.
     * @param clock    stamps each frame at receive; used on the event loop thread only.
     */
    public PcapIngest(
        final int portId,
        final PcapCapture capture,
        final long ownMac,
        final IngestRing ring,
        final PortCounters counters,
        final EpochNanoClock clock)
    {
        this(capture, ownMac, IngestDispatch.single(portId, ring, counters), counters, clock);
    }

    /**
     * @param capture  the port's activated, non-blocking capture.
     * @param ownMac   the gateway's MAC on the port: frames from it are not read as received.
     * @param dispatch where the port's frames go; this handle is the only producer of its rings.
     * @param counters where the capture's own drops are counted.
     * @param clock    stamps each frame at receive; used on the event loop thread only.
     */
    public PcapIngest(
        final PcapCapture capture,
        final long ownMac,
        final IngestDispatch dispatch,
        final PortCounters counters,
        final EpochNanoClock clock)
    {
        this.portId = dispatch.portId();
        this.capture = capture;
        this.pcap = capture.address();
        this.ownMac = ownMac;
        this.dispatch = dispatch;
        this.counters = counters;
        this.clock = clock;
        this.maxFrame = dispatch.maxFrame();
        this.scratch = new UnsafeBuffer(BufferUtil.allocateDirectAligned(BitUtil.CACHE_LINE_LENGTH,
            BitUtil.CACHE_LINE_LENGTH));
        this.headerOutAddress = scratch.addressOffset() + HEADER_OUT_OFFSET;
        this.dataOutAddress = scratch.addressOffset() + DATA_OUT_OFFSET;
        this.statsAddress = scratch.addressOffset() + STATS_OFFSET;
    }

    @Override
    public FileDescriptor fd()
    {
        return capture.selectableFd();
    }

    @Override
    public void handle(final IoRegistration registration, final IoEvent event)
    {
        this.registration = registration;
        readAvailable();
    }

    /**
     * Reads up to {@link #READ_BUDGET} frames, stopping early when libpcap has none. Called by the
     * event loop; tests call it directly.
     *
     * @return frames handed to the workers (a frame copied to every worker counts once per worker).
     */
    public int readAvailable()
    {
        int handed = 0;
        for (int i = 0; i < READ_BUDGET && !stopped; i++)
        {
            final int status = PcapDirect.pcap_next_ex(pcap, headerOutAddress, dataOutAddress);
            if (status == 0)
            {
                break;
            }
            if (status < 0)
            {
                onReadError(status);
                break;
            }
            header.wrap(scratch.getLong(HEADER_OUT_OFFSET), PKTHDR_LENGTH);
            final int capturedLength = header.getInt(PcapDirect.PKTHDR_CAPLEN_OFFSET);
            final int length = header.getInt(PcapDirect.PKTHDR_LEN_OFFSET);
            if (capturedLength < length || capturedLength > maxFrame)
            {
                counters.onDropped(portId, PortDropReason.INGEST_OVERSIZE_FRAME);
                continue;
            }
            frame.wrap(scratch.getLong(DATA_OUT_OFFSET), capturedLength);
            if (capturedLength >= ETHERNET_ADDRESSES_LENGTH && sourceMac(frame) == ownMac)
            {
                counters.onDropped(portId, PortDropReason.INGEST_OWN_SOURCE_MAC);
                continue;
            }
            handed += dispatch.dispatch(frame, 0, capturedLength, clock.nanoTime());
        }
        final long nowNs = clock.nanoTime();
        if (nowNs >= nextStatsNs)
        {
            nextStatsNs = nowNs + STATS_INTERVAL_NS;
            countKernelDrops();
        }
        return handed;
    }

    private static long sourceMac(final UnsafeBuffer frame)
    {
        return ((frame.getShort(SOURCE_MAC_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFFL) << 32)
            | (frame.getInt(SOURCE_MAC_OFFSET + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF_FFFFL);
    }

    /**
     * Adds what the kernel dropped since the last look to {@code ingest/capture-buffer-full}.
     */
    private void countKernelDrops()
    {
        if (PcapDirect.pcap_stats(pcap, statsAddress) != 0)
        {
            return;
        }
        final long drops = scratch.getInt(STATS_OFFSET + PcapDirect.STAT_DROP_OFFSET) & 0xFFFF_FFFFL;
        if (drops > kernelDropsCounted)
        {
            counters.onDropped(portId, PortDropReason.INGEST_CAPTURE_BUFFER_FULL, drops - kernelDropsCounted);
            kernelDropsCounted = drops;
        }
    }

    private void onReadError(final int status)
    {
        counters.onDropped(portId, PortDropReason.INGEST_READ_ERROR);
        stopped = true;
        LOG.error("port {}: capturing on {} failed: {} (pcap_next_ex {}); ingest on this port stopped",
            counters.portName(portId), capture.device(), capture.lastError(), status);
        if (registration != null)
        {
            registration.cancel();
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
     * Stops reading and counts the kernel's last capture drops; leaves the capture open for the
     * worker. Called on the event loop when the loop shuts down.
     */
    @Override
    public void close()
    {
        if (!stopped)
        {
            stopped = true;
            countKernelDrops();
        }
    }
}
