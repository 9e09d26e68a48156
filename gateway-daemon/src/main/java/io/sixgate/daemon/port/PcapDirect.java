package io.sixgate.daemon.port;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The per-frame libpcap calls, bound with JNA direct mapping ({@link Native#register}) and only
 * primitive arguments (pointers as {@code long} addresses), so a call converts nothing and
 * allocates nothing on the Java heap. The caller passes the handle from
 * {@link PcapCapture#address()} and off-heap memory it owns for the out-parameters.
 *
 * <p>JNA keeps {@code errno} of each call for {@link Native#getLastError()} on the calling thread,
 * which is how {@link PcapFrameWriter} tells a full send buffer (EAGAIN) from an error.
 */
final class PcapDirect
{
    static
    {
        Native.register(PcapDirect.class, NativeLibrary.getInstance(LibPcap.NAME));
    }

    /** {@code struct pcap_pkthdr} on 64-bit Linux: {@code struct timeval ts} (16 bytes), then caplen, len. */
    static final int PKTHDR_CAPLEN_OFFSET = 16;
    static final int PKTHDR_LEN_OFFSET = 20;

    /** {@code struct pcap_stat}: {@code u_int ps_recv, ps_drop, ps_ifdrop}. */
    static final int STAT_LENGTH = 12;
    static final int STAT_DROP_OFFSET = 4;

    private PcapDirect()
    {
    }

    /**
     * Binds the calls now (class initialisation), so that a libpcap without them fails at start-up
     * rather than on the event loop's first frame.
     */
    static void bind()
    {
        // The static initialiser did the work.
    }

    /**
     * {@code int pcap_next_ex(pcap_t *p, struct pcap_pkthdr **header, const u_char **data)}.
     *
     * @param headerOut address of 8 bytes that receive the header's address.
     * @param dataOut   address of 8 bytes that receive the frame's address; valid until the next call.
     * @return 1 a frame, 0 none ready (non-blocking), -1 an error ({@code pcap_geterr}).
     */
    static native int pcap_next_ex(long pcap, long headerOut, long dataOut);

    /**
     * {@code int pcap_inject(pcap_t *p, const void *buf, size_t size)}.
     *
     * @return bytes sent, or -1 ({@code pcap_geterr}, errno in {@link Native#getLastError()}).
     */
    static native int pcap_inject(long pcap, long buffer, long size);

    /**
     * {@code int pcap_stats(pcap_t *p, struct pcap_stat *ps)}: totals since the capture started.
     *
     * @param statsOut address of {@link #STAT_LENGTH} bytes.
     */
    static native int pcap_stats(long pcap, long statsOut);
}
